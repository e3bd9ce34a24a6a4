// The shared TX completion ring: owned by the runtime (not in any VM's memory), produced by the
// NIC, consumed here. Validity is the phase bit, so the hot path never reads a NIC register:
// an entry is new when its phase equals the expected one (1 on the first pass, flipped on every
// wrap). The consumer index is reported to the NIC once per batch by the owner (Switch).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "smartnic/device.hpp"
#include "smartnic/regs.hpp"

namespace smartnic {

struct TxCompletion {
  std::uint32_t cookie = 0;
  std::uint16_t ring_idx = 0;
  std::uint16_t len = 0;
  std::uint8_t src_vm = 0;
  std::uint8_t dst_vm = 0;
  std::uint8_t verdict = 0;  // regs::Verdict value, validated by the consumer
  std::uint8_t reason = 0;   // regs::DropReason value
};

class CompletionRing {
 public:
  // Allocates 2^size_log2 zeroed 16-byte entries, 64-byte aligned (zero = phase 0 = not valid).
  CompletionRing(Device& device, unsigned size_log2);

  std::uint64_t device_address() const { return buffer_->device_address(); }
  unsigned size_log2() const { return size_log2_; }
  std::size_t entries() const { return std::size_t{1} << size_log2_; }

  // Copies the entries the NIC has written, starting at the consumer index, into `out` (at most
  // out.size(), never past the end of the current pass: a wrap changes the expected phase);
  // returns how many. Nothing is consumed: pop() each one once it is handled, so an entry whose
  // handling throws stays in the ring. Reading a run of entries at once, before any of them is
  // handled, reads them while they are in cache: handling hairpins streams datagrams through
  // the cache and evicted the ring's lines when each entry was read just before its handling.
  std::size_t peek(std::span<TxCompletion> out);
  // Consume the oldest entry returned by peek(); flips the expected phase on wrap.
  void pop() {
    ++consumer_;
    if ((consumer_ & (entries() - 1)) == 0) phase_ ^= 1;
  }
  // Back to the state after construction (entries zeroed, consumer 0, expecting phase 1), for a
  // NIC whose producer index was reset (CPL_SIZE_LOG2 written again, or CTRL.RESET).
  void restart();
  // Free-running 16-bit consumer index, the value for CPL_CONS.
  std::uint16_t consumer() const { return consumer_; }

 private:
  std::unique_ptr<DmaBuffer> buffer_;
  std::span<std::byte> host_;  // buffer_->host(), stable for the buffer's life
  unsigned size_log2_;
  std::uint16_t consumer_ = 0;
  std::uint8_t phase_ = 1;
};

}  // namespace smartnic
