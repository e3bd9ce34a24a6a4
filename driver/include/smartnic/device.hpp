// The device interface: everything the host runtime needs from a SmartNIC, and nothing
// that says whether it is a Verilator model (SimDevice, sim/) or an Alveo card (XrtDevice).
//
// Like a Linux NIC driver's view of its hardware: 32-bit MMIO registers, DMA-able memory
// that both the CPU (host pointer) and the NIC (device address) can reach, and a way to
// let the device make progress while the host waits for completions.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>

namespace smartnic {

// Any failure of the device layer: a missing device, a bad register access, no DMA memory.
// The message says what was attempted and what to check.
class DeviceError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A block of memory both the host CPU and the NIC can access. Owned by whoever allocated
// it; freeing it (destruction) returns the memory to the device.
class DmaBuffer {
 public:
  virtual ~DmaBuffer() = default;
  DmaBuffer(const DmaBuffer&) = delete;
  DmaBuffer& operator=(const DmaBuffer&) = delete;

  // CPU view of the buffer: the same span for the buffer's whole life, so users may keep it
  // (the runtime does, to keep a virtual call off its per-datagram path).
  virtual std::span<std::byte> host() = 0;
  // The address the NIC uses in descriptors and ring base registers.
  virtual std::uint64_t device_address() const = 0;
  std::size_t size() { return host().size(); }

 protected:
  DmaBuffer() = default;
};

class Device {
 public:
  virtual ~Device() = default;
  Device(const Device&) = delete;
  Device& operator=(const Device&) = delete;

  // 32-bit control register access (AXI4-Lite on the NIC). Offsets are byte offsets from
  // smartnic/regs.hpp. Throws DeviceError on a bus error or an unaligned offset.
  virtual std::uint32_t read32(std::uint32_t offset) = 0;
  virtual void write32(std::uint32_t offset, std::uint32_t value) = 0;

  // Allocate zeroed DMA memory, aligned to at least `alignment` bytes (a power of two).
  virtual std::unique_ptr<DmaBuffer> alloc_dma(std::size_t bytes, std::size_t alignment = 4096) = 0;

  // Let the device work for up to `budget` of device time, then return. The simulation runs
  // its clock for that long; hardware sleeps or spins. The runtime calls this when it has
  // nothing to do but wait for completions.
  virtual void wait(std::chrono::nanoseconds budget) = 0;

  // Human-readable description for logs ("verilator model, 250 MHz, 1000 ns memory latency").
  virtual std::string describe() const = 0;

 protected:
  Device() = default;
};

}  // namespace smartnic
