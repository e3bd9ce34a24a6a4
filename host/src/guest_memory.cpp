#include "smartnic/guest_memory.hpp"

#include <string>

#include "smartnic/errors.hpp"
#include "smartnic/regs.hpp"

namespace smartnic {

namespace {
constexpr std::size_t align_up(std::size_t v, std::size_t a) { return (v + a - 1) / a * a; }

void check_log2(const char* what, unsigned log2) {
  if (log2 < 2 || log2 > 15) {
    throw ConfigError(std::string(what) + " size log2 is " + std::to_string(log2) +
                      ", must be 2..15 (4..32768 entries)");
  }
}
}  // namespace

static_assert(GuestMemoryLayout::kBufferBytes % regs::BUF_ALIGN == 0);
static_assert(GuestMemoryLayout::kBufferBytes >= regs::MAX_DATAGRAM);

GuestMemoryLayout GuestMemoryLayout::compute(unsigned tx_ring_log2, unsigned input_ring_log2,
                                             unsigned ingress_ring_log2) {
  check_log2("TX ring", tx_ring_log2);
  check_log2("hairpin input ring", input_ring_log2);
  check_log2("ingress ring", ingress_ring_log2);
  GuestMemoryLayout l;
  l.tx_entries = std::size_t{1} << tx_ring_log2;
  l.input_entries = std::size_t{1} << input_ring_log2;
  l.tx_ring_offset = 0;
  l.output_offset = align_up(l.tx_ring_offset + l.tx_entries * regs::DESC_BYTES, kAlign);
  l.input_ring_offset = align_up(l.output_offset + l.tx_entries * kBufferBytes, kAlign);
  l.input_buffers_offset =
      align_up(l.input_ring_offset + l.input_entries * hairpin_in_entry::BYTES, kAlign);
  l.ingress_entries = std::size_t{1} << ingress_ring_log2;
  l.ingress_ring_offset = align_up(l.input_buffers_offset + l.input_entries * kBufferBytes, kAlign);
  l.ingress_buffers_offset = align_up(l.ingress_ring_offset + l.ingress_entries * regs::DESC_BYTES, kAlign);
  l.total_bytes = align_up(l.ingress_buffers_offset + l.ingress_entries * kBufferBytes, kAlign);
  return l;
}

GuestMemory::GuestMemory(Device& device, const GuestMemoryLayout& layout)
    : layout_(layout), buffer_(device.alloc_dma(layout.total_bytes, 4096)),
      host_(buffer_->host()),
      base_(buffer_->device_address()) {
  if (buffer_->size() < layout_.total_bytes || buffer_->device_address() % GuestMemoryLayout::kAlign) {
    throw DeviceError("alloc_dma returned " + std::to_string(buffer_->size()) +
                      " bytes at an address not 64-byte aligned or too small; needed " +
                      std::to_string(layout_.total_bytes) + " bytes, 64-byte aligned");
  }
}

}  // namespace smartnic
