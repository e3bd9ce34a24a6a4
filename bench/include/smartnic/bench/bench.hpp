// The measurements behind `smartnic bench` (host/cli/bench_command.cpp): each function runs one
// experiment and returns what it measured; printing, JSON/CSV and the plot are the CLI's job.
//
// Conventions (docs/benchmarks.md):
// - "frame size" is the Ethernet frame with its 4-byte FCS, as in 100 GbE line-rate figures:
//   a 64 B frame carries a 46 B IPv4 datagram (64 - 14 header - 4 FCS). The NIC's streams carry
//   the frame without FCS (the MAC appends it).
// - Rates of the simulated NIC come from simulated cycles at the configured clock, never from
//   wall time; Gbit/s counts frame bits with FCS (without preamble and gap), line rate is
//   100e9 / ((size + 20) * 8) frames per second.
// - Host figures (hairpin, memcpy, placement) are wall clock on the machine at hand; compare
//   them with each other within one run.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace smartnic::bench {

inline constexpr std::size_t kEthHeaderBytes = 14;
inline constexpr std::size_t kFcsBytes = 4;
inline constexpr std::size_t kWireOverheadBytes = 20;  // preamble + SFD (8) + inter-frame gap (12)
inline constexpr double kLineRateGbps = 100.0;

// IPv4 datagram carried by a frame of `frame_bytes` (with FCS).
constexpr std::size_t datagram_bytes(std::size_t frame_bytes) { return frame_bytes - kEthHeaderBytes - kFcsBytes; }
// 100 GbE frames per second at that frame size, in millions.
constexpr double line_rate_mpps(std::size_t frame_bytes) {
  return kLineRateGbps * 1e3 / (static_cast<double>(frame_bytes + kWireOverheadBytes) * 8.0);
}

// Throws ConfigError unless a frame of that size (with FCS) carries a datagram the NIC and the
// benchmark's UDP generator take: 64..9018 B.
void check_frame_size(std::size_t frame_bytes);

struct NicBenchConfig {
  double clock_mhz = 250.0;
  std::uint32_t mem_read_latency_ns = 1000;
  std::uint64_t seed = 1;
  bool quick = false;  // fewer datagrams / cycles: a smoke run, figures less precise
  // false: the fast NIC model (SimConfig::assertions); the figures are the same cycle for cycle,
  // only the simulator's speed differs.
  bool assertions = false;
};

// AXI traffic between the NIC and host memory over a measurement window, per cycle. A 512-bit
// channel at one beat per cycle moves 64 B per cycle: utilisation = bytes per cycle / 64.
struct BusUse {
  double read_bytes_per_cycle = 0;   // R beats x 64
  double write_bytes_per_cycle = 0;  // W bytes with their strobe set
  double read_utilisation() const { return read_bytes_per_cycle / 64.0; }
  double write_utilisation() const { return write_bytes_per_cycle / 64.0; }
};

// One throughput experiment at one frame size.
struct RateResult {
  std::size_t frame_bytes = 0;
  std::uint64_t frames = 0;   // delivered (TX: left the port; RX: datagrams the VMs received)
  std::uint64_t cycles = 0;   // measurement window
  double clock_mhz = 250.0;
  BusUse bus;
  double cycles_per_frame() const { return frames ? static_cast<double>(cycles) / static_cast<double>(frames) : 0.0; }
  double mpps() const { return cycles ? static_cast<double>(frames) * clock_mhz / static_cast<double>(cycles) : 0.0; }
  double gbps() const { return mpps() * static_cast<double>(frame_bytes) * 8.0 / 1e3; }
  double line_fraction() const { return mpps() / line_rate_mpps(frame_bytes); }
};

struct RxResult : RateResult {
  std::uint64_t offered = 0;          // frames put on the wire, paced at 100 GbE line rate
  double offered_mpps = 0;            // measured from the pacing (equals line rate when the wire kept up)
  std::uint64_t drops_overflow = 0;   // refused: receive buffer full (rx_overflow)
  std::uint64_t drops_no_buffer = 0;  // refused: the VM had no posted buffer (rx_no_buffer)
  std::uint64_t drops_other = 0;      // any other NIC drop counter (none expected)
};

// TX through the runtime: VMs send datagrams with Switch::send/poll to external addresses, as
// `smartnic sim --external-fraction 1 --malformed-fraction 0` does; window = first send to the
// last completion (includes the pipeline's fill and drain).
RateResult tx_runtime(const NicBenchConfig& config, std::size_t frame_bytes);
// TX of the NIC alone: one VM's ring kept full by register writes, as sim/bench/sim_speed does;
// window = steady state after a warm-up. Also reports the model's speed (cycles per wall second).
struct NicAloneResult : RateResult {
  double sim_cycles_per_second = 0;      // per wall-clock second
  double sim_cycles_per_cpu_second = 0;  // per second of this thread's CPU time: what the model
                                         // does with a core to itself on a shared machine
};
NicAloneResult tx_nic_alone(const NicBenchConfig& config, std::size_t frame_bytes);
// RX: frames to the VMs' addresses offered at 100 GbE line rate (minimum gap) to the port, VMs
// with posted buffers, the runtime reaping and reposting; window = first frame to the NIC idle.
RxResult rx_line_rate(const NicBenchConfig& config, std::size_t frame_bytes);

// Host hairpin: the runtime's delivery of HAIRPIN verdicts (completion reaping, owner check,
// copy from the sender's output buffer into the receiver's input ring, buffer recycling) on
// plain host memory, against memcpy of the same bytes between the same buffers in the same run.
struct HairpinResult {
  std::size_t frame_bytes = 0;
  std::size_t datagram_bytes = 0;
  std::uint64_t datagrams = 0;  // per timed repetition
  // Time for `datagrams`: median time of a batch x batches, best repetition. The median of
  // microsecond batches is what the loop does while it has the core; the total would also
  // count the time the scheduler gave the core to others on a shared machine.
  double hairpin_seconds = 0;
  double memcpy_seconds = 0;
  double hairpin_mpps() const { return hairpin_seconds > 0 ? static_cast<double>(datagrams) / hairpin_seconds / 1e6 : 0; }
  double memcpy_mpps() const { return memcpy_seconds > 0 ? static_cast<double>(datagrams) / memcpy_seconds / 1e6 : 0; }
  double hairpin_gbytes_per_s() const { return hairpin_mpps() * static_cast<double>(datagram_bytes) / 1e3; }
  double memcpy_gbytes_per_s() const { return memcpy_mpps() * static_cast<double>(datagram_bytes) / 1e3; }
  double fraction_of_memcpy() const { return memcpy_seconds > 0 ? memcpy_seconds / hairpin_seconds : 0; }
};
HairpinResult hairpin_vs_memcpy(std::size_t frame_bytes, bool quick);

// VM-IP table placement (CuckooPlacement, the NIC's geometry) filled to the first failed insert.
struct TableResult {
  std::string keys;             // "random" or "contiguous"
  std::size_t capacity = 0;     // slots
  std::size_t inserted = 0;     // keys held at the first failed insert
  double load_factor = 0;       // inserted / capacity
  double writes_per_insert_90 = 0;  // single-slot writes per insert, average up to 90 % load
  double writes_per_insert_all = 0;
  std::uint64_t max_writes = 0;
  double register_writes_per_insert_90 = 0;  // each single-slot write: TBL_SLOT, TBL_KEY, TBL_VALUE, TBL_CMD
  double placement_ns_per_insert = 0;        // wall clock, host
};
// Fills the placement; lookup figures come from measure_table_timing().
TableResult table_fill(const std::string& keys, std::uint64_t seed);

// Measured on the Verilated table (rtl/vm_ip_hash_table.sv) in the NIC's geometry.
struct TableTiming {
  unsigned lookup_latency_cycles = 0;  // lk_valid to res_valid
  double lookups_per_cycle = 0;        // results per cycle with a lookup issued every cycle
  std::uint64_t clear_cycles = 0;      // the sweep after reset (init_busy high)
};
TableTiming measure_table_timing();

}  // namespace smartnic::bench
