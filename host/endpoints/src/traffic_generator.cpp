#include "smartnic/endpoints/traffic_generator.hpp"

#include <cstring>

#include "bytes.hpp"
#include "smartnic/errors.hpp"

namespace smartnic::endpoints {
using namespace detail;

namespace {
constexpr char kTag[8] = {'S', 'N', 'I', 'C', 'T', 'G', 'E', 'N'};
constexpr std::size_t kHeaders = kIpv4HeaderBytes + kUdpHeaderBytes;
constexpr std::size_t kMinSize = kHeaders + 16;  // tag + sequence
}  // namespace

TrafficGenerator::TrafficGenerator(TrafficConfig config)
    : config_(std::move(config)), rng_(config_.seed) {
  if (config_.destinations.empty()) throw ConfigError("traffic generator: no destinations");
  if (config_.min_size < kMinSize || config_.max_size > 9000 ||
      config_.min_size > config_.max_size) {
    throw ConfigError("traffic generator: size range " + std::to_string(config_.min_size) + ".." +
                      std::to_string(config_.max_size) + " outside " + std::to_string(kMinSize) +
                      "..9000");
  }
  if (config_.rate < 0) throw ConfigError("traffic generator: negative rate");
}

std::optional<std::vector<std::byte>> TrafficGenerator::read() {
  if (done()) return std::nullopt;
  const auto now = std::chrono::steady_clock::now();
  if (!start_) start_ = now;
  if (config_.rate > 0) {
    const auto due = *start_ + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                   std::chrono::duration<double>(
                                       static_cast<double>(stats_.sent) / config_.rate));
    if (now < due) return std::nullopt;
  }
  std::uniform_int_distribution<std::size_t> size(config_.min_size, config_.max_size);
  const std::size_t total = size(rng_);
  const std::uint64_t seq = stats_.sent;
  std::vector<std::byte> payload(total - kHeaders);
  std::memcpy(payload.data(), kTag, sizeof kTag);
  put32(payload, 8, static_cast<std::uint32_t>(seq >> 32));
  put32(payload, 12, static_cast<std::uint32_t>(seq));
  for (std::size_t i = 16; i < payload.size(); ++i) {
    payload[i] = std::byte(static_cast<std::uint8_t>(i * 7 + seq));
  }
  UdpDatagramSpec spec;
  spec.src = config_.source;
  spec.dst = config_.destinations[seq % config_.destinations.size()];
  spec.src_port = config_.src_port;
  spec.dst_port = config_.dst_port;
  spec.identification = static_cast<std::uint16_t>(seq);
  auto d = build_udp_datagram(spec, payload);
  ++stats_.sent;
  stats_.sent_bytes += d.size();
  ++stats_.sent_to[spec.dst.value()];
  ++counters_.read_datagrams;
  counters_.read_bytes += d.size();
  return d;
}

std::optional<std::uint64_t> TrafficGenerator::sequence_of(std::span<const std::byte> d) {
  const auto h = parse_ipv4_header(d);
  if (!h || h->protocol != kIpProtoUdp) return std::nullopt;
  const std::size_t off = std::size_t{h->ihl} * 4 + kUdpHeaderBytes;
  if (d.size() < off + 16 || std::memcmp(d.data() + off, kTag, sizeof kTag) != 0) {
    return std::nullopt;
  }
  return (std::uint64_t{be32(d, off + 8)} << 32) | be32(d, off + 12);
}

void TrafficGenerator::write(std::span<const std::byte> datagram) {
  ++counters_.written_datagrams;
  counters_.written_bytes += datagram.size();
  ++stats_.received;
  stats_.received_bytes += datagram.size();
  const auto h = parse_ipv4_header(datagram);
  if (!h || h->version != 4 || !ipv4_header_checksum_ok(datagram) ||
      h->total_length != datagram.size()) {
    ++stats_.received_bad;
    return;
  }
  ++stats_.received_from[h->src.value()];
  if (sequence_of(datagram)) ++stats_.received_generated;
}

std::string TrafficGenerator::describe() const {
  std::string s = "traffic generator " + config_.name + " from " + config_.source.to_string() +
                  " to " + std::to_string(config_.destinations.size()) + " destination(s), " +
                  std::to_string(config_.min_size) + ".." + std::to_string(config_.max_size) +
                  " B";
  s += config_.count ? ", " + std::to_string(config_.count) + " datagrams" : ", unlimited";
  if (config_.rate > 0) s += ", " + std::to_string(config_.rate) + "/s";
  return s;
}

}  // namespace smartnic::endpoints
