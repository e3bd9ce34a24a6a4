// Full NIC reset with traffic in flight (Switch::reset_device, CTRL.QUIESCE / CTRL.RESET):
// the whole Verilated NIC under the real runtime, checked by the reference model.
//
// What must hold across any number of resets: every datagram a VM hands over reaches the place
// the model predicts exactly once (port or hairpin destination, byte for byte) or is dropped
// with the predicted reason; nothing is sent twice (a descriptor the NIC fetched completes
// before the reset, one it did not is posted again after it); every frame from the network is
// delivered, refused by the NIC with a counted reason, or refused whole while the NIC quiesced
// (RX_QUIESCE_DROPS); no AXI protocol violation, no half frame on the port.
#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "smartnic/errors.hpp"
#include "smartnic/ipv4.hpp"
#include "smartnic/refmodel.hpp"
#include "smartnic/regs.hpp"
#include "smartnic/sim/eth_tx_sink.hpp"
#include "smartnic/sim/harness.hpp"
#include "smartnic/sim_device.hpp"
#include "smartnic/switch.hpp"

namespace smartnic {
namespace {

using namespace std::chrono_literals;
namespace reg = regs::reg;
using R = regs::DropReason;

constexpr unsigned kVms = 4;
constexpr std::size_t kTagOffset = 20 + 8;  // IPv4 header + UDP header

Ipv4Address vm_ip(unsigned v) { return Ipv4Address(192, 0, 2, std::uint8_t(10 + v)); }

std::vector<std::byte> tagged(Ipv4Address src, Ipv4Address dst, std::uint64_t tag, std::size_t len) {
  std::vector<std::byte> payload(len - kTagOffset);
  for (std::size_t i = 0; i < payload.size(); i++) payload[i] = std::byte(i * 31 + tag);
  std::memcpy(payload.data(), &tag, 8);
  return build_udp_datagram(UdpDatagramSpec{.src = src, .dst = dst}, payload);
}

std::uint64_t tag_of(std::span<const std::byte> d) {
  std::uint64_t t = ~0ull;
  if (d.size() >= kTagOffset + 8) std::memcpy(&t, d.data() + kTagOffset, 8);
  return t;
}

struct Expect {
  refmodel::Prediction p;
  unsigned src = 0;
  bool from_network = false;
  std::vector<std::byte> data;
  unsigned seen = 0;
};

std::vector<std::uint8_t> frame_for(const SwitchConfig& swc, const std::vector<std::byte>& d) {
  std::vector<std::uint8_t> f(swc.mac_src.begin(), swc.mac_src.end());  // to the NIC's MAC
  f.insert(f.end(), swc.mac_dst.begin(), swc.mac_dst.end());
  f.push_back(0x08);
  f.push_back(0x00);
  for (auto b : d) f.push_back(std::uint8_t(b));
  if (f.size() < 60) f.resize(60, 0);
  return f;
}

std::uint64_t sum(const std::vector<NicCounters>& all, auto field) {
  std::uint64_t s = 0;
  for (const auto& c : all) s += field(c);
  return s;
}

TEST(DeviceReset, WithTrafficInFlightEveryDatagramEndsOnceWhereTheModelSays) {
  SimConfig sim;
  sim.tx_ready_probability = 0.7;  // frames queue up in the NIC: resets find work in flight
  SimDevice dev(sim);
  const SwitchConfig swc;
  Switch sw(dev, swc);
  refmodel::ReferenceModel model;
  for (unsigned v = 0; v < kVms; v++) {
    ASSERT_EQ(sw.add_vm({.name = "vm" + std::to_string(v), .addresses = {vm_ip(v)}, .tx_ring_log2 = 6,
                         .ingress_ring_log2 = 4}),
              v);
    model.set_owner(vm_ip(v).value(), v);
  }
  std::mt19937_64 rng(5);
  auto pick = [&](std::uint64_t n) { return std::uniform_int_distribution<std::uint64_t>(0, n - 1)(rng); };

  std::vector<Expect> expect;
  std::vector<NicCounters> before_resets;
  std::uint64_t network_sent = 0, resets_with_work = 0;
  auto collect = [&] {
    for (auto& f : dev.take_tx_frames()) {
      ASSERT_GE(f.size(), 14u + 20u);
      const auto d = std::as_bytes(std::span(f)).subspan(14);
      const std::uint64_t t = tag_of(d);
      ASSERT_LT(t, expect.size()) << "a frame on the port nobody sent";
      Expect& e = expect[t];
      e.seen++;
      EXPECT_FALSE(e.from_network);
      EXPECT_EQ(e.p.verdict, regs::Verdict::EXTERNAL) << "tag " << t;
      EXPECT_TRUE(std::equal(d.begin(), d.end(), e.data.begin(), e.data.end())) << "tag " << t << " corrupted";
    }
    for (unsigned v = 0; v < kVms; v++) {
      while (auto r = sw.receive(v)) {
        const std::uint64_t t = tag_of(r->data);
        ASSERT_LT(t, expect.size());
        Expect& e = expect[t];
        e.seen++;
        EXPECT_EQ(r->data, e.data) << "tag " << t << " corrupted";
        if (e.from_network) {
          EXPECT_TRUE(r->from_network);
          EXPECT_EQ(e.p.dst_vm, v) << "tag " << t;
        } else {
          EXPECT_EQ(e.p.verdict, regs::Verdict::HAIRPIN) << "tag " << t;
          EXPECT_EQ(e.p.dst_vm, v) << "tag " << t;
          EXPECT_EQ(r->source, e.src);
        }
      }
    }
  };

  constexpr std::uint64_t kDatagrams = 6000;
  for (std::uint64_t n = 0; n < kDatagrams; n++) {
    const std::uint64_t tag = expect.size();
    if (pick(10) == 0) {  // from the network to a VM
      Expect e;
      e.from_network = true;
      e.p.dst_vm = std::uint8_t(pick(kVms));
      e.data = tagged(Ipv4Address(198, 51, 100, 7), vm_ip(e.p.dst_vm), tag, 40 + pick(300));
      dev.inject_rx_frame(frame_for(swc, e.data));
      expect.push_back(std::move(e));
      network_sent++;
      continue;
    }
    Expect e;
    e.src = unsigned(pick(kVms));
    Ipv4Address source = vm_ip(e.src), dst;
    switch (pick(8)) {
      case 0: source = Ipv4Address(203, 0, 113, 66); [[fallthrough]];  // spoofed
      case 1: case 2: case 3: dst = Ipv4Address(198, 51, 100, std::uint8_t(pick(250))); break;
      default: dst = vm_ip(unsigned(pick(kVms))); break;
    }
    e.data = tagged(source, dst, tag, 40 + pick(pick(16) == 0 ? 1400 : 300));
    if (pick(30) == 0) e.data[8] = std::byte{1};  // TTL changed, checksum not: IP_CHECKSUM
    e.p = model.predict(e.data, e.src);
    while (!sw.send(e.src, e.data)) {
      sw.poll();
      collect();
      if (HasFatalFailure()) return;
    }
    expect.push_back(std::move(e));
    if (n % 8 == 0) {
      sw.poll();
      collect();
    }
    if (n % 500 == 250) {  // mid-flight: descriptors posted, fetched, on the wire, frames arriving
      sw.flush();
      for (unsigned k = 0; k < 8; k++) {  // a burst from the network, still arriving while quiescing
        Expect e;
        e.from_network = true;
        e.p.dst_vm = std::uint8_t(pick(kVms));
        e.data = tagged(Ipv4Address(198, 51, 100, 8), vm_ip(e.p.dst_vm), expect.size(), 40 + pick(1000));
        dev.inject_rx_frame(frame_for(swc, e.data));
        expect.push_back(std::move(e));
        network_sent++;
      }
      dev.run_cycles(pick(200));
      std::uint64_t in_flight = 0;
      for (unsigned v = 0; v < kVms; v++) in_flight += sw.stats(v).in_flight;
      resets_with_work += in_flight > 0;
      before_resets.push_back(sw.reset_device());
      collect();
    }
    if (HasFatalFailure()) return;
  }
  sw.drain(100ms);
  for (int i = 0; i < 2000 && !dev.rx_idle(); i++) sw.idle();
  for (int i = 0; i < 50; i++) sw.idle();
  collect();

  EXPECT_EQ(sw.device_resets(), before_resets.size());
  EXPECT_GE(resets_with_work, before_resets.size() / 2) << "the resets hardly ever found work in flight";
  // ---- every VM datagram exactly once, drops as predicted ----
  std::map<std::pair<unsigned, unsigned>, std::uint64_t> want_drops;
  std::uint64_t network_seen = 0;
  for (std::size_t t = 0; t < expect.size(); t++) {
    const Expect& e = expect[t];
    if (e.from_network) {
      EXPECT_LE(e.seen, 1u) << "tag " << t << " from the network seen twice";
      network_seen += e.seen;
    } else if (e.p.verdict == regs::Verdict::DROP) {
      EXPECT_EQ(e.seen, 0u) << "tag " << t << " predicted dropped";
      want_drops[{e.src, unsigned(e.p.reason)}]++;
    } else {
      EXPECT_EQ(e.seen, 1u) << "tag " << t << " (verdict " << int(e.p.verdict) << ")";
    }
  }
  for (unsigned v = 0; v < kVms; v++) {
    const VmStats s = sw.stats(v);
    for (unsigned r = 0; r < regs::kNumDropReasons; r++) {
      const auto it = want_drops.find({v, r});
      EXPECT_EQ(s.nic_drops[r], it == want_drops.end() ? 0u : it->second)
          << "vm " << v << " " << regs::kDropReasonNames[r];
    }
    for (auto h : s.host_drops) EXPECT_EQ(h, 0u) << "vm " << v;
    // The NIC's counters restart at every reset: the snapshots before each plus now.
    auto cnt = [&](auto field) {
      return sum(before_resets, [&](const NicCounters& c) { return field(c.vms[v]); }) +
             field(sw.read_nic_counters().vms[v]);
    };
    EXPECT_EQ(cnt([](const NicCounters::Vm& c) { return c.external; }), s.external) << "vm " << v;
    EXPECT_EQ(cnt([](const NicCounters::Vm& c) { return c.hairpin; }), s.hairpin_out) << "vm " << v;
    EXPECT_EQ(cnt([](const NicCounters::Vm& c) { return c.desc; }), s.submitted) << "vm " << v;
  }
  // ---- network frames: delivered, refused with a reason, or refused while quiesced ----
  const NicCounters now = sw.read_nic_counters();
  std::vector<NicCounters> all = before_resets;
  all.push_back(now);
  auto drops = [&](R r) { return sum(all, [&](const NicCounters& c) { return c.drops[unsigned(r)]; }); };
  const std::uint64_t quiesce_drops = dev.read32(reg::RX_QUIESCE_DROPS);
  EXPECT_EQ(network_seen + drops(R::RX_OVERFLOW) + drops(R::RX_NO_BUFFER) + quiesce_drops, network_sent)
      << network_seen << " delivered, " << drops(R::RX_OVERFLOW) << " rx_overflow, " << drops(R::RX_NO_BUFFER)
      << " rx_no_buffer, " << quiesce_drops << " refused while quiesced";
  EXPECT_EQ(sum(all, [](const NicCounters& c) { return c.rx_frames; }) + quiesce_drops, network_sent);
  EXPECT_TRUE(sw.check_accounting().empty());
  EXPECT_EQ(dev.protocol_violation_count(), 0u) << dev.protocol_violation_report();
  EXPECT_EQ(dev.memory_stats().out_of_range_reads + dev.memory_stats().out_of_range_writes, 0u);
  EXPECT_GE(before_resets.size(), 10u);
  std::printf("[ summary  ] %zu resets (%llu with datagrams in flight), %llu network frames, %llu delivered, %llu "
              "refused while quiesced\n",
              before_resets.size(), (unsigned long long)resets_with_work, (unsigned long long)network_sent,
              (unsigned long long)network_seen, (unsigned long long)quiesce_drops);
}

// A port that takes nothing keeps a frame in the NIC: the reset is refused within its timeout,
// the NIC runs on, and once the port moves again everything completes and a reset goes through.
TEST(DeviceReset, StalledPortRefusesTheResetAndLosesNothing) {
  SimDevice dev;
  Switch sw(dev);
  ASSERT_EQ(sw.add_vm({.name = "a", .addresses = {vm_ip(0)}}), 0u);
  dev.harness().tx().set_ready_probability(0.0);
  const auto d = tagged(vm_ip(0), Ipv4Address(198, 51, 100, 1), 0, 200);
  for (int i = 0; i < 20; i++) ASSERT_TRUE(sw.send(0, d));
  sw.flush();
  dev.run_cycles(5000);
  EXPECT_THROW(sw.reset_device(50us), DrainTimeout);
  EXPECT_EQ(sw.device_resets(), 0u);
  EXPECT_EQ(dev.read32(reg::CTRL), regs::bit::CTRL_ENABLE) << "the NIC must be left running, not quiesced";
  dev.harness().tx().set_ready_probability(1.0);
  sw.reset_device();
  sw.drain(1ms);
  EXPECT_EQ(sw.stats(0).external, 20u);
  EXPECT_EQ(dev.take_tx_frames().size(), 20u);
  EXPECT_TRUE(sw.check_accounting().empty());
  EXPECT_EQ(dev.protocol_violation_count(), 0u) << dev.protocol_violation_report();
}

// The register contract: RESET only from a quiesced NIC, and what it clears.
TEST(DeviceReset, RegisterContract) {
  SimDevice dev;
  {
    Switch sw(dev);
    ASSERT_EQ(sw.add_vm({.name = "a", .addresses = {vm_ip(0)}}), 0u);
  }
  ASSERT_NE(dev.read32(regs::vm_reg(0, reg::VM_WIN_BASE_LO)), 0u);
  dev.write32(reg::SCRATCH, 0x1234);
  dev.write32(reg::CTRL, regs::bit::CTRL_ENABLE);
  EXPECT_THROW(dev.write32(reg::CTRL, regs::bit::CTRL_RESET), DeviceError) << "not quiesced: SLVERR";
  EXPECT_EQ(dev.read32(reg::SCRATCH), 0x1234u) << "a refused reset changes nothing";
  EXPECT_EQ(dev.read32(reg::CTRL), regs::bit::CTRL_ENABLE);
  dev.write32(reg::CTRL, regs::bit::CTRL_QUIESCE);
  EXPECT_EQ(dev.read32(reg::CTRL), regs::bit::CTRL_QUIESCE);
  // Reads the NIC issued before (descriptor prefetch) may still be on their way back.
  for (int i = 0; i < 100 && !(dev.read32(reg::STATUS) & regs::bit::STATUS_QUIESCED); i++) dev.run_cycles(50);
  ASSERT_NE(dev.read32(reg::STATUS) & regs::bit::STATUS_QUIESCED, 0u) << "STATUS " << dev.read32(reg::STATUS);
  // A frame arriving now is refused whole and counted across the reset.
  const auto frame = frame_for(SwitchConfig{}, tagged(Ipv4Address(198, 51, 100, 1), vm_ip(0), 1, 100));
  dev.inject_rx_frame(frame);
  for (int i = 0; i < 100 && !dev.rx_idle(); i++) dev.run_cycles(10);
  dev.write32(reg::CTRL, regs::bit::CTRL_RESET);
  EXPECT_EQ(dev.read32(reg::SCRATCH), 0u);
  EXPECT_EQ(dev.read32(reg::CTRL), 0u);
  EXPECT_EQ(dev.read32(regs::vm_reg(0, reg::VM_WIN_BASE_LO)), 0u);
  EXPECT_EQ(dev.read32(regs::vm_reg(0, reg::VM_TX_SIZE_LOG2)), 2u);
  EXPECT_EQ(dev.read32(regs::vm_reg(0, reg::VM_CTRL)), 0u);
  EXPECT_NE(dev.read32(reg::STATUS) & regs::bit::STATUS_TABLE_INIT, 0u) << "the table is cleared after reset";
  EXPECT_EQ(dev.read32(reg::RX_QUIESCE_DROPS), 1u);
  EXPECT_EQ(dev.read32(reg::RX_FRAMES), 0u);
  EXPECT_EQ(dev.protocol_violation_count(), 0u) << dev.protocol_violation_report();
}

}  // namespace
}  // namespace smartnic
