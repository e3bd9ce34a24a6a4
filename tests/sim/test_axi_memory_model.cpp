// AxiMemoryModel against a real Verilated AXI4 port (axi_mem_fixture) with a C++ master:
// latency, bandwidth (whole and fractional), outstanding limit, WSTRB, error responses and
// protocol checks.
#include <gtest/gtest.h>

#include <cstring>
#include <memory>

#include "Vaxi_mem_fixture.h"
#include "axi_master_bfm.hpp"
#include "smartnic/sim/axi_memory_model.hpp"
#include "smartnic/sim/model_harness.hpp"

namespace smartnic::sim {
namespace {

using test::AxiMasterBfm;
using test::ReadReq;
using test::WBeat;

struct Bench {
  ModelHarness<Vaxi_mem_fixture> h;
  HostMemory mem;
  AxiMemoryModel model;
  AxiMasterBfm<Vaxi_mem_fixture> bfm;

  explicit Bench(const AxiMemoryConfig& cfg) : model(bind_axi_master(h.top()), mem, cfg), bfm(h.top()) {
    h.add(model);
    h.add(bfm);
    h.reset();
  }
  // Clock until `beats` R beats and `bs` B responses have arrived.
  void run_until(std::size_t beats, std::size_t bs = 0, std::uint64_t max = 100000) {
    ASSERT_TRUE(h.run_until([&] { return bfm.r.size() >= beats && bfm.b.size() >= bs; }, max));
    h.run(4);
  }
  // Fill an allocation with a byte pattern derived from the address.
  std::uint64_t patterned(std::size_t bytes) {
    const auto a = mem.allocate(bytes);
    auto s = mem.span(a, bytes);
    for (std::size_t i = 0; i < bytes; ++i) s[i] = std::byte(static_cast<std::uint8_t>(i * 7 + (i >> 8)));
    return a;
  }
};

AxiMemoryConfig cfg_with(std::uint32_t latency, double rate = 64.0) {
  AxiMemoryConfig c;
  c.read_latency_cycles = latency;
  c.read_bytes_per_cycle = rate;
  c.write_bytes_per_cycle = rate;
  return c;
}

TEST(AxiMemoryModel, FirstBeatArrivesAfterConfiguredLatencyWithCorrectData) {
  Bench t(AxiMemoryConfig{});  // defaults: 250 cycles = 1000 ns at 250 MHz
  const auto a = t.patterned(4096);
  t.bfm.read(ReadReq{5, a + 128, 3});
  t.run_until(4);
  ASSERT_EQ(t.bfm.ar_cycles.size(), 1U);
  EXPECT_EQ(t.bfm.r[0].cycle - t.bfm.ar_cycles[0], 250U);
  const auto src = t.mem.span(a + 128, 256);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(t.bfm.r[i].id, 5);
    EXPECT_EQ(t.bfm.r[i].resp, 0);
    EXPECT_EQ(t.bfm.r[i].last, i == 3);
    EXPECT_EQ(std::memcmp(t.bfm.r[i].data.data(), src.data() + 64 * i, 64), 0) << "beat " << i;
    if (i > 0) {
      EXPECT_EQ(t.bfm.r[i].cycle, t.bfm.r[i - 1].cycle + 1);
    }
  }
  EXPECT_EQ(t.model.stats().read_latency_min, 250U);
  EXPECT_EQ(t.model.stats().read_latency_max, 250U);
  EXPECT_EQ(t.model.stats().bytes_read, 256U);
  EXPECT_EQ(t.model.violations().count, 0U) << t.model.violations().first;
}

TEST(AxiMemoryModel, PipelinedReadsCoverLatencyAtFullBandwidth) {
  Bench t(cfg_with(100));
  const auto a = t.patterned(64 * 1024);
  for (int i = 0; i < 16; ++i) t.bfm.read(ReadReq{static_cast<std::uint8_t>(i % 4), a + 4096U * i, 15});
  t.run_until(256);
  // Once the first beat arrives, one beat per cycle with no bubble between bursts.
  EXPECT_EQ(t.bfm.r.back().cycle - t.bfm.r.front().cycle, 255U);
  EXPECT_GE(t.model.stats().max_reads_outstanding, 16U);
  // Returned in request order (legal for any mix of IDs).
  for (int i = 0; i < 16; ++i) EXPECT_EQ(t.bfm.r[16 * i].id, i % 4);
  EXPECT_EQ(t.model.violations().count, 0U) << t.model.violations().first;
}

class FractionalBandwidth : public ::testing::TestWithParam<double> {};

TEST_P(FractionalBandwidth, BeatsArriveAtConfiguredRate) {
  const double rate = GetParam();
  Bench t(cfg_with(20, rate));
  const auto a = t.patterned(64 * 1024);
  for (int i = 0; i < 8; ++i) t.bfm.read(ReadReq{0, a + 4096U * i, 31});
  t.run_until(256);
  const double cycles = double(t.bfm.r.back().cycle - t.bfm.r.front().cycle);
  const double expected = 255.0 * 64.0 / std::min(rate, 64.0);
  EXPECT_NEAR(cycles, expected, 2.0) << "rate " << rate;
}

INSTANTIATE_TEST_SUITE_P(Rates, FractionalBandwidth, ::testing::Values(64.0, 48.0, 32.0, 21.3, 8.0, 100.0));

TEST(AxiMemoryModel, OutstandingReadLimitHoldsBackAr) {
  AxiMemoryConfig c = cfg_with(50);
  c.max_outstanding_reads = 2;
  Bench t(c);
  const auto a = t.patterned(4096);
  for (int i = 0; i < 4; ++i) t.bfm.read(ReadReq{0, a + 256U * i, 1});
  t.run_until(8);
  EXPECT_EQ(t.model.stats().max_reads_outstanding, 2U);
  // The third AR is accepted only after the first burst's last beat.
  EXPECT_GT(t.bfm.ar_cycles[2], t.bfm.r[1].cycle);
}

TEST(AxiMemoryModel, WritesHonourStrobeAndAnswerAfterWriteLatency) {
  AxiMemoryConfig c;
  c.write_latency_cycles = 40;
  Bench t(c);
  const auto a = t.mem.allocate(4096);
  std::vector<WBeat> beats(2);
  for (int i = 0; i < 64; ++i) {
    beats[0].data[i] = static_cast<std::uint8_t>(0x10 + i);
    beats[1].data[i] = static_cast<std::uint8_t>(0x80 + i);
  }
  beats[0].strb = 0x0000'0000'0000'00F0ULL;  // bytes 4..7
  beats[1].strb = 0x8000'0000'0000'0001ULL;  // bytes 0 and 63
  beats[1].last = true;
  t.bfm.write(3, a + 64, beats);
  t.run_until(0, 1);
  const auto s = t.mem.span(a, 192);
  for (int i = 0; i < 192; ++i) {
    std::uint8_t want = 0;
    if (i >= 68 && i < 72) want = static_cast<std::uint8_t>(0x10 + i - 64);
    if (i == 128) want = 0x80;
    if (i == 191) want = 0x80 + 63;
    EXPECT_EQ(static_cast<std::uint8_t>(s[i]), want) << "byte " << i;
  }
  ASSERT_EQ(t.bfm.b.size(), 1U);
  EXPECT_EQ(t.bfm.b[0].id, 3);
  EXPECT_EQ(t.bfm.b[0].resp, 0);
  EXPECT_EQ(t.bfm.b[0].cycle - t.bfm.w_cycles.back(), 40U);
  EXPECT_EQ(t.model.stats().bytes_written, 6U);
  EXPECT_EQ(t.model.stats().w_beats, 2U);
  EXPECT_EQ(t.model.violations().count, 0U) << t.model.violations().first;
}

TEST(AxiMemoryModel, AccessesOutsideAllocationsAnswerDecerr) {
  Bench t(cfg_with(10));
  const auto a = t.mem.allocate(128);
  t.bfm.read(ReadReq{1, 0x1000, 1});     // nowhere
  t.bfm.read(ReadReq{2, a + 64, 1});     // second beat runs off the end
  WBeat w;
  w.last = true;
  t.bfm.write(4, a + 4096 * 4, {w});
  t.run_until(4, 1);
  EXPECT_EQ(t.bfm.r[0].resp, 3);
  EXPECT_EQ(t.bfm.r[1].resp, 3);
  EXPECT_EQ(t.bfm.r[2].resp, 0);  // per-beat response: the first beat is inside
  EXPECT_EQ(t.bfm.r[3].resp, 3);
  EXPECT_EQ(t.bfm.b[0].resp, 3);
  EXPECT_EQ(t.model.stats().out_of_range_reads, 2U);
  EXPECT_EQ(t.model.stats().out_of_range_writes, 1U);
  EXPECT_EQ(t.mem.stats().out_of_range_reads, 3U);  // HostMemory counts beats
}

TEST(AxiMemoryModel, InjectedFaultAnswersSlverr) {
  Bench t(cfg_with(10));
  const auto a = t.mem.allocate(4096);
  t.mem.inject_slverr(a + 64, 64);
  t.bfm.read(ReadReq{0, a, 1});
  t.run_until(2);
  EXPECT_EQ(t.bfm.r[0].resp, 0);
  EXPECT_EQ(t.bfm.r[1].resp, 2);
  EXPECT_EQ(t.model.stats().read_errors, 1U);
}

TEST(AxiMemoryModel, DetectsFourKilobyteCrossing) {
  Bench t(cfg_with(10));
  const auto a = t.mem.allocate(8192);
  t.bfm.read(ReadReq{0, a + 4096 - 64, 1});
  t.run_until(2);
  EXPECT_EQ(t.model.violations().count, 1U);
  EXPECT_NE(t.model.violations().first.find("4 KB"), std::string::npos) << t.model.violations().first;
}

TEST(AxiMemoryModel, DetectsWrongSizeAndMisplacedWlast) {
  Bench t(cfg_with(10));
  const auto a = t.mem.allocate(4096);
  t.bfm.read(ReadReq{0, a, 0, 5});
  std::vector<WBeat> beats(2);
  beats[0].last = true;  // early
  t.bfm.write(0, a, beats);
  t.run_until(1, 1);
  EXPECT_EQ(t.model.violations().count, 3U);  // size, WLAST on beat 0, no WLAST on beat 1
  EXPECT_NE(t.model.violations().first.find("size 5"), std::string::npos) << t.model.violations().first;
}

TEST(AxiMemoryModel, RBackpressureDelaysButKeepsData) {
  Bench t(cfg_with(10));
  const auto a = t.patterned(4096);
  t.bfm.rready = false;
  t.bfm.read(ReadReq{0, a, 3});
  t.h.run(40);
  EXPECT_TRUE(t.bfm.r.empty());
  t.bfm.rready = true;
  t.run_until(4);
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(std::memcmp(t.bfm.r[i].data.data(), t.mem.span(a + 64 * i, 64).data(), 64), 0);
  EXPECT_TRUE(t.model.idle());
}

}  // namespace
}  // namespace smartnic::sim
