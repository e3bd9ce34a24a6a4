// A Device on plain host memory for measuring the runtime's hairpin delivery without the
// simulator: DMA buffers are ordinary aligned host memory (device address = host address, as
// with XRT host-only buffers), and a TX doorbell (VM_TX_PROD) turns the new descriptors at once
// into completions with the verdict the NIC would give: HAIRPIN to the VM owning the destination
// address in the table the runtime programmed, else EXTERNAL. The NIC's work happens inside
// write32(VM_TX_PROD), i.e. inside Switch::flush(), so a benchmark can time Switch::poll() (the
// reaping and delivery) without it. Nothing else of the NIC is modelled (no RX, no checks).
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "smartnic/device.hpp"

namespace smartnic::bench {

class LoopbackNic final : public Device {
 public:
  LoopbackNic();
  ~LoopbackNic() override;

  std::uint32_t read32(std::uint32_t offset) override;
  void write32(std::uint32_t offset, std::uint32_t value) override;
  std::unique_ptr<DmaBuffer> alloc_dma(std::size_t bytes, std::size_t alignment = 4096) override;
  void wait(std::chrono::nanoseconds budget) override;  // completes what a full ring held back
  std::string describe() const override { return "loopback NIC on host memory (benchmark)"; }

  std::uint64_t completions() const { return completions_; }

 private:
  std::uint32_t reg(std::uint32_t offset) const;
  void process(unsigned vm);

  std::unordered_map<std::uint32_t, std::uint32_t> regs_;
  std::vector<std::uint16_t> fetch_;  // per VM: descriptors completed
  std::uint16_t cpl_prod_ = 0;
  std::uint16_t cpl_cons_ = 0;
  std::unordered_map<std::uint32_t, std::uint32_t> slots_;  // slot -> key, for erasing on overwrite
  struct Owner {
    std::uint8_t vm = 0;
    unsigned copies = 0;
  };
  std::unordered_map<std::uint32_t, Owner> owner_;          // IPv4 address -> VM
  std::uint64_t completions_ = 0;
};

}  // namespace smartnic::bench
