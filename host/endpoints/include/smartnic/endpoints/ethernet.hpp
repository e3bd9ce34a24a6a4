// Ethernet II and ARP (IPv4 over Ethernet) as the TAP endpoints and the pcap writer need them.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "smartnic/ipv4.hpp"

namespace smartnic {
// Same type as in switch.hpp (a redeclaration of an identical alias is allowed).
using MacAddress = std::array<std::uint8_t, 6>;
}  // namespace smartnic

namespace smartnic::endpoints {

inline constexpr std::size_t kEthernetHeaderBytes = 14;
inline constexpr std::uint16_t kEtherTypeIpv4 = 0x0800;
inline constexpr std::uint16_t kEtherTypeArp = 0x0806;
inline constexpr MacAddress kBroadcastMac{0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

std::string mac_to_string(const MacAddress& mac);  // "02:00:00:00:00:01"
MacAddress parse_mac(std::string_view text);        // throws ConfigError

struct EthernetHeader {
  MacAddress dst{};
  MacAddress src{};
  std::uint16_t ethertype = 0;
};

std::optional<EthernetHeader> parse_ethernet(std::span<const std::byte> frame);
std::vector<std::byte> build_ethernet_frame(const MacAddress& dst, const MacAddress& src,
                                            std::uint16_t ethertype,
                                            std::span<const std::byte> payload);

struct ArpPacket {
  std::uint16_t operation = 1;  // 1 request, 2 reply
  MacAddress sender_mac{};
  Ipv4Address sender_ip;
  MacAddress target_mac{};
  Ipv4Address target_ip;
};

// The 28-byte ARP body (after the Ethernet header); nullopt unless Ethernet/IPv4 ARP.
std::optional<ArpPacket> parse_arp(std::span<const std::byte> body);
std::vector<std::byte> build_arp(const ArpPacket& arp);
// The Ethernet frame answering `request` (a frame) with `mac` as the owner of the target address,
// or nullopt when it is not an ARP request that should be answered (a reply, a probe with sender
// 0.0.0.0, a gratuitous ARP for the sender's own address).
std::optional<std::vector<std::byte>> proxy_arp_reply(std::span<const std::byte> request,
                                                      const MacAddress& mac);

// IPv4 datagram inside an Ethernet frame: the payload trimmed to the IPv4 total length (drops
// Ethernet padding); nullopt unless EtherType IPv4 with a plausible header.
std::optional<std::span<const std::byte>> ipv4_payload(std::span<const std::byte> frame);

}  // namespace smartnic::endpoints
