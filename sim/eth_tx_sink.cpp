#include "smartnic/sim/eth_tx_sink.hpp"

#include <algorithm>
#include <bit>
#include <cstdio>
#include <cstring>

namespace smartnic::sim {

EthTxSink::EthTxSink(const AxisPorts& ports, const EthTxConfig& config)
    : p_(ports), cfg_(config), rng_(config.seed), ready_dist_(std::clamp(config.ready_probability, 0.0, 1.0)) {
  if (!cfg_.pcap_path.empty()) pcap_ = std::make_unique<PcapWriter>(cfg_.pcap_path);
  reset();
}

void EthTxSink::reset() {
  current_.clear();
  held_ = false;
  *p_.tready = 0;
}

std::vector<std::vector<std::uint8_t>> EthTxSink::take_frames() {
  std::vector<std::vector<std::uint8_t>> out(std::make_move_iterator(frames_.begin()),
                                             std::make_move_iterator(frames_.end()));
  frames_.clear();
  return out;
}

void EthTxSink::sample(std::uint64_t cycle) {
  const bool valid = *p_.tvalid != 0, ready = *p_.tready != 0;
  const std::uint64_t keep = *p_.tkeep;
  const bool last = *p_.tlast != 0;

  if (held_) {  // AXI4-Stream: a beat offered without TREADY must stay, unchanged, until taken
    if (!valid)
      violations_.record(cycle, "TVALID dropped before TREADY");
    else if (keep != held_keep_ || *p_.tlast != held_last_ ||
             std::memcmp(p_.tdata, held_data_.data(), sizeof held_data_) != 0)
      violations_.record(cycle, "TDATA/TKEEP/TLAST changed while TVALID waited for TREADY");
  }
  held_ = valid && !ready;
  if (held_) {
    ++stats_.stall_cycles;
    std::memcpy(held_data_.data(), p_.tdata, sizeof held_data_);
    held_keep_ = keep;
    held_last_ = *p_.tlast;
  }
  if (!(valid && ready)) return;

  ++stats_.beats;
  const bool contiguous = keep != 0 && (keep & (keep + 1)) == 0;  // 0..01..1
  if (!contiguous) {
    char buf[80];
    std::snprintf(buf, sizeof buf, "TKEEP 0x%016llx is not contiguous from byte 0",
                  static_cast<unsigned long long>(keep));
    violations_.record(cycle, buf);
  } else if (!last && keep != ~std::uint64_t{0}) {
    violations_.record(cycle, "TKEEP not full on a beat without TLAST (frame byte " +
                                  std::to_string(current_.size()) + ")");
  }
  // Take the bytes whose TKEEP bit is set even after a violation, so the frame stays inspectable.
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(p_.tdata);  // little-endian host
  if (contiguous) {  // the normal case: bytes 0..n-1, appended in one copy
    current_.insert(current_.end(), bytes, bytes + std::popcount(keep));
  } else {
    for (unsigned i = 0; i < kDataBytes; ++i)
      if ((keep >> i) & 1U) current_.push_back(bytes[i]);
  }

  if (last && p_.tuser != nullptr && *p_.tuser != 0) {
    ++stats_.aborted_frames;
    current_.clear();
    return;
  }
  if (last) {
    const std::uint64_t n = current_.size();
    stats_.min_frame_bytes = stats_.frames == 0 ? n : std::min(stats_.min_frame_bytes, n);
    stats_.max_frame_bytes = std::max(stats_.max_frame_bytes, n);
    ++stats_.frames;
    stats_.last_frame_cycle = cycle;
    stats_.bytes += n;
    if (pcap_) pcap_->write(static_cast<std::uint64_t>(double(cycle) * 1000.0 / cfg_.clock_mhz), current_);
    // One exact-size allocation per frame; current_ keeps its capacity for the next frame
    // (moving it out would regrow a fresh vector beat by beat, several allocations a frame).
    frames_.emplace_back(current_.begin(), current_.end());
    current_.clear();
  }
}

void EthTxSink::set_ready_probability(double p) {
  cfg_.ready_probability = p;
  ready_dist_ = std::bernoulli_distribution(std::clamp(p, 0.0, 1.0));
}

void EthTxSink::drive(std::uint64_t) {
  *p_.tready = cfg_.ready_probability >= 1.0 ? 1 : ready_dist_(rng_);
}

}  // namespace smartnic::sim
