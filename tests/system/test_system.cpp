// System tests: the real runtime drives the whole Verilated NIC through SimDevice, with
// PCIe-like memory latency. Where every datagram must go is predicted by the independent
// reference model and checked by the scoreboard.
#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <random>

#include "scoreboard.hpp"
#include "smartnic/errors.hpp"
#include "smartnic/ipv4.hpp"
#include "smartnic/regs.hpp"
#include "smartnic/sim_device.hpp"
#include "smartnic/switch.hpp"

namespace smartnic {
namespace {

using namespace std::chrono_literals;
namespace reg = regs::reg;

Ipv4Address vm_ip(unsigned i) { return Ipv4Address(192, 0, 2, std::uint8_t(10 + i)); }

// A UDP datagram whose payload starts with `tag` (8 bytes, little-endian).
std::vector<std::byte> tagged(Ipv4Address src, Ipv4Address dst, std::uint64_t tag, std::size_t len) {
  std::vector<std::byte> payload(len - 28);
  for (std::size_t i = 0; i < payload.size(); i++) payload[i] = std::byte(i * 31 + tag);
  std::memcpy(payload.data(), &tag, std::min<std::size_t>(8, payload.size()));
  return build_udp_datagram(UdpDatagramSpec{.src = src, .dst = dst}, payload);
}

// A bare IPv4 datagram of exactly `len` bytes (20..), protocol 253 (reserved for
// experiments), correct header checksum, payload a position pattern.
std::vector<std::byte> raw_ipv4(Ipv4Address src, Ipv4Address dst, std::size_t len) {
  std::vector<std::byte> d(len);
  for (std::size_t i = 20; i < len; i++) d[i] = std::byte(i * 7 + len);
  d[0] = std::byte{0x45};
  d[2] = std::byte(len >> 8);
  d[3] = std::byte(len & 0xff);
  d[8] = std::byte{64};
  d[9] = std::byte{253};
  for (int i = 0; i < 4; i++) {
    d[12 + i] = std::byte(src.value() >> (24 - 8 * i));
    d[16 + i] = std::byte(dst.value() >> (24 - 8 * i));
  }
  std::uint16_t c = internet_checksum(std::span(d).first(20));
  d[10] = std::byte(c >> 8);
  d[11] = std::byte(c & 0xff);
  return d;
}

class SystemTest : public ::testing::Test {
 protected:
  SimDevice dev{SimConfig{}};

  void expect_clean_bus() {
    EXPECT_EQ(dev.protocol_violation_count(), 0u) << dev.protocol_violation_report();
    EXPECT_EQ(dev.memory_stats().out_of_range_reads, 0u);
    EXPECT_EQ(dev.memory_stats().out_of_range_writes, 0u);
  }
};

TEST_F(SystemTest, RegistersIdentifyTheNicAndRefuseBadOffsets) {
  EXPECT_EQ(dev.read32(reg::ID), regs::kId);
  EXPECT_EQ(dev.read32(reg::VERSION), regs::kVersion);
  EXPECT_EQ(dev.read32(reg::NUM_VMS), regs::NUM_VMS);
  EXPECT_EQ(dev.read32(reg::TABLE_ENTRIES), regs::TABLE_ENTRIES);
  dev.write32(reg::SCRATCH, 0xA5A5'0F0F);
  EXPECT_EQ(dev.read32(reg::SCRATCH), 0xA5A5'0F0Fu);
  EXPECT_THROW(dev.read32(0x0FFC), DeviceError);             // unmapped
  EXPECT_THROW(dev.write32(reg::ID, 1), DeviceError);        // read-only
  EXPECT_THROW(dev.write32(reg::TBL_SLOT, regs::TABLE_ENTRIES), DeviceError);  // no such slot
  EXPECT_THROW(dev.write32(regs::vm_reg(0, reg::VM_TX_SIZE_LOG2), 16), DeviceError);
}

TEST_F(SystemTest, ExternalDatagramLeavesThePortFramedByteForByte) {
  Switch sw(dev);
  auto a = sw.add_vm({.name = "a", .addresses = {vm_ip(0)}});
  const Ipv4Address outside(198, 51, 100, 7);
  for (std::size_t len : {28u + 8u, 64u, 100u, 1500u, 9000u}) {
    auto dg = tagged(vm_ip(0), outside, len, len);
    ASSERT_TRUE(sw.send(a, dg));
    sw.drain(1ms);
    auto frames = dev.take_tx_frames();
    ASSERT_EQ(frames.size(), 1u) << "length " << len;
    const auto& f = frames[0];
    ASSERT_EQ(f.size(), len + 14);
    EXPECT_EQ(0, std::memcmp(f.data(), SwitchConfig{}.mac_dst.data(), 6));
    EXPECT_EQ(0, std::memcmp(f.data() + 6, SwitchConfig{}.mac_src.data(), 6));
    EXPECT_EQ(f[12], 0x08);
    EXPECT_EQ(f[13], 0x00);
    EXPECT_EQ(0, std::memcmp(f.data() + 14, dg.data(), len)) << "payload differs, length " << len;
  }
  auto s = sw.stats(a);
  EXPECT_EQ(s.external, 5u);
  EXPECT_EQ(dev.read32(regs::vm_reg(a, reg::VM_CNT_EXTERNAL)), 5u);
  EXPECT_TRUE(sw.check_accounting().empty());
  expect_clean_bus();
}

// A descriptor ring is memory of the VM too: the NIC reads a VM's TX ring only while the whole
// ring lies inside the VM's window. Pointed outside (below the window, or reaching one beat past
// its end), the doorbell is not served and nothing is read; pointed back, the posted datagram
// goes out, so nothing was lost meanwhile.
TEST_F(SystemTest, TxRingOutsideTheWindowIsNeverRead) {
  Switch sw(dev);
  const VmId a = sw.add_vm({.name = "a", .addresses = {vm_ip(0)}, .tx_ring_log2 = 4});
  auto r64 = [&](std::uint32_t lo) {
    return std::uint64_t(dev.read32(regs::vm_reg(a, lo))) | std::uint64_t(dev.read32(regs::vm_reg(a, lo + 4))) << 32;
  };
  auto set_base = [&](std::uint64_t v) {
    dev.write32(regs::vm_reg(a, reg::VM_TX_BASE_LO), std::uint32_t(v));
    dev.write32(regs::vm_reg(a, reg::VM_TX_BASE_HI), std::uint32_t(v >> 32));
  };
  const std::uint64_t ring = r64(reg::VM_TX_BASE_LO), win = r64(reg::VM_WIN_BASE_LO), size = r64(reg::VM_WIN_SIZE_LO);
  const std::uint64_t ring_bytes = 16 * regs::DESC_BYTES;
  const auto dg = tagged(vm_ip(0), Ipv4Address(198, 51, 100, 7), 1, 100);
  std::uint64_t sent = 0;
  for (const std::uint64_t bad : {win - 4096, win + size - ring_bytes + 64}) {
    const std::uint32_t fetched = dev.read32(regs::vm_reg(a, reg::VM_TX_FETCH));
    // The runtime's descriptor is in the real ring; the NIC must not read the bad one at all.
    ASSERT_TRUE(sw.send(a, dg));
    set_base(bad);
    sw.flush();
    dev.run_cycles(3000);
    EXPECT_EQ(dev.read32(regs::vm_reg(a, reg::VM_TX_FETCH)), fetched) << "a ring outside the window was read";
    EXPECT_EQ(dev.take_tx_frames().size(), 0u);
    set_base(ring);
    sw.drain(1ms);
    EXPECT_EQ(dev.take_tx_frames().size(), 1u);
    EXPECT_EQ(sw.stats(a).external, ++sent);
  }
  EXPECT_TRUE(sw.check_accounting().empty());
  expect_clean_bus();
}

// Every datagram length the NIC accepts, through the whole NIC: the 14-byte header shifts
// every byte across the 64-byte beats of the memory reads and of the TX stream.
TEST_F(SystemTest, EveryLengthFrom20To9000LeavesThePortIntact) {
  Switch sw(dev);
  auto a = sw.add_vm({.name = "a", .addresses = {vm_ip(0)}, .tx_ring_log2 = 7});
  const Ipv4Address outside(203, 0, 113, 9);
  std::size_t next = 20, checked = 0;
  auto check = [&] {
    for (auto& f : dev.take_tx_frames()) {
      std::size_t len = checked + 20;
      ASSERT_EQ(f.size(), len + 14);
      auto want = raw_ipv4(vm_ip(0), outside, len);
      ASSERT_EQ(0, std::memcmp(f.data() + 14, want.data(), len)) << "length " << len;
      checked++;
    }
  };
  while (next <= regs::MAX_DATAGRAM) {
    if (sw.send(a, raw_ipv4(vm_ip(0), outside, next))) {
      next++;
    } else {
      sw.poll();
      check();
    }
  }
  sw.drain(10ms);
  check();
  EXPECT_EQ(checked, regs::MAX_DATAGRAM - 19);
  EXPECT_EQ(sw.stats(a).external, regs::MAX_DATAGRAM - 19);
  EXPECT_TRUE(sw.check_accounting().empty());
  expect_clean_bus();
}

TEST_F(SystemTest, HairpinLandsInTheOtherVmAndNeverOnThePort) {
  Switch sw(dev);
  auto a = sw.add_vm({.name = "a", .addresses = {vm_ip(0)}});
  auto b = sw.add_vm({.name = "b", .addresses = {vm_ip(1)}});
  auto dg = tagged(vm_ip(0), vm_ip(1), 42, 1000);
  ASSERT_TRUE(sw.send(a, dg));
  sw.drain(1ms);
  EXPECT_TRUE(dev.take_tx_frames().empty());
  auto got = sw.receive(b);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->source, a);
  EXPECT_EQ(got->data, dg);
  EXPECT_FALSE(sw.receive(a).has_value());
  EXPECT_EQ(sw.stats(a).hairpin_out, 1u);
  EXPECT_EQ(sw.stats(b).hairpin_in, 1u);
  EXPECT_EQ(dev.read32(regs::vm_reg(a, reg::VM_CNT_HAIRPIN)), 1u);
  expect_clean_bus();
}

// An Ethernet frame from the external network (the next hop) to the NIC.
std::vector<std::uint8_t> from_network(const std::vector<std::byte>& dg) {
  const SwitchConfig defaults;
  std::vector<std::uint8_t> f;
  f.reserve(14 + dg.size());
  for (auto b : defaults.mac_src) f.push_back(b);  // to the NIC
  for (auto b : defaults.mac_dst) f.push_back(b);  // from the next hop
  f.push_back(0x08);
  f.push_back(0x00);
  for (auto b : dg) f.push_back(std::uint8_t(b));
  if (f.size() < 60) f.resize(60, 0);
  return f;
}

TEST_F(SystemTest, TrafficFromTheNetworkReachesTheOwningVmAlongsideHairpin) {
  Switch sw(dev);
  auto a = sw.add_vm({.name = "a", .addresses = {vm_ip(0)}});
  auto b = sw.add_vm({.name = "b", .addresses = {vm_ip(1)}, .ingress_ring_log2 = 3});
  const Ipv4Address outside(198, 51, 100, 7);
  std::vector<std::vector<std::byte>> from_net, from_a;
  for (unsigned i = 0; i < 20; i++) {  // more than b's 8 ingress buffers: they must be recycled
    from_net.push_back(tagged(outside, vm_ip(1), 100 + i, 64 + 37 * i));
    from_a.push_back(tagged(vm_ip(0), vm_ip(1), 200 + i, 80 + 11 * i));
    ASSERT_TRUE(sw.send(a, from_a.back()));
  }
  // Frames from the network are offered no faster than b's buffers come back to the NIC: at most
  // 8 beyond those whose buffer was reposted (received, and the doorbell written by the next
  // poll). A NIC that finds no posted buffer drops the frame (rx_no_buffer), as it should; the
  // NIC no longer takes longer per frame than the runtime takes to recycle a buffer.
  constexpr std::size_t kIngressBuffers = 8;
  std::size_t injected = 0, reposted = 0;
  std::vector<std::vector<std::byte>> got_net, got_a;
  for (int round = 0; round < 2000 && got_net.size() + got_a.size() < 40; round++) {
    while (injected < from_net.size() && injected - reposted < kIngressBuffers)
      dev.inject_rx_frame(from_network(from_net[injected++]));
    sw.idle();  // waits, then writes the doorbells for the buffers received before
    reposted = got_net.size();
    while (auto d = sw.receive(b)) {
      if (d->from_network) {
        got_net.push_back(d->data);
      } else {
        EXPECT_EQ(d->source, a);
        got_a.push_back(d->data);
      }
    }
  }
  EXPECT_EQ(got_net, from_net);  // in order, byte for byte
  EXPECT_EQ(got_a, from_a);
  EXPECT_FALSE(sw.receive(a).has_value());
  EXPECT_EQ(sw.stats(b).ingress, 20u);
  EXPECT_EQ(sw.stats(b).received_consumed, 40u);
  EXPECT_EQ(dev.read32(regs::vm_reg(b, reg::VM_CNT_RX)), 20u);
  EXPECT_EQ(dev.read32(regs::drop_counter(unsigned(regs::DropReason::RX_NO_BUFFER))), 0u);
  EXPECT_TRUE(sw.check_accounting().empty());
  expect_clean_bus();
}

TEST_F(SystemTest, NicAnswersArpForVmAddressesOnceTheyAreAdded) {
  Switch sw(dev);
  std::vector<std::uint8_t> req(42, 0);
  for (int i = 0; i < 6; i++) req[i] = 0xFF;
  for (int i = 0; i < 6; i++) req[6 + i] = SwitchConfig{}.mac_dst[i];
  req[12] = 0x08, req[13] = 0x06, req[15] = 1, req[16] = 0x08, req[18] = 6, req[19] = 4, req[21] = 1;
  for (int i = 0; i < 6; i++) req[22 + i] = SwitchConfig{}.mac_dst[i];
  req[28] = 198, req[29] = 51, req[30] = 100, req[31] = 1;
  req[38] = 192, req[39] = 0, req[40] = 2, req[41] = 10;  // who has 192.0.2.10?
  req.resize(60, 0);
  dev.inject_rx_frame(req);
  dev.run_cycles(2000);
  EXPECT_TRUE(dev.take_tx_frames().empty());  // no VM has it yet
  sw.add_vm({.name = "a", .addresses = {vm_ip(0)}});
  dev.inject_rx_frame(req);
  dev.run_cycles(2000);
  auto replies = dev.take_tx_frames();
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(0, std::memcmp(replies[0].data() + 22, SwitchConfig{}.mac_src.data(), 6));  // is-at: the NIC
  EXPECT_EQ(replies[0][21], 2);
}

// After an address moves, datagrams from the network that the NIC had already looked up
// for the old owner are not handed to it.
TEST_F(SystemTest, NetworkTrafficFollowsAnAddressThatMoves) {
  Switch sw(dev);
  auto a = sw.add_vm({.name = "a", .addresses = {vm_ip(0)}});
  auto b = sw.add_vm({.name = "b", .addresses = {vm_ip(1)}});
  const Ipv4Address floating(192, 0, 2, 77);
  sw.add_address(a, floating);
  dev.inject_rx_frame(from_network(tagged(Ipv4Address(203, 0, 113, 4), floating, 1, 300)));
  for (int i = 0; i < 100 && sw.stats(a).ingress == 0; i++) sw.idle();
  ASSERT_TRUE(sw.receive(a).has_value());
  sw.remove_address(floating);
  sw.add_address(b, floating);
  dev.inject_rx_frame(from_network(tagged(Ipv4Address(203, 0, 113, 4), floating, 2, 300)));
  for (int i = 0; i < 100 && sw.stats(b).ingress == 0; i++) sw.idle();
  EXPECT_FALSE(sw.receive(a).has_value());
  auto d = sw.receive(b);
  ASSERT_TRUE(d.has_value());
  EXPECT_TRUE(d->from_network);
  EXPECT_TRUE(sw.check_accounting().empty());
}

TEST_F(SystemTest, MalformedDatagramsAreDroppedWithTheirReason) {
  Switch sw(dev);
  auto a = sw.add_vm({.name = "a", .addresses = {vm_ip(0)}});
  auto good = tagged(vm_ip(0), Ipv4Address(203, 0, 113, 5), 1, 200);
  auto bad_version = good;
  bad_version[0] = std::byte{0x65};
  auto bad_ihl = good;
  bad_ihl[0] = std::byte{0x44};
  auto bad_len = good;
  bad_len[3] = std::byte{0xC7};  // total length 199 in a 200-byte buffer
  std::vector<std::byte> runt(good.begin(), good.begin() + 19);
  for (auto* d : {&bad_version, &bad_ihl, &bad_len, &runt}) ASSERT_TRUE(sw.send(a, *d));
  sw.drain(1ms);
  EXPECT_TRUE(dev.take_tx_frames().empty());
  auto s = sw.stats(a);
  using R = regs::DropReason;
  EXPECT_EQ(s.nic_drops[unsigned(R::IP_VERSION)], 1u);
  EXPECT_EQ(s.nic_drops[unsigned(R::IP_IHL)], 1u);
  EXPECT_EQ(s.nic_drops[unsigned(R::IP_LEN)], 1u);
  EXPECT_EQ(s.nic_drops[unsigned(R::DESC_LEN)], 1u);
  for (auto r : {R::IP_VERSION, R::IP_IHL, R::IP_LEN, R::DESC_LEN})
    EXPECT_EQ(dev.read32(regs::drop_counter(unsigned(r))), 1u) << regs::kDropReasonNames[unsigned(r)];
  EXPECT_TRUE(sw.check_accounting().empty());
}

// Anti-spoofing: a VM may only send with a source address registered to it. Another VM's
// address, nobody's address, and an address that moved away from the sender are all refused,
// counted per VM, and never reach the port or another VM. A bad header checksum is refused
// before the lookups.
TEST_F(SystemTest, SpoofedSourcesAndBadChecksumsAreDroppedAndCountedPerVm) {
  Switch sw(dev);
  auto a = sw.add_vm({.name = "a", .addresses = {vm_ip(0)}});
  auto b = sw.add_vm({.name = "b", .addresses = {vm_ip(1)}});
  const Ipv4Address outside(198, 51, 100, 20);
  const Ipv4Address floating(192, 0, 2, 66);
  sw.add_address(a, floating);
  ASSERT_TRUE(sw.send(a, tagged(floating, outside, 1, 100)));      // a's second address: fine
  ASSERT_TRUE(sw.send(a, tagged(vm_ip(1), outside, 2, 100)));      // b's address
  ASSERT_TRUE(sw.send(a, tagged(vm_ip(1), vm_ip(1), 3, 100)));     // b's address, to b
  ASSERT_TRUE(sw.send(a, tagged(Ipv4Address(203, 0, 113, 1), outside, 4, 1500)));  // nobody's
  auto bad_csum = tagged(vm_ip(0), outside, 5, 300);
  bad_csum[11] ^= std::byte{0x01};
  ASSERT_TRUE(sw.send(a, bad_csum));
  sw.drain(1ms);
  sw.remove_address(floating);
  sw.add_address(b, floating);
  ASSERT_TRUE(sw.send(a, tagged(floating, outside, 6, 100)));      // moved to b: now spoofed
  ASSERT_TRUE(sw.send(b, tagged(floating, vm_ip(0), 7, 100)));     // b may use it
  sw.drain(1ms);

  EXPECT_EQ(dev.take_tx_frames().size(), 1u);  // only the first one
  EXPECT_FALSE(sw.receive(b).has_value());
  ASSERT_TRUE(sw.receive(a).has_value());      // b's datagram with the moved address
  using R = regs::DropReason;
  auto sa = sw.stats(a);
  EXPECT_EQ(sa.nic_drops[unsigned(R::SPOOFED_SRC)], 4u);
  EXPECT_EQ(sa.nic_drops[unsigned(R::IP_CHECKSUM)], 1u);
  EXPECT_EQ(sw.stats(b).nic_drops[unsigned(R::SPOOFED_SRC)], 0u);
  EXPECT_EQ(dev.read32(regs::drop_counter(unsigned(R::SPOOFED_SRC))), 4u);
  EXPECT_EQ(dev.read32(regs::drop_counter(unsigned(R::IP_CHECKSUM))), 1u);
  EXPECT_EQ(dev.read32(regs::vm_reg(a, reg::VM_CNT_DROP)), 5u);
  EXPECT_TRUE(sw.check_accounting().empty());
  expect_clean_bus();
}

// The VM-IP table is what decides: moving an address to another VM moves its traffic, and
// removing it sends the traffic out of the port.
TEST_F(SystemTest, TableUpdatesRedirectTraffic) {
  Switch sw(dev);
  auto a = sw.add_vm({.name = "a", .addresses = {vm_ip(0)}});
  auto b = sw.add_vm({.name = "b", .addresses = {vm_ip(1)}});
  auto c = sw.add_vm({.name = "c", .addresses = {vm_ip(2)}});
  const Ipv4Address floating(192, 0, 2, 99);
  sw.add_address(b, floating);
  ASSERT_TRUE(sw.send(a, tagged(vm_ip(0), floating, 1, 64)));
  sw.drain(1ms);
  EXPECT_TRUE(sw.receive(b).has_value());

  sw.remove_address(floating);
  sw.add_address(c, floating);
  ASSERT_TRUE(sw.send(a, tagged(vm_ip(0), floating, 2, 64)));
  sw.drain(1ms);
  EXPECT_FALSE(sw.receive(b).has_value());
  EXPECT_TRUE(sw.receive(c).has_value());

  sw.remove_address(floating);
  ASSERT_TRUE(sw.send(a, tagged(vm_ip(0), floating, 3, 64)));
  sw.drain(1ms);
  EXPECT_EQ(dev.take_tx_frames().size(), 1u);
  EXPECT_THROW(sw.add_address(a, vm_ip(1)), ConfigError);  // b's address: duplicate refused
  EXPECT_TRUE(sw.check_accounting().empty());
}

// Eight VMs send to each other, to the outside and malformed datagrams, all at once; the
// scoreboard checks every one is delivered to exactly the predicted place or dropped with
// the predicted reason, exactly once, and the NIC's counters agree with the runtime's.
struct BusCase {
  const char* name;
  SimConfig sim;
};

void PrintTo(const BusCase& c, std::ostream* os) { *os << c.name; }

class MixedTraffic : public ::testing::TestWithParam<BusCase> {};

TEST_P(MixedTraffic, EightVmsEveryDatagramAccountedExactlyOnce) {
  SimDevice dev(GetParam().sim);
  Switch sw(dev);
  refmodel::ReferenceModel model;
  const unsigned kVms = 8;
  for (unsigned v = 0; v < kVms; v++) {
    sw.add_vm({.name = "vm" + std::to_string(v), .addresses = {vm_ip(v)}, .tx_ring_log2 = 6});
    model.set_owner(vm_ip(v).value(), v);
  }
  test::Scoreboard board(model);
  std::mt19937_64 rng(2026);
  const std::size_t kDatagrams = 3000;
  std::size_t sent = 0;
  auto collect = [&] {
    for (auto& f : dev.take_tx_frames()) board.on_port(f, SwitchConfig{}.mac_dst, SwitchConfig{}.mac_src);
    for (unsigned v = 0; v < kVms; v++)
      while (auto d = sw.receive(v)) board.received(v, *d);
  };
  while (sent < kDatagrams) {
    unsigned src = rng() % kVms;
    std::size_t len = 36 + rng() % 1465;  // 36..1500
    if (rng() % 8 == 0) len = 36 + rng() % 64;
    Ipv4Address dst = rng() % 3 == 0 ? Ipv4Address(198, 51, 100, std::uint8_t(rng()))
                                     : vm_ip(unsigned(rng() % kVms));
    auto dg = tagged(vm_ip(src), dst, sent, len);
    switch (rng() % 40) {  // some malformed ones
      case 0: dg[0] = std::byte{0x55}; break;
      case 1: dg[0] = std::byte{0x43}; break;
      case 2: dg[2] = std::byte(std::uint8_t(dg[2]) ^ 0x01); break;
      default: break;
    }
    if (!sw.send(src, dg)) {  // ring full: let the NIC work, the datagram was not handed over
      sw.poll();
      collect();
      continue;
    }
    board.sent(sent, src, std::move(dg));
    sent++;
    if (sent % 16 == 0) {
      sw.poll();
      collect();
    }
  }
  sw.drain(10ms);
  collect();
  auto errors = board.finish(sw);
  for (auto& e : errors) ADD_FAILURE() << e;
  EXPECT_TRUE(errors.empty());
  EXPECT_GT(board.predicted(regs::Verdict::EXTERNAL), 500u);
  EXPECT_GT(board.predicted(regs::Verdict::HAIRPIN), 1000u);
  EXPECT_GT(board.predicted(regs::Verdict::DROP), 30u);
  // NIC counters agree with the runtime's view.
  for (unsigned v = 0; v < kVms; v++) {
    auto s = sw.stats(v);
    EXPECT_EQ(dev.read32(regs::vm_reg(v, reg::VM_CNT_EXTERNAL)), s.external);
    EXPECT_EQ(dev.read32(regs::vm_reg(v, reg::VM_CNT_HAIRPIN)), s.hairpin_out);
    EXPECT_EQ(dev.read32(regs::vm_reg(v, reg::VM_CNT_DROP)), s.drops());
  }
  EXPECT_EQ(dev.protocol_violation_count(), 0u) << dev.protocol_violation_report();
  EXPECT_EQ(dev.memory_stats().out_of_range_reads, 0u);
  EXPECT_EQ(dev.memory_stats().out_of_range_writes, 0u);
}

// The fast model (the RTL without its assertion sections, what `smartnic bench` measures) and
// the checked model the tests run are the same NIC: the same traffic, with a stalling MAC and
// hairpin, ingress-free mixed destinations and malformed datagrams, gives the same frames, the
// same deliveries, the same counters and memory traffic, in the same number of cycles.
struct ModelRun {
  std::vector<std::pair<std::uint64_t, std::vector<std::uint8_t>>> frames;  // cycle of collection, bytes
  std::vector<std::pair<unsigned, std::vector<std::byte>>> received;         // VM, datagram
  std::vector<std::uint32_t> counters;
  sim::AxiMemoryStats mem;
  std::uint64_t cycles = 0;
};

ModelRun run_model(bool assertions) {
  SimConfig cfg;
  cfg.assertions = assertions;
  cfg.tx_ready_probability = 0.5;
  SimDevice dev(cfg);
  Switch sw(dev);
  const unsigned kVms = 4;
  for (unsigned v = 0; v < kVms; v++)
    sw.add_vm({.name = "vm" + std::to_string(v), .addresses = {vm_ip(v)}, .tx_ring_log2 = 5});
  ModelRun out;
  auto collect = [&] {
    for (auto& f : dev.take_tx_frames()) out.frames.emplace_back(dev.cycles(), std::move(f));
    for (unsigned v = 0; v < kVms; v++)
      while (auto d = sw.receive(v)) out.received.emplace_back(v, std::move(d->data));
  };
  std::mt19937_64 rng(77);
  for (std::size_t sent = 0; sent < 400;) {
    const unsigned src = rng() % kVms;
    const Ipv4Address dst = rng() % 2 ? Ipv4Address(198, 51, 100, std::uint8_t(rng())) : vm_ip(unsigned(rng() % kVms));
    auto dg = tagged(vm_ip(src), dst, sent, 36 + rng() % 1465);
    if (rng() % 20 == 0) dg[0] = std::byte{0x55};
    if (!sw.send(src, dg)) {
      sw.poll();
      collect();
      continue;
    }
    if (++sent % 8 == 0) {
      sw.poll();
      collect();
    }
  }
  sw.drain(10ms);
  collect();
  for (unsigned v = 0; v < kVms; v++)
    for (auto r : {reg::VM_CNT_EXTERNAL, reg::VM_CNT_HAIRPIN, reg::VM_CNT_DROP})
      out.counters.push_back(dev.read32(regs::vm_reg(v, r)));
  out.mem = dev.memory_stats();
  out.cycles = dev.cycles();
  EXPECT_EQ(dev.protocol_violation_count(), 0u) << dev.protocol_violation_report();
  return out;
}

TEST(FastModel, SameNicCycleForCycleAsTheCheckedModel) {
  const ModelRun checked = run_model(true);
  const ModelRun fast = run_model(false);
  EXPECT_GT(checked.frames.size(), 100u);
  EXPECT_GT(checked.received.size(), 100u);
  EXPECT_EQ(fast.cycles, checked.cycles);
  EXPECT_TRUE(fast.frames == checked.frames) << fast.frames.size() << " vs " << checked.frames.size() << " frames";
  EXPECT_TRUE(fast.received == checked.received) << fast.received.size() << " vs " << checked.received.size();
  EXPECT_EQ(fast.counters, checked.counters);
  EXPECT_EQ(fast.mem.ar_count, checked.mem.ar_count);
  EXPECT_EQ(fast.mem.r_beats, checked.mem.r_beats);
  EXPECT_EQ(fast.mem.aw_count, checked.mem.aw_count);
  EXPECT_EQ(fast.mem.bytes_written, checked.mem.bytes_written);
  EXPECT_EQ(fast.mem.read_latency_sum, checked.mem.read_latency_sum);
}

SimConfig with(auto change) {
  SimConfig c;
  change(c);
  return c;
}

// The same traffic under different worlds around the NIC: a MAC that stalls, slower and
// narrower host memory. Nothing may change in where datagrams go.
INSTANTIATE_TEST_SUITE_P(
    Buses, MixedTraffic,
    ::testing::Values(BusCase{"pcie_1us", SimConfig{}},
                      BusCase{"mac_backpressure", with([](SimConfig& c) { c.tx_ready_probability = 0.3; })},
                      BusCase{"slow_memory", with([](SimConfig& c) {
                                c.mem_read_latency_ns = 2000;
                                c.mem_bytes_per_cycle = 16;
                              })},
                      BusCase{"few_reads_in_flight", with([](SimConfig& c) { c.mem_max_outstanding_reads = 4; })}),
    [](const auto& info) { return std::string(info.param.name); });


TEST_F(SystemTest, RuntimeRefusesADeviceThatIsNotThisNic) {
  // The NIC's ID is a constant in RTL, so the gate is checked through a device wrapper whose
  // ID register reads something else (as a different bitstream on the card would).
  class WrongId : public Device {
   public:
    explicit WrongId(Device& d) : d_(d) {}
    std::uint32_t read32(std::uint32_t off) override { return off == reg::ID ? 0xDEADBEEF : d_.read32(off); }
    void write32(std::uint32_t off, std::uint32_t v) override { d_.write32(off, v); }
    std::unique_ptr<DmaBuffer> alloc_dma(std::size_t b, std::size_t a) override { return d_.alloc_dma(b, a); }
    void wait(std::chrono::nanoseconds n) override { d_.wait(n); }
    std::string describe() const override { return "wrong id"; }
   private:
    Device& d_;
  } wrong(dev);
  EXPECT_THROW(Switch sw(wrong), IncompatibleDevice);
}

}  // namespace
}  // namespace smartnic
