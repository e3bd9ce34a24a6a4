// Datagrams and frames as the runtime receives them: the IPv4 header decoder and checksum
// (host/src/ipv4.cpp) and the endpoints' frame parsers (host/endpoints/src/ethernet.cpp,
// pcap_ipv4 in pcap.cpp): what TAP endpoints and pcap readers hand on as a VM's datagram.
// The input is one frame/datagram of any length. Contract checked:
//  - parse_ipv4_header: nullopt exactly below 20 bytes, otherwise the fields as on the wire;
//  - ipv4_header_checksum_ok agrees with internet_checksum over IHL words (and false when the
//    IHL is below 5 or longer than the data), and writing the computed checksum makes it pass;
//  - ipv4_payload / pcap_ipv4: the datagram handed on lies inside the frame, starts with a
//    version-4 header, and is the IPv4 total length long when the frame holds that much;
//  - parse_arp -> build_arp reproduces the 28 bytes; proxy_arp_reply answers only requests;
//  - build_udp_datagram with the input as payload gives a datagram these parsers accept.
#include <algorithm>
#include <cstring>

#include "fuzz_check.hpp"
#include "smartnic/endpoints/ethernet.hpp"
#include "smartnic/endpoints/pcap.hpp"
#include "smartnic/ipv4.hpp"

using namespace smartnic;
using namespace smartnic::endpoints;

namespace {

unsigned u8(std::span<const std::byte> d, std::size_t i) { return std::to_integer<unsigned>(d[i]); }
unsigned be16(std::span<const std::byte> d, std::size_t i) { return (u8(d, i) << 8) | u8(d, i + 1); }
std::uint32_t be32(std::span<const std::byte> d, std::size_t i) { return (be16(d, i) << 16) | be16(d, i + 2); }

bool inside(std::span<const std::byte> part, std::span<const std::byte> whole) {
  return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}

void check_ipv4(std::span<const std::byte> d) {
  const auto h = parse_ipv4_header(d);
  FUZZ_CHECK(h.has_value() == (d.size() >= kIpv4HeaderBytes), "parse_ipv4_header: nullopt exactly below 20 bytes");
  if (!h) {
    FUZZ_CHECK(!ipv4_header_checksum_ok(d), "no header, no good checksum");
    return;
  }
  FUZZ_CHECK(h->version == u8(d, 0) >> 4 && h->ihl == (u8(d, 0) & 15) && h->tos == u8(d, 1), "version/IHL/TOS as on the wire");
  FUZZ_CHECK(h->total_length == be16(d, 2) && h->identification == be16(d, 4) && h->flags_fragment == be16(d, 6),
             "lengths and fragment fields big-endian");
  FUZZ_CHECK(h->ttl == u8(d, 8) && h->protocol == u8(d, 9) && h->checksum == be16(d, 10), "TTL, protocol, checksum");
  FUZZ_CHECK(h->src.value() == be32(d, 12) && h->dst.value() == be32(d, 16), "addresses in host order");
  const std::size_t hlen = std::size_t{h->ihl} * 4;
  const bool fits = h->ihl >= 5 && hlen <= d.size();
  const bool ok = ipv4_header_checksum_ok(d);
  FUZZ_CHECK(ok == (fits && internet_checksum(d.first(fits ? hlen : 0)) == 0),
             "checksum_ok == header fits and sums to zero");
  if (fits) {
    // Filling in the checksum the way a sender does must make the header verify.
    std::vector<std::byte> hdr(d.begin(), d.begin() + static_cast<std::ptrdiff_t>(hlen));
    hdr[10] = hdr[11] = std::byte{0};
    const std::uint16_t c = internet_checksum(hdr);
    hdr[10] = std::byte(c >> 8);
    hdr[11] = std::byte(c & 0xFF);
    FUZZ_CHECK(ipv4_header_checksum_ok(hdr), "a header with its computed checksum verifies");
  }
}

void check_frame(std::span<const std::byte> f) {
  const auto eth = parse_ethernet(f);
  FUZZ_CHECK(eth.has_value() == (f.size() >= kEthernetHeaderBytes), "parse_ethernet: nullopt exactly below 14 bytes");
  const auto ip = ipv4_payload(f);
  if (ip) {
    FUZZ_CHECK(eth && eth->ethertype == kEtherTypeIpv4, "ipv4_payload only for EtherType IPv4");
    FUZZ_CHECK(inside(*ip, f) && ip->data() == f.data() + kEthernetHeaderBytes, "the datagram is the frame's payload");
    const auto h = parse_ipv4_header(*ip);
    FUZZ_CHECK(h && h->version == 4 && h->total_length >= kIpv4HeaderBytes, "a version-4 header with a plausible length");
    const std::size_t rest = f.size() - kEthernetHeaderBytes;
    FUZZ_CHECK(ip->size() == std::min<std::size_t>(h->total_length, rest), "trimmed to the total length (padding dropped)");
  }
  for (const std::uint32_t lt : {1u, 101u, 228u, 0u, 113u}) {
    const auto p = pcap_ipv4(lt, f);
    if (!p) continue;
    FUZZ_CHECK(lt == 1 || lt == 101 || lt == 228, "pcap_ipv4 only for the link types it reads");
    FUZZ_CHECK(inside(*p, f) && p->size() >= kIpv4HeaderBytes && (u8(*p, 0) >> 4) == 4, "pcap_ipv4: an IPv4 datagram in the record");
  }
  if (f.size() >= kEthernetHeaderBytes) {
    const auto body = f.subspan(kEthernetHeaderBytes);
    if (const auto arp = parse_arp(body)) {
      const auto again = build_arp(*arp);
      FUZZ_CHECK(again.size() == 28 && std::equal(again.begin(), again.end(), body.begin()), "parse_arp -> build_arp round trip");
    }
    const MacAddress mac{0x02, 0, 0, 0, 0, 0x01};
    if (const auto reply = proxy_arp_reply(f, mac)) {
      const auto req = parse_arp(body);
      FUZZ_CHECK(eth->ethertype == kEtherTypeArp && req && req->operation == 1, "ARP replies answer ARP requests only");
      const auto r = parse_arp(std::span<const std::byte>(*reply).subspan(kEthernetHeaderBytes));
      FUZZ_CHECK(r && r->operation == 2 && r->sender_mac == mac && r->sender_ip == req->target_ip &&
                     r->target_ip == req->sender_ip && r->target_mac == req->sender_mac,
                 "the reply gives our MAC for the asked address, to the asker");
    }
  }
}

void check_build(std::span<const std::byte> payload) {
  if (payload.size() + kIpv4HeaderBytes + kUdpHeaderBytes > 0xFFFF) return;
  UdpDatagramSpec spec;
  if (payload.size() >= 8) {
    spec.src = Ipv4Address(be32(payload, 0));
    spec.dst = Ipv4Address(be32(payload, 4));
  }
  const auto d = build_udp_datagram(spec, payload);
  const auto h = parse_ipv4_header(d);
  FUZZ_CHECK(h && h->version == 4 && h->ihl == 5 && h->total_length == d.size() && h->protocol == kIpProtoUdp,
             "build_udp_datagram: header fields");
  FUZZ_CHECK(h->src == spec.src && h->dst == spec.dst, "build_udp_datagram: addresses");
  FUZZ_CHECK(ipv4_header_checksum_ok(d), "build_udp_datagram: header checksum");
  const auto f = build_ethernet_frame(MacAddress{}, MacAddress{}, kEtherTypeIpv4, d);
  const auto ip = ipv4_payload(f);
  FUZZ_CHECK(ip && ip->size() == d.size() && std::equal(ip->begin(), ip->end(), d.begin()), "frame -> datagram round trip");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto in = fuzz::bytes(data, size);
  check_ipv4(in);
  check_frame(in);
  check_build(in);
  return 0;
}
