// SimDevice on the real Verilated smartnic_top: only behaviour the register map promises
// (ID, VERSION, SCRATCH), DMA memory, time keeping, and a clean bus while idle.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <unistd.h>

#include "smartnic/regs.hpp"
#include "smartnic/sim/host_memory.hpp"
#include "smartnic/sim_device.hpp"

namespace smartnic {
namespace {

using namespace std::chrono_literals;

TEST(SimDevice, IdentifiesAsSmartnic) {
  SimDevice dev;
  EXPECT_EQ(dev.read32(regs::reg::ID), regs::kId);
  EXPECT_EQ(dev.read32(regs::reg::VERSION), regs::kVersion);
  dev.write32(regs::reg::SCRATCH, 0x5A5AA5A5);
  EXPECT_EQ(dev.read32(regs::reg::SCRATCH), 0x5A5AA5A5U);
  EXPECT_THROW(dev.read32(0x3), DeviceError);
}

TEST(SimDevice, WaitRunsTheClock) {
  SimDevice dev;
  const auto c0 = dev.cycles();
  dev.wait(1us);
  EXPECT_EQ(dev.cycles() - c0, 250U);
  dev.wait(0ns);
  EXPECT_EQ(dev.cycles() - c0, 251U);  // at least one cycle, so a wait loop always progresses
  EXPECT_NE(dev.describe().find("250 MHz"), std::string::npos) << dev.describe();
}

TEST(SimDevice, DmaBuffersAreZeroedAlignedAndOutliveTheDevice) {
  auto dev = std::make_unique<SimDevice>();
  auto a = dev->alloc_dma(1000);
  auto b = dev->alloc_dma(64, 1 << 16);
  EXPECT_EQ(a->size(), 1000U);
  EXPECT_GE(a->device_address(), sim::HostMemory::kBase);
  EXPECT_EQ(a->device_address() % 4096, 0U);
  EXPECT_EQ(b->device_address() % (1 << 16), 0U);
  for (std::byte x : a->host()) EXPECT_EQ(x, std::byte{0});
  EXPECT_EQ(dev->memory().stats().allocations, 2U);
  b.reset();
  EXPECT_EQ(dev->memory().stats().allocations, 1U);
  dev.reset();
  a->host()[999] = std::byte{1};  // storage is still alive
  EXPECT_THROW(SimDevice().alloc_dma(0), DeviceError);
}

TEST(SimDevice, IdleNicKeepsTheBusesQuiet) {
  SimDevice dev;
  dev.run_cycles(2000);
  EXPECT_EQ(dev.protocol_violation_count(), 0U) << dev.protocol_violation_report();
  EXPECT_TRUE(dev.take_tx_frames().empty());
  EXPECT_EQ(dev.memory_stats().ar_count, 0U);
  EXPECT_EQ(dev.memory_stats().aw_count, 0U);
}

TEST(SimDevice, WritesWaveformOnRequest) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("smartnic_sim_device_" + std::to_string(::getpid()) + ".fst");
  {
    SimConfig c;
    c.fst_path = path.string();
    SimDevice dev(c);
    dev.read32(regs::reg::ID);
    dev.run_cycles(100);
  }
  EXPECT_GT(std::filesystem::file_size(path), 100U);
  std::filesystem::remove(path);
}

// Not a check: prints the idle model speed so that regressions are visible in the test log.
TEST(SimDevice, ReportsModelSpeed) {
  SimDevice dev;
  constexpr std::uint64_t kCycles = 200'000;
  const auto t0 = std::chrono::steady_clock::now();
  dev.run_cycles(kCycles);
  const std::chrono::duration<double> s = std::chrono::steady_clock::now() - t0;
  const double rate = double(kCycles) / s.count();
  std::printf("idle smartnic_top: %.2f M cycles/s (%.1f us of device time per s)\n", rate / 1e6,
              rate / 250.0);
  RecordProperty("idle_cycles_per_second", std::to_string(static_cast<long long>(rate)));
}

}  // namespace
}  // namespace smartnic
