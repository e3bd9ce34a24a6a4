// AXI4 slave that serves the NIC's master port from HostMemory with PCIe-like timing.
#pragma once

#include <array>
#include <cstdint>
#include <deque>

#include "smartnic/sim/clocked.hpp"
#include "smartnic/sim/host_memory.hpp"
#include "smartnic/sim/ports.hpp"

namespace smartnic::sim {

struct AxiMemoryConfig {
  // Cycles from AR acceptance to the first R beat being valid (PCIe round trip: ~1 us).
  std::uint32_t read_latency_cycles = 250;
  // Cycles from the last W beat to B being valid (posted write, acknowledged by the bridge).
  std::uint32_t write_latency_cycles = 125;
  // Sustained bandwidth per direction (PCIe is full duplex) in bytes per cycle; fractions are
  // honoured by a token bucket. 64 = one beat per cycle, the most a 512-bit bus can carry.
  double read_bytes_per_cycle = 64.0;
  double write_bytes_per_cycle = 64.0;
  // Bursts in flight before AR/AW stop being accepted; 0 = unlimited.
  std::uint32_t max_outstanding_reads = 0;
  std::uint32_t max_outstanding_writes = 0;
};

struct AxiMemoryStats {
  std::uint64_t ar_count = 0;
  std::uint64_t r_beats = 0;
  std::uint64_t bytes_read = 0;   // beats * 64
  std::uint64_t aw_count = 0;
  std::uint64_t w_beats = 0;
  std::uint64_t bytes_written = 0;  // bytes with their strobe set
  std::uint64_t b_count = 0;
  std::uint64_t read_errors = 0;    // bursts answered SLVERR or DECERR
  std::uint64_t write_errors = 0;
  std::uint64_t out_of_range_reads = 0;   // bursts answered DECERR
  std::uint64_t out_of_range_writes = 0;
  std::uint64_t reads_outstanding = 0;   // now
  std::uint64_t max_reads_outstanding = 0;
  std::uint64_t writes_outstanding = 0;
  std::uint64_t max_writes_outstanding = 0;
  // Observed AR acceptance to first R handshake (includes R backpressure by the design).
  std::uint64_t read_latency_min = 0;
  std::uint64_t read_latency_max = 0;
  std::uint64_t read_latency_sum = 0;  // / ar_count for the mean
};

class AxiMemoryModel final : public ClockedModel {
 public:
  AxiMemoryModel(const AxiMasterPorts& ports, HostMemory& memory, const AxiMemoryConfig& config = {});

  void sample(std::uint64_t cycle) override;
  void drive(std::uint64_t cycle) override;
  void reset() override;

  const AxiMemoryConfig& config() const { return cfg_; }
  const AxiMemoryStats& stats() const { return stats_; }
  const ProtocolViolations& violations() const { return violations_; }
  // No read or write burst accepted and not yet fully answered.
  bool idle() const { return reads_.empty() && writes_.empty() && bresps_.empty(); }

 private:
  struct Burst {
    std::uint8_t id;
    std::uint64_t addr;       // address of beat 0, aligned down to the beat
    std::uint32_t beats;
    std::uint32_t done = 0;   // beats transferred
    std::uint64_t ready_cycle = 0;  // reads: first beat may go; writes: unused
    std::uint64_t accept_cycle = 0;
    AxiResp resp = AxiResp::OKAY;
  };
  struct BResp {
    std::uint8_t id;
    AxiResp resp;
    std::uint64_t ready_cycle;
  };
  struct AddrBeat {  // AR/AW payload, for the stability check while valid waits for ready
    bool pending = false;
    std::uint8_t id = 0, len = 0, size = 0, burst = 0;
    std::uint64_t addr = 0;
  };

  Burst accept(std::uint64_t cycle, const char* ch, std::uint8_t id, std::uint64_t addr,
               std::uint8_t len, std::uint8_t size, std::uint8_t burst);
  void check_stable(std::uint64_t cycle, const char* ch, AddrBeat& held, bool valid, bool ready,
                    const AddrBeat& now);

  AxiMasterPorts p_;
  HostMemory& mem_;
  AxiMemoryConfig cfg_;
  AxiMemoryStats stats_;
  ProtocolViolations violations_;

  std::deque<Burst> reads_;   // accepted, answered in acceptance order (legal for any IDs)
  std::deque<Burst> writes_;  // accepted AW whose W beats are not all in
  std::deque<BResp> bresps_;
  double read_tokens_ = 0, write_tokens_ = 0;
  bool r_presenting_ = false;  // rvalid driven this cycle
  bool b_presenting_ = false;
  AddrBeat ar_held_, aw_held_;
};

}  // namespace smartnic::sim
