#include <gtest/gtest.h>

#include "smartnic/ipv4.hpp"

namespace smartnic {
namespace {

std::vector<std::byte> bytes(std::initializer_list<int> v) {
  std::vector<std::byte> out;
  for (int b : v) out.push_back(static_cast<std::byte>(b));
  return out;
}

TEST(Ipv4Address, ParsesAndFormats) {
  const auto a = Ipv4Address::parse("192.0.2.1");
  EXPECT_EQ(a.value(), 0xC0000201u);
  EXPECT_EQ(a.to_string(), "192.0.2.1");
  EXPECT_EQ(Ipv4Address::parse("0.0.0.0").value(), 0u);
  EXPECT_EQ(Ipv4Address::parse("255.255.255.255").value(), 0xFFFFFFFFu);
  EXPECT_EQ(Ipv4Address(198, 51, 100, 7), Ipv4Address::parse("198.51.100.7"));
}

TEST(Ipv4Address, RejectsBadTextWithClearMessage) {
  for (const char* bad : {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "a.b.c.d", "1..2.3", " 1.2.3.4",
                          "1.2.3.4 ", "+1.2.3.4", "1.2.3.-4", "1.2.3.0004", "1.2.3.4."}) {
    try {
      Ipv4Address::parse(bad);
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find("'" + std::string(bad) + "'"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("192.0.2.1"), std::string::npos) << "no example given";
    }
  }
}

// The header from the Wikipedia "IPv4 header checksum" example: checksum 0xB861.
TEST(Ipv4Checksum, KnownVector) {
  auto h = bytes({0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00, 0xc0, 0xa8,
                  0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7});
  EXPECT_EQ(internet_checksum(h), 0xB861);
  h[10] = std::byte{0xB8};
  h[11] = std::byte{0x61};
  EXPECT_EQ(internet_checksum(h), 0);
  EXPECT_TRUE(ipv4_header_checksum_ok(h));
  h[15] = std::byte{0x02};
  EXPECT_FALSE(ipv4_header_checksum_ok(h));
}

TEST(Ipv4Checksum, OddLengthPadsWithZero) {
  EXPECT_EQ(internet_checksum(bytes({0x01})), static_cast<std::uint16_t>(~0x0100));
}

TEST(UdpDatagram, BuildsConsistentHeaders) {
  UdpDatagramSpec spec;
  spec.src = Ipv4Address::parse("192.0.2.10");
  spec.dst = Ipv4Address::parse("203.0.113.5");
  spec.identification = 0x1234;
  const auto d = build_udp_datagram(spec, 100);
  ASSERT_EQ(d.size(), 128u);
  const auto h = parse_ipv4_header(d);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->version, 4);
  EXPECT_EQ(h->ihl, 5);
  EXPECT_EQ(h->total_length, 128);
  EXPECT_EQ(h->identification, 0x1234);
  EXPECT_EQ(h->protocol, kIpProtoUdp);
  EXPECT_EQ(h->src, spec.src);
  EXPECT_EQ(h->dst, spec.dst);
  EXPECT_TRUE(ipv4_header_checksum_ok(d));

  // UDP checksum: pseudo header + UDP segment sums to zero.
  std::vector<std::byte> pseudo(d.begin() + 12, d.begin() + 20);
  pseudo.push_back(std::byte{0});
  pseudo.push_back(std::byte{kIpProtoUdp});
  pseudo.push_back(std::byte{0});
  pseudo.push_back(std::byte{108});
  pseudo.insert(pseudo.end(), d.begin() + 20, d.end());
  EXPECT_EQ(internet_checksum(pseudo), 0);
}

TEST(UdpDatagram, EmptyPayloadAndLimits) {
  UdpDatagramSpec spec;
  EXPECT_EQ(build_udp_datagram(spec, 0).size(), kIpv4HeaderBytes + kUdpHeaderBytes);
  EXPECT_EQ(build_udp_datagram(spec, 65535 - 28).size(), 65535u);
  EXPECT_THROW(build_udp_datagram(spec, 65535 - 27), ConfigError);
}

TEST(Ipv4Header, ShortInputIsNotAHeader) {
  EXPECT_FALSE(parse_ipv4_header(std::vector<std::byte>(19)));
  EXPECT_FALSE(ipv4_header_checksum_ok(std::vector<std::byte>(19)));
}

}  // namespace
}  // namespace smartnic
