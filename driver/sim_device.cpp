#include "smartnic/sim_device.hpp"

#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "smartnic/sim/harness.hpp"
#include "smartnic/sim/host_memory.hpp"

namespace smartnic {

namespace {

std::uint32_t ns_to_cycles(std::uint32_t ns, double mhz) {
  return static_cast<std::uint32_t>(std::llround(double(ns) * mhz / 1000.0));
}

sim::HarnessConfig harness_config(const SimConfig& c) {
  if (!(c.clock_mhz > 0)) throw DeviceError("SimConfig.clock_mhz must be positive");
  if (!(c.mem_bytes_per_cycle > 0)) throw DeviceError("SimConfig.mem_bytes_per_cycle must be positive");
  sim::HarnessConfig h;
  h.clock_mhz = c.clock_mhz;
  h.memory.read_latency_cycles = ns_to_cycles(c.mem_read_latency_ns, c.clock_mhz);
  h.memory.write_latency_cycles = ns_to_cycles(c.mem_write_latency_ns, c.clock_mhz);
  h.memory.read_bytes_per_cycle = c.mem_bytes_per_cycle;
  h.memory.write_bytes_per_cycle = c.mem_bytes_per_cycle;
  h.memory.max_outstanding_reads = c.mem_max_outstanding_reads;
  h.tx.ready_probability = c.tx_ready_probability;
  h.tx.seed = c.seed;
  h.tx.pcap_path = c.pcap_path;
  h.rx.pcap_path = c.rx_pcap_path;
  h.reg_timeout_cycles = c.reg_timeout_cycles;
  h.fst_path = c.fst_path;
  h.assertions = c.assertions;
  return h;
}

// Holds the memory by shared_ptr so that the storage stays valid if the device goes first.
class SimDmaBuffer final : public DmaBuffer {
 public:
  SimDmaBuffer(std::shared_ptr<sim::HostMemory> mem, std::size_t bytes, std::size_t alignment)
      : mem_(std::move(mem)), addr_(mem_->allocate(bytes, alignment)), span_(mem_->span(addr_, bytes)) {}
  ~SimDmaBuffer() override { mem_->free(addr_); }
  std::span<std::byte> host() override { return span_; }
  std::uint64_t device_address() const override { return addr_; }

 private:
  std::shared_ptr<sim::HostMemory> mem_;
  std::uint64_t addr_;
  std::span<std::byte> span_;
};

}  // namespace

SimDevice::SimDevice(const SimConfig& config)
    : cfg_(config), harness_(std::make_unique<sim::Harness>(harness_config(config))) {}

SimDevice::~SimDevice() = default;

std::uint32_t SimDevice::read32(std::uint32_t offset) { return harness_->read32(offset); }
void SimDevice::write32(std::uint32_t offset, std::uint32_t value) { harness_->write32(offset, value); }

std::unique_ptr<DmaBuffer> SimDevice::alloc_dma(std::size_t bytes, std::size_t alignment) {
  try {
    return std::make_unique<SimDmaBuffer>(harness_->memory_ptr(), bytes, alignment);
  } catch (const std::invalid_argument& e) {
    throw DeviceError(std::string("alloc_dma: ") + e.what());
  }
}

void SimDevice::wait(std::chrono::nanoseconds budget) {
  const auto cycles = static_cast<std::uint64_t>(
      std::max<long double>(1.0L, std::llround(static_cast<long double>(budget.count()) * cfg_.clock_mhz / 1000.0L)));
  harness_->run(cycles);
}

std::string SimDevice::describe() const {
  char buf[200];
  std::snprintf(buf, sizeof buf,
                "verilator model (%s), %.0f MHz, %u ns memory read latency, %u ns write latency, %.1f B/cycle%s",
                cfg_.assertions ? "checked" : "fast", cfg_.clock_mhz, cfg_.mem_read_latency_ns, cfg_.mem_write_latency_ns,
                cfg_.mem_bytes_per_cycle, cfg_.fst_path.empty() ? "" : ", FST trace on");
  return buf;
}

std::uint64_t SimDevice::cycles() const { return harness_->cycle(); }
void SimDevice::run_cycles(std::uint64_t n) { harness_->run(n); }
const sim::AxiMemoryStats& SimDevice::memory_stats() const { return harness_->axi_memory().stats(); }
const sim::EthTxStats& SimDevice::tx_stats() const { return harness_->tx().stats(); }
std::vector<std::vector<std::uint8_t>> SimDevice::take_tx_frames() { return harness_->tx().take_frames(); }
void SimDevice::inject_rx_frame(std::vector<std::uint8_t> frame, bool bad) {
  harness_->rx().send(std::move(frame), bad);
}
bool SimDevice::rx_idle() const { return harness_->rx().idle(); }
const sim::EthRxStats& SimDevice::rx_stats() const { return harness_->rx().stats(); }
std::uint64_t SimDevice::protocol_violation_count() const { return harness_->protocol_violation_count(); }
std::string SimDevice::protocol_violation_report() const { return harness_->protocol_violation_report(); }
sim::HostMemory& SimDevice::memory() { return harness_->memory(); }

}  // namespace smartnic
