// The simulated SmartNIC: the Verilated smartnic_top with host memory behind its AXI4 master,
// a register master on its AXI4-Lite slave and a MAC/wire on its TX and RX streams.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "smartnic/sim/axi_lite_master.hpp"
#include "smartnic/sim/axi_memory_model.hpp"
#include "smartnic/sim/eth_rx_source.hpp"
#include "smartnic/sim/eth_tx_sink.hpp"
#include "smartnic/sim/host_memory.hpp"

namespace smartnic::sim {

struct HarnessConfig {
  double clock_mhz = 250.0;
  AxiMemoryConfig memory;
  EthTxConfig tx;  // tx.clock_mhz is overwritten with clock_mhz
  EthRxConfig rx;  // rx.clock_mhz is overwritten with clock_mhz
  std::uint32_t reg_timeout_cycles = 1000;
  std::string fst_path;  // empty = no waveform
  unsigned reset_cycles = 16;
  // true: the checked model, verilated with the RTL's assertions and the ghost state they
  // observe (tests). false: the fast model without them, about half the instructions per
  // cycle (benchmarks, long runs). Both are built from the same RTL (docs/verification.md).
  bool assertions = true;
};

class HarnessModel;  // harness_impl.hpp

// Owns the model (the Verilated classes stay out of this header: only harness_fast.cpp and
// harness_checked.cpp include them, so users of the harness do not compile them).
class Harness {
 public:
  // Constructs the model, applies reset and leaves it running out of reset.
  // `memory` may be shared with buffers that outlive the harness.
  explicit Harness(const HarnessConfig& config, std::shared_ptr<HostMemory> memory = nullptr);
  ~Harness();
  Harness(const Harness&) = delete;
  Harness& operator=(const Harness&) = delete;

  void tick();
  void run(std::uint64_t cycles);
  void reset();  // ap_rst_n low for reset_cycles, all models back to idle
  std::uint64_t cycle() const;
  std::uint64_t time_ps() const;

  std::uint32_t read32(std::uint32_t offset) { return regs().read32(offset); }
  void write32(std::uint32_t offset, std::uint32_t value) { regs().write32(offset, value); }

  HostMemory& memory() { return *memory_; }
  const std::shared_ptr<HostMemory>& memory_ptr() const { return memory_; }
  AxiMemoryModel& axi_memory();
  AxiLiteMaster& regs();
  EthTxSink& tx();
  EthRxSource& rx();
  const HarnessConfig& config() const { return cfg_; }

  // All protocol violations seen by the bus models: count and a readable summary ("" if none).
  std::uint64_t protocol_violation_count() const;
  std::string protocol_violation_report() const;

  void open_fst(const std::string& path);
  void close_fst();

 private:
  HarnessConfig cfg_;
  std::shared_ptr<HostMemory> memory_;
  std::unique_ptr<HarnessModel> impl_;
};

}  // namespace smartnic::sim
