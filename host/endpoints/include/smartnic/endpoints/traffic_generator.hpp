// A built-in VM that sends UDP datagrams (smartnic::build_udp_datagram) to a list of
// destinations, round robin, with sizes drawn from a range, up to a count and at a rate, and
// counts what comes back.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "smartnic/endpoints/endpoint.hpp"
#include "smartnic/ipv4.hpp"

namespace smartnic::endpoints {

struct TrafficConfig {
  std::string name = "traffic";
  Ipv4Address source{192, 0, 2, 10};
  std::vector<Ipv4Address> destinations;
  std::size_t min_size = 64;    // whole datagram (IPv4 + UDP + payload), >= 44
  std::size_t max_size = 1500;  // <= 9000
  std::uint64_t count = 1000;   // datagrams to send; 0 = no limit
  double rate = 0;              // datagrams per second; 0 = one per read() call
  std::uint32_t seed = 1;
  std::uint16_t src_port = 49152;
  std::uint16_t dst_port = 9;
};

struct TrafficStats {
  std::uint64_t sent = 0;
  std::uint64_t sent_bytes = 0;
  std::uint64_t received = 0;
  std::uint64_t received_bytes = 0;
  std::uint64_t received_bad = 0;        // not IPv4, bad header checksum, or length mismatch
  std::uint64_t received_generated = 0;  // carries a traffic generator's payload tag
  std::map<std::uint32_t, std::uint64_t> sent_to;          // by destination address
  std::map<std::uint32_t, std::uint64_t> received_from;    // by source address
};

class TrafficGenerator : public Endpoint {
 public:
  // Throws ConfigError on an empty destination list or a bad size range.
  explicit TrafficGenerator(TrafficConfig config);
  // Next datagram, or nullopt when the count is reached or the next one is not due yet.
  std::optional<std::vector<std::byte>> read() override;
  void write(std::span<const std::byte> datagram) override;
  std::string name() const override { return config_.name; }
  std::string describe() const override;
  EndpointCounters counters() const override { return counters_; }

  bool done() const { return config_.count != 0 && stats_.sent >= config_.count; }
  const TrafficStats& stats() const { return stats_; }
  // Payload layout: 8-byte tag "SNICTGEN", 8-byte sequence number (big-endian), pattern.
  static std::optional<std::uint64_t> sequence_of(std::span<const std::byte> datagram);

 private:
  TrafficConfig config_;
  std::mt19937 rng_;
  std::optional<std::chrono::steady_clock::time_point> start_;
  TrafficStats stats_;
  EndpointCounters counters_;
};

}  // namespace smartnic::endpoints
