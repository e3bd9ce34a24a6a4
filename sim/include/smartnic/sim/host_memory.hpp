// Simulated host memory: what the NIC reaches through its AXI4 master (PCIe on a real card).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <vector>

namespace smartnic::sim {

enum class AxiResp : std::uint8_t { OKAY = 0, EXOKAY = 1, SLVERR = 2, DECERR = 3 };

// Sparse memory made of allocations. Device addresses start at kBase (4 GiB) so that a zero or
// small address, a typical bug, never hits memory; allocations are separated by an unmapped
// guard gap so that an overrun answers DECERR instead of silently touching a neighbour. Addresses
// are never reused, so a stale address into a freed buffer also answers DECERR.
class HostMemory {
 public:
  static constexpr std::uint64_t kBase = 0x1'0000'0000ULL;
  static constexpr std::uint64_t kGuard = 4096;

  struct Stats {
    std::uint64_t allocations = 0;        // currently live
    std::uint64_t bytes_allocated = 0;    // currently live
    std::uint64_t out_of_range_reads = 0;   // bus accesses outside every allocation (DECERR)
    std::uint64_t out_of_range_writes = 0;
    std::uint64_t slverr_reads = 0;       // accesses answered SLVERR by fault injection
    std::uint64_t slverr_writes = 0;
  };

  // Zeroed memory of `bytes` (> 0) at a device address aligned to `alignment` (a power of two,
  // at least 64). Throws std::invalid_argument on bad arguments.
  std::uint64_t allocate(std::size_t bytes, std::size_t alignment = 4096);
  // Returns the allocation starting at `device_address`; throws std::out_of_range if none.
  void free(std::uint64_t device_address);

  // CPU view of [addr, addr+len), which must lie inside one allocation (std::out_of_range
  // otherwise). Valid until that allocation is freed.
  std::span<std::byte> span(std::uint64_t addr, std::size_t len);
  // Same, but nullptr instead of an exception: for the bus models.
  std::byte* find(std::uint64_t addr, std::size_t len);

  // Bus accesses: count and answer DECERR outside the allocations, SLVERR inside an injected
  // fault range; otherwise copy (reads) or store the bytes whose bit in `strobe` is set
  // (writes, bit i = data[i], at most 64 bytes per call).
  AxiResp bus_read(std::uint64_t addr, std::span<std::byte> out);
  AxiResp bus_write(std::uint64_t addr, std::span<const std::byte> data, std::uint64_t strobe);
  // The response a bus access to [addr, addr+len) would get, without counting it.
  AxiResp classify(std::uint64_t addr, std::size_t len) const;

  // Fault injection: bus accesses overlapping [addr, addr+len) answer SLVERR (CPU access via
  // span() is unaffected), until clear_faults().
  void inject_slverr(std::uint64_t addr, std::uint64_t len);
  void clear_faults();

  const Stats& stats() const { return stats_; }

 private:
  // The bytes of [addr, addr+len) and the response a bus access there gets (nullptr for
  // DECERR); one lookup.
  std::byte* locate(std::uint64_t addr, std::size_t len, AxiResp* resp);
  struct Allocation {
    std::vector<std::byte> storage;
  };
  const Allocation* lookup(std::uint64_t addr, std::size_t len, std::uint64_t* start) const;
  bool faulty(std::uint64_t addr, std::size_t len) const;
  AxiResp respond(bool inside, std::uint64_t addr, std::size_t len) const;

  std::map<std::uint64_t, Allocation> allocs_;  // keyed by device start address
  std::vector<std::pair<std::uint64_t, std::uint64_t>> faults_;  // [begin, end)
  std::uint64_t next_ = kBase;
  Stats stats_;
};

}  // namespace smartnic::sim
