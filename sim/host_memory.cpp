#include "smartnic/sim/host_memory.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>

namespace smartnic::sim {

namespace {
std::string hex(std::uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}
}  // namespace

std::uint64_t HostMemory::allocate(std::size_t bytes, std::size_t alignment) {
  if (bytes == 0) throw std::invalid_argument("HostMemory::allocate: zero bytes");
  if (alignment < 64) alignment = 64;  // every buffer starts on a bus beat
  if ((alignment & (alignment - 1)) != 0)
    throw std::invalid_argument("HostMemory::allocate: alignment " + std::to_string(alignment) +
                                " is not a power of two");
  const std::uint64_t addr = (next_ + alignment - 1) & ~static_cast<std::uint64_t>(alignment - 1);
  // Round the end up to a beat so that a DMA of the last partial beat stays inside.
  const std::uint64_t size = (bytes + 63) & ~std::uint64_t{63};
  allocs_.emplace(addr, Allocation{std::vector<std::byte>(size)});
  next_ = addr + size + kGuard;
  ++stats_.allocations;
  stats_.bytes_allocated += size;
  return addr;
}

void HostMemory::free(std::uint64_t device_address) {
  auto it = allocs_.find(device_address);
  if (it == allocs_.end())
    throw std::out_of_range("HostMemory::free: no allocation at " + hex(device_address));
  --stats_.allocations;
  stats_.bytes_allocated -= it->second.storage.size();
  allocs_.erase(it);
}

const HostMemory::Allocation* HostMemory::lookup(std::uint64_t addr, std::size_t len,
                                                 std::uint64_t* start) const {
  auto it = allocs_.upper_bound(addr);
  if (it == allocs_.begin()) return nullptr;
  --it;
  const std::uint64_t off = addr - it->first;
  if (off > it->second.storage.size() || len > it->second.storage.size() - off) return nullptr;
  *start = it->first;
  return &it->second;
}

std::byte* HostMemory::find(std::uint64_t addr, std::size_t len) {
  std::uint64_t start = 0;
  const Allocation* a = lookup(addr, len, &start);
  if (a == nullptr) return nullptr;
  // const_cast: lookup is shared by const and non-const callers; the map owns mutable storage.
  return const_cast<std::byte*>(a->storage.data()) + (addr - start);
}

std::span<std::byte> HostMemory::span(std::uint64_t addr, std::size_t len) {
  std::byte* p = find(addr, len);
  if (p == nullptr)
    throw std::out_of_range("HostMemory::span: [" + hex(addr) + ", +" + std::to_string(len) +
                            ") is not inside one allocation");
  return {p, len};
}

bool HostMemory::faulty(std::uint64_t addr, std::size_t len) const {
  return std::any_of(faults_.begin(), faults_.end(), [&](const auto& f) {
    return addr < f.second && f.first < addr + len;
  });
}

// The one rule for a bus access's response, given whether it falls inside one allocation.
AxiResp HostMemory::respond(bool inside, std::uint64_t addr, std::size_t len) const {
  if (!inside) return AxiResp::DECERR;
  if (faulty(addr, len)) return AxiResp::SLVERR;
  return AxiResp::OKAY;
}

AxiResp HostMemory::classify(std::uint64_t addr, std::size_t len) const {
  std::uint64_t start = 0;
  return respond(lookup(addr, len, &start) != nullptr, addr, len);
}

// One map lookup per beat: the allocation found classifies the access and gives the bytes.
std::byte* HostMemory::locate(std::uint64_t addr, std::size_t len, AxiResp* resp) {
  std::byte* p = find(addr, len);
  *resp = respond(p != nullptr, addr, len);
  return p;
}

AxiResp HostMemory::bus_read(std::uint64_t addr, std::span<std::byte> out) {
  AxiResp r = AxiResp::OKAY;
  const std::byte* src = locate(addr, out.size(), &r);
  if (r == AxiResp::DECERR) ++stats_.out_of_range_reads;
  if (r == AxiResp::SLVERR) ++stats_.slverr_reads;
  if (r != AxiResp::OKAY) {
    std::fill(out.begin(), out.end(), std::byte{0});
    return r;
  }
  std::memcpy(out.data(), src, out.size());
  return r;
}

AxiResp HostMemory::bus_write(std::uint64_t addr, std::span<const std::byte> data,
                              std::uint64_t strobe) {
  AxiResp r = AxiResp::OKAY;
  std::byte* dst = locate(addr, data.size(), &r);
  if (r == AxiResp::DECERR) ++stats_.out_of_range_writes;
  if (r == AxiResp::SLVERR) ++stats_.slverr_writes;
  if (r != AxiResp::OKAY) return r;
  const std::size_t n = std::min<std::size_t>(data.size(), 64);
  if (strobe == ~std::uint64_t{0} && n == 64) {
    std::memcpy(dst, data.data(), 64);  // the common full-beat case
  } else {
    for (std::size_t i = 0; i < n; ++i)
      if ((strobe >> i) & 1U) dst[i] = data[i];
  }
  return r;
}

void HostMemory::inject_slverr(std::uint64_t addr, std::uint64_t len) {
  faults_.emplace_back(addr, addr + len);
}

void HostMemory::clear_faults() { faults_.clear(); }

}  // namespace smartnic::sim
