#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <vector>

#include "smartnic/vm_ip_table.hpp"

namespace smartnic {
namespace {

const Ipv4Address kA = Ipv4Address::parse("192.0.2.10");
const Ipv4Address kB = Ipv4Address::parse("192.0.2.11");
const CuckooGeometry kSmall{4, 4, 1, 8};  // 24 slots

TEST(VmIpTable, InsertFindErase) {
  VmIpTable t(kSmall);
  const auto w = t.insert(kA, 3);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_TRUE(w[0].value.valid);
  EXPECT_EQ(w[0].value.key, kA);
  EXPECT_EQ(w[0].value.vm, 3u);
  EXPECT_EQ(t.slots()[w[0].slot], w[0].value);
  const auto cand = t.candidates(kA);
  EXPECT_NE(std::find(cand.begin(), cand.end(), w[0].slot), cand.end()) << "not one of the key's hash slots";
  EXPECT_EQ(t.find(kA), 3u);
  EXPECT_FALSE(t.find(kB));
  EXPECT_EQ(t.size(), 1u);

  const auto e = t.erase(kA);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].slot, w[0].slot);
  EXPECT_FALSE(e[0].value.valid);
  EXPECT_FALSE(t.find(kA));
  EXPECT_EQ(t.size(), 0u);
}

TEST(VmIpTable, DuplicateNamesAddressAndOwner) {
  VmIpTable t(kSmall);
  t.insert(kA, 1);
  try {
    t.insert(kA, 2);
    FAIL() << "duplicate accepted";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("192.0.2.10"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("VM 1"), std::string::npos) << e.what();
  }
  EXPECT_EQ(t.find(kA), 1u);
  EXPECT_EQ(t.size(), 1u);
}

TEST(VmIpTable, FullTableIsAClearError) {
  VmIpTable t(CuckooGeometry{1, 2, 1, 2});  // 4 slots: 2 buckets + stash 2
  std::size_t inserted = 0;
  try {
    for (std::uint8_t i = 0; i < 10; ++i, ++inserted) t.insert(Ipv4Address(192, 0, 2, i), 0);
    FAIL() << "insert into a full table accepted";
  } catch (const TableFull& e) {
    EXPECT_NE(std::string(e.what()).find("full"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("of 4 slots"), std::string::npos) << e.what();
    EXPECT_EQ(e.entries(), inserted);
  }
  EXPECT_LE(inserted, 4u);
  EXPECT_EQ(t.size(), inserted);
  EXPECT_THROW(t.insert(Ipv4Address(192, 0, 2, 200), 0), ConfigError) << "TableFull is a ConfigError";
}

TEST(VmIpTable, EraseThenReinsertReusesTheSlot) {
  VmIpTable t(kSmall);
  t.insert(kA, 0);
  const auto slot_b = t.insert(kB, 1)[0].slot;
  t.erase(kB);
  const auto again = t.insert(kB, 2);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].slot, slot_b);
  EXPECT_EQ(t.find(kB), 2u);
  EXPECT_THROW(t.erase(Ipv4Address(10, 0, 0, 1)), ConfigError);
}

// The NIC-sized table from a slot count (what Switch passes today: TABLE_ENTRIES) and the
// geometry register encoding.
TEST(VmIpTable, StandardGeometryFromSlotCount) {
  VmIpTable t(std::size_t{65544});
  EXPECT_EQ(t.capacity(), 65544u);
  EXPECT_EQ(t.geometry(), (CuckooGeometry{4, 16384, 1, 8}));
  EXPECT_EQ(VmIpTable::standard_geometry(24), kSmall);
  EXPECT_THROW(VmIpTable(std::size_t{64}), ConfigError);  // the old CAM's size has no hash geometry
  EXPECT_THROW(VmIpTable::standard_geometry(8), ConfigError);
  EXPECT_EQ(encode_table_geometry(t.geometry()), 0x0801'0E04u);
  EXPECT_EQ(decode_table_geometry(0x0801'0E04u), t.geometry());
  EXPECT_EQ(decode_table_geometry(encode_table_geometry(CuckooGeometry{3, 1024, 2, 4})), (CuckooGeometry{3, 1024, 2, 4}));
}

// A move is returned back to front: the key's new slot is written before its old slot is reused.
TEST(VmIpTable, MovesAreReturnedBackToFront) {
  VmIpTable t(CuckooGeometry{2, 8, 1, 4});
  std::vector<VmIpSlot> nic(t.capacity());
  std::size_t multi = 0;
  for (std::uint32_t k = 0; k < 14; ++k) {
    std::vector<VmIpSlotWrite> ws;
    try {
      ws = t.insert(Ipv4Address(0xC0000200u + k), k % 8);
    } catch (const TableFull&) {
      break;
    }
    if (ws.size() > 1) ++multi;
    // Apply one write at a time: every key present before stays findable after every write.
    for (const auto& w : ws) {
      nic[w.slot] = w.value;
      for (std::uint32_t j = 0; j < k; ++j) {
        const Ipv4Address key(0xC0000200u + j);
        if (!t.find(key)) continue;
        EXPECT_TRUE(std::any_of(nic.begin(), nic.end(), [&](const VmIpSlot& s) { return s.valid && s.key == key; }))
            << "key " << key.to_string() << " missing during insert " << k;
      }
    }
  }
  EXPECT_EQ(nic, t.slots());
  EXPECT_GT(multi, 0u) << "no insert needed a move: the test checks nothing";
}

// The NIC's lookup, as rtl/vm_ip_hash_table.sv does it: the key's bucket in every way and every
// stash slot, candidates ORed (two copies of a key, during a move, carry the same VM).
std::optional<VmId> nic_lookup(const VmIpTable& t, const std::vector<VmIpSlot>& nic, Ipv4Address key) {
  std::vector<std::size_t> where = t.candidates(key);
  for (std::size_t s = t.geometry().main_slots(); s < t.capacity(); ++s) where.push_back(s);
  std::optional<VmId> hit;
  for (const std::size_t s : where) {
    if (!nic[s].valid || nic[s].key != key) continue;
    EXPECT_TRUE(!hit || *hit == nic[s].vm) << key.to_string() << " held twice with different VMs";
    hit = nic[s].vm;
  }
  return hit;
}

std::size_t stash_in(const VmIpTable& t, const std::vector<VmIpSlot>& nic) {
  return std::size_t(std::count_if(nic.begin() + std::ptrdiff_t(t.geometry().main_slots()), nic.end(),
                                   [](const VmIpSlot& s) { return s.valid; }));
}

// Deletion alone does not compact a cuckoo table: keys that had to go to the stash stay there
// unless they are moved back. VmIpTable::erase does that (rehome_stash after the clear), and the
// writes go to the NIC one at a time like any other: after every single write every key still in
// the table is found by the NIC's own lookup rule with its VM, and the erased key is gone from the
// list's first write on. The stash empties as erases free main slots.
TEST(VmIpTable, EraseRehomesStashEntriesWithoutLosingLookups) {
  VmIpTable t(CuckooGeometry{4, 16, 1, 8});  // 64 main slots + stash 8: fills the stash quickly
  std::vector<VmIpSlot> nic(t.capacity());
  std::map<std::uint32_t, VmId> ref;  // what the NIC must answer
  std::mt19937 rng(5);
  const auto check_all = [&](std::optional<Ipv4Address> gone) {
    for (const auto& [k, vm] : ref) {
      const auto got = nic_lookup(t, nic, Ipv4Address(k));
      ASSERT_TRUE(got) << Ipv4Address(k).to_string() << " missing for a lookup between two writes";
      ASSERT_EQ(*got, vm) << Ipv4Address(k).to_string();
    }
    if (gone) {
      ASSERT_FALSE(nic_lookup(t, nic, *gone)) << gone->to_string() << " still found after its erase";
    }
  };

  // Fill until the stash is full (the first TableFull), applying every insert write by write.
  for (;;) {
    const std::uint32_t k = 0xC0000000u | (rng() & 0xFFFFFFu);
    if (ref.count(k)) continue;
    std::vector<VmIpSlotWrite> ws;
    try {
      ws = t.insert(Ipv4Address(k), k % 8);
    } catch (const TableFull&) {
      break;
    }
    for (const auto& w : ws) {
      nic[w.slot] = w.value;
      check_all(std::nullopt);
      if (HasFatalFailure()) return;
    }
    ref[k] = k % 8;
  }
  const std::size_t stash_full = t.stash_used();
  ASSERT_EQ(stash_full, t.geometry().stash) << "the fill should end on a full stash";
  ASSERT_EQ(stash_in(t, nic), stash_full);

  // Erase main-table keys, lowest address first, until the stash is empty (or the table is).
  std::size_t erases = 0, rehomed_in = 0;
  std::vector<std::size_t> occupancy{t.stash_used()};
  while (t.stash_used() > 0 && erases < 40) {
    const auto victim = std::find_if(ref.begin(), ref.end(), [&](const auto& e) {
      return *t.slot_of(Ipv4Address(e.first)) < t.geometry().main_slots();
    });
    ASSERT_NE(victim, ref.end());
    const Ipv4Address key(victim->first);
    const std::size_t slot = *t.slot_of(key);
    ref.erase(victim);
    const auto ws = t.erase(key);
    ASSERT_FALSE(ws.empty());
    EXPECT_EQ(ws[0].slot, slot) << "the erase's own clear comes first";
    EXPECT_FALSE(ws[0].value.valid);
    for (const auto& w : ws) {
      nic[w.slot] = w.value;
      check_all(key);
      if (HasFatalFailure()) return;
    }
    if (ws.size() > 1) ++rehomed_in;
    ++erases;
    EXPECT_EQ(stash_in(t, nic), t.stash_used());
    EXPECT_LE(t.stash_used(), occupancy.back()) << "an erase never adds to the stash";
    occupancy.push_back(t.stash_used());
  }
  EXPECT_EQ(t.stash_used(), 0u) << "stash still holds " << t.stash_used() << " after " << erases << " erases";
  EXPECT_GT(rehomed_in, 0u);
  EXPECT_LE(rehomed_in, erases);
  EXPECT_EQ(nic, t.slots()) << "the NIC holds exactly the shadow";
  for (const auto& [k, vm] : ref) EXPECT_EQ(t.find(Ipv4Address(k)), vm);

  // With the stash free again, an insert that finds no chain has the stash to fall back on.
  const std::size_t before = t.size();
  std::size_t added = 0;
  for (std::uint32_t k = 0xCB007100u; added < stash_full && k < 0xCB007200u; ++k) {
    if (ref.count(k)) continue;
    for (const auto& w : t.insert(Ipv4Address(k), 1)) nic[w.slot] = w.value;
    ++added;
  }
  EXPECT_EQ(t.size(), before + stash_full);
}

}  // namespace
}  // namespace smartnic
