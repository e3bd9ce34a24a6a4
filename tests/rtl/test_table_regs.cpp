// The VM-IP table's registers on the whole Verilated NIC (SimDevice): TABLE_GEOMETRY and
// TABLE_HASH_SEED as the runtime checks them, STATUS.TABLE_INIT after reset and after TBL_CMD=3,
// TBL_CMD refused with SLVERR (not stalled) while the table clears, the 17-bit TBL_SLOT, and
// TBL_CMD=2 read-back through the table's rd_req/rd_valid handshake, read with the very next
// register reads. Lookups through the datapath are covered by the system tests.
#include <gtest/gtest.h>

#include <cstdint>

#include "smartnic/device.hpp"
#include "smartnic/regs.hpp"
#include "smartnic/sim_device.hpp"
#include "smartnic/vm_ip_table.hpp"

namespace smartnic {
namespace {

namespace reg = regs::reg;
constexpr std::uint32_t kTableInit = 1u << 1;

VmIpSlot read_slot(Device& d, std::size_t slot) {
  d.write32(reg::TBL_SLOT, std::uint32_t(slot));
  d.write32(reg::TBL_CMD, 2);
  const std::uint32_t key = d.read32(reg::TBL_KEY);  // the next accesses: no wait in between
  const std::uint32_t value = d.read32(reg::TBL_VALUE);
  return {Ipv4Address(key), value & 0xFF, (value >> 31) != 0};
}

void write_slot(Device& d, const VmIpSlotWrite& w) {
  d.write32(reg::TBL_SLOT, std::uint32_t(w.slot));
  d.write32(reg::TBL_KEY, w.value.key.value());
  d.write32(reg::TBL_VALUE, (w.value.valid ? 0x8000'0000u : 0u) | w.value.vm);
  d.write32(reg::TBL_CMD, 1);
}

TEST(TableRegs, GeometryMatchesTheRuntime) {
  SimDevice dev;
  EXPECT_EQ(dev.read32(reg::TABLE_ENTRIES), 65544u);
  EXPECT_EQ(dev.read32(reg::TABLE_GEOMETRY), 0x0801'0E04u);
  EXPECT_EQ(dev.read32(reg::TABLE_HASH_SEED), 0xF00D'0001u);
  const CuckooGeometry g = check_table_geometry(dev);
  EXPECT_EQ(g, (CuckooGeometry{4, 16384, 1, 8}));
  EXPECT_EQ(g, VmIpTable::standard_geometry(regs::TABLE_ENTRIES));
  EXPECT_EQ(encode_table_geometry(g), 0x0801'0E04u);
  EXPECT_NO_THROW(check_table_geometry(dev, g));
  EXPECT_THROW(check_table_geometry(dev, CuckooGeometry{2, 32768, 1, 8}), IncompatibleDevice);
  EXPECT_THROW(dev.write32(reg::TABLE_GEOMETRY, 0), DeviceError);  // read-only
}

TEST(TableRegs, InitAfterResetRefusesCommandsWithoutStalling) {
  SimDevice dev;
  const std::uint64_t start = dev.cycles();
  ASSERT_TRUE(dev.read32(reg::STATUS) & kTableInit) << "table not clearing after reset";
  dev.write32(reg::TBL_SLOT, 3);  // plain registers are accepted
  for (std::uint32_t cmd : {1u, 2u, 3u}) {
    EXPECT_THROW(dev.write32(reg::TBL_CMD, cmd), DeviceError) << "TBL_CMD=" << cmd << " during TABLE_INIT";
  }
  EXPECT_LT(dev.cycles() - start, 1000u) << "refused writes must answer at once";
  wait_table_ready(dev);
  EXPECT_FALSE(dev.read32(reg::STATUS) & kTableInit);
  EXPECT_GE(dev.cycles(), 16384u);
  EXPECT_LT(dev.cycles(), 16384u + 4000u);  // the wait polls every 10 us (2500 cycles)
  EXPECT_THROW(dev.write32(reg::TBL_CMD, 4), DeviceError);  // no such command
  EXPECT_EQ(dev.protocol_violation_count(), 0u) << dev.protocol_violation_report();
}

TEST(TableRegs, SlotRegisterHas17Bits) {
  SimDevice dev;
  dev.write32(reg::TBL_SLOT, 65543);
  EXPECT_EQ(dev.read32(reg::TBL_SLOT), 65543u);
  EXPECT_THROW(dev.write32(reg::TBL_SLOT, 65544), DeviceError);
  EXPECT_THROW(dev.write32(reg::TBL_SLOT, 1u << 17), DeviceError);
  EXPECT_EQ(dev.read32(reg::TBL_SLOT), 65543u);
}

TEST(TableRegs, PlacedWritesReadBackAndClear) {
  SimDevice dev;
  VmIpTable t(check_table_geometry(dev));
  wait_table_ready(dev);
  std::vector<std::size_t> written;
  for (std::uint32_t i = 0; i < 40; i++) {
    for (const auto& w : t.insert(Ipv4Address(0xC0000200u + i * 7919u), i % 8)) {
      write_slot(dev, w);
      written.push_back(w.slot);
    }
  }
  // Stash and the last slots, by hand (raw slot writes; the shadow does not know them).
  const std::size_t stash0 = t.geometry().main_slots();
  write_slot(dev, {stash0, {Ipv4Address(10, 0, 0, 1), 5, true}});
  write_slot(dev, {65543, {Ipv4Address(10, 0, 0, 2), 6, true}});
  write_slot(dev, {65535, {Ipv4Address(10, 0, 0, 3), 7, true}});  // last slot of way 3
  for (std::size_t s : written) EXPECT_EQ(read_slot(dev, s), t.slots()[s]) << "slot " << s;
  EXPECT_EQ(read_slot(dev, stash0), (VmIpSlot{Ipv4Address(10, 0, 0, 1), 5, true}));
  EXPECT_EQ(read_slot(dev, 65543), (VmIpSlot{Ipv4Address(10, 0, 0, 2), 6, true}));
  EXPECT_EQ(read_slot(dev, 65535), (VmIpSlot{Ipv4Address(10, 0, 0, 3), 7, true}));
  EXPECT_EQ(read_slot(dev, 1), VmIpSlot{}) << "an empty slot reads back invalid";
  // Alternating slots: every read returns its own slot, never the previous one.
  for (int i = 0; i < 4; i++) {
    EXPECT_EQ(read_slot(dev, 65543).key, Ipv4Address(10, 0, 0, 2));
    EXPECT_EQ(read_slot(dev, 65535).key, Ipv4Address(10, 0, 0, 3));
  }

  // TBL_CMD=3: TABLE_INIT at once, commands refused, then every slot empty.
  dev.write32(reg::TBL_CMD, 3);
  EXPECT_TRUE(dev.read32(reg::STATUS) & kTableInit);
  EXPECT_THROW(dev.write32(reg::TBL_CMD, 2), DeviceError);
  wait_table_ready(dev);
  for (std::size_t s : written) EXPECT_FALSE(read_slot(dev, s).valid) << "slot " << s;
  EXPECT_FALSE(read_slot(dev, stash0).valid);
  EXPECT_FALSE(read_slot(dev, 65543).valid);
  EXPECT_FALSE(read_slot(dev, 65535).valid);

  // clear_device_table does the same, bounded.
  write_slot(dev, {stash0, {Ipv4Address(10, 0, 0, 1), 5, true}});
  const std::uint64_t before = dev.cycles();
  clear_device_table(dev);
  EXPECT_LT(dev.cycles() - before, 16384u + 4000u);
  EXPECT_FALSE(read_slot(dev, stash0).valid);
  EXPECT_EQ(dev.protocol_violation_count(), 0u) << dev.protocol_violation_report();
}

}  // namespace
}  // namespace smartnic
