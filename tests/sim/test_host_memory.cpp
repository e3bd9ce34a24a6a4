// HostMemory: allocation layout, bus lookups, DECERR outside allocations, SLVERR injection.
#include <gtest/gtest.h>

#include <array>
#include <cstddef>
#include <stdexcept>

#include "smartnic/sim/host_memory.hpp"

namespace smartnic::sim {
namespace {

TEST(HostMemory, AllocationsAreZeroedAlignedAndNeverAtLowAddresses) {
  HostMemory m;
  const auto a = m.allocate(100, 4096);
  const auto b = m.allocate(64, 1 << 16);
  EXPECT_GE(a, HostMemory::kBase);
  EXPECT_EQ(a % 4096, 0U);
  EXPECT_EQ(b % (1 << 16), 0U);
  EXPECT_GE(b, a + 128 + HostMemory::kGuard);  // rounded up to a beat, then a guard gap
  for (std::byte x : m.span(a, 100)) EXPECT_EQ(x, std::byte{0});
  EXPECT_EQ(m.stats().allocations, 2U);
  EXPECT_THROW(m.allocate(0), std::invalid_argument);
  EXPECT_THROW(m.allocate(64, 96), std::invalid_argument);
}

TEST(HostMemory, BusAccessOutsideAllocationsIsDecerrAndCounted) {
  HostMemory m;
  const auto a = m.allocate(128);
  std::array<std::byte, 64> buf{};
  EXPECT_EQ(m.bus_read(a, buf), AxiResp::OKAY);
  EXPECT_EQ(m.bus_read(a + 64, buf), AxiResp::OKAY);
  EXPECT_EQ(m.bus_read(a + 128, buf), AxiResp::DECERR);  // just past the end
  EXPECT_EQ(m.bus_read(a + 96, buf), AxiResp::DECERR);   // straddles the end
  EXPECT_EQ(m.bus_read(0, buf), AxiResp::DECERR);
  EXPECT_EQ(m.bus_write(a - 64, buf, ~0ULL), AxiResp::DECERR);
  EXPECT_EQ(m.stats().out_of_range_reads, 3U);
  EXPECT_EQ(m.stats().out_of_range_writes, 1U);
  EXPECT_THROW(m.span(a + 100, 64), std::out_of_range);
}

TEST(HostMemory, FreedAddressesAreNotReused) {
  HostMemory m;
  const auto a = m.allocate(64);
  m.free(a);
  const auto b = m.allocate(64);
  EXPECT_NE(a, b);
  EXPECT_EQ(m.classify(a, 64), AxiResp::DECERR);
  EXPECT_THROW(m.free(a), std::out_of_range);
}

TEST(HostMemory, WriteHonoursStrobe) {
  HostMemory m;
  const auto a = m.allocate(64);
  std::array<std::byte, 64> d;
  d.fill(std::byte{0xAB});
  EXPECT_EQ(m.bus_write(a, d, 0x8000'0000'0000'0005ULL), AxiResp::OKAY);
  auto s = m.span(a, 64);
  for (std::size_t i = 0; i < 64; ++i)
    EXPECT_EQ(s[i], (i == 0 || i == 2 || i == 63) ? std::byte{0xAB} : std::byte{0}) << i;
}

TEST(HostMemory, InjectedFaultAnswersSlverr) {
  HostMemory m;
  const auto a = m.allocate(4096);
  m.inject_slverr(a + 1000, 8);
  std::array<std::byte, 64> buf{};
  EXPECT_EQ(m.bus_read(a + 960, buf), AxiResp::SLVERR);  // beat overlaps the fault
  EXPECT_EQ(m.bus_read(a + 1024, buf), AxiResp::OKAY);
  EXPECT_EQ(m.stats().slverr_reads, 1U);
  m.clear_faults();
  EXPECT_EQ(m.bus_read(a + 960, buf), AxiResp::OKAY);
}

}  // namespace
}  // namespace smartnic::sim
