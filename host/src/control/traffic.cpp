#include "traffic.hpp"

#include <algorithm>
#include <cmath>

#include "smartnic/errors.hpp"

namespace smartnic::control {

void TrafficGenerator::set(VmId vm, const TrafficSpec& spec, Clock::time_point now) {
  if (!(spec.rate >= 0) || spec.rate > 1e7) throw ConfigError("traffic rate must be 0..10000000 datagrams per second");
  if (spec.size < 28 || spec.size > regs::MAX_DATAGRAM) {
    throw ConfigError("traffic size must be 28..." + std::to_string(regs::MAX_DATAGRAM) +
                      " bytes (IPv4 + UDP headers are 28)");
  }
  if (!(spec.external_fraction >= 0 && spec.external_fraction <= 1)) {
    throw ConfigError("traffic external fraction must be between 0 and 1");
  }
  if (spec.rate == 0) {
    streams_.erase(vm);
    return;
  }
  streams_[vm] = Stream{spec, now, 0, 0, 0};
}

const TrafficGenerator::Stream* TrafficGenerator::find(VmId vm) const {
  const auto it = streams_.find(vm);
  return it == streams_.end() ? nullptr : &it->second;
}

std::uint64_t TrafficGenerator::run(Switch& sw, Clock::time_point now, std::uint64_t max_burst) {
  // Hairpin targets: every address of every VM (a stream skips its own VM's).
  const std::vector<VmId> ids = sw.vm_ids();
  std::vector<std::pair<VmId, Ipv4Address>> targets;
  for (const VmId v : ids) {
    for (const Ipv4Address a : sw.vm_addresses(v)) targets.emplace_back(v, a);
  }
  std::uniform_real_distribution<double> coin(0.0, 1.0);
  std::uint64_t handed = 0;
  for (auto it = streams_.begin(); it != streams_.end();) {
    const VmId vm = it->first;
    Stream& s = it->second;
    if (!std::binary_search(ids.begin(), ids.end(), vm)) {  // defensive: streams are erased with their VM
      it = streams_.erase(it);
      continue;
    }
    const double elapsed = std::chrono::duration<double>(now - s.start).count();
    const auto due_total = static_cast<std::uint64_t>(std::floor(elapsed * s.spec.rate));
    std::uint64_t due = std::min(due_total - std::min(due_total, s.due_sent), max_burst);
    const auto& own = sw.vm_addresses(vm);
    const Ipv4Address src = own.empty() ? Ipv4Address(0) : own.front();
    std::vector<Ipv4Address> others;
    for (const auto& [v, a] : targets) {
      if (v != vm) others.push_back(a);
    }
    for (; due > 0; --due) {
      UdpDatagramSpec d;
      d.src = src;
      d.identification = ident_++;
      if (!others.empty() && coin(rng_) >= s.spec.external_fraction) {
        d.dst = others[rng_() % others.size()];
      } else {
        d.dst = Ipv4Address(198, 51, 100, static_cast<std::uint8_t>(1 + rng_() % 254));
      }
      const auto bytes = build_udp_datagram(d, s.spec.size - 28);
      ++s.due_sent;
      if (sw.send(vm, bytes)) {
        ++s.sent;
        ++handed;
      } else {
        // Back-pressure: skip everything due now rather than build a backlog.
        s.refused += due_total - s.due_sent + 1;
        s.due_sent = due_total;
        break;
      }
    }
    ++it;
  }
  return handed;
}

}  // namespace smartnic::control
