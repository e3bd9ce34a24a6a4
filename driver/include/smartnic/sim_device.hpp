// SimDevice: the smartnic::Device backed by the Verilator model of the NIC (sim/Harness).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "smartnic/device.hpp"
#include "smartnic/sim/axi_memory_model.hpp"
#include "smartnic/sim/eth_rx_source.hpp"
#include "smartnic/sim/eth_tx_sink.hpp"

namespace smartnic {

namespace sim {
class Harness;
class HostMemory;
}  // namespace sim

struct SimConfig {
  double clock_mhz = 250.0;
  // PCIe-like host memory: ~1 us read round trip (AR accepted to first R beat).
  std::uint32_t mem_read_latency_ns = 1000;
  // Last W beat to B. Posted writes are acknowledged by the PCIe bridge, not by the host, so
  // B comes back sooner than read data; 500 ns is a conservative middle of the range.
  std::uint32_t mem_write_latency_ns = 500;
  // Per direction; 64 = one 512-bit beat per cycle (16 GB/s at 250 MHz, about PCIe Gen3 x16).
  double mem_bytes_per_cycle = 64.0;
  std::uint32_t mem_max_outstanding_reads = 0;  // 0 = unlimited
  // Probability of TREADY on the TX port per cycle (1.0 = MAC always ready).
  double tx_ready_probability = 1.0;
  std::uint64_t seed = 1;
  std::string fst_path;   // waveform of the whole NIC; empty = off (tracing slows the model)
  std::string pcap_path;  // frames leaving the TX port; empty = off
  std::string rx_pcap_path;  // frames entering the RX port; empty = off
  std::uint32_t reg_timeout_cycles = 1000;
  // true: the checked NIC model, with every RTL assertion of docs/verification.md running
  // (a violation stops the simulation with the assertion's message). false: the fast model,
  // the same RTL without the assertions and the state they observe (benchmarks, long runs).
  bool assertions = true;
};

class SimDevice final : public Device {
 public:
  explicit SimDevice(const SimConfig& config = {});
  ~SimDevice() override;

  std::uint32_t read32(std::uint32_t offset) override;
  void write32(std::uint32_t offset, std::uint32_t value) override;
  // The buffer keeps the simulated memory alive, so it may outlive the device.
  std::unique_ptr<DmaBuffer> alloc_dma(std::size_t bytes, std::size_t alignment = 4096) override;
  // Clocks the model for budget * clock_mhz / 1000 cycles (at least one).
  void wait(std::chrono::nanoseconds budget) override;
  std::string describe() const override;

  // --- simulation-only
  const SimConfig& config() const { return cfg_; }
  std::uint64_t cycles() const;
  void run_cycles(std::uint64_t n);
  const sim::AxiMemoryStats& memory_stats() const;
  const sim::EthTxStats& tx_stats() const;
  std::vector<std::vector<std::uint8_t>> take_tx_frames();
  // The network side of the port: queue a frame (Ethernet header, no FCS) to arrive at the
  // NIC's RX port; `bad` = the MAC flags it (bad FCS). Frames go in as the clock runs.
  void inject_rx_frame(std::vector<std::uint8_t> frame, bool bad = false);
  bool rx_idle() const;  // every injected frame has entered the NIC
  const sim::EthRxStats& rx_stats() const;
  // Count and readable report ("" if none) of bus rule violations by the NIC.
  std::uint64_t protocol_violation_count() const;
  std::string protocol_violation_report() const;
  sim::HostMemory& memory();
  sim::Harness& harness() { return *harness_; }

 private:
  SimConfig cfg_;
  std::unique_ptr<sim::Harness> harness_;
};

}  // namespace smartnic
