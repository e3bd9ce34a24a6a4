// Helpers for the namespace tests: ICMP echo replies built by hand (the test plays the far end
// of a TUN/TAP), ping from inside a namespace (the system's ping when installed, else a small
// built-in one on a raw socket), and a TCP transfer between two namespaces checked byte for byte.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "smartnic/endpoints/netns.hpp"
#include "smartnic/ipv4.hpp"

namespace smartnic::endpoints::test {

// The echo reply to an ICMP echo request datagram (addresses swapped, type 0, both checksums
// recomputed), or nullopt for anything else.
std::optional<std::vector<std::byte>> icmp_echo_reply(std::span<const std::byte> datagram);

struct PingOutcome {
  int transmitted = 0;
  int received = 0;
  bool system_ping = false;  // iputils ping was used (else the built-in one)
  std::string output;
};

// Pings `dst` from inside `ns` `count` times (1 s timeout each) with `payload` bytes of ICMP
// data, calling serve() over and over meanwhile (it should wait briefly itself, e.g. poll an fd
// for 10 ms). Uses `ping -c count -W 1 -i 0.2 -s payload dst` when ping is installed.
PingOutcome ping_from(const NetNamespace& ns, Ipv4Address dst, int count, std::size_t payload,
                      const std::function<void()>& serve);

struct TransferOutcome {
  bool ok = false;
  std::string error;
  double seconds = 0;  // both directions
};

// Client in `client_ns` connects to a server in `server_ns` at server_addr:port, sends `bytes` of
// a pattern; the server checks every byte and echoes all back; the client checks every byte.
// Every socket has a 10 s timeout.
TransferOutcome tcp_transfer(const NetNamespace& server_ns, Ipv4Address server_addr,
                             std::uint16_t port, const NetNamespace& client_ns, std::size_t bytes);

}  // namespace smartnic::endpoints::test
