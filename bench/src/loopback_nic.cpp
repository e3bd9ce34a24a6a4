#include "loopback_nic.hpp"

#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

#include "smartnic/regs.hpp"
#include "smartnic/vm_ip_hash_tables.hpp"
#include "smartnic/vm_ip_table.hpp"

namespace smartnic::bench {

namespace reg = regs::reg;

namespace {

std::uint64_t load_le(const std::byte* p, std::size_t n) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < n; ++i) v |= std::to_integer<std::uint64_t>(p[i]) << (8 * i);
  return v;
}
void store_le(std::byte* p, std::size_t n, std::uint64_t v) {
  for (std::size_t i = 0; i < n; ++i) p[i] = static_cast<std::byte>(v >> (8 * i));
}

struct FreeDeleter {
  void operator()(std::byte* p) const { std::free(p); }
};

class HostBuffer final : public DmaBuffer {
 public:
  HostBuffer(std::size_t bytes, std::size_t alignment) : bytes_(bytes) {
    const std::size_t rounded = (bytes + alignment - 1) / alignment * alignment;  // aligned_alloc's rule
    mem_.reset(static_cast<std::byte*>(std::aligned_alloc(alignment, rounded == 0 ? alignment : rounded)));
    if (!mem_) throw DeviceError("loopback NIC: cannot allocate " + std::to_string(bytes) + " bytes of host memory");
    std::memset(mem_.get(), 0, bytes);  // zeroed like every DmaBuffer; also faults the pages in now
  }
  std::span<std::byte> host() override { return {mem_.get(), bytes_}; }
  std::uint64_t device_address() const override { return reinterpret_cast<std::uintptr_t>(mem_.get()); }

 private:
  std::unique_ptr<std::byte, FreeDeleter> mem_;
  std::size_t bytes_;
};

}  // namespace

LoopbackNic::LoopbackNic() : fetch_(regs::NUM_VMS, 0) {}
LoopbackNic::~LoopbackNic() = default;

std::uint32_t LoopbackNic::reg(std::uint32_t offset) const {
  const auto it = regs_.find(offset);
  return it == regs_.end() ? 0 : it->second;
}

std::uint32_t LoopbackNic::read32(std::uint32_t offset) {
  switch (offset) {
    case reg::ID: return regs::kId;
    case reg::VERSION: return regs::kVersion;
    case reg::NUM_VMS: return regs::NUM_VMS;
    case reg::TABLE_ENTRIES: return regs::TABLE_ENTRIES;
    case reg::TABLE_GEOMETRY:
      return encode_table_geometry({regs::TABLE_WAYS, regs::TABLE_BUCKETS, regs::TABLE_SLOTS, regs::TABLE_STASH});
    case reg::TABLE_HASH_SEED: return static_cast<std::uint32_t>(kVmIpHashSeed);
    case reg::STATUS: return 1;  // idle, table not clearing
    case reg::CPL_PROD: return cpl_prod_;
    default: return reg(offset);
  }
}

void LoopbackNic::write32(std::uint32_t offset, std::uint32_t value) {
  if (offset == reg::CPL_CONS) {  // on the timed reaping path: keep it a store
    cpl_cons_ = static_cast<std::uint16_t>(value);
    return;
  }
  regs_[offset] = value;
  if (offset == reg::CPL_SIZE_LOG2) cpl_prod_ = cpl_cons_ = 0;
  if (offset == reg::TBL_CMD && value == 1) {
    // A key sits in two slots during a cuckoo move (new slot written before the old one is
    // cleared): count its copies so clearing the old one keeps it.
    const std::uint32_t slot = reg(reg::TBL_SLOT);
    if (const auto old = slots_.find(slot); old != slots_.end()) {
      if (const auto o = owner_.find(old->second); o != owner_.end() && --o->second.copies == 0) owner_.erase(o);
      slots_.erase(old);
    }
    const std::uint32_t v = reg(reg::TBL_VALUE);
    if (v >> 31) {  // valid bit
      const std::uint32_t key = reg(reg::TBL_KEY);
      slots_[slot] = key;
      Owner& o = owner_[key];
      o.vm = static_cast<std::uint8_t>(v & 0xFF);
      ++o.copies;
    }
  }
  if (offset == reg::TBL_CMD && value == 3) {
    slots_.clear();
    owner_.clear();
  }
  if (offset >= regs::VM_BLOCK_BASE) {
    const unsigned vm = (offset - regs::VM_BLOCK_BASE) / regs::VM_BLOCK_STRIDE;
    const std::uint32_t r = (offset - regs::VM_BLOCK_BASE) % regs::VM_BLOCK_STRIDE;
    if (vm < regs::NUM_VMS && r == reg::VM_TX_SIZE_LOG2) fetch_[vm] = 0;
    if (vm < regs::NUM_VMS && r == reg::VM_TX_PROD) process(vm);
  }
}

std::unique_ptr<DmaBuffer> LoopbackNic::alloc_dma(std::size_t bytes, std::size_t alignment) {
  return std::make_unique<HostBuffer>(bytes, std::max<std::size_t>(alignment, regs::BUF_ALIGN));
}

void LoopbackNic::wait(std::chrono::nanoseconds) {
  for (unsigned vm = 0; vm < regs::NUM_VMS; ++vm) process(vm);
}

void LoopbackNic::process(unsigned vm) {
  auto vreg = [&](std::uint32_t r) { return reg(regs::vm_reg(vm, r)); };
  if (!(reg(reg::CTRL) & 1) || !(vreg(reg::VM_CTRL) & 1)) return;
  const auto prod = static_cast<std::uint16_t>(vreg(reg::VM_TX_PROD));
  const unsigned cpl_log2 = reg(reg::CPL_SIZE_LOG2);
  const std::uint64_t cpl_base = reg(reg::CPL_BASE_LO) | (std::uint64_t{reg(reg::CPL_BASE_HI)} << 32);
  const std::uint64_t ring = vreg(reg::VM_TX_BASE_LO) | (std::uint64_t{vreg(reg::VM_TX_BASE_HI)} << 32);
  const std::uint32_t mask = (1u << vreg(reg::VM_TX_SIZE_LOG2)) - 1;
  while (fetch_[vm] != prod && static_cast<std::uint16_t>(cpl_prod_ - cpl_cons_) < (1u << cpl_log2)) {
    const auto* d = reinterpret_cast<const std::byte*>(ring + (fetch_[vm] & mask) * regs::DESC_BYTES);
    const auto* data = reinterpret_cast<const std::byte*>(load_le(d + regs::tx_desc::ADDR_BYTE, 8));
    const auto len = static_cast<std::uint16_t>(load_le(d + regs::tx_desc::LEN_BYTE, 2));
    std::uint8_t verdict = static_cast<std::uint8_t>(regs::Verdict::EXTERNAL), dst = 0;
    if (len >= 20) {
      const std::uint32_t ip = (std::to_integer<std::uint32_t>(data[16]) << 24) |
                               (std::to_integer<std::uint32_t>(data[17]) << 16) |
                               (std::to_integer<std::uint32_t>(data[18]) << 8) | std::to_integer<std::uint32_t>(data[19]);
      if (const auto it = owner_.find(ip); it != owner_.end()) {
        verdict = static_cast<std::uint8_t>(regs::Verdict::HAIRPIN);
        dst = it->second.vm;
      }
    }
    auto* c = reinterpret_cast<std::byte*>(cpl_base + (cpl_prod_ & ((1u << cpl_log2) - 1)) * regs::CPL_BYTES);
    std::memset(c, 0, regs::CPL_BYTES);
    store_le(c + regs::tx_cpl::COOKIE_BYTE, 4, load_le(d + regs::tx_desc::COOKIE_BYTE, 4));
    store_le(c + regs::tx_cpl::RING_IDX_BYTE, 2, fetch_[vm]);
    store_le(c + regs::tx_cpl::LEN_BYTE, 2, len);
    store_le(c + regs::tx_cpl::SRC_VM_BYTE, 1, vm);
    store_le(c + regs::tx_cpl::DST_VM_BYTE, 1, dst);
    store_le(c + regs::tx_cpl::VERDICT_BYTE, 1, verdict);
    const unsigned phase = ((cpl_prod_ >> cpl_log2) & 1) == 0 ? 1 : 0;  // 1 on the first pass
    store_le(c + regs::tx_cpl::PHASE_BYTE, 1, phase << 7);
    ++cpl_prod_;
    ++fetch_[vm];
    ++completions_;
  }
}

}  // namespace smartnic::bench
