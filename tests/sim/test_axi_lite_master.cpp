// AxiLiteMaster against a small Verilated AXI4-Lite slave (axil_slave_fixture).
#include <gtest/gtest.h>

#include <string>

#include "Vaxil_slave_fixture.h"
#include "smartnic/device.hpp"
#include "smartnic/sim/axi_lite_master.hpp"
#include "smartnic/sim/model_harness.hpp"

namespace smartnic::sim {
namespace {

struct Bench {
  ModelHarness<Vaxil_slave_fixture> h;
  AxiLiteMaster m;
  Bench() : m(bind_axi_lite(h.top()), [this] { h.tick(); }, 1000) {
    h.add(m);
    h.reset();
  }
};

TEST(AxiLiteMaster, WritesAndReadsBackRegisters) {
  Bench t;
  t.m.write32(0x0, 0x11223344);
  t.m.write32(0xC, 0xDEADBEEF);
  EXPECT_EQ(t.m.read32(0x0), 0x11223344U);
  EXPECT_EQ(t.m.read32(0xC), 0xDEADBEEFU);
  EXPECT_EQ(t.m.read32(0x4), 0U);
  EXPECT_EQ(t.m.read32(0x10), 0xC0FFEE00U);
  EXPECT_EQ(t.m.reads(), 4U);
  EXPECT_EQ(t.m.writes(), 2U);
}

TEST(AxiLiteMaster, AccessTakesAFewCycles) {
  Bench t;
  const auto c0 = t.h.cycle();
  t.m.read32(0x0);
  EXPECT_LE(t.h.cycle() - c0, 4U);
}

TEST(AxiLiteMaster, SlverrThrowsNamingOffset) {
  Bench t;
  try {
    t.m.read32(0x104);
    FAIL() << "no exception";
  } catch (const DeviceError& e) {
    EXPECT_NE(std::string(e.what()).find("0x0104"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("SLVERR"), std::string::npos) << e.what();
  }
  EXPECT_THROW(t.m.write32(0x100, 1), DeviceError);
  EXPECT_EQ(t.m.read32(0x10), 0xC0FFEE00U);  // bus still usable
}

TEST(AxiLiteMaster, TimeoutThrowsNamingOffsetAndRecovers) {
  Bench t;
  const auto c0 = t.h.cycle();
  try {
    t.m.read32(0x8000);
    FAIL() << "no exception";
  } catch (const DeviceError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("0x8000"), std::string::npos) << msg;
    EXPECT_NE(msg.find("timed out"), std::string::npos) << msg;
    EXPECT_NE(msg.find("ARREADY"), std::string::npos) << msg;
  }
  EXPECT_GE(t.h.cycle() - c0, 1000U);
  EXPECT_LE(t.h.cycle() - c0, 1010U);
  EXPECT_THROW(t.m.write32(0x8004, 1), DeviceError);
  t.m.write32(0x4, 7);
  EXPECT_EQ(t.m.read32(0x4), 7U);
}

TEST(AxiLiteMaster, UnalignedOffsetThrowsWithoutBusAccess) {
  Bench t;
  const auto c0 = t.h.cycle();
  EXPECT_THROW(t.m.read32(0x2), DeviceError);
  EXPECT_THROW(t.m.write32(0x10000, 0), DeviceError);
  EXPECT_EQ(t.h.cycle(), c0);
}

}  // namespace
}  // namespace smartnic::sim
