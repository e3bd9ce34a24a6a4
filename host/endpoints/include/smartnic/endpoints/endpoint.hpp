// An Endpoint plays one VM (or the external network) as a source and sink of IPv4 datagrams,
// independent of the NIC: read() yields the next datagram the VM sent (IP mode: it starts with
// the IPv4 header), write() hands the VM a datagram it receives. A pump loop moves datagrams
// between endpoints and the runtime's Switch (see switch_pump.hpp and docs/endpoints.md).
//
// Threading: an endpoint is driven by one thread at a time.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace smartnic::endpoints {

struct EndpointCounters {
  std::uint64_t read_datagrams = 0;   // datagrams returned by read()
  std::uint64_t read_bytes = 0;
  std::uint64_t read_dropped = 0;     // read from the device/file but not IPv4: counted, dropped
  std::uint64_t written_datagrams = 0;  // datagrams accepted by write()
  std::uint64_t written_bytes = 0;
  std::uint64_t write_dropped = 0;    // write() could not deliver (device refused, not IPv4)
  std::uint64_t arp_answered = 0;     // ARP requests answered on the switch's behalf (TAP)
};

class Endpoint {
 public:
  virtual ~Endpoint() = default;
  Endpoint() = default;
  Endpoint(const Endpoint&) = delete;
  Endpoint& operator=(const Endpoint&) = delete;

  // Next datagram from the VM, or nullopt when none is ready now. Never blocks.
  virtual std::optional<std::vector<std::byte>> read() = 0;
  // Delivers a datagram to the VM. Never blocks; a datagram the VM side refuses is counted in
  // write_dropped (a pump must not stop for one bad datagram). Throws smartnic::Error only when
  // the endpoint itself is broken (device gone, file not writable).
  virtual void write(std::span<const std::byte> datagram) = 0;
  // A file descriptor that polls readable (POLLIN) when read() may return something, or -1 when
  // the endpoint is always ready (files, generators): then call read() without waiting.
  virtual int poll_fd() const { return -1; }
  // Short name (a VM name) and a one-line description for logs and reports.
  virtual std::string name() const = 0;
  virtual std::string describe() const = 0;
  virtual EndpointCounters counters() const = 0;
};

// Waits until any of the endpoints' poll fds is readable or `timeout` passes. Endpoints without
// a poll fd count as always ready (returns at once). Returns true when something may be ready.
bool wait_readable(std::span<Endpoint* const> endpoints, std::chrono::milliseconds timeout);

}  // namespace smartnic::endpoints
