// Host-computed placement for the block-RAM VM-IP hash table (rtl/vm_ip_hash_table.sv).
//
// The NIC's table has WAYS ways of BUCKETS buckets of SLOTS slots each, plus STASH slots
// compared in parallel. A key may live in bucket h_w(key) of any way w (tabulation hashing
// with the generated constants of vm_ip_hash_tables.hpp, identical to the RTL) or in any stash
// slot. This class keeps the shadow copy, chooses where every key goes and returns the
// single-slot writes that realise each change, in the order they must be applied:
//
//   * insert: a free candidate slot is one write; otherwise a breadth-first search finds the
//     shortest chain of moves (at most max_moves) ending in a free slot, and the chain is
//     returned back to front (each displaced key is written to its new slot before its old slot
//     is overwritten), so a key is briefly present twice but never missing for lookups in flight;
//     if no chain exists, the key goes to a free stash slot; otherwise TableFull is thrown.
//   * erase: one write (clear the slot).
//   * set_vm: one write (same slot, new VM).
//
// Slot numbering (what the NIC's wr_slot/TBL_SLOT means), way-major then bucket then slot,
// stash last:   slot = (way * BUCKETS + bucket) * SLOTS + s,   stash i = WAYS*BUCKETS*SLOTS + i.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "smartnic/errors.hpp"
#include "smartnic/ipv4.hpp"

namespace smartnic {

using VmId = unsigned;

// One slot of the NIC's VM-IP table as the host writes it (TBL_KEY / TBL_VALUE), and one
// single-slot write (TBL_SLOT + TBL_CMD=1). VmIpTable::Slot / VmIpTable::SlotWrite name them too.
struct VmIpSlot {
  Ipv4Address key;
  VmId vm = 0;
  bool valid = false;
  bool operator==(const VmIpSlot&) const = default;
};
struct VmIpSlotWrite {
  std::size_t slot;
  VmIpSlot value;
};

struct CuckooGeometry {
  unsigned ways = 4;            // 1..kVmIpHashMaxWays
  std::size_t buckets = 16384;  // per way, a power of two, <= 65536
  unsigned slots = 1;           // per bucket
  unsigned stash = 8;
  std::size_t main_slots() const { return std::size_t{ways} * buckets * slots; }
  std::size_t total_slots() const { return main_slots() + stash; }
  unsigned index_bits() const;  // log2(buckets)
  bool operator==(const CuckooGeometry&) const = default;
};

// Thrown by insert when neither a chain of moves nor a stash slot is available. The shadow is
// unchanged. Carries the key and the load at the moment of the failure.
class TableFull : public ConfigError {
 public:
  TableFull(Ipv4Address key, std::size_t entries, std::size_t capacity);
  Ipv4Address key() const { return key_; }
  std::size_t entries() const { return entries_; }
  double load_factor() const;

 private:
  Ipv4Address key_;
  std::size_t entries_, capacity_;
};

class CuckooPlacement {
 public:
  using Slot = VmIpSlot;
  using SlotWrite = VmIpSlotWrite;

  struct Stats {
    std::uint64_t inserts = 0;        // successful inserts
    std::uint64_t insert_writes = 0;  // single-slot writes returned by those inserts
    std::uint64_t max_writes = 0;     // largest write list of one insert
    std::uint64_t stash_inserts = 0;  // inserts that went to the stash
    std::uint64_t failures = 0;       // TableFull thrown
    double avg_writes() const { return inserts ? double(insert_writes) / double(inserts) : 0.0; }
  };

  // max_moves bounds the chain of displaced keys: an insert returns at most max_moves + 1 writes.
  explicit CuckooPlacement(CuckooGeometry g, unsigned max_moves = 5);

  // Throws ConfigError when the address is already present (naming the owner), TableFull when
  // there is no room. The shadow is unchanged on error.
  std::vector<SlotWrite> insert(Ipv4Address key, VmId vm);
  // Throws ConfigError when the address is not present.
  std::vector<SlotWrite> erase(Ipv4Address key);
  // Changes the VM of a present key in place (one write). Throws ConfigError when absent.
  std::vector<SlotWrite> set_vm(Ipv4Address key, VmId vm);
  // Moves stash entries back into the main table where a chain of moves exists (call after
  // erases to keep the stash free). Each entry: its chain back to front, then the stash slot
  // is cleared, so it is never missing.
  std::vector<SlotWrite> rehome_stash();

  std::optional<VmId> find(Ipv4Address key) const;
  std::optional<std::size_t> slot_of(Ipv4Address key) const;
  // Candidate main-table slots of a key (one bucket per way, every slot of it).
  std::vector<std::size_t> candidates(Ipv4Address key) const;
  std::uint32_t bucket(unsigned way, Ipv4Address key) const;

  const std::vector<Slot>& slots() const { return slots_; }
  std::size_t size() const { return index_.size(); }
  std::size_t capacity() const { return slots_.size(); }  // main slots + stash
  std::size_t stash_used() const;
  double load_factor() const { return double(size()) / double(capacity()); }
  const CuckooGeometry& geometry() const { return g_; }
  const Stats& stats() const { return stats_; }
  void reset_stats() { stats_ = {}; }

 private:
  // Shortest chain from one of `key`'s candidates to a free main slot; empty if none within
  // max_moves. Element 0 is the candidate of `key`, the last one the free slot.
  std::vector<std::size_t> find_path(std::uint32_t key);
  std::vector<SlotWrite> apply_path(const std::vector<std::size_t>& path, const Slot& value);
  unsigned way_of(std::size_t slot) const { return unsigned(slot / (g_.buckets * g_.slots)); }

  CuckooGeometry g_;
  unsigned max_moves_;
  unsigned index_bits_;
  std::vector<Slot> slots_;
  std::unordered_map<std::uint32_t, std::size_t> index_;  // key -> slot
  Stats stats_;
  // BFS scratch: visit stamps per main slot, and the node array.
  std::vector<std::uint32_t> seen_;
  std::uint32_t stamp_ = 0;
  struct Node {
    std::size_t slot;
    std::int32_t parent;
    unsigned depth;
  };
  std::vector<Node> nodes_;
};

}  // namespace smartnic
