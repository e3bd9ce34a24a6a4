// Switch bookkeeping against the fake NIC: open checks, VM definition, batching, phase wrap,
// backpressure, hairpin bounds, host drop reasons and the accounting invariant.
#include <gtest/gtest.h>

#include <random>

#include "fake_nic.hpp"
#include "smartnic/errors.hpp"
#include "smartnic/switch.hpp"

namespace smartnic {
namespace {

using namespace std::chrono_literals;
using test::FakeNic;

Ipv4Address vm_ip(unsigned i) { return Ipv4Address(192, 0, 2, static_cast<std::uint8_t>(10 + i)); }
const Ipv4Address kExternal = Ipv4Address::parse("198.51.100.1");

std::vector<std::byte> udp(unsigned src, Ipv4Address dst, std::size_t payload = 36, std::uint16_t id = 0) {
  UdpDatagramSpec s;
  s.src = vm_ip(src);
  s.dst = dst;
  s.identification = id;
  return build_udp_datagram(s, payload);
}

VmConfig vm_config(unsigned i, unsigned tx_log2 = 4, unsigned in_log2 = 4) {
  return VmConfig{"vm" + std::to_string(i), {vm_ip(i)}, tx_log2, in_log2};
}

void expect_balanced(const Switch& sw) {
  const auto errors = sw.check_accounting();
  EXPECT_TRUE(errors.empty()) << errors.front();
}

std::uint64_t host_drops(const VmStats& s, HostDropReason r) { return s.host_drops[static_cast<unsigned>(r)]; }

TEST(SwitchOpen, RejectsWrongIdWithFoundAndExpected) {
  FakeNic::Options o;
  o.id = 0xDEADBEEF;
  FakeNic nic(o);
  try {
    Switch sw(nic);
    FAIL() << "opened a device with a wrong ID";
  } catch (const IncompatibleDevice& e) {
    EXPECT_NE(std::string(e.what()).find("0xdeadbeef"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("0x534e4943"), std::string::npos) << e.what();
  }
}

TEST(SwitchOpen, ChecksMajorVersionOnly) {
  FakeNic::Options o;
  o.version = regs::kVersion + 0x0001'0000;
  FakeNic bad(o);
  EXPECT_THROW(Switch sw(bad), IncompatibleDevice);
  o.version = regs::kVersion + 7;  // newer minor: compatible
  FakeNic good(o);
  EXPECT_NO_THROW(Switch sw(good));
}

TEST(SwitchOpen, ProgramsRingMacAndEnablesAndStopsOnDestruction) {
  FakeNic nic;
  {
    SwitchConfig c;
    c.mac_src = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};
    Switch sw(nic, c);
    EXPECT_EQ(nic.reg(regs::reg::MAC_SRC_LO), 0x22334455u);
    EXPECT_EQ(nic.reg(regs::reg::MAC_SRC_HI), 0x0211u);
    EXPECT_EQ(nic.reg(regs::reg::CPL_SIZE_LOG2), c.cpl_ring_log2);
    EXPECT_EQ(nic.reg(regs::reg::CTRL), 1u);
    EXPECT_EQ(sw.device_vms(), regs::NUM_VMS);
    EXPECT_EQ(sw.device_table_entries(), regs::TABLE_ENTRIES);
  }
  EXPECT_EQ(nic.reg(regs::reg::CTRL), 0u);
}

TEST(SwitchVms, IdsNamesAddressesAndLimits) {
  FakeNic::Options o;
  o.num_vms = 2;
  FakeNic nic(o);
  Switch sw(nic);
  EXPECT_EQ(sw.add_vm(vm_config(0)), 0u);
  EXPECT_THROW(sw.add_vm(VmConfig{"vm0", {vm_ip(5)}}), ConfigError);
  try {
    sw.add_vm(VmConfig{"other", {vm_ip(0)}});
    FAIL() << "duplicate address accepted";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("192.0.2.10"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("vm0"), std::string::npos) << e.what();
  }
  EXPECT_THROW(sw.add_vm(VmConfig{"twice", {vm_ip(3), vm_ip(3)}}), ConfigError);
  EXPECT_THROW(sw.add_vm(VmConfig{"ring", {}, 16, 4}), ConfigError);
  EXPECT_EQ(sw.add_vm(vm_config(1)), 1u);
  try {
    sw.add_vm(vm_config(2));
    FAIL() << "third VM accepted on a 2-VM NIC";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("2 VM slots"), std::string::npos) << e.what();
  }
  EXPECT_EQ(sw.find_vm("vm1"), 1u);
  EXPECT_EQ(sw.owner(vm_ip(1)), 1u);
  EXPECT_FALSE(sw.owner(vm_ip(3))) << "a failed add_vm left an address behind";
  sw.add_address(1, vm_ip(7));
  EXPECT_EQ(sw.vm_addresses(1).size(), 2u);
  sw.remove_address(vm_ip(7));
  EXPECT_EQ(sw.vm_addresses(1).size(), 1u);
  EXPECT_THROW(sw.remove_address(vm_ip(7)), ConfigError);
}

TEST(SwitchVms, DeviceTableMatchesShadow) {
  FakeNic nic;
  Switch sw(nic);
  sw.add_vm(vm_config(0));
  sw.add_vm(VmConfig{"multi", {vm_ip(1), vm_ip(2), vm_ip(3)}});
  sw.remove_address(vm_ip(2));
  EXPECT_EQ(sw.read_device_table(), sw.table().slots());
  EXPECT_EQ(nic.reg(regs::vm_reg(1, regs::reg::VM_CTRL)), 1u);
}

TEST(SwitchTraffic, ExternalHairpinAndNicDrops) {
  FakeNic nic;
  Switch sw(nic);
  sw.add_vm(vm_config(0));
  sw.add_vm(vm_config(1));
  const auto to_vm1 = udp(0, vm_ip(1), 100);
  ASSERT_TRUE(sw.send(0, udp(0, kExternal)));
  ASSERT_TRUE(sw.send(0, to_vm1));
  auto bad_version = udp(0, kExternal);
  bad_version[0] = std::byte{0x65};
  ASSERT_TRUE(sw.send(0, bad_version));
  ASSERT_TRUE(sw.send(0, std::vector<std::byte>(10)));
  expect_balanced(sw);
  EXPECT_EQ(sw.stats(0).in_flight, 4u);
  sw.drain(10us);

  const auto s0 = sw.stats(0);
  EXPECT_EQ(s0.submitted, 4u);
  EXPECT_EQ(s0.external, 1u);
  EXPECT_EQ(s0.hairpin_out, 1u);
  EXPECT_EQ(s0.nic_drops[static_cast<unsigned>(regs::DropReason::IP_VERSION)], 1u);
  EXPECT_EQ(s0.nic_drops[static_cast<unsigned>(regs::DropReason::DESC_LEN)], 1u);
  EXPECT_EQ(s0.in_flight, 0u);
  EXPECT_EQ(sw.stats(1).hairpin_in, 1u);
  expect_balanced(sw);

  const auto r = sw.receive(1);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->source, 0u);
  EXPECT_EQ(r->data, to_vm1);
  EXPECT_FALSE(sw.receive(1));
  EXPECT_FALSE(sw.receive(0));
  EXPECT_EQ(sw.stats(1).received_consumed, 1u);
  EXPECT_EQ(sw.free_output_buffers(0), 16u);
  ASSERT_EQ(nic.frames.size(), 1u);
  EXPECT_EQ(nic.descriptors_seen, 4u);
}

TEST(SwitchTraffic, OneDoorbellPerVmPerBatchAndOneConsumerWritePerBatch) {
  FakeNic nic;
  Switch sw(nic);
  sw.add_vm(vm_config(0));
  sw.add_vm(vm_config(1));
  sw.add_vm(vm_config(2));
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(sw.send(0, udp(0, kExternal)));
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(sw.send(1, udp(1, kExternal)));
  sw.flush();
  EXPECT_EQ(nic.doorbell_writes, 2u);
  EXPECT_EQ(nic.reg(regs::vm_reg(0, regs::reg::VM_TX_PROD)), 10u);
  sw.flush();
  EXPECT_EQ(nic.doorbell_writes, 2u) << "doorbell without new descriptors";
  nic.wait(1ns);
  const auto writes = nic.cpl_cons_writes;
  EXPECT_EQ(sw.poll(), 15u);
  EXPECT_EQ(nic.cpl_cons_writes, writes + 1);
  EXPECT_EQ(nic.reg(regs::reg::CPL_CONS), 15u);
}

TEST(SwitchTraffic, BackpressureWhenOutputBuffersRunOut) {
  FakeNic nic;
  Switch sw(nic);
  sw.add_vm(vm_config(0, 2));  // 4 output buffers
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(sw.send(0, udp(0, kExternal)));
  EXPECT_FALSE(sw.send(0, udp(0, kExternal)));
  EXPECT_EQ(sw.stats(0).submitted, 4u) << "a refused datagram was counted";
  sw.drain(10us);
  EXPECT_TRUE(sw.send(0, udp(0, kExternal)));
  sw.drain(10us);
  EXPECT_EQ(sw.stats(0).external, 5u);
}

TEST(SwitchTraffic, PhaseWrapsManyTimesWithPartialBatches) {
  FakeNic::Options o;
  o.per_wait = 3;
  FakeNic nic(o);
  SwitchConfig c;
  c.cpl_ring_log2 = 2;  // 4 completions: wraps every 4
  Switch sw(nic, c);
  sw.add_vm(vm_config(0, 3));
  sw.add_vm(vm_config(1, 2));
  std::uint64_t sent = 0;
  for (std::uint16_t i = 0; i < 1000; ++i) {
    const unsigned src = i % 2;
    while (!sw.send(src, udp(src, i % 3 ? kExternal : vm_ip(1 - src), 20, i))) sw.poll();
    ++sent;
    while (sw.receive(0) || sw.receive(1)) {
    }
    expect_balanced(sw);
  }
  sw.drain(1ms);
  while (sw.receive(0) || sw.receive(1)) {
  }
  const auto t = sw.totals();
  EXPECT_EQ(t.submitted, sent);
  EXPECT_EQ(t.external + t.hairpin_out, sent);
  EXPECT_EQ(t.hairpin_in, t.hairpin_out);
  EXPECT_EQ(t.drops(), 0u);
  expect_balanced(sw);
}

TEST(SwitchHairpin, CountBoundThenAgeBoundDropAsInputFull) {
  FakeNic nic;
  SwitchConfig c;
  c.hairpin_max_pending = 2;
  c.hairpin_max_age = 1us;
  Switch sw(nic, c);
  sw.add_vm(vm_config(0, 4));
  sw.add_vm(vm_config(1, 4, 2));  // 4 input buffers
  for (std::uint16_t i = 0; i < 10; ++i) ASSERT_TRUE(sw.send(0, udp(0, vm_ip(1), 10, i)));
  sw.flush();
  nic.wait(1ns);
  sw.poll();
  // 4 delivered, 2 waiting (sender buffers held), 4 dropped at once.
  auto s = sw.stats(0);
  EXPECT_EQ(s.hairpin_out, 4u);
  EXPECT_EQ(s.pending, 2u);
  EXPECT_EQ(host_drops(s, HostDropReason::INPUT_FULL), 4u);
  EXPECT_EQ(sw.free_output_buffers(0), 14u);
  expect_balanced(sw);

  // Consuming one input delivers the oldest waiting datagram, in order.
  auto r = sw.receive(1);
  ASSERT_TRUE(r);
  EXPECT_EQ(parse_ipv4_header(r->data)->identification, 0);
  EXPECT_EQ(sw.stats(0).hairpin_out, 5u);
  EXPECT_EQ(sw.stats(0).pending, 1u);

  // The last one waits past the age bound and is dropped; drain then completes.
  sw.drain(100us);
  s = sw.stats(0);
  EXPECT_EQ(s.pending, 0u);
  EXPECT_EQ(host_drops(s, HostDropReason::INPUT_FULL), 5u);
  EXPECT_EQ(sw.free_output_buffers(0), 16u);
  expect_balanced(sw);
  for (std::uint16_t want = 1; want <= 4; ++want) {
    r = sw.receive(1);
    ASSERT_TRUE(r);
    EXPECT_EQ(parse_ipv4_header(r->data)->identification, want);
  }
  EXPECT_FALSE(sw.receive(1));
}

// One poll reaping more completions than the runtime handles per chunk (it accounts a chunk,
// then copies its hairpins): every datagram arrives whole, in order, with one CPL_CONS write.
TEST(SwitchHairpin, ManyChunksInOnePollArriveIntactAndInOrder) {
  FakeNic nic;
  Switch sw(nic);
  sw.add_vm(vm_config(0, 8));
  sw.add_vm(vm_config(1, 4, 8));
  std::vector<std::vector<std::byte>> sent;
  for (std::uint16_t i = 0; i < 200; ++i) {
    sent.push_back(udp(0, vm_ip(1), 20 + 7 * i, i));
    ASSERT_TRUE(sw.send(0, sent.back()));
  }
  sw.flush();
  nic.wait(1ns);
  const auto writes = nic.cpl_cons_writes;
  EXPECT_EQ(sw.poll(), 200u);
  EXPECT_EQ(nic.cpl_cons_writes, writes + 1);
  EXPECT_EQ(sw.stats(0).hairpin_out, 200u);
  EXPECT_EQ(sw.free_output_buffers(0), 256u);
  expect_balanced(sw);
  for (const auto& want : sent) {
    const auto r = sw.receive(1);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->data, want);
  }
  EXPECT_FALSE(sw.receive(1));
}

// A completion that fails validation after hairpins of the same chunk were accounted as
// delivered: poll() throws, and those hairpins still arrive with their data.
TEST(SwitchHairpin, BadCompletionLaterInTheChunkKeepsEarlierDeliveriesWhole) {
  FakeNic nic;
  Switch sw(nic);
  sw.add_vm(vm_config(0));
  sw.add_vm(vm_config(1));
  std::vector<std::vector<std::byte>> sent;
  for (std::uint16_t i = 0; i < 5; ++i) {
    sent.push_back(udp(0, vm_ip(1), 100 + i, i));
    ASSERT_TRUE(sw.send(0, sent.back()));
  }
  sw.flush();
  nic.wait(1ns);
  const std::uint64_t ring = nic.reg(regs::reg::CPL_BASE_LO) | (std::uint64_t{nic.reg(regs::reg::CPL_BASE_HI)} << 32);
  nic.dma(ring + 3 * regs::CPL_BYTES + regs::tx_cpl::RING_IDX_BYTE, 1)[0] = std::byte{9};  // out of order
  EXPECT_THROW(sw.poll(), NicProtocolError);
  const auto s = sw.stats(0);
  EXPECT_EQ(s.hairpin_out, 3u);
  EXPECT_EQ(s.in_flight, 2u);
  expect_balanced(sw);
  for (std::size_t i = 0; i < 3; ++i) {
    const auto r = sw.receive(1);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->data, sent[i]);
  }
  EXPECT_FALSE(sw.receive(1));
}

TEST(SwitchHostDrops, TooBigIsHandedOverAndDroppedWithoutDescriptor) {
  FakeNic nic;
  Switch sw(nic);
  sw.add_vm(vm_config(0));
  EXPECT_TRUE(sw.send(0, std::vector<std::byte>(GuestMemoryLayout::kBufferBytes + 1)));
  EXPECT_TRUE(sw.send(0, std::vector<std::byte>(GuestMemoryLayout::kBufferBytes)));  // NIC: DESC_LEN
  sw.drain(10us);
  const auto s = sw.stats(0);
  EXPECT_EQ(host_drops(s, HostDropReason::TOO_BIG), 1u);
  EXPECT_EQ(s.nic_drops[static_cast<unsigned>(regs::DropReason::DESC_LEN)], 1u);
  EXPECT_EQ(nic.descriptors_seen, 1u);
  expect_balanced(sw);
}

TEST(SwitchHostDrops, HairpinToUndefinedVm) {
  FakeNic nic;
  Switch sw(nic);
  sw.add_vm(vm_config(0));
  nic.poke_slot(regs::TABLE_ENTRIES - 1, vm_ip(5).value(), 5);
  ASSERT_TRUE(sw.send(0, udp(0, vm_ip(5))));
  sw.drain(10us);
  EXPECT_EQ(host_drops(sw.stats(0), HostDropReason::NO_SUCH_VM), 1u);
  expect_balanced(sw);
}

TEST(SwitchHostDrops, RemovedAddressIsNotDeliveredToOldOwner) {
  FakeNic nic;
  Switch sw(nic);
  sw.add_vm(vm_config(0));
  sw.add_vm(vm_config(1));
  ASSERT_TRUE(sw.send(0, udp(0, vm_ip(1))));
  sw.flush();
  nic.wait(1ns);  // the NIC said HAIRPIN(1) ...
  sw.remove_address(vm_ip(1));  // ... then the address went away
  sw.drain(10us);
  EXPECT_FALSE(sw.receive(1));
  EXPECT_EQ(host_drops(sw.stats(0), HostDropReason::STALE_OWNER), 1u);
  expect_balanced(sw);
}

TEST(SwitchDrain, TimeoutNamesWhatIsOutstanding) {
  FakeNic nic;
  Switch sw(nic);
  sw.add_vm(vm_config(0));
  sw.add_vm(vm_config(1));
  nic.stalled = true;
  ASSERT_TRUE(sw.send(1, udp(1, kExternal)));
  ASSERT_TRUE(sw.send(1, udp(1, kExternal)));
  try {
    sw.drain(5us);
    FAIL() << "drain returned with datagrams in flight";
  } catch (const DrainTimeout& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("'vm1': 2 in flight"), std::string::npos) << m;
    EXPECT_EQ(m.find("'vm0'"), std::string::npos) << m;
  }
  EXPECT_GE(sw.device_time(), 5us);
  nic.stalled = false;
  sw.drain(5us);
  EXPECT_EQ(sw.stats(1).external, 2u);
}

// Random operations; the invariant must hold after every one of them.
TEST(SwitchAccounting, InvariantHoldsThroughRandomOperations) {
  FakeNic::Options o;
  o.per_wait = 5;
  FakeNic nic(o);
  SwitchConfig c;
  c.cpl_ring_log2 = 3;
  c.hairpin_max_pending = 3;
  c.hairpin_max_age = 2us;
  Switch sw(nic, c);
  for (unsigned v = 0; v < 3; ++v) sw.add_vm(vm_config(v, 3, 2));
  std::mt19937 rng(42);
  for (int step = 0; step < 5000; ++step) {
    const unsigned v = rng() % 3;
    switch (rng() % 4) {
      case 0:
      case 1: {
        auto d = udp(v, rng() % 2 ? kExternal : vm_ip(rng() % 3), rng() % 200);
        if (rng() % 20 == 0) d[0] = std::byte{0x46};  // IHL 6 ...
        sw.send(v, d);
        break;
      }
      case 2:
        sw.poll();
        break;
      default:
        if (rng() % 3 == 0) sw.receive(v);
    }
    const auto errors = sw.check_accounting();
    ASSERT_TRUE(errors.empty()) << "step " << step << ": " << errors.front();
  }
  sw.drain(1ms);
  expect_balanced(sw);
  const auto t = sw.totals();
  EXPECT_EQ(t.in_flight + t.pending, 0u);
}

}  // namespace
}  // namespace smartnic
