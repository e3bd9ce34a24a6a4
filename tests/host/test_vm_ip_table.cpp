#include <gtest/gtest.h>

#include "smartnic/vm_ip_table.hpp"

namespace smartnic {
namespace {

const Ipv4Address kA = Ipv4Address::parse("192.0.2.10");
const Ipv4Address kB = Ipv4Address::parse("192.0.2.11");

TEST(VmIpTable, InsertFindErase) {
  VmIpTable t(8);
  const auto w = t.insert(kA, 3);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_TRUE(w[0].value.valid);
  EXPECT_EQ(w[0].value.key, kA);
  EXPECT_EQ(w[0].value.vm, 3u);
  EXPECT_EQ(t.slots()[w[0].slot], w[0].value);
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
  VmIpTable t(8);
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
  VmIpTable t(4);
  for (std::uint8_t i = 0; i < 4; ++i) t.insert(Ipv4Address(192, 0, 2, i), 0);
  try {
    t.insert(kA, 0);
    FAIL() << "insert into a full table accepted";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("full"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("4 entries"), std::string::npos) << e.what();
  }
  EXPECT_EQ(t.size(), 4u);
  EXPECT_FALSE(t.find(kA));
}

TEST(VmIpTable, EraseThenReinsertReusesTheSlot) {
  VmIpTable t(2);
  t.insert(kA, 0);
  const auto slot_b = t.insert(kB, 1)[0].slot;
  t.erase(kB);
  const auto again = t.insert(Ipv4Address(10, 0, 0, 1), 2);
  EXPECT_EQ(again[0].slot, slot_b);
  EXPECT_EQ(t.find(Ipv4Address(10, 0, 0, 1)), 2u);
  EXPECT_THROW(t.erase(kB), ConfigError);
}

}  // namespace
}  // namespace smartnic
