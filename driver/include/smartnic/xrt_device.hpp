// XrtDevice: the smartnic::Device on an Alveo card, through the XRT native C++ API.
//
// The NIC is a user-managed RTL kernel: registers through xrt::ip (s_axi_control), guest
// memory and rings as host-memory buffers (xrt::bo with host_only) whose device addresses the
// NIC's m_axi port (connected to HOST[0]) uses directly.
//
// Every failure to find or open the card throws DeviceError with what was looked for, what
// XRT said, and what to check (xbutil examine, XILINX_XRT, the xclbin). Opening checks, in
// this order, and stops at the first problem:
//   1. the configuration (xclbin given, device is an index or a PCIe BDF);
//   2. the xclbin file: exists, is a readable regular file, is a well-formed axlf container
//      (checked here before XRT parses it: XRT trusts the header and could read past a
//      truncated file), holds the kernel, and the kernel's m_axi argument has a memory bank;
//   3. the card: XILINX_XRT, the XRT driver shim, the device index or BDF;
//   4. loading the xclbin onto the card and opening the kernel's registers (xrt::ip).
// Steps 1 and 2 never touch a card, so a wrong xclbin is reported the same on any machine.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "smartnic/device.hpp"

namespace smartnic {

struct XrtConfig {
  std::string device = "0";        // device index ("0") or PCIe BDF ("0000:3b:00.1")
  std::string xclbin;              // path of the linked design; required
  std::string kernel = "smartnic_top";  // kernel (IP) name inside the xclbin
};

// What an xclbin says about the NIC kernel, read from the file alone (no card needed).
struct XclbinInfo {
  std::string path;
  std::string uuid;                        // xclbin UUID, as XRT prints it
  std::string platform;                    // the shell it was linked for (XSA / VBNV name)
  std::vector<std::string> kernels;        // every kernel in the xclbin
  std::vector<std::string> compute_units;  // the NIC kernel's instances ("smartnic_top:smartnic_top_1")
  // Memory bank (XRT memory group index) of the kernel's m_axi argument, and its tag
  // ("HOST[0]" when linked with sp=smartnic_top_1.m_axi:HOST[0]); -1 / "" when the xclbin
  // does not connect that argument.
  int host_mem_group = -1;
  std::string host_mem_tag;
};

// Reads and checks an xclbin file for `kernel` (steps 1-2 above, without the device part).
// Throws DeviceError naming the file and what is wrong with it.
XclbinInfo inspect_xclbin(const std::string& path, const std::string& kernel = "smartnic_top");

class XrtDevice final : public Device {
 public:
  explicit XrtDevice(const XrtConfig& config);
  ~XrtDevice() override;

  // Offsets must be 4-byte aligned and inside the kernel's s_axi_control range.
  std::uint32_t read32(std::uint32_t offset) override;
  void write32(std::uint32_t offset, std::uint32_t value) override;
  // A host_only xrt::bo in the kernel's m_axi memory bank (HOST[0]), zeroed. XRT gives
  // page-aligned buffers; a larger alignment is met by over-allocating and offsetting inside
  // the buffer. The buffer keeps the XRT device open, so it may outlive the XrtDevice.
  std::unique_ptr<DmaBuffer> alloc_dma(std::size_t bytes, std::size_t alignment = 4096) override;
  // Hardware runs by itself: sleeps for budgets of 50 us and more, spins (yielding) below.
  void wait(std::chrono::nanoseconds budget) override;
  std::string describe() const override;

  const XclbinInfo& xclbin_info() const;

 private:
  struct Impl;  // keeps XRT headers out of everything that includes this one
  std::unique_ptr<Impl> impl_;
};

}  // namespace smartnic
