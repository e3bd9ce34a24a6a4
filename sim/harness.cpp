#include "smartnic/sim/harness.hpp"

#include "harness_impl.hpp"

namespace smartnic::sim {

namespace {
HarnessConfig normalise(HarnessConfig c) {
  c.tx.clock_mhz = c.clock_mhz;
  c.rx.clock_mhz = c.clock_mhz;
  return c;
}
}  // namespace

Harness::Harness(const HarnessConfig& config, std::shared_ptr<HostMemory> memory)
    : cfg_(normalise(config)),
      memory_(memory ? std::move(memory) : std::make_shared<HostMemory>()),
      impl_(cfg_.assertions ? make_checked_model(cfg_, *memory_) : make_fast_model(cfg_, *memory_)) {
  if (!cfg_.fst_path.empty()) open_fst(cfg_.fst_path);
  reset();
}

Harness::~Harness() = default;

void Harness::tick() { impl_->tick(); }
void Harness::run(std::uint64_t cycles) { impl_->run(cycles); }
void Harness::reset() { impl_->reset(cfg_.reset_cycles); }
std::uint64_t Harness::cycle() const { return impl_->cycle(); }
std::uint64_t Harness::time_ps() const { return impl_->time_ps(); }
AxiMemoryModel& Harness::axi_memory() { return impl_->mem(); }
AxiLiteMaster& Harness::regs() { return impl_->regs(); }
EthTxSink& Harness::tx() { return impl_->tx(); }
EthRxSource& Harness::rx() { return impl_->rx(); }
void Harness::open_fst(const std::string& path) { impl_->open_fst(path); }
void Harness::close_fst() { impl_->close_fst(); }

std::uint64_t Harness::protocol_violation_count() const {
  return impl_->mem().violations().count + impl_->tx().violations().count + impl_->rx().violations().count;
}

std::string Harness::protocol_violation_report() const {
  std::string r;
  const auto add = [&r](const char* port, const ProtocolViolations& v) {
    if (v.count == 0) return;
    r += std::string(port) + ": " + std::to_string(v.count) + " violation(s), first at " + v.first + "\n";
  };
  add("m_axi", impl_->mem().violations());
  add("m_axis_tx", impl_->tx().violations());
  add("s_axis_rx", impl_->rx().violations());
  return r;
}

}  // namespace smartnic::sim
