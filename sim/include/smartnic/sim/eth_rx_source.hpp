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
  double clock_mhz = 250.0;  // for pcap timestamps and line-rate pacing
  // Idle cycles between frames (0 = back to back at one beat per cycle).
  unsigned gap_cycles = 0;
  // Pace frame starts to an Ethernet line rate in Gbit/s (0 = unpaced): a frame occupies the
  // wire for its bytes + 4 FCS + 20 preamble/inter-frame gap (padded to 64 B with FCS), and the
  // next one may not start earlier, with fractional cycles carried over. One beat per cycle
  // (128 Gbit/s at 250 MHz) is faster than 100 GbE, so a benchmark needs this to offer exactly
  // line rate, as a real MAC does.
  double line_rate_gbps = 0.0;
};

struct EthRxStats {
  std::uint64_t frames = 0;
  std::uint64_t bytes = 0;
  std::uint64_t bad_frames = 0;  // sent with TUSER (bad FCS)
  std::uint64_t last_frame_cycle = 0;  // cycle of the last beat of the last frame sent
};

class EthRxSource final : public ClockedModel {
 public:
  explicit EthRxSource(const AxisRxPorts& ports, const EthRxConfig& config = {});

  // Queues a frame (Ethernet header included, no FCS). `bad` marks it with TUSER on its
  // last beat, as a MAC does for a frame whose FCS did not match.
  void send(std::vector<std::uint8_t> frame, bool bad = false);
  bool idle() const { return queue_.empty() && beat_ == 0 && gap_ == 0; }
  void set_line_rate_gbps(double gbps) { cfg_.line_rate_gbps = gbps; }
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
  double next_start_ = 0.0;  // line-rate pacing: earliest cycle of the next frame's first beat
  EthRxStats stats_;
  ProtocolViolations violations_;
};

}  // namespace smartnic::sim
