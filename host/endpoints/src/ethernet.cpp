#include "smartnic/endpoints/ethernet.hpp"

#include <cstdio>

#include "bytes.hpp"
#include "smartnic/errors.hpp"

namespace smartnic::endpoints {
using namespace detail;

namespace {
MacAddress mac_at(std::span<const std::byte> b, std::size_t at) {
  MacAddress m{};
  for (std::size_t i = 0; i < 6; ++i) m[i] = std::to_integer<std::uint8_t>(b[at + i]);
  return m;
}
void put_mac(std::span<std::byte> b, std::size_t at, const MacAddress& m) {
  for (std::size_t i = 0; i < 6; ++i) b[at + i] = std::byte(m[i]);
}
}  // namespace

std::string mac_to_string(const MacAddress& mac) {
  char s[18];
  std::snprintf(s, sizeof s, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
                mac[4], mac[5]);
  return s;
}

MacAddress parse_mac(std::string_view text) {
  MacAddress m{};
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  bool ok = text.size() == 17;
  for (std::size_t i = 0; ok && i < 6; ++i) {
    const int hi = hex(text[3 * i]);
    const int lo = hex(text[3 * i + 1]);
    ok = hi >= 0 && lo >= 0 && (i == 5 || text[3 * i + 2] == ':');
    if (ok) m[i] = static_cast<std::uint8_t>(hi * 16 + lo);
  }
  if (!ok) throw ConfigError("bad MAC address '" + std::string(text) + "' (aa:bb:cc:dd:ee:ff)");
  return m;
}

std::optional<EthernetHeader> parse_ethernet(std::span<const std::byte> frame) {
  if (frame.size() < kEthernetHeaderBytes) return std::nullopt;
  return EthernetHeader{mac_at(frame, 0), mac_at(frame, 6), be16(frame, 12)};
}

std::vector<std::byte> build_ethernet_frame(const MacAddress& dst, const MacAddress& src,
                                            std::uint16_t ethertype,
                                            std::span<const std::byte> payload) {
  std::vector<std::byte> f(kEthernetHeaderBytes + payload.size());
  put_mac(f, 0, dst);
  put_mac(f, 6, src);
  put16(f, 12, ethertype);
  std::copy(payload.begin(), payload.end(), f.begin() + kEthernetHeaderBytes);
  return f;
}

std::optional<ArpPacket> parse_arp(std::span<const std::byte> b) {
  if (b.size() < 28) return std::nullopt;
  // htype 1 (Ethernet), ptype IPv4, hlen 6, plen 4
  if (be16(b, 0) != 1 || be16(b, 2) != kEtherTypeIpv4 || b[4] != std::byte{6} ||
      b[5] != std::byte{4}) {
    return std::nullopt;
  }
  ArpPacket a;
  a.operation = be16(b, 6);
  a.sender_mac = mac_at(b, 8);
  a.sender_ip = Ipv4Address(be32(b, 14));
  a.target_mac = mac_at(b, 18);
  a.target_ip = Ipv4Address(be32(b, 24));
  return a;
}

std::vector<std::byte> build_arp(const ArpPacket& a) {
  std::vector<std::byte> b(28);
  put16(b, 0, 1);
  put16(b, 2, kEtherTypeIpv4);
  b[4] = std::byte{6};
  b[5] = std::byte{4};
  put16(b, 6, a.operation);
  put_mac(b, 8, a.sender_mac);
  put32(b, 14, a.sender_ip.value());
  put_mac(b, 18, a.target_mac);
  put32(b, 24, a.target_ip.value());
  return b;
}

std::optional<std::vector<std::byte>> proxy_arp_reply(std::span<const std::byte> request,
                                                      const MacAddress& mac) {
  const auto eth = parse_ethernet(request);
  if (!eth || eth->ethertype != kEtherTypeArp) return std::nullopt;
  const auto arp = parse_arp(request.subspan(kEthernetHeaderBytes));
  if (!arp || arp->operation != 1) return std::nullopt;
  if (arp->sender_ip.value() == 0 || arp->sender_ip == arp->target_ip) return std::nullopt;
  ArpPacket reply;
  reply.operation = 2;
  reply.sender_mac = mac;
  reply.sender_ip = arp->target_ip;
  reply.target_mac = arp->sender_mac;
  reply.target_ip = arp->sender_ip;
  return build_ethernet_frame(arp->sender_mac, mac, kEtherTypeArp, build_arp(reply));
}

std::optional<std::span<const std::byte>> ipv4_payload(std::span<const std::byte> frame) {
  const auto eth = parse_ethernet(frame);
  if (!eth || eth->ethertype != kEtherTypeIpv4) return std::nullopt;
  auto p = frame.subspan(kEthernetHeaderBytes);
  const auto h = parse_ipv4_header(p);
  if (!h || h->version != 4 || h->total_length < kIpv4HeaderBytes) return std::nullopt;
  if (h->total_length < p.size()) p = p.first(h->total_length);  // Ethernet padding
  return p;
}

}  // namespace smartnic::endpoints
