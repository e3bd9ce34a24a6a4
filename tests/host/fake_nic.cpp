#include "fake_nic.hpp"

#include <cstring>
#include <stdexcept>
#include <utility>

#include "smartnic/errors.hpp"
#include "smartnic/vm_ip_hash_tables.hpp"
#include "smartnic/vm_ip_table.hpp"

namespace smartnic::test {

namespace reg = regs::reg;

class FakeNic::Buffer : public DmaBuffer {
 public:
  Buffer(FakeNic& nic, std::size_t bytes, std::uint64_t addr) : nic_(nic), mem_(bytes), addr_(addr) {
    nic_.buffers_[addr_] = this;
  }
  ~Buffer() override { nic_.buffers_.erase(addr_); }
  std::span<std::byte> host() override { return mem_; }
  std::uint64_t device_address() const override { return addr_; }

 private:
  FakeNic& nic_;
  std::vector<std::byte> mem_;
  std::uint64_t addr_;
};

namespace {
std::uint64_t load(const std::byte* p, std::size_t n) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < n; ++i) v |= std::to_integer<std::uint64_t>(p[i]) << (8 * i);
  return v;
}
void store(std::byte* p, std::size_t n, std::uint64_t v) {
  for (std::size_t i = 0; i < n; ++i) p[i] = static_cast<std::byte>(v >> (8 * i));
}
}  // namespace

FakeNic::FakeNic(Options options)
    : opt_(options), table_(options.table_entries), fetch_(options.num_vms), claimed_(options.num_vms) {
  regs_[reg::STATUS] = 1;
}

FakeNic::~FakeNic() = default;

std::uint32_t FakeNic::reg(std::uint32_t offset) const {
  const auto it = regs_.find(offset);
  return it == regs_.end() ? 0 : it->second;
}

std::uint32_t FakeNic::read32(std::uint32_t offset) {
  switch (offset) {
    case reg::ID: return opt_.id;
    case reg::VERSION: return opt_.version;
    case reg::NUM_VMS: return opt_.num_vms;
    case reg::TABLE_ENTRIES: return opt_.table_entries;
    case reg::TABLE_GEOMETRY:  // the standard hash geometry for that many slots, as the NIC reports it
      try {
        return encode_table_geometry(VmIpTable::standard_geometry(opt_.table_entries));
      } catch (const ConfigError&) {
        return 0;
      }
    case reg::TABLE_HASH_SEED: return static_cast<std::uint32_t>(kVmIpHashSeed);
    case reg::CPL_PROD: return cpl_prod_;
    default:
      if (offset >= regs::VM_BLOCK_BASE) {
        const unsigned vm = (offset - regs::VM_BLOCK_BASE) / regs::VM_BLOCK_STRIDE;
        const std::uint32_t r = (offset - regs::VM_BLOCK_BASE) % regs::VM_BLOCK_STRIDE;
        if (vm < opt_.num_vms && r == reg::VM_TX_FETCH) return static_cast<std::uint16_t>(fetch_[vm] + claimed_[vm]);
      }
      return reg(offset);
  }
}

void FakeNic::write_slot(std::size_t slot, Slot s) {
  const Slot old = table_.at(slot);
  if (old.value >> 31) model_.remove(old.key);
  table_[slot] = s;
  if (s.value >> 31) model_.set_owner(s.key, s.value & 0xFF);
}

void FakeNic::poke_slot(std::size_t slot, std::uint32_t key, unsigned vm) {
  write_slot(slot, {key, 0x8000'0000u | vm});
}

void FakeNic::write32(std::uint32_t offset, std::uint32_t value) {
  regs_[offset] = value;
  if (offset == reg::CPL_SIZE_LOG2) cpl_prod_ = 0;
  if (offset == reg::CPL_CONS) ++cpl_cons_writes;
  if (offset == reg::TBL_CMD && value == 1) {
    write_slot(reg(reg::TBL_SLOT), {reg(reg::TBL_KEY), reg(reg::TBL_VALUE)});
  }
  if (offset == reg::TBL_CMD && value == 3) {  // clear every slot (instantly: STATUS.TABLE_INIT stays 0)
    for (std::size_t s = 0; s < table_.size(); ++s) write_slot(s, {});
  }
  if (offset == reg::TBL_CMD && value == 2) {
    const Slot s = table_.at(reg(reg::TBL_SLOT));
    regs_[reg::TBL_KEY] = s.key;
    regs_[reg::TBL_VALUE] = s.value;
  }
  if (offset >= regs::VM_BLOCK_BASE) {
    const unsigned vm = (offset - regs::VM_BLOCK_BASE) / regs::VM_BLOCK_STRIDE;
    const std::uint32_t r = (offset - regs::VM_BLOCK_BASE) % regs::VM_BLOCK_STRIDE;
    if (vm < opt_.num_vms && r == reg::VM_TX_SIZE_LOG2) fetch_[vm] = claimed_[vm] = 0;
    if (vm < opt_.num_vms && r == reg::VM_TX_PROD) ++doorbell_writes;
  }
}

std::unique_ptr<DmaBuffer> FakeNic::alloc_dma(std::size_t bytes, std::size_t alignment) {
  next_addr_ = (next_addr_ + alignment - 1) / alignment * alignment;
  auto b = std::make_unique<Buffer>(*this, bytes, next_addr_);
  next_addr_ += bytes + 4096;  // a gap, so an overrun does not land in the next buffer
  return b;
}

std::byte* FakeNic::translate(std::uint64_t addr, std::size_t len) {
  auto it = buffers_.upper_bound(addr);
  if (it == buffers_.begin()) return nullptr;
  --it;
  const auto mem = it->second->host();
  if (addr + len > it->first + mem.size()) return nullptr;
  return mem.data() + (addr - it->first);
}

std::span<std::byte> FakeNic::dma(std::uint64_t addr, std::size_t len) {
  std::byte* p = translate(addr, len);
  if (p == nullptr) throw std::out_of_range("fake NIC: no DMA buffer holds that address range");
  return {p, len};
}

bool FakeNic::process_one(unsigned vm) {
  auto vreg = [&](std::uint32_t r) { return reg(regs::vm_reg(vm, r)); };
  if (!(vreg(reg::VM_CTRL) & 1) && claimed_[vm] == 0) return false;
  const auto prod = static_cast<std::uint16_t>(vreg(reg::VM_TX_PROD));
  if (fetch_[vm] == prod) return false;
  const unsigned cpl_log2 = reg(reg::CPL_SIZE_LOG2);
  const auto cons = static_cast<std::uint16_t>(reg(reg::CPL_CONS));
  if (static_cast<std::uint16_t>(cpl_prod_ - cons) >= (1u << cpl_log2)) return false;  // never overwrite unread

  const std::uint64_t ring = vreg(reg::VM_TX_BASE_LO) | (std::uint64_t{vreg(reg::VM_TX_BASE_HI)} << 32);
  const std::uint32_t mask = (1u << vreg(reg::VM_TX_SIZE_LOG2)) - 1;
  const std::byte* d = translate(ring + (fetch_[vm] & mask) * regs::DESC_BYTES, regs::DESC_BYTES);
  if (!d) throw std::logic_error("fake NIC: TX ring of VM " + std::to_string(vm) + " not in DMA memory");
  const std::uint64_t addr = load(d + regs::tx_desc::ADDR_BYTE, 8);
  const auto len = static_cast<std::uint16_t>(load(d + regs::tx_desc::LEN_BYTE, 2));
  const auto cookie = static_cast<std::uint32_t>(load(d + regs::tx_desc::COOKIE_BYTE, 4));
  ++descriptors_seen;

  const std::uint64_t win = vreg(reg::VM_WIN_BASE_LO) | (std::uint64_t{vreg(reg::VM_WIN_BASE_HI)} << 32);
  const std::uint64_t win_size = vreg(reg::VM_WIN_SIZE_LO) | (std::uint64_t{vreg(reg::VM_WIN_SIZE_HI)} << 32);
  refmodel::Prediction p;
  if (len < regs::MIN_DATAGRAM || len > regs::MAX_DATAGRAM) {
    p = refmodel::drop(regs::DropReason::DESC_LEN);
  } else if (addr % regs::BUF_ALIGN) {
    p = refmodel::drop(regs::DropReason::DESC_ALIGN);
  } else if (addr < win || addr + len > win + win_size) {
    p = refmodel::drop(regs::DropReason::DESC_WINDOW);
  } else {
    const std::byte* data = translate(addr, len);
    p = model_.predict(std::span<const std::byte>(data, len), vm);
    if (p.verdict == regs::Verdict::EXTERNAL) {
      std::vector<std::byte> frame(14 + len);
      const std::uint32_t lo[2] = {reg(reg::MAC_DST_LO), reg(reg::MAC_SRC_LO)};
      const std::uint32_t hi[2] = {reg(reg::MAC_DST_HI), reg(reg::MAC_SRC_HI)};
      for (int m = 0; m < 2; ++m) {
        frame[6 * m + 0] = static_cast<std::byte>(hi[m] >> 8);
        frame[6 * m + 1] = static_cast<std::byte>(hi[m]);
        for (int i = 0; i < 4; ++i) frame[6 * m + 2 + i] = static_cast<std::byte>(lo[m] >> (24 - 8 * i));
      }
      frame[12] = std::byte{0x08};
      std::memcpy(frame.data() + 14, data, len);
      frames.push_back(std::move(frame));
    }
  }

  const std::uint64_t cpl_base = reg(reg::CPL_BASE_LO) | (std::uint64_t{reg(reg::CPL_BASE_HI)} << 32);
  std::byte* c = translate(cpl_base + (cpl_prod_ & ((1u << cpl_log2) - 1)) * regs::CPL_BYTES, regs::CPL_BYTES);
  if (!c) throw std::logic_error("fake NIC: completion ring not in DMA memory");
  std::memset(c, 0, regs::CPL_BYTES);
  store(c + regs::tx_cpl::COOKIE_BYTE, 4, cookie);
  store(c + regs::tx_cpl::RING_IDX_BYTE, 2, fetch_[vm]);
  store(c + regs::tx_cpl::LEN_BYTE, 2, len);
  store(c + regs::tx_cpl::SRC_VM_BYTE, 1, vm);
  store(c + regs::tx_cpl::DST_VM_BYTE, 1, p.dst_vm);
  store(c + regs::tx_cpl::VERDICT_BYTE, 1, static_cast<unsigned>(p.verdict));
  store(c + regs::tx_cpl::REASON_BYTE, 1, static_cast<unsigned>(p.reason));
  const unsigned phase = ((cpl_prod_ >> cpl_log2) & 1) == 0 ? 1 : 0;  // 1 on the first pass
  store(c + regs::tx_cpl::PHASE_BYTE, 1, phase << 7);
  ++cpl_prod_;
  ++fetch_[vm];
  if (claimed_[vm] > 0) --claimed_[vm];
  return true;
}

void FakeNic::wait(std::chrono::nanoseconds) {
  if (stalled || !(reg(reg::CTRL) & 1)) return;
  std::size_t done = 0;
  for (bool progress = true; progress && done < opt_.per_wait;) {
    progress = false;
    for (unsigned vm = 0; vm < opt_.num_vms && done < opt_.per_wait; ++vm) {  // round robin
      if (process_one(vm)) {
        progress = true;
        ++done;
      }
    }
  }
}

void FakeNic::fetch_without_completing(unsigned vm) {
  claimed_.at(vm) = static_cast<std::uint16_t>(reg(regs::vm_reg(vm, reg::VM_TX_PROD)) - fetch_[vm]);
}

std::vector<std::vector<std::byte>> FakeNic::take_frames() { return std::exchange(frames, {}); }

}  // namespace smartnic::test
