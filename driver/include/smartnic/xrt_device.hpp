// XrtDevice: the smartnic::Device on an Alveo card, through the XRT native C++ API.
//
// The NIC is a user-managed RTL kernel: registers through xrt::ip (s_axi_control), guest
// memory and rings as host-memory buffers (xrt::bo with host_only) whose device addresses the
// NIC's m_axi port (connected to HOST[0]) uses directly.
//
// Every failure to find or open the card throws DeviceError with what was looked for, what
// XRT said, and what to check (xbutil examine, XILINX_XRT, the xclbin).
#pragma once

#include <memory>
#include <string>

#include "smartnic/device.hpp"

namespace smartnic {

struct XrtConfig {
  std::string device = "0";        // device index ("0") or PCIe BDF ("0000:3b:00.1")
  std::string xclbin;              // path of the linked design; required
  std::string kernel = "smartnic_top";  // kernel (IP) name inside the xclbin
};

class XrtDevice final : public Device {
 public:
  explicit XrtDevice(const XrtConfig& config);
  ~XrtDevice() override;

  std::uint32_t read32(std::uint32_t offset) override;
  void write32(std::uint32_t offset, std::uint32_t value) override;
  std::unique_ptr<DmaBuffer> alloc_dma(std::size_t bytes, std::size_t alignment = 4096) override;
  // Hardware runs by itself: sleeps for the budget (short budgets spin).
  void wait(std::chrono::nanoseconds budget) override;
  std::string describe() const override;

 private:
  struct Impl;  // keeps XRT headers out of everything that includes this one
  std::unique_ptr<Impl> impl_;
};

}  // namespace smartnic
