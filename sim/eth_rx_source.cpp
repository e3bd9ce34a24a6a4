#include "smartnic/sim/eth_rx_source.hpp"

#include <algorithm>
#include <cstring>

namespace smartnic::sim {

EthRxSource::EthRxSource(const AxisRxPorts& ports, const EthRxConfig& config) : p_(ports), cfg_(config) {
  if (!cfg_.pcap_path.empty()) pcap_ = std::make_unique<PcapWriter>(cfg_.pcap_path);
  reset();
}

void EthRxSource::send(std::vector<std::uint8_t> frame, bool bad) {
  if (frame.empty()) return;  // a MAC never delivers an empty frame
  queue_.push_back(Frame{std::move(frame), bad});
}

void EthRxSource::reset() {
  queue_.clear();
  beat_ = 0;
  gap_ = 0;
  driving_ = false;
  next_start_ = 0.0;
  *p_.tvalid = 0;
  *p_.tlast = 0;
  *p_.tuser = 0;
}

void EthRxSource::sample(std::uint64_t cycle) {
  if (!driving_) return;
  if (*p_.tready == 0) violations_.record(cycle, "s_axis_rx TREADY low: the MAC cannot wait");
  // The beat is taken either way: a real MAC does not hold it.
  const Frame& f = queue_.front();
  if (++beat_ * kDataBytes >= f.bytes.size()) {
    ++stats_.frames;
    stats_.last_frame_cycle = cycle;
    stats_.bytes += f.bytes.size();
    if (f.bad) ++stats_.bad_frames;
    if (pcap_) pcap_->write(static_cast<std::uint64_t>(double(cycle) * 1000.0 / cfg_.clock_mhz), f.bytes);
    queue_.pop_front();
    beat_ = 0;
    gap_ = cfg_.gap_cycles;
  }
}

void EthRxSource::drive(std::uint64_t cycle) {
  driving_ = false;
  const auto beat_cycle = static_cast<double>(cycle + 1);  // the beat driven now is seen in cycle+1
  if (gap_ > 0) {
    --gap_;
  } else if (!queue_.empty() && (beat_ > 0 || cfg_.line_rate_gbps <= 0 || beat_cycle >= next_start_)) {
    const Frame& f = queue_.front();
    if (beat_ == 0 && cfg_.line_rate_gbps > 0) {
      // Carry the fractional part while frames follow each other; after an idle wire, start over.
      const double base = beat_cycle > next_start_ + 1.0 ? beat_cycle : next_start_;
      const double wire_bytes = static_cast<double>(std::max<std::size_t>(f.bytes.size(), 60) + 4 + 20);
      next_start_ = base + wire_bytes * 8.0 / (cfg_.line_rate_gbps * 1e3) * cfg_.clock_mhz;
    }
    const std::size_t off = beat_ * kDataBytes;
    const std::size_t n = std::min<std::size_t>(kDataBytes, f.bytes.size() - off);
    std::array<std::uint8_t, kDataBytes> beat{};
    std::memcpy(beat.data(), f.bytes.data() + off, n);
    std::memcpy(p_.tdata, beat.data(), kDataBytes);  // little-endian host: byte 0 in bits 7:0
    *p_.tkeep = n == kDataBytes ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1;
    const bool last = off + n == f.bytes.size();
    *p_.tlast = last;
    *p_.tuser = last && f.bad;
    driving_ = true;
  }
  *p_.tvalid = driving_;
}

}  // namespace smartnic::sim
