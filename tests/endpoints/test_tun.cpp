// TunEndpoint: the namespace's Linux IP stack is the VM; the test plays everything behind the
// TUN (it answers ICMP echo requests by hand).
#include <gtest/gtest.h>
#include <poll.h>

#include "net_util.hpp"
#include "netns_fixture.hpp"
#include "smartnic/endpoints/tuntap.hpp"

namespace smartnic::endpoints::test {
namespace {

class TunTest : public NetnsTest {};

// Reads what the VM sent and answers echo requests; returns the number of requests answered.
std::function<void()> echo_server(Endpoint& ep, int& answered, int& other) {
  return [&ep, &answered, &other] {
    pollfd p{ep.poll_fd(), POLLIN, 0};
    ::poll(&p, 1, 10);
    while (auto d = ep.read()) {
      if (auto r = icmp_echo_reply(*d)) {
        ep.write(*r);
        ++answered;
      } else {
        ++other;
      }
    }
  };
}

TEST_F(TunTest, PingIntoTheTunIsAnsweredByTheTest) {
  TunConfig cfg;
  cfg.netns = ns_name("tun");
  cfg.device = dev_name();
  TunEndpoint vm(cfg);
  EXPECT_NE(vm.poll_fd(), -1);
  EXPECT_NE(vm.describe().find("192.0.2.10/24"), std::string::npos);

  // The routes: all three ranges into the TUN, nothing else (no default route).
  const std::string routes = vm.netns().ip({"route", "show"});
  for (const char* r : {"192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"}) {
    EXPECT_NE(routes.find(r), std::string::npos) << routes;
  }
  EXPECT_EQ(routes.find("default"), std::string::npos) << routes;

  int answered = 0, other = 0;
  const auto ping = ping_from(vm.netns(), Ipv4Address(192, 0, 2, 20), 3, 56,
                              echo_server(vm, answered, other));
  EXPECT_EQ(ping.received, 3) << ping.output;
  EXPECT_EQ(ping.transmitted, 3) << ping.output;
  EXPECT_EQ(answered, 3);
  EXPECT_EQ(other, 0);
  const auto c = vm.counters();
  EXPECT_EQ(c.read_datagrams, 3u);
  EXPECT_EQ(c.written_datagrams, 3u);
  EXPECT_EQ(c.write_dropped, 0u);
  if (!ping.system_ping) std::cout << "[ note ] iputils ping not installed: built-in ping used\n";
}

TEST_F(TunTest, AddressesInEveryTestRangeAreRoutedIntoTheTun) {
  TunConfig cfg;
  cfg.netns = ns_name("tunr");
  cfg.device = dev_name();
  TunEndpoint vm(cfg);
  int answered = 0, other = 0;
  for (auto dst : {Ipv4Address(198, 51, 100, 1), Ipv4Address(203, 0, 113, 7)}) {
    const auto ping = ping_from(vm.netns(), dst, 1, 16, echo_server(vm, answered, other));
    EXPECT_EQ(ping.received, 1) << dst.to_string() << ": " << ping.output;
  }
  EXPECT_EQ(answered, 2);
}

TEST_F(TunTest, JumboMtu9000CarriesAnUnfragmented8972ByteDatagram) {
  TunConfig cfg;
  cfg.netns = ns_name("tunj");
  cfg.device = dev_name();
  cfg.mtu = 9000;
  TunEndpoint vm(cfg);
  EXPECT_NE(vm.netns().ip({"link", "show", "dev", cfg.device}).find("mtu 9000"), std::string::npos);
  std::size_t biggest = 0;
  int answered = 0;
  auto serve = [&] {
    pollfd p{vm.poll_fd(), POLLIN, 0};
    ::poll(&p, 1, 10);
    while (auto d = vm.read()) {
      biggest = std::max(biggest, d->size());
      if (auto r = icmp_echo_reply(*d)) {
        vm.write(*r);
        ++answered;
      }
    }
  };
  const auto ping = ping_from(vm.netns(), Ipv4Address(192, 0, 2, 20), 1, 9000 - 28, serve);
  EXPECT_EQ(ping.received, 1) << ping.output;
  EXPECT_EQ(biggest, 9000u);  // one datagram, not fragments
}

TEST_F(TunTest, WriteCountsDatagramsTheKernelOrTheEndpointRefuses) {
  TunConfig cfg;
  cfg.netns = ns_name("tunw");
  cfg.device = dev_name();
  TunEndpoint vm(cfg);
  const std::vector<std::byte> junk(10, std::byte{0x45});
  vm.write(junk);  // shorter than an IPv4 header
  std::vector<std::byte> v6(40);
  v6[0] = std::byte{0x60};
  vm.write(v6);  // not IPv4
  EXPECT_EQ(vm.counters().write_dropped, 2u);
  EXPECT_EQ(vm.counters().written_datagrams, 0u);
  EXPECT_FALSE(vm.read().has_value());
}

}  // namespace
}  // namespace smartnic::endpoints::test
