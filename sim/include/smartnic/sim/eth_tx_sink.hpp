// Receiver of the design's AXI4-Stream TX port (m_axis_tx_*): the Ethernet MAC and the wire.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "smartnic/sim/clocked.hpp"
#include "smartnic/sim/pcap_writer.hpp"
#include "smartnic/sim/ports.hpp"

namespace smartnic::sim {

struct EthTxConfig {
  // Probability that TREADY is high in a cycle; 1.0 = always ready (a MAC at line rate),
  // below 1 the pattern comes from a seeded RNG so that runs are reproducible.
  double ready_probability = 1.0;
  std::uint64_t seed = 1;
  std::string pcap_path;  // empty = no capture file
  double clock_mhz = 250.0;  // for pcap timestamps
};

struct EthTxStats {
  std::uint64_t frames = 0;
  std::uint64_t bytes = 0;
  std::uint64_t beats = 0;
  std::uint64_t stall_cycles = 0;  // TVALID && !TREADY
  std::uint64_t max_frame_bytes = 0;
  std::uint64_t min_frame_bytes = 0;
  std::uint64_t aborted_frames = 0;  // ended with TUSER: never delivered, not in the pcap
  std::uint64_t last_frame_cycle = 0;  // cycle of the last beat of the last delivered frame
};

class EthTxSink final : public ClockedModel {
 public:
  explicit EthTxSink(const AxisPorts& ports, const EthTxConfig& config = {});

  void sample(std::uint64_t cycle) override;
  void drive(std::uint64_t cycle) override;
  // Drops a partly received frame (the MAC discards it); completed frames are kept.
  void reset() override;

  // Completed frames, oldest first, removed from the sink.
  std::vector<std::vector<std::uint8_t>> take_frames();
  std::size_t pending_frames() const { return frames_.size(); }
  const EthTxStats& stats() const { return stats_; }
  // TKEEP not contiguous from byte 0, TKEEP not full on a non-last beat, empty beat, or payload
  // changed while TVALID waited for TREADY.
  const ProtocolViolations& violations() const { return violations_; }
  void set_ready_probability(double p);

 private:
  AxisPorts p_;
  EthTxConfig cfg_;
  std::mt19937_64 rng_;
  std::bernoulli_distribution ready_dist_;
  std::unique_ptr<PcapWriter> pcap_;
  std::vector<std::uint8_t> current_;
  std::deque<std::vector<std::uint8_t>> frames_;
  EthTxStats stats_;
  ProtocolViolations violations_;
  // Payload of a beat that waited for TREADY, for the stability check.
  bool held_ = false;
  std::array<std::uint32_t, kDataWords> held_data_{};
  std::uint64_t held_keep_ = 0;
  std::uint8_t held_last_ = 0;
};

}  // namespace smartnic::sim
