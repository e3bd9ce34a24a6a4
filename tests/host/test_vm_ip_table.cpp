#include <gtest/gtest.h>

#include <algorithm>

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

}  // namespace
}  // namespace smartnic
