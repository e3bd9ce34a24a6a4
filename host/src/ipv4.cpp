#include "smartnic/ipv4.hpp"

#include <charconv>

#include "byte_order.hpp"

namespace smartnic {

using detail::load_be16;
using detail::load_be32;
using detail::store_be16;
using detail::store_be32;

Ipv4Address Ipv4Address::parse(std::string_view text) {
  auto fail = [&](std::string_view why) {
    return ConfigError("invalid IPv4 address '" + std::string(text) + "': " + std::string(why) +
                       " (expected four decimal numbers 0..255 separated by dots, e.g. 192.0.2.1)");
  };
  std::uint32_t value = 0;
  std::string_view rest = text;
  for (int part = 0; part < 4; ++part) {
    const auto dot = rest.find('.');
    const std::string_view field = rest.substr(0, dot);
    if (part < 3 && dot == std::string_view::npos) throw fail("fewer than four parts");
    if (part == 3 && dot != std::string_view::npos) throw fail("more than four parts");
    if (field.empty()) throw fail("empty part");
    if (field.size() > 3) throw fail("part '" + std::string(field) + "' is too long");
    unsigned n = 0;
    const auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), n);
    if (ec != std::errc{} || end != field.data() + field.size()) {
      throw fail("part '" + std::string(field) + "' is not a decimal number");
    }
    if (n > 255) throw fail("part '" + std::string(field) + "' is above 255");
    value = (value << 8) | n;
    rest = dot == std::string_view::npos ? std::string_view{} : rest.substr(dot + 1);
  }
  return Ipv4Address(value);
}

std::string Ipv4Address::to_string() const {
  return std::to_string(value_ >> 24) + '.' + std::to_string((value_ >> 16) & 0xFF) + '.' +
         std::to_string((value_ >> 8) & 0xFF) + '.' + std::to_string(value_ & 0xFF);
}

namespace {
// Unfolded 32-bit one's-complement accumulation, so a pseudo header and the data can be summed
// separately and folded once.
std::uint32_t sum16(std::span<const std::byte> data, std::uint32_t acc = 0) {
  std::size_t i = 0;
  for (; i + 1 < data.size(); i += 2) acc += load_be16(data, i);
  if (i < data.size()) acc += std::to_integer<std::uint32_t>(data[i]) << 8;
  return acc;
}

std::uint16_t fold(std::uint32_t acc) {
  while (acc >> 16) acc = (acc & 0xFFFF) + (acc >> 16);
  return static_cast<std::uint16_t>(~acc);
}
}  // namespace

std::uint16_t internet_checksum(std::span<const std::byte> data) { return fold(sum16(data)); }

std::optional<Ipv4Header> parse_ipv4_header(std::span<const std::byte> d) {
  if (d.size() < kIpv4HeaderBytes) return std::nullopt;
  Ipv4Header h;
  const auto b0 = std::to_integer<std::uint8_t>(d[0]);
  h.version = b0 >> 4;
  h.ihl = b0 & 0x0F;
  h.tos = std::to_integer<std::uint8_t>(d[1]);
  h.total_length = load_be16(d, 2);
  h.identification = load_be16(d, 4);
  h.flags_fragment = load_be16(d, 6);
  h.ttl = std::to_integer<std::uint8_t>(d[8]);
  h.protocol = std::to_integer<std::uint8_t>(d[9]);
  h.checksum = load_be16(d, 10);
  h.src = Ipv4Address(load_be32(d, 12));
  h.dst = Ipv4Address(load_be32(d, 16));
  return h;
}

bool ipv4_header_checksum_ok(std::span<const std::byte> d) {
  const auto h = parse_ipv4_header(d);
  if (!h || h->ihl < 5 || std::size_t{h->ihl} * 4 > d.size()) return false;
  return internet_checksum(d.first(std::size_t{h->ihl} * 4)) == 0;
}

std::vector<std::byte> build_udp_datagram(const UdpDatagramSpec& spec,
                                          std::span<const std::byte> payload) {
  const std::size_t total = kIpv4HeaderBytes + kUdpHeaderBytes + payload.size();
  if (total > 0xFFFF) {
    throw ConfigError("UDP payload of " + std::to_string(payload.size()) +
                      " bytes does not fit in one IPv4 datagram (at most 65507 bytes)");
  }
  std::vector<std::byte> d(total);
  std::span<std::byte> s(d);
  s[0] = std::byte{0x45};  // version 4, IHL 5
  store_be16(s, 2, static_cast<std::uint16_t>(total));
  store_be16(s, 4, spec.identification);
  store_be16(s, 6, 0x4000);  // DF: the switch never fragments
  s[8] = std::byte{spec.ttl};
  s[9] = std::byte{kIpProtoUdp};
  store_be32(s, 12, spec.src.value());
  store_be32(s, 16, spec.dst.value());
  store_be16(s, 10, internet_checksum(s.first(kIpv4HeaderBytes)));

  const auto udp = s.subspan(kIpv4HeaderBytes);
  const auto udp_len = static_cast<std::uint16_t>(kUdpHeaderBytes + payload.size());
  store_be16(udp, 0, spec.src_port);
  store_be16(udp, 2, spec.dst_port);
  store_be16(udp, 4, udp_len);
  std::copy(payload.begin(), payload.end(), udp.begin() + kUdpHeaderBytes);
  // Pseudo header: src, dst, zero + protocol, UDP length (RFC 768).
  std::uint32_t acc = (spec.src.value() >> 16) + (spec.src.value() & 0xFFFF) +
                      (spec.dst.value() >> 16) + (spec.dst.value() & 0xFFFF) + kIpProtoUdp + udp_len;
  std::uint16_t csum = fold(sum16(udp, acc));
  if (csum == 0) csum = 0xFFFF;  // 0 would mean "no checksum"
  store_be16(udp, 6, csum);
  return d;
}

std::vector<std::byte> build_udp_datagram(const UdpDatagramSpec& spec, std::size_t payload_length) {
  std::vector<std::byte> payload(payload_length);
  for (std::size_t i = 0; i < payload_length; ++i) {
    payload[i] = static_cast<std::byte>((i * 7 + spec.identification) & 0xFF);
  }
  return build_udp_datagram(spec, payload);
}

}  // namespace smartnic
