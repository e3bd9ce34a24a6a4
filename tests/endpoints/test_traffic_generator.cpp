#include <gtest/gtest.h>

#include <set>

#include "smartnic/endpoints/ethernet.hpp"
#include "smartnic/endpoints/traffic_generator.hpp"
#include "smartnic/errors.hpp"

namespace smartnic::endpoints::test {
namespace {

TEST(TrafficGenerator, CountSizesDestinationsAndChecksums) {
  TrafficConfig c;
  c.destinations = {Ipv4Address(192, 0, 2, 20), Ipv4Address(198, 51, 100, 1),
                    Ipv4Address(203, 0, 113, 9)};
  c.min_size = 60;
  c.max_size = 9000;
  c.count = 300;
  TrafficGenerator g(c);
  std::set<std::size_t> sizes;
  std::uint64_t seq = 0;
  while (auto d = g.read()) {
    const auto h = parse_ipv4_header(*d);
    ASSERT_TRUE(h);
    EXPECT_TRUE(ipv4_header_checksum_ok(*d));
    EXPECT_EQ(h->total_length, d->size());
    EXPECT_EQ(h->src, c.source);
    EXPECT_EQ(h->dst, c.destinations[seq % 3]);
    EXPECT_GE(d->size(), 60u);
    EXPECT_LE(d->size(), 9000u);
    EXPECT_EQ(TrafficGenerator::sequence_of(*d), seq);
    sizes.insert(d->size());
    ++seq;
  }
  EXPECT_EQ(seq, 300u);
  EXPECT_TRUE(g.done());
  EXPECT_GT(sizes.size(), 100u);
  EXPECT_EQ(g.stats().sent_to.at(Ipv4Address(198, 51, 100, 1).value()), 100u);
  EXPECT_EQ(g.counters().read_datagrams, 300u);
}

TEST(TrafficGenerator, SameSeedSameTraffic) {
  TrafficConfig c;
  c.destinations = {Ipv4Address(192, 0, 2, 20)};
  c.count = 20;
  TrafficGenerator a(c), b(c);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(a.read(), b.read());
}

TEST(TrafficGenerator, RateIsKept) {
  TrafficConfig c;
  c.destinations = {Ipv4Address(192, 0, 2, 20)};
  c.count = 50;
  c.rate = 1000;
  TrafficGenerator g(c);
  const auto start = std::chrono::steady_clock::now();
  std::uint64_t got = 0;
  while (!g.done()) {
    if (g.read()) ++got;
  }
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(got, 50u);
  EXPECT_GE(took, std::chrono::milliseconds(48));
  EXPECT_LT(took, std::chrono::milliseconds(1000));
}

TEST(TrafficGenerator, CountsWhatComesBack) {
  TrafficConfig c;
  c.destinations = {Ipv4Address(192, 0, 2, 20)};
  c.count = 5;
  TrafficGenerator g(c);
  TrafficConfig other = c;
  other.source = Ipv4Address(192, 0, 2, 20);
  other.destinations = {Ipv4Address(192, 0, 2, 10)};
  TrafficGenerator peer(other);
  for (int i = 0; i < 5; ++i) g.write(*peer.read());
  UdpDatagramSpec s;
  s.src = Ipv4Address(203, 0, 113, 1);
  s.dst = c.source;
  g.write(build_udp_datagram(s, 10));  // not a generator's datagram
  auto broken = build_udp_datagram(s, 10);
  broken[8] = std::byte{1};  // TTL changed: header checksum wrong
  g.write(broken);
  EXPECT_EQ(g.stats().received, 7u);
  EXPECT_EQ(g.stats().received_generated, 5u);
  EXPECT_EQ(g.stats().received_bad, 1u);
  EXPECT_EQ(g.stats().received_from.at(Ipv4Address(192, 0, 2, 20).value()), 5u);
}

TEST(TrafficGenerator, BadConfigsThrow) {
  TrafficConfig c;
  EXPECT_THROW(TrafficGenerator{c}, ConfigError);  // no destinations
  c.destinations = {Ipv4Address(192, 0, 2, 20)};
  c.min_size = 20;
  EXPECT_THROW(TrafficGenerator{c}, ConfigError);
  c.min_size = 100;
  c.max_size = 99;
  EXPECT_THROW(TrafficGenerator{c}, ConfigError);
  c.max_size = 9001;
  EXPECT_THROW(TrafficGenerator{c}, ConfigError);
}

TEST(Ethernet, ProxyArpAnswersRequestsButNotProbesOrGratuitous) {
  const MacAddress guest{2, 0, 0, 0, 1, 10}, sw{2, 0, 0, 0, 0, 1};
  ArpPacket req;
  req.sender_mac = guest;
  req.sender_ip = Ipv4Address(192, 0, 2, 10);
  req.target_ip = Ipv4Address(203, 0, 113, 5);
  const auto frame = build_ethernet_frame(kBroadcastMac, guest, kEtherTypeArp, build_arp(req));
  const auto reply = proxy_arp_reply(frame, sw);
  ASSERT_TRUE(reply);
  const auto eth = parse_ethernet(*reply);
  EXPECT_EQ(eth->dst, guest);
  EXPECT_EQ(eth->src, sw);
  const auto a = parse_arp(std::span<const std::byte>(*reply).subspan(kEthernetHeaderBytes));
  ASSERT_TRUE(a);
  EXPECT_EQ(a->operation, 2);
  EXPECT_EQ(a->sender_mac, sw);
  EXPECT_EQ(a->sender_ip, req.target_ip);
  EXPECT_EQ(a->target_mac, guest);
  EXPECT_EQ(a->target_ip, req.sender_ip);

  ArpPacket probe = req;
  probe.sender_ip = Ipv4Address(0u);
  EXPECT_FALSE(proxy_arp_reply(build_ethernet_frame(kBroadcastMac, guest, kEtherTypeArp,
                                                    build_arp(probe)), sw));
  ArpPacket grat = req;
  grat.target_ip = grat.sender_ip;
  EXPECT_FALSE(proxy_arp_reply(build_ethernet_frame(kBroadcastMac, guest, kEtherTypeArp,
                                                    build_arp(grat)), sw));
  EXPECT_EQ(parse_mac("02:00:00:00:00:fe"), (MacAddress{2, 0, 0, 0, 0, 0xfe}));
  EXPECT_THROW(parse_mac("02:00:00:00:00"), ConfigError);
  EXPECT_EQ(mac_to_string(sw), "02:00:00:00:00:01");
}

}  // namespace
}  // namespace smartnic::endpoints::test
