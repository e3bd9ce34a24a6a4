// TapEndpoint (a QEMU-style TAP in its own namespace) and ExternalHostTap (a host on the wire).
#include <gtest/gtest.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <sys/socket.h>

#include "net_util.hpp"
#include "netns_fixture.hpp"
#include "smartnic/endpoints/tuntap.hpp"

namespace smartnic::endpoints::test {
namespace {

class TapTest : public NetnsTest {};

TEST_F(TapTest, PingThroughTapWithProxyArp) {
  TapConfig cfg;
  cfg.netns = ns_name("tap");
  cfg.device = dev_name();
  TapEndpoint vm(cfg);
  int answered = 0;
  auto serve = [&] {
    pollfd p{vm.poll_fd(), POLLIN, 0};
    ::poll(&p, 1, 10);
    while (auto d = vm.read()) {
      if (auto r = icmp_echo_reply(*d)) {
        vm.write(*r);
        ++answered;
      }
    }
  };
  const auto ping = ping_from(vm.netns(), Ipv4Address(192, 0, 2, 20), 3, 56, serve);
  EXPECT_EQ(ping.received, 3) << ping.output;
  EXPECT_EQ(answered, 3);
  EXPECT_GE(vm.counters().arp_answered, 1u);
  EXPECT_EQ(vm.guest_mac(), cfg.guest_mac);
  // The namespace learned the switch's MAC for the pinged address.
  const std::string neigh = vm.netns().ip({"neigh", "show", "192.0.2.20"});
  EXPECT_NE(neigh.find(mac_to_string(cfg.switch_mac)), std::string::npos) << neigh;
}

TEST_F(TapTest, OtherEtherTypesAreCountedAndDropped) {
  TapConfig cfg;
  cfg.netns = ns_name("tape");
  cfg.device = dev_name();
  TapEndpoint vm(cfg);
  while (vm.read()) {
  }
  const auto before = vm.counters().read_dropped;
  // A frame with the local experimental EtherType 0x88b5, sent by the guest through a packet
  // socket on its own device.
  UniqueFd s = vm.netns().socket(AF_PACKET, SOCK_RAW, 0);
  unsigned ifindex = 0;
  vm.netns().run_inside([&] { ifindex = ::if_nametoindex(cfg.device.c_str()); });
  ASSERT_NE(ifindex, 0u);
  auto frame = build_ethernet_frame(cfg.switch_mac, cfg.guest_mac, 0x88b5,
                                    std::vector<std::byte>(46, std::byte{0xab}));
  sockaddr_ll to{};
  to.sll_family = AF_PACKET;
  to.sll_ifindex = static_cast<int>(ifindex);
  to.sll_halen = 6;
  std::copy(cfg.switch_mac.begin(), cfg.switch_mac.end(), to.sll_addr);
  ASSERT_EQ(::sendto(s.get(), frame.data(), frame.size(), 0, reinterpret_cast<sockaddr*>(&to),
                     sizeof to),
            static_cast<ssize_t>(frame.size()));
  pollfd p{vm.poll_fd(), POLLIN, 0};
  ASSERT_EQ(::poll(&p, 1, 2000), 1);
  EXPECT_FALSE(vm.read().has_value());
  EXPECT_EQ(vm.other_ethertypes(), 1u);
  EXPECT_EQ(vm.counters().read_dropped, before + 1);
  EXPECT_EQ(vm.counters().read_datagrams, 0u);
}

// The external host ARPs for its gateway (the NIC side) and sends to a VM address through it;
// the frames carry its own MAC and address. Frame level: the test answers ARP itself here.
TEST_F(TapTest, ExternalHostSendsFramesToTheVmsViaTheNic) {
  ExternalHostConfig cfg;
  cfg.netns = ns_name("ext");
  cfg.device = dev_name();
  ExternalHostTap host(cfg);
  const std::string routes = host.netns().ip({"route", "show"});
  EXPECT_NE(routes.find("192.0.2.0/24 via 198.51.100.254"), std::string::npos) << routes;
  EXPECT_EQ(routes.find("default"), std::string::npos) << routes;

  int arp = 0, echo = 0;
  auto serve = [&] {
    pollfd p{host.poll_fd(), POLLIN, 0};
    ::poll(&p, 1, 10);
    while (auto f = host.read_frame()) {
      const auto eth = parse_ethernet(*f);
      ASSERT_TRUE(eth);
      EXPECT_EQ(eth->src, cfg.host_mac);
      if (auto reply = proxy_arp_reply(*f, cfg.nic_mac)) {
        const auto a = parse_arp(std::span<const std::byte>(*f).subspan(kEthernetHeaderBytes));
        EXPECT_EQ(a->target_ip, Ipv4Address(198, 51, 100, 254));  // asks for the gateway only
        host.write_frame(*reply);
        ++arp;
        continue;
      }
      const auto ip = ipv4_payload(*f);
      ASSERT_TRUE(ip);
      EXPECT_EQ(eth->dst, cfg.nic_mac);
      if (auto r = icmp_echo_reply(*ip)) {
        EXPECT_EQ(parse_ipv4_header(*ip)->src, Ipv4Address(198, 51, 100, 1));
        EXPECT_TRUE(host.write_frame(
            build_ethernet_frame(cfg.host_mac, cfg.nic_mac, kEtherTypeIpv4, *r)));
        ++echo;
      }
    }
  };
  const auto ping = ping_from(host.netns(), Ipv4Address(192, 0, 2, 10), 2, 56, serve);
  EXPECT_EQ(ping.received, 2) << ping.output;
  EXPECT_EQ(echo, 2);
  EXPECT_GE(arp, 1);
}

}  // namespace
}  // namespace smartnic::endpoints::test
