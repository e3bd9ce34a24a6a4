#include "smartnic/endpoints/switch_pump.hpp"

#include "smartnic/errors.hpp"

namespace smartnic::endpoints {

void SwitchPump::attach(VmId vm, Endpoint& endpoint) {
  for (const auto& p : ports_) {
    if (p.vm == vm) throw ConfigError("VM " + std::to_string(vm) + " already has an endpoint");
  }
  ports_.push_back(Port{vm, &endpoint, std::nullopt});
}

std::size_t SwitchPump::step(std::size_t burst) {
  std::size_t moved = 0;
  for (auto& p : ports_) {
    for (std::size_t i = 0; i < burst; ++i) {
      if (!p.held) p.held = p.endpoint->read();
      if (!p.held) break;
      if (!sw_.send(p.vm, *p.held)) {
        ++counters_.refused;
        break;  // keep it for the next round
      }
      p.held.reset();
      ++counters_.to_switch;
      ++moved;
    }
  }
  sw_.poll();
  for (auto& p : ports_) {
    while (auto d = sw_.receive(p.vm)) {
      p.endpoint->write(d->data);
      ++counters_.from_switch;
      ++moved;
    }
  }
  ++counters_.rounds;
  return moved;
}

bool SwitchPump::run(const std::function<bool()>& until, std::chrono::milliseconds timeout,
                     std::chrono::milliseconds idle) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::vector<Endpoint*> eps;
  for (auto& p : ports_) eps.push_back(p.endpoint);
  for (;;) {
    const std::size_t moved = step();
    if (until()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    bool busy = false;
    for (const auto& p : ports_) busy = busy || p.held.has_value();
    const auto t = sw_.totals();
    busy = busy || t.in_flight != 0 || t.pending != 0;
    if (moved == 0 && !busy) wait_readable(eps, idle);
  }
}

}  // namespace smartnic::endpoints
