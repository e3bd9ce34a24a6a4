// Real Linux IP stacks talking through the Verilated NIC, in process: two TUN namespaces as VMs a
// (192.0.2.10) and b (192.0.2.11) of a Switch on a SimDevice, and an external host (a TAP in its
// own namespace, 198.51.100.1, on-link routes to the VM ranges, no static ARP) on the NIC's
// network port, joined by the loop `smartnic run` uses (NicLoop, host/cli/run_command.hpp).
// Pings VM -> VM (hairpin), VM -> external and external -> VM, the external host's ARP for a VM
// address answered by the NIC, and 1 MiB over TCP VM -> VM and VM -> external (echoed back, so
// both directions), checked byte for byte.
#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <memory>
#include <regex>
#include <thread>

#include "net_util.hpp"
#include "netns_fixture.hpp"
#include "run_command.hpp"
#include "smartnic/endpoints/ethernet.hpp"
#include "smartnic/endpoints/tuntap.hpp"

namespace smartnic::endpoints::test {
namespace {

using namespace std::chrono_literals;
using cli::NicLoop;

const Ipv4Address kA(192, 0, 2, 10);
const Ipv4Address kB(192, 0, 2, 11);
const Ipv4Address kExt(198, 51, 100, 1);

class ThroughNicTest : public NetnsTest {
 protected:
  void SetUp() override {
    NetnsTest::SetUp();
    if (IsSkipped()) return;
    device_ = std::make_unique<SimDevice>();
    sw_ = std::make_unique<Switch>(*device_);
    TunConfig ca;
    ca.netns = ns_name("nica");
    ca.device = dev_name();
    ca.addresses = {"192.0.2.10/24"};
    TunConfig cb = ca;
    cb.netns = ns_name("nicb");
    cb.device = dev_name();
    cb.addresses = {"192.0.2.11/24"};
    a_ = std::make_unique<TunEndpoint>(ca);
    b_ = std::make_unique<TunEndpoint>(cb);
    // The external host as `smartnic run --external tap:198.51.100.1` makes it: the MAC the NIC
    // sends to, the test ranges on-link so it ARPs for VM addresses itself.
    ExternalHostConfig ec;
    ec.netns = ns_name("nicx");
    ec.device = dev_name();
    ec.host_mac = SwitchConfig{}.mac_dst;
    ec.nic_mac = SwitchConfig{}.mac_src;
    TapConfig tc = ExternalHostTap::to_tap_config(ec);
    tc.gateway.reset();
    tc.routes = all_test_ranges();
    ext_ = std::make_unique<TapEndpoint>(tc);

    va_ = sw_->add_vm(VmConfig{"a", {kA}});
    vb_ = sw_->add_vm(VmConfig{"b", {kB}});
    loop_ = std::make_unique<NicLoop>(*sw_, *device_);
    loop_->attach(va_, *a_);
    loop_->attach(vb_, *b_);
    cli::Wire wire;
    wire.read_frame = [this] { return ext_->read_frame(); };
    wire.write_frame = [this](std::span<const std::byte> f) {
      const auto eth = parse_ethernet(f);
      if (eth && eth->ethertype == kEtherTypeArp) ++arp_from_nic_;
      if (eth && eth->dst != SwitchConfig{}.mac_dst && eth->dst != kBroadcastMac) ++frames_to_wrong_mac_;
      ext_->write_frame(f);
    };
    wire.poll_fd = ext_->poll_fd();
    loop_->set_wire(std::move(wire));
  }

  void TearDown() override {
    loop_.reset();
    ext_.reset();
    b_.reset();
    a_.reset();
    sw_.reset();
    device_.reset();
    NetnsTest::TearDown();
  }

  // Lets the NIC loop run while a ping waits (the ping helper calls this over and over).
  std::function<void()> serve() {
    return [this] { loop_->run([] { return false; }, 10ms); };
  }

  static std::string rtt(const std::string& ping_output) {
    std::smatch m;
    if (std::regex_search(ping_output, m, std::regex(R"(rtt min/avg/max/mdev = (\S+) ms)"))) {
      return m[1].str() + " ms (min/avg/max/mdev)";
    }
    return "n/a (built-in ping)";
  }

  void expect_clean() {
    EXPECT_TRUE(sw_->check_accounting().empty());
    const VmStats t = sw_->totals();
    EXPECT_EQ(t.drops(), 0u);
    for (const auto& s : sw_->all_stats()) {
      for (auto d : s.ingress_drops) EXPECT_EQ(d, 0u);
    }
    EXPECT_EQ(a_->counters().write_dropped, 0u);
    EXPECT_EQ(b_->counters().write_dropped, 0u);
    EXPECT_EQ(frames_to_wrong_mac_, 0u);
    EXPECT_EQ(device_->protocol_violation_count(), 0u) << device_->protocol_violation_report();
  }

  std::unique_ptr<SimDevice> device_;
  std::unique_ptr<Switch> sw_;
  std::unique_ptr<TunEndpoint> a_, b_;
  std::unique_ptr<TapEndpoint> ext_;
  std::unique_ptr<NicLoop> loop_;
  VmId va_ = 0, vb_ = 0;
  std::uint64_t arp_from_nic_ = 0;
  std::uint64_t frames_to_wrong_mac_ = 0;
};

TEST_F(ThroughNicTest, PingHairpinToAndFromTheExternalHostWithArpAnsweredByTheNic) {
  // The external host has no neighbour entry for the VM yet: no static ARP anywhere.
  EXPECT_EQ(ext_->netns().ip({"neigh", "show", "192.0.2.11"}).find("lladdr"), std::string::npos);

  const auto hairpin = ping_from(a_->netns(), kB, 3, 56, serve());
  EXPECT_EQ(hairpin.received, 3) << hairpin.output;
  EXPECT_EQ(sw_->stats(va_).hairpin_out, 3u);
  EXPECT_EQ(sw_->stats(vb_).hairpin_out, 3u);
  EXPECT_EQ(loop_->counters().frames_out, 0u) << "hairpin traffic must never appear on the port";

  const auto out = ping_from(a_->netns(), kExt, 3, 56, serve());
  EXPECT_EQ(out.received, 3) << out.output;
  EXPECT_GE(sw_->stats(va_).external, 3u);
  EXPECT_GE(sw_->stats(va_).ingress, 3u);  // the replies came in through the NIC's RX path

  const auto in = ping_from(ext_->netns(), kB, 3, 56, serve());
  EXPECT_EQ(in.received, 3) << in.output;
  EXPECT_GE(sw_->stats(vb_).ingress, 3u);
  EXPECT_GE(sw_->stats(vb_).external, 3u);

  // The NIC answered the external host's ARP requests for the VM addresses (in RTL): the host's
  // neighbour table holds the NIC's MAC for them, learned, not permanent.
  EXPECT_GE(arp_from_nic_, 1u);
  for (const char* vm : {"192.0.2.10", "192.0.2.11"}) {
    const std::string neigh = ext_->netns().ip({"neigh", "show", vm});
    EXPECT_NE(neigh.find(mac_to_string(SwitchConfig{}.mac_src)), std::string::npos) << vm << ": " << neigh;
    EXPECT_EQ(neigh.find("PERMANENT"), std::string::npos) << neigh;
  }
  loop_->settle(500ms);
  expect_clean();
  std::cout << "[ measure ] ping RTT through the simulated NIC: hairpin a->b " << rtt(hairpin.output)
            << "; a->external " << rtt(out.output) << "; external->b " << rtt(in.output) << '\n';
}

TEST_F(ThroughNicTest, TcpOneMegabyteVmToVmAndVmToExternalByteForByte) {
  constexpr std::size_t kBytes = 1024 * 1024;
  TransferOutcome hairpin, external;
  {
    // The loop runs on its own thread while the transfers block this one; it alone drives the
    // Switch and the endpoints until it is joined.
    std::jthread pump([this](std::stop_token stop) {
      loop_->run([&] { return stop.stop_requested(); }, 120s);
    });
    hairpin = tcp_transfer(b_->netns(), kB, 5001, a_->netns(), kBytes);
    external = tcp_transfer(ext_->netns(), kExt, 5002, a_->netns(), kBytes);
  }
  EXPECT_TRUE(hairpin.ok) << hairpin.error;
  EXPECT_TRUE(external.ok) << external.error;
  loop_->settle(500ms);
  const VmStats sa = sw_->stats(va_), sb = sw_->stats(vb_);
  // 1 MiB each way in segments of at most 1448 bytes of payload.
  EXPECT_GT(sa.hairpin_out, kBytes / 1500);
  EXPECT_GT(sb.hairpin_out, kBytes / 1500);
  EXPECT_GT(sa.external, kBytes / 1500);
  EXPECT_GT(sa.ingress, kBytes / 1500);
  expect_clean();
  auto mbit = [&](const TransferOutcome& t) { return 2.0 * kBytes * 8 / t.seconds / 1e6; };
  if (hairpin.ok && external.ok) {
    std::cout << "[ measure ] TCP through the simulated NIC, 1 MiB each way: VM<->VM (hairpin) "
              << hairpin.seconds << " s = " << mbit(hairpin) << " Mbit/s; VM<->external " << external.seconds
              << " s = " << mbit(external) << " Mbit/s (both directions together); "
              << device_->cycles() << " cycles simulated\n";
  }
}

}  // namespace
}  // namespace smartnic::endpoints::test
