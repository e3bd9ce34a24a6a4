#include "scoreboard.hpp"

#include <cstring>
#include <sstream>

namespace smartnic::test {

namespace {
constexpr std::size_t kTagOffset = 20 + 8;  // IPv4 header without options + UDP header
}

std::uint64_t Scoreboard::tag_of(const std::byte* d, std::size_t len) {
  if (len < kTagOffset + 8) return ~0ull;
  std::uint64_t t = 0;
  std::memcpy(&t, d + kTagOffset, 8);
  return t;
}

void Scoreboard::sent(std::uint64_t tag, unsigned src, std::vector<std::byte> datagram) {
  auto p = model_.predict(datagram, src);
  sent_[tag] = Entry{src, std::move(datagram), p, 0};
}

std::size_t Scoreboard::predicted(regs::Verdict v) const {
  std::size_t n = 0;
  for (auto& [tag, e] : sent_) n += e.prediction.verdict == v;
  return n;
}

void Scoreboard::on_port(const std::vector<std::uint8_t>& f, const MacAddress& mac_dst,
                         const MacAddress& mac_src) {
  if (f.size() < 14 + 20) {
    errors_.push_back("runt frame of " + std::to_string(f.size()) + " bytes on the port");
    return;
  }
  if (std::memcmp(f.data(), mac_dst.data(), 6) != 0 || std::memcmp(f.data() + 6, mac_src.data(), 6) != 0 ||
      f[12] != 0x08 || f[13] != 0x00) {
    errors_.push_back("frame with a wrong Ethernet header on the port");
    return;
  }
  auto* dg = reinterpret_cast<const std::byte*>(f.data() + 14);
  std::size_t len = f.size() - 14;
  auto it = sent_.find(tag_of(dg, len));
  if (it == sent_.end()) {
    errors_.push_back("frame on the port that no VM sent (" + std::to_string(len) + " bytes)");
    return;
  }
  auto& e = it->second;
  e.seen++;
  if (e.prediction.verdict != regs::Verdict::EXTERNAL)
    errors_.push_back("tag " + std::to_string(it->first) + " on the port, predicted " + e.prediction.to_string());
  if (e.bytes.size() != len || std::memcmp(e.bytes.data(), dg, len) != 0)
    errors_.push_back("tag " + std::to_string(it->first) + " corrupted on the port");
}

void Scoreboard::received(unsigned vm, const ReceivedDatagram& d) {
  auto it = sent_.find(tag_of(d.data.data(), d.data.size()));
  if (it == sent_.end()) {
    errors_.push_back("vm " + std::to_string(vm) + " received a datagram nobody sent");
    return;
  }
  auto& e = it->second;
  e.seen++;
  if (e.prediction.verdict != regs::Verdict::HAIRPIN || e.prediction.dst_vm != vm)
    errors_.push_back("tag " + std::to_string(it->first) + " received by vm " + std::to_string(vm) +
                      ", predicted " + e.prediction.to_string());
  if (d.source != e.src)
    errors_.push_back("tag " + std::to_string(it->first) + " reports source vm " +
                      std::to_string(d.source) + ", sent by " + std::to_string(e.src));
  if (d.data != e.bytes) errors_.push_back("tag " + std::to_string(it->first) + " corrupted in hairpin");
}

std::vector<std::string> Scoreboard::finish(const Switch& sw) const {
  std::vector<std::string> errs = errors_;
  std::map<std::pair<unsigned, unsigned>, std::uint64_t> want_drops;  // (vm, reason) -> count
  for (auto& [tag, e] : sent_) {
    bool dropped = e.prediction.verdict == regs::Verdict::DROP;
    if (dropped) want_drops[{e.src, unsigned(e.prediction.reason)}]++;
    else if (e.seen != 1)
      errs.push_back("tag " + std::to_string(tag) + " (" + e.prediction.to_string() + ") seen " +
                     std::to_string(e.seen) + " times");
    if (dropped && e.seen != 0)
      errs.push_back("tag " + std::to_string(tag) + " predicted dropped but was delivered");
  }
  for (unsigned vm = 0; vm < sw.vm_count(); vm++) {
    auto s = sw.stats(vm);
    for (unsigned r = 0; r < regs::kNumDropReasons; r++) {
      auto it = want_drops.find({vm, r});
      std::uint64_t want = it == want_drops.end() ? 0 : it->second;
      if (s.nic_drops[r] != want) {
        std::ostringstream o;
        o << "vm " << vm << " drop reason " << regs::kDropReasonNames[r] << ": runtime counted "
          << s.nic_drops[r] << ", model predicts " << want;
        errs.push_back(o.str());
      }
    }
    for (auto h : s.host_drops)
      if (h != 0) errs.push_back("vm " + std::to_string(vm) + " has unexpected host drops");
  }
  for (auto& line : sw.check_accounting()) errs.push_back("accounting: " + line);
  return errs;
}

}  // namespace smartnic::test
