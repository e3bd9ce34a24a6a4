// VM-IP table figures from the runtime's placement (CuckooPlacement with the NIC's geometry from
// the register map), filled to the first failed insert the way bench/table_load does it.
#include <chrono>
#include <random>
#include <string>
#include <unordered_set>
#include <vector>

#include "smartnic/bench/bench.hpp"
#include "smartnic/cuckoo_placement.hpp"
#include "smartnic/errors.hpp"
#include "smartnic/regs.hpp"

namespace smartnic::bench {

namespace {

// One single-slot write is TBL_SLOT, TBL_KEY, TBL_VALUE and TBL_CMD = 1 (docs/register-map.md).
constexpr unsigned kRegisterWritesPerSlotWrite = 4;

std::vector<std::uint32_t> make_keys(const std::string& kind, std::size_t n, std::uint64_t seed) {
  std::vector<std::uint32_t> k;
  k.reserve(n);
  if (kind == "random") {
    std::mt19937_64 rng(seed);
    std::unordered_set<std::uint32_t> seen;
    while (k.size() < n) {
      const auto v = static_cast<std::uint32_t>(rng());
      if (seen.insert(v).second) k.push_back(v);
    }
  } else if (kind == "contiguous") {  // VMs get consecutive addresses: 10.0.0.0 + i
    for (std::size_t i = 0; i < n; ++i) k.push_back(0x0A000000u + static_cast<std::uint32_t>(i));
  } else {
    throw ConfigError("table bench: key kind '" + kind + "' is not random or contiguous");
  }
  return k;
}

}  // namespace

TableResult table_fill(const std::string& keys, std::uint64_t seed) {
  const CuckooGeometry g{regs::TABLE_WAYS, regs::TABLE_BUCKETS, regs::TABLE_SLOTS, regs::TABLE_STASH};
  CuckooPlacement t(g);
  const auto list = make_keys(keys, g.total_slots() + 1, seed);
  std::uint64_t writes90 = 0, inserts90 = 0;
  const auto t0 = std::chrono::steady_clock::now();
  for (const std::uint32_t k : list) {
    std::size_t writes = 0;
    try {
      writes = t.insert(Ipv4Address(k), 1).size();
    } catch (const TableFull&) {
      break;
    }
    if (t.load_factor() <= 0.90) {
      writes90 += writes;
      ++inserts90;
    }
  }
  const std::chrono::duration<double, std::nano> ns = std::chrono::steady_clock::now() - t0;
  TableResult r;
  r.keys = keys;
  r.capacity = g.total_slots();
  r.inserted = t.size();
  r.load_factor = t.load_factor();
  r.writes_per_insert_90 = inserts90 ? static_cast<double>(writes90) / static_cast<double>(inserts90) : 0;
  r.writes_per_insert_all = t.stats().avg_writes();
  r.max_writes = t.stats().max_writes;
  r.register_writes_per_insert_90 = r.writes_per_insert_90 * kRegisterWritesPerSlotWrite;
  r.placement_ns_per_insert = ns.count() / static_cast<double>(std::max<std::uint64_t>(1, t.stats().inserts + t.stats().failures));
  return r;
}

}  // namespace smartnic::bench
