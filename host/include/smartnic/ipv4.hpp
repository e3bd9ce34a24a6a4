// IPv4 as the runtime and the VM endpoints need it: addresses (the VM-IP table key), header
// fields, the Internet checksum, and a UDP datagram builder for traffic generators and tests.
// IP mode: a datagram starts with the IPv4 header, there is no Ethernet header.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "smartnic/errors.hpp"

namespace smartnic {

inline constexpr std::size_t kIpv4HeaderBytes = 20;  // without options (IHL = 5)
inline constexpr std::size_t kUdpHeaderBytes = 8;
inline constexpr std::uint8_t kIpProtoUdp = 17;

// An IPv4 address held in host byte order: 192.0.2.1 is 0xC0000201, which is also how the NIC's
// TBL_KEY register wants it.
class Ipv4Address {
 public:
  constexpr Ipv4Address() = default;
  constexpr explicit Ipv4Address(std::uint32_t host_order) : value_(host_order) {}
  constexpr Ipv4Address(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d)
      : value_((std::uint32_t{a} << 24) | (std::uint32_t{b} << 16) | (std::uint32_t{c} << 8) | d) {}

  // Dotted quad, exactly four decimal parts 0..255 without signs or spaces.
  // Throws ConfigError naming the text and the offending part.
  static Ipv4Address parse(std::string_view text);

  constexpr std::uint32_t value() const { return value_; }
  std::string to_string() const;

  constexpr auto operator<=>(const Ipv4Address&) const = default;

 private:
  std::uint32_t value_ = 0;
};

// Header fields as found on the wire, decoded but not judged (a parser for endpoints and checks:
// a version 6 or a short IHL is reported as is, the caller decides what it means).
struct Ipv4Header {
  std::uint8_t version = 4;
  std::uint8_t ihl = 5;  // in 32-bit words
  std::uint8_t tos = 0;
  std::uint16_t total_length = 0;
  std::uint16_t identification = 0;
  std::uint16_t flags_fragment = 0;
  std::uint8_t ttl = 64;
  std::uint8_t protocol = kIpProtoUdp;
  std::uint16_t checksum = 0;
  Ipv4Address src;
  Ipv4Address dst;
};

// RFC 1071 one's-complement sum, folded and complemented. Over a header whose checksum field
// holds the right value the result is 0.
std::uint16_t internet_checksum(std::span<const std::byte> data);

// Decodes the fixed 20-byte header; nullopt when fewer than 20 bytes are given.
std::optional<Ipv4Header> parse_ipv4_header(std::span<const std::byte> datagram);

// True when the header (IHL words, at least 20 bytes present) sums to zero.
bool ipv4_header_checksum_ok(std::span<const std::byte> datagram);

struct UdpDatagramSpec {
  Ipv4Address src;
  Ipv4Address dst;
  std::uint16_t src_port = 49152;
  std::uint16_t dst_port = 9;  // discard
  std::uint16_t identification = 0;
  std::uint8_t ttl = 64;
};

// IPv4 + UDP datagram with correct total length, header checksum and UDP checksum.
// Throws ConfigError when the result would exceed 65535 bytes.
std::vector<std::byte> build_udp_datagram(const UdpDatagramSpec& spec,
                                          std::span<const std::byte> payload);
// Same with `payload_length` bytes of a position-dependent pattern (so corruption shows).
std::vector<std::byte> build_udp_datagram(const UdpDatagramSpec& spec, std::size_t payload_length);

}  // namespace smartnic
