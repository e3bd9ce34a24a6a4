#include "smartnic/completion_ring.hpp"

#include <algorithm>

#include <atomic>
#include <string>

#include "byte_order.hpp"
#include "smartnic/errors.hpp"

namespace smartnic {

using detail::load_le;

namespace {
std::size_t ring_bytes(unsigned size_log2) {
  if (size_log2 < 2 || size_log2 > 15) {
    // 15, not 16: the free-running 16-bit consumer index must tell full from empty.
    throw ConfigError("completion ring size log2 is " + std::to_string(size_log2) + ", must be 2..15");
  }
  return std::size_t{regs::CPL_BYTES} << size_log2;
}
}  // namespace

CompletionRing::CompletionRing(Device& device, unsigned size_log2)
    : buffer_(device.alloc_dma(ring_bytes(size_log2), 4096)), host_(buffer_->host()), size_log2_(size_log2) {
  if (buffer_->device_address() % regs::BUF_ALIGN) {
    throw DeviceError("alloc_dma returned a completion ring that is not 64-byte aligned");
  }
}

std::size_t CompletionRing::peek(std::span<TxCompletion> out) {
  const std::size_t mask = entries() - 1;
  const std::size_t first = consumer_ & mask;
  const std::size_t limit = std::min(out.size(), entries() - first);  // the phase flips at the wrap
  const std::byte* base = host_.data() + first * regs::CPL_BYTES;
  std::size_t n = 0;
  while (n < limit && (std::to_integer<unsigned>(base[n * regs::CPL_BYTES + regs::tx_cpl::PHASE_BYTE]) >> 7) == phase_) {
    ++n;
  }
  // On real hardware the phase byte may land before the rest is visible to this CPU only if we
  // read ahead of it; order the loads after the phase checks.
  std::atomic_thread_fence(std::memory_order_acquire);
  for (std::size_t i = 0; i < n; ++i) {
    const std::span<const std::byte> e = host_.subspan((first + i) * regs::CPL_BYTES, regs::CPL_BYTES);
    TxCompletion& c = out[i];
    c.cookie = load_le<std::uint32_t>(e, regs::tx_cpl::COOKIE_BYTE);
    c.ring_idx = load_le<std::uint16_t>(e, regs::tx_cpl::RING_IDX_BYTE);
    c.len = load_le<std::uint16_t>(e, regs::tx_cpl::LEN_BYTE);
    c.src_vm = load_le<std::uint8_t>(e, regs::tx_cpl::SRC_VM_BYTE);
    c.dst_vm = load_le<std::uint8_t>(e, regs::tx_cpl::DST_VM_BYTE);
    c.verdict = load_le<std::uint8_t>(e, regs::tx_cpl::VERDICT_BYTE);
    c.reason = load_le<std::uint8_t>(e, regs::tx_cpl::REASON_BYTE);
  }
  return n;
}

void CompletionRing::restart() {
  std::fill(host_.begin(), host_.end(), std::byte{0});
  consumer_ = 0;
  phase_ = 1;
}

}  // namespace smartnic
