// Private to the harness: one NIC model with its bus models bound to its ports. Harness holds
// a HarnessModel and does not know which Verilated class is inside: harness_fast.cpp and
// harness_checked.cpp each instantiate ModelAndBuses for one of the two NIC models (the
// Verilated headers are included only there).
#pragma once

#include <memory>
#include <string>

#include "smartnic/sim/harness.hpp"
#include "smartnic/sim/model_harness.hpp"
#include "smartnic/sim/ports.hpp"

namespace smartnic::sim {

class HarnessModel {
 public:
  virtual ~HarnessModel() = default;
  virtual void tick() = 0;
  virtual void run(std::uint64_t cycles) = 0;
  virtual void reset(unsigned cycles) = 0;
  virtual std::uint64_t cycle() const = 0;
  virtual std::uint64_t time_ps() const = 0;
  virtual void open_fst(const std::string& path) = 0;
  virtual void close_fst() = 0;
  virtual AxiMemoryModel& mem() = 0;
  virtual AxiLiteMaster& regs() = 0;
  virtual EthTxSink& tx() = 0;
  virtual EthRxSource& rx() = 0;
};

template <class Top>
class ModelAndBuses final : public HarnessModel {
 public:
  ModelAndBuses(const HarnessConfig& cfg, HostMemory& memory)
      : model_(cfg.clock_mhz),
        mem_(bind_axi_master(model_.top()), memory, cfg.memory),
        regs_(bind_axi_lite(model_.top()), [this] { model_.tick(); }, cfg.reg_timeout_cycles),
        tx_(bind_axis_tx(model_.top()), cfg.tx),
        rx_(bind_axis_rx(model_.top()), cfg.rx) {
    model_.add(mem_);
    model_.add(regs_);
    model_.add(tx_);
    model_.add(rx_);
  }
  void tick() override { model_.tick(); }
  void run(std::uint64_t cycles) override { model_.run(cycles); }
  void reset(unsigned cycles) override { model_.reset(cycles); }
  std::uint64_t cycle() const override { return model_.cycle(); }
  std::uint64_t time_ps() const override { return model_.time_ps(); }
  void open_fst(const std::string& path) override { model_.open_fst(path); }
  void close_fst() override { model_.close_fst(); }
  AxiMemoryModel& mem() override { return mem_; }
  AxiLiteMaster& regs() override { return regs_; }
  EthTxSink& tx() override { return tx_; }
  EthRxSource& rx() override { return rx_; }

 private:
  // Declaration order = construction order: the model first, the bus models bound to its ports.
  ModelHarness<Top> model_;
  AxiMemoryModel mem_;
  AxiLiteMaster regs_;
  EthTxSink tx_;
  EthRxSource rx_;
};

// Defined in harness_fast.cpp and harness_checked.cpp.
std::unique_ptr<HarnessModel> make_fast_model(const HarnessConfig& cfg, HostMemory& memory);
std::unique_ptr<HarnessModel> make_checked_model(const HarnessConfig& cfg, HostMemory& memory);

}  // namespace smartnic::sim
