// Blocking 32-bit register access through the design's AXI4-Lite slave (s_axi_control_*).
#pragma once

#include <cstdint>
#include <functional>

#include "smartnic/sim/clocked.hpp"
#include "smartnic/sim/ports.hpp"

namespace smartnic::sim {

// A ClockedModel (it must see handshakes at the clock edge like every other model) with a
// blocking front end: read32/write32 start a transaction and call `tick` (one clock cycle of
// the whole simulation, all other models included) until it completes.
// Throws smartnic::DeviceError naming the offset on a timeout or a non-OKAY response.
class AxiLiteMaster final : public ClockedModel {
 public:
  AxiLiteMaster(const AxiLitePorts& ports, std::function<void()> tick,
                std::uint32_t timeout_cycles = 1000);

  std::uint32_t read32(std::uint32_t offset);
  void write32(std::uint32_t offset, std::uint32_t value);

  void sample(std::uint64_t cycle) override;
  void drive(std::uint64_t cycle) override;
  void reset() override;

  void set_timeout_cycles(std::uint32_t cycles) { timeout_ = cycles; }
  std::uint64_t reads() const { return reads_; }
  std::uint64_t writes() const { return writes_; }

 private:
  enum class Op { kIdle, kRead, kWrite };
  void run(const char* what, std::uint32_t offset);

  AxiLitePorts p_;
  std::function<void()> tick_;
  std::uint32_t timeout_;
  Op op_ = Op::kIdle;
  std::uint32_t addr_ = 0, wdata_ = 0;
  bool addr_done_ = false, data_done_ = false, resp_done_ = false;
  std::uint8_t resp_ = 0;
  std::uint32_t rdata_ = 0;
  std::uint64_t reads_ = 0, writes_ = 0;
};

}  // namespace smartnic::sim
