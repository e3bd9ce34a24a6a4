// Wires endpoints to the VMs of a Switch: the loop that makes a namespace, a pcap or a traffic
// generator a VM of the runtime. Each round reads datagrams from every endpoint and hands them
// to Switch::send(vm, ...), polls the switch, and writes what Switch::receive(vm) yields to the
// VM's endpoint. A datagram send() refuses (no free output buffer) is held and offered again
// first next round: back-pressure reaches the endpoint (its kernel queue or file), nothing is
// lost here.
//
// Datagrams the NIC sends out of its port (EXTERNAL) do not come back through receive(): the
// port's frames belong to whatever plays the wire (ExternalHostTap::write_frame, a pcap).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "smartnic/endpoints/endpoint.hpp"
#include "smartnic/switch.hpp"

namespace smartnic::endpoints {

struct PumpCounters {
  std::uint64_t to_switch = 0;    // datagrams accepted by Switch::send
  std::uint64_t refused = 0;      // send() returned false (held, retried)
  std::uint64_t from_switch = 0;  // datagrams from Switch::receive written to an endpoint
  std::uint64_t rounds = 0;
};

class SwitchPump {
 public:
  explicit SwitchPump(Switch& sw) : sw_(sw) {}
  // One endpoint per VM; the endpoint must outlive the pump.
  void attach(VmId vm, Endpoint& endpoint);
  // One round (see above): at most `burst` datagrams read per endpoint. Returns datagrams moved.
  std::size_t step(std::size_t burst = 64);
  // Rounds until until() is true (checked after each round) or `timeout` of real time passes;
  // returns until()'s last value. A round that moved nothing, with nothing in flight in the
  // switch, waits up to `idle` for an endpoint fd to become readable.
  bool run(const std::function<bool()>& until, std::chrono::milliseconds timeout,
           std::chrono::milliseconds idle = std::chrono::milliseconds(2));
  const PumpCounters& counters() const { return counters_; }

 private:
  struct Port {
    VmId vm;
    Endpoint* endpoint;
    std::optional<std::vector<std::byte>> held;
  };
  Switch& sw_;
  std::vector<Port> ports_;
  PumpCounters counters_;
};

}  // namespace smartnic::endpoints
