// One VM's guest memory: a single DmaBuffer that is also the VM's window on the NIC
// (VM_WIN_BASE/SIZE), so every address the VM can name lies inside memory it owns.
//
// Layout (every region 64-byte aligned, BUF_ALIGN):
//   TX descriptor ring      tx_entries x 16 B      (VM produces, NIC consumes)
//   output buffers          tx_entries x 9216 B    (one per TX ring entry: a full ring never
//                                                   waits for a buffer)
//   hairpin input ring      input_entries x 16 B   (runtime produces, VM consumes)
//   hairpin input buffers   input_entries x 9216 B
//   ingress (RX) ring       ingress_entries x 16 B (runtime posts free buffers, the NIC fills
//                                                   them from the network: its own ring, so
//                                                   the two input paths never share a producer)
//   ingress buffers         ingress_entries x 9216 B
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "smartnic/device.hpp"
#include "smartnic/regs.hpp"

namespace smartnic {

// Hairpin input ring entry (runtime-defined, little-endian like the NIC's layouts).
namespace hairpin_in_entry {
inline constexpr std::size_t ADDR_BYTE = 0;    // u64 device address of the input buffer
inline constexpr std::size_t LEN_BYTE = 8;     // u16 datagram length
inline constexpr std::size_t SRC_VM_BYTE = 10;  // u8 sending VM
inline constexpr std::size_t BYTES = 16;
}  // namespace hairpin_in_entry

struct GuestMemoryLayout {
  static constexpr std::size_t kBufferBytes = 9216;  // jumbo datagram (9000) rounded up to 64 B
  static constexpr std::size_t kAlign = 64;

  // Throws ConfigError unless 2 <= log2 <= 15 for both rings (16-bit free-running indices
  // cannot tell a full 2^16 ring from an empty one).
  static GuestMemoryLayout compute(unsigned tx_ring_log2, unsigned input_ring_log2,
                                   unsigned ingress_ring_log2 = 8);

  std::size_t tx_entries = 0;
  std::size_t input_entries = 0;
  std::size_t tx_ring_offset = 0;
  std::size_t output_offset = 0;
  std::size_t input_ring_offset = 0;
  std::size_t input_buffers_offset = 0;
  std::size_t ingress_entries = 0;
  std::size_t ingress_ring_offset = 0;
  std::size_t ingress_buffers_offset = 0;
  std::size_t total_bytes = 0;

  std::size_t output_buffer_offset(std::size_t i) const { return output_offset + i * kBufferBytes; }
  std::size_t input_buffer_offset(std::size_t i) const {
    return input_buffers_offset + i * kBufferBytes;
  }
  std::size_t ingress_buffer_offset(std::size_t i) const {
    return ingress_buffers_offset + i * kBufferBytes;
  }
};

// Owns the DmaBuffer and hands out views of its regions.
class GuestMemory {
 public:
  GuestMemory(Device& device, const GuestMemoryLayout& layout);

  const GuestMemoryLayout& layout() const { return layout_; }
  std::uint64_t window_base() const { return base_; }
  std::uint64_t window_size() const { return layout_.total_bytes; }

  // The views are defined here, not in guest_memory.cpp, so that the hairpin path (several per
  // datagram) inlines them into offset arithmetic instead of calling out of line.
  std::uint64_t tx_ring_address() const { return window_base() + layout_.tx_ring_offset; }
  std::span<std::byte> tx_descriptor(std::size_t i) {
    return region(layout_.tx_ring_offset + i * regs::DESC_BYTES, regs::DESC_BYTES);
  }
  std::span<std::byte> output_buffer(std::size_t i) {
    return region(layout_.output_buffer_offset(i), GuestMemoryLayout::kBufferBytes);
  }
  std::uint64_t output_buffer_address(std::size_t i) const {
    return window_base() + layout_.output_buffer_offset(i);
  }
  std::span<std::byte> input_entry(std::size_t i) {
    return region(layout_.input_ring_offset + i * hairpin_in_entry::BYTES, hairpin_in_entry::BYTES);
  }
  std::span<std::byte> input_buffer(std::size_t i) {
    return region(layout_.input_buffer_offset(i), GuestMemoryLayout::kBufferBytes);
  }
  std::uint64_t input_buffer_address(std::size_t i) const {
    return window_base() + layout_.input_buffer_offset(i);
  }
  std::uint64_t ingress_ring_address() const { return window_base() + layout_.ingress_ring_offset; }
  std::span<std::byte> ingress_descriptor(std::size_t i) {
    return region(layout_.ingress_ring_offset + i * regs::DESC_BYTES, regs::DESC_BYTES);
  }
  std::span<std::byte> ingress_buffer(std::size_t i) {
    return region(layout_.ingress_buffer_offset(i), GuestMemoryLayout::kBufferBytes);
  }
  std::uint64_t ingress_buffer_address(std::size_t i) const {
    return window_base() + layout_.ingress_buffer_offset(i);
  }

 private:
  std::span<std::byte> region(std::size_t offset, std::size_t bytes) { return host_.subspan(offset, bytes); }

  GuestMemoryLayout layout_;
  std::unique_ptr<DmaBuffer> buffer_;
  std::span<std::byte> host_;  // buffer_->host(), stable for the buffer's life
  // buffer_->device_address(), kept like host_ to keep a virtual call off the per-datagram path
  // (input ring entries carry it); the NIC is programmed with it once, so it cannot change.
  std::uint64_t base_;
};

}  // namespace smartnic
