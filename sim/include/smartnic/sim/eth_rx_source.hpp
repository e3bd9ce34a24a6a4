// Sender into the design's AXI4-Stream RX port (s_axis_rx_*): the wire and the MAC's
// receive side. Frames queued with send() go out one beat per cycle, back to back, as a
// MAC delivers them; a MAC cannot be stalled, so TREADY is only checked, never waited for.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "smartnic/sim/clocked.hpp"
#include "smartnic/sim/pcap_writer.hpp"
#include "smartnic/sim/ports.hpp"

namespace smartnic::sim {

struct EthRxConfig {
  std::string pcap_path;     // frames as they enter the NIC; empty = no capture file
  double clock_mhz = 250.0;  // for pcap timestamps
  // Idle cycles between frames (0 = back to back at one beat per cycle).
  unsigned gap_cycles = 0;
};

struct EthRxStats {
  std::uint64_t frames = 0;
  std::uint64_t bytes = 0;
  std::uint64_t bad_frames = 0;  // sent with TUSER (bad FCS)
};

class EthRxSource final : public ClockedModel {
 public:
  explicit EthRxSource(const AxisRxPorts& ports, const EthRxConfig& config = {});

  // Queues a frame (Ethernet header included, no FCS). `bad` marks it with TUSER on its
  // last beat, as a MAC does for a frame whose FCS did not match.
  void send(std::vector<std::uint8_t> frame, bool bad = false);
  bool idle() const { return queue_.empty() && beat_ == 0 && gap_ == 0; }
  std::size_t queued() const { return queue_.size(); }
  const EthRxStats& stats() const { return stats_; }
  // TREADY low while TVALID was high (the NIC must always take what the MAC delivers).
  const ProtocolViolations& violations() const { return violations_; }

  void sample(std::uint64_t cycle) override;
  void drive(std::uint64_t cycle) override;
  void reset() override;

 private:
  struct Frame {
    std::vector<std::uint8_t> bytes;
    bool bad;
  };
  AxisRxPorts p_;
  EthRxConfig cfg_;
  std::unique_ptr<PcapWriter> pcap_;
  std::deque<Frame> queue_;
  std::size_t beat_ = 0;  // next beat of queue_.front() to drive
  unsigned gap_ = 0;
  bool driving_ = false;
  EthRxStats stats_;
  ProtocolViolations violations_;
};

}  // namespace smartnic::sim
