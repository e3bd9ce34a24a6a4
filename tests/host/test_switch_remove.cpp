// Switch::remove_vm against the fake NIC: what the NIC already fetched completes, what it never
// fetched and hairpins waiting in either direction are dropped as VM_REMOVED, the slot and its
// addresses are freed, accounting stays whole, and a NIC that never finishes gives a clear,
// retryable error.
#include <gtest/gtest.h>

#include "fake_nic.hpp"
#include "smartnic/errors.hpp"
#include "smartnic/switch.hpp"

namespace smartnic {
namespace {

using namespace std::chrono_literals;
using test::FakeNic;
namespace reg = regs::reg;

Ipv4Address vm_ip(unsigned i) { return Ipv4Address(192, 0, 2, static_cast<std::uint8_t>(10 + i)); }
const Ipv4Address kExternal = Ipv4Address::parse("198.51.100.1");

std::vector<std::byte> udp(unsigned src, Ipv4Address dst, std::uint16_t id = 0) {
  UdpDatagramSpec s;
  s.src = vm_ip(src);
  s.dst = dst;
  s.identification = id;
  return build_udp_datagram(s, 36);
}

VmConfig vm_config(unsigned i, unsigned in_log2 = 4) { return VmConfig{"vm" + std::to_string(i), {vm_ip(i)}, 4, in_log2}; }

std::uint64_t removed_drops(const VmStats& s) { return s.host_drops[static_cast<unsigned>(HostDropReason::VM_REMOVED)]; }

void expect_balanced(const Switch& sw) {
  const auto errors = sw.check_accounting();
  EXPECT_TRUE(errors.empty()) << errors.front();
}

TEST(SwitchRemove, FreesSlotAddressesAndWindowAndReusesTheSlot) {
  FakeNic nic;
  Switch sw(nic);
  sw.add_vm(vm_config(0));
  sw.add_vm(VmConfig{"vm1", {vm_ip(1), vm_ip(2)}});
  sw.remove_vm(0);
  EXPECT_FALSE(sw.find_vm("vm0"));
  EXPECT_FALSE(sw.owner(vm_ip(0)));
  EXPECT_EQ(sw.vm_count(), 1u);
  EXPECT_EQ(sw.vm_ids(), std::vector<VmId>{1});
  EXPECT_EQ(sw.read_device_table(), sw.table().slots()) << "the NIC still has the removed VM's address";
  EXPECT_EQ(nic.reg(regs::vm_reg(0, reg::VM_CTRL)), 0u);
  EXPECT_EQ(nic.reg(regs::vm_reg(0, reg::VM_WIN_SIZE_LO)), 0u);
  EXPECT_THROW(sw.remove_vm(0), ConfigError);
  EXPECT_THROW(sw.receive(0), ConfigError);
  EXPECT_EQ(sw.add_vm(vm_config(5)), 0u) << "the freed slot is reused";
  EXPECT_EQ(sw.vm_count(), 2u);
  ASSERT_TRUE(sw.send(0, udp(5, vm_ip(2))));
  sw.drain(10us);
  EXPECT_EQ(sw.stats(1).hairpin_in, 1u);
  expect_balanced(sw);
}

TEST(SwitchRemove, FetchedDescriptorsCompleteUnfetchedAreDroppedAsVmRemoved) {
  FakeNic nic;
  Switch sw(nic);
  sw.add_vm(vm_config(0));
  sw.add_vm(vm_config(1));
  for (std::uint16_t i = 0; i < 3; ++i) ASSERT_TRUE(sw.send(0, udp(0, kExternal, i)));
  sw.flush();
  nic.fetch_without_completing(0);  // three in the NIC's pipeline
  for (std::uint16_t i = 3; i < 5; ++i) ASSERT_TRUE(sw.send(0, udp(0, kExternal, i)));  // never rung
  sw.remove_vm(0);
  EXPECT_EQ(nic.frames.size(), 3u) << "fetched descriptors must complete before the memory is freed";
  EXPECT_EQ(nic.descriptors_seen, 3u) << "the NIC read a descriptor after the VM was disabled";
  const VmStats& r = sw.removed_stats();
  EXPECT_EQ(r.submitted, 5u);
  EXPECT_EQ(r.external, 3u);
  EXPECT_EQ(removed_drops(r), 2u);
  EXPECT_EQ(sw.totals().submitted, 5u);
  expect_balanced(sw);
}

TEST(SwitchRemove, NicThatNeverFinishesGivesRetryableError) {
  FakeNic nic;
  Switch sw(nic);
  sw.add_vm(vm_config(0));
  ASSERT_TRUE(sw.send(0, udp(0, kExternal)));
  sw.flush();
  nic.fetch_without_completing(0);
  nic.stalled = true;
  try {
    sw.remove_vm(0, 5us);
    FAIL() << "remove_vm returned while the NIC still owned a descriptor";
  } catch (const DrainTimeout& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("'vm0'"), std::string::npos) << m;
    EXPECT_NE(m.find("not completed 1 descriptors"), std::string::npos) << m;
    EXPECT_NE(m.find("again retries"), std::string::npos) << m;
  }
  EXPECT_TRUE(sw.find_vm("vm0")) << "the VM's memory was freed while the NIC may read it";
  EXPECT_TRUE(sw.owner(vm_ip(0))) << "addresses go only after the VM's own datagrams completed";
  EXPECT_FALSE(sw.send(0, udp(0, kExternal))) << "a VM being removed accepted a datagram";
  nic.stalled = false;
  sw.remove_vm(0, 5us);
  EXPECT_FALSE(sw.find_vm("vm0"));
  EXPECT_EQ(sw.removed_stats().external, 1u);
  expect_balanced(sw);
}

TEST(SwitchRemove, WaitingHairpinsInBothDirectionsAreDroppedAndCounted) {
  FakeNic nic;
  SwitchConfig c;
  c.hairpin_max_pending = 8;
  c.hairpin_max_age = 1s;
  Switch sw(nic, c);
  sw.add_vm(vm_config(0));
  sw.add_vm(vm_config(1, 2));  // 4 input buffers
  sw.add_vm(vm_config(2, 2));
  for (std::uint16_t i = 0; i < 6; ++i) ASSERT_TRUE(sw.send(0, udp(0, vm_ip(1), i)));  // 2 wait at vm1
  for (std::uint16_t i = 0; i < 6; ++i) ASSERT_TRUE(sw.send(1, udp(1, vm_ip(2), i)));  // 2 wait at vm2
  sw.flush();
  nic.wait(1ns);
  sw.poll();
  ASSERT_EQ(sw.stats(0).pending, 2u);
  ASSERT_EQ(sw.stats(1).pending, 2u);
  sw.remove_vm(1);
  EXPECT_EQ(sw.stats(0).pending, 0u);
  EXPECT_EQ(removed_drops(sw.stats(0)), 2u) << "hairpins waiting for the removed VM";
  EXPECT_EQ(sw.free_output_buffers(0), 16u);
  EXPECT_EQ(removed_drops(sw.removed_stats()), 2u) << "the removed VM's own waiting hairpins";
  EXPECT_EQ(sw.removed_stats().hairpin_in, 4u);
  int received = 0;
  while (sw.receive(2)) ++received;
  EXPECT_EQ(received, 4) << "a waiting hairpin of the removed VM was delivered after removal";
  sw.drain(10us);
  expect_balanced(sw);
}

TEST(SwitchRemove, HairpinInFlightToRemovedVmIsDroppedNotDelivered) {
  FakeNic nic;
  Switch sw(nic);
  sw.add_vm(vm_config(0));
  sw.add_vm(vm_config(1));
  ASSERT_TRUE(sw.send(0, udp(0, vm_ip(1))));
  sw.flush();
  nic.wait(1ns);  // the NIC said HAIRPIN(1) ...
  sw.remove_vm(1);  // ... then the VM went away
  sw.add_vm(VmConfig{"new", {Ipv4Address::parse("10.9.9.9")}});  // takes slot 1
  sw.drain(10us);
  EXPECT_FALSE(sw.receive(1)) << "the new VM in the slot got the old VM's datagram";
  EXPECT_EQ(sw.stats(0).drops(), 1u);
  expect_balanced(sw);
}

TEST(SwitchRemove, HairpinCompletingAfterRemovalCountsVmRemoved) {
  FakeNic nic;
  Switch sw(nic);
  sw.add_vm(vm_config(0));
  sw.add_vm(vm_config(1));
  ASSERT_TRUE(sw.send(0, udp(0, vm_ip(1))));
  sw.flush();
  nic.wait(1ns);
  sw.remove_vm(1);
  sw.drain(10us);
  EXPECT_EQ(removed_drops(sw.stats(0)), 1u);
  expect_balanced(sw);
}

}  // namespace
}  // namespace smartnic
