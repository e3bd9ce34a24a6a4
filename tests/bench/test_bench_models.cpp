// The benchmark's models: EthRxSource paced at a line rate (bench RX offers exactly 100 GbE),
// and LoopbackNic, the stand-in NIC behind the host hairpin figures, driven by the real Switch.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <vector>

#include "loopback_nic.hpp"
#include "smartnic/bench/bench.hpp"
#include "smartnic/ipv4.hpp"
#include "smartnic/sim/eth_rx_source.hpp"
#include "smartnic/switch.hpp"

namespace smartnic {
namespace {

// The RX source's port as plain variables: what the NIC would see.
struct Wire {
  std::uint8_t tvalid = 0, tready = 1, tlast = 0, tuser = 0;
  std::array<std::uint32_t, sim::kDataWords> tdata{};
  std::uint64_t tkeep = 0;
  sim::AxisRxPorts ports() { return {&tvalid, &tready, tdata.data(), &tkeep, &tlast, &tuser}; }
};

// Cycles in which a frame's first beat was driven, for `n` frames of `bytes` (no FCS).
std::vector<std::uint64_t> starts(double gbps, std::size_t bytes, std::size_t n) {
  Wire w;
  sim::EthRxConfig cfg;
  cfg.line_rate_gbps = gbps;
  sim::EthRxSource src(w.ports(), cfg);
  for (std::size_t i = 0; i < n; ++i) src.send(std::vector<std::uint8_t>(bytes, 0x5A));
  std::vector<std::uint64_t> out;
  bool first_beat = true;
  for (std::uint64_t c = 0; c < 100'000 && !src.idle(); ++c) {
    // Cycle c: the NIC sees what drive(c - 1) set; sample, then drive for c + 1.
    if (w.tvalid && first_beat) out.push_back(c);
    if (w.tvalid) first_beat = w.tlast != 0;
    src.sample(c);
    src.drive(c);
  }
  return out;
}

TEST(LineRatePacing, SixtyFourByteFramesAt100GbeAverage1_68Cycles) {
  const auto s = starts(100.0, 60, 1001);  // 64 B frames with FCS: 84 B on the wire
  ASSERT_EQ(s.size(), 1001u);
  EXPECT_NEAR(static_cast<double>(s.back() - s.front()) / 1000.0, 1.68, 0.002);
  for (std::size_t i = 1; i < s.size(); ++i) {
    const auto gap = s[i] - s[i - 1];
    EXPECT_TRUE(gap == 1 || gap == 2) << "frame " << i << " started " << gap << " cycles after the previous";
  }
}

TEST(LineRatePacing, LargeFramesAndShortFramesPaddedOnTheWire) {
  const auto big = starts(100.0, 1496, 101);  // 1500 B frames: 1520 B on the wire = 30.4 cycles
  ASSERT_EQ(big.size(), 101u);
  EXPECT_NEAR(static_cast<double>(big.back() - big.front()) / 100.0, 30.4, 0.02);
  const auto runt = starts(100.0, 42, 101);  // padded to 64 B on the wire like a 60 B frame
  ASSERT_EQ(runt.size(), 101u);
  EXPECT_NEAR(static_cast<double>(runt.back() - runt.front()) / 100.0, 1.68, 0.01);
}

TEST(LineRatePacing, UnpacedIsOneBeatPerCycle) {
  const auto s = starts(0.0, 60, 100);
  ASSERT_EQ(s.size(), 100u);
  EXPECT_EQ(s.back() - s.front(), 99u);
}

TEST(LineRate, Definitions) {
  EXPECT_NEAR(bench::line_rate_mpps(64), 148.81, 0.01);
  EXPECT_NEAR(bench::line_rate_mpps(1500), 8.224, 0.001);
  EXPECT_EQ(bench::datagram_bytes(64), 46u);
  EXPECT_THROW(bench::check_frame_size(63), ConfigError);
  EXPECT_THROW(bench::check_frame_size(9019), ConfigError);
  EXPECT_NO_THROW(bench::check_frame_size(9018));
}

TEST(LoopbackNic, SwitchDeliversHairpinAndCountsExternal) {
  bench::LoopbackNic nic;
  Switch sw(nic);
  const VmId a = sw.add_vm({"a", {Ipv4Address(192, 0, 2, 10)}, 4, 4, 2});
  const VmId b = sw.add_vm({"b", {Ipv4Address(192, 0, 2, 11)}, 4, 4, 2});
  UdpDatagramSpec to_b{Ipv4Address(192, 0, 2, 10), Ipv4Address(192, 0, 2, 11)};
  UdpDatagramSpec out{Ipv4Address(192, 0, 2, 10), Ipv4Address(198, 51, 100, 1)};
  // Three rounds of a full ring: buffers are recycled and the completion ring's phase advances.
  for (int round = 0; round < 3; ++round) {
    std::vector<std::vector<std::byte>> sent;
    for (int i = 0; i < 16; ++i) {
      to_b.identification = static_cast<std::uint16_t>(round * 100 + i);
      sent.push_back(build_udp_datagram(i % 4 == 3 ? out : to_b, 18 + 100 * i));
      ASSERT_TRUE(sw.send(a, sent.back()));
    }
    sw.flush();
    EXPECT_EQ(sw.poll(), 16u);
    for (int i = 0; i < 16; ++i) {
      if (i % 4 == 3) continue;
      const auto r = sw.receive(b);
      ASSERT_TRUE(r.has_value());
      EXPECT_EQ(r->data, sent[static_cast<std::size_t>(i)]);
      EXPECT_EQ(r->source, a);
    }
    EXPECT_FALSE(sw.receive(b).has_value());
  }
  EXPECT_EQ(sw.stats(a).hairpin_out, 36u);
  EXPECT_EQ(sw.stats(a).external, 12u);
  EXPECT_TRUE(sw.check_accounting().empty());
  EXPECT_EQ(nic.completions(), 48u);
}

TEST(HairpinBench, RunsAndReportsBothLoops) {
  const auto r = bench::hairpin_vs_memcpy(64, true);
  EXPECT_EQ(r.datagram_bytes, 46u);
  EXPECT_GT(r.datagrams, 0u);
  EXPECT_GT(r.hairpin_seconds, 0.0);
  EXPECT_GT(r.memcpy_seconds, 0.0);
}

}  // namespace
}  // namespace smartnic
