// SwitchPump wiring endpoints to the runtime's VMs, against the C++ NIC stand-in of the runtime
// unit tests (tests/host/fake_nic.*): a traffic generator and a pcap sink without root, and two
// TUN namespaces pinging each other through Switch hairpin delivery with root.
#include <gtest/gtest.h>

#include <filesystem>
#include <unistd.h>

#include "fake_nic.hpp"
#include "net_util.hpp"
#include "netns_fixture.hpp"
#include "smartnic/endpoints/pcap.hpp"
#include "smartnic/endpoints/switch_pump.hpp"
#include "smartnic/endpoints/traffic_generator.hpp"
#include "smartnic/endpoints/tuntap.hpp"

namespace smartnic::endpoints::test {
namespace {

PcapEndpointConfig reading(const std::string& name, const std::filesystem::path& in) {
  PcapEndpointConfig c;
  c.name = name;
  c.input = in;
  return c;
}
PcapEndpointConfig writing(const std::string& name, const std::filesystem::path& out,
                           PcapLinkType lt) {
  PcapEndpointConfig c;
  c.name = name;
  c.output = out;
  c.output_linktype = lt;
  return c;
}

TEST(SwitchPump, GeneratorToPcapThroughHairpinWithBackPressure) {
  smartnic::test::FakeNic nic;
  Switch sw(nic);
  const VmId a = sw.add_vm(VmConfig{"gen", {Ipv4Address(192, 0, 2, 10)}, 3, 3});
  const VmId b = sw.add_vm(VmConfig{"sink", {Ipv4Address(192, 0, 2, 20)}, 3, 3});
  TrafficConfig tc;
  tc.destinations = {Ipv4Address(192, 0, 2, 20)};
  tc.count = 500;
  tc.max_size = 1500;
  TrafficGenerator gen(tc);
  const auto path = std::filesystem::temp_directory_path() /
                    ("snic-pump-" + std::to_string(::getpid()) + ".pcap");
  {
    PcapEndpoint sink(writing("sink", path, PcapLinkType::Ipv4));
    SwitchPump pump(sw);
    pump.attach(a, gen);
    pump.attach(b, sink);
    EXPECT_THROW(pump.attach(a, sink), ConfigError);
    EXPECT_TRUE(pump.run([&] { return sink.counters().written_datagrams == 500; },
                         std::chrono::seconds(20)));
    EXPECT_EQ(pump.counters().to_switch, 500u);
    EXPECT_EQ(pump.counters().from_switch, 500u);
    EXPECT_GT(pump.counters().refused, 0u);  // 8 output buffers: back-pressure was exercised
    EXPECT_TRUE(sw.check_accounting().empty());
  }
  // What the sink VM received is exactly what the generator sent, in order.
  TrafficGenerator again(tc);
  PcapEndpoint check(reading("check", path));
  for (int i = 0; i < 500; ++i) {
    auto want = again.read();
    auto got = check.read();
    ASSERT_TRUE(got);
    EXPECT_EQ(*got, *want) << i;
  }
  EXPECT_FALSE(check.read());
  std::filesystem::remove(path);
}

class SwitchPumpNetns : public NetnsTest {};

TEST_F(SwitchPumpNetns, TwoTunVmsPingEachOtherThroughTheSwitch) {
  smartnic::test::FakeNic nic;
  Switch sw(nic);
  TunConfig ca;
  ca.netns = ns_name("swa");
  ca.device = dev_name();
  ca.addresses = {"192.0.2.10/24"};
  TunConfig cb = ca;
  cb.netns = ns_name("swb");
  cb.device = dev_name();
  cb.addresses = {"192.0.2.20/24"};
  TunEndpoint ea(ca);
  TunEndpoint eb(cb);
  const VmId a = sw.add_vm(VmConfig{"a", {Ipv4Address(192, 0, 2, 10)}});
  const VmId b = sw.add_vm(VmConfig{"b", {Ipv4Address(192, 0, 2, 20)}});
  SwitchPump pump(sw);
  pump.attach(a, ea);
  pump.attach(b, eb);
  const auto ping = ping_from(ea.netns(), Ipv4Address(192, 0, 2, 20), 3, 56, [&] {
    pump.run([] { return false; }, std::chrono::milliseconds(10));
  });
  EXPECT_EQ(ping.received, 3) << ping.output;
  EXPECT_EQ(sw.stats(a).hairpin_out, 3u);
  EXPECT_EQ(sw.stats(b).hairpin_out, 3u);
  EXPECT_TRUE(sw.check_accounting().empty());
}

}  // namespace
}  // namespace smartnic::endpoints::test
