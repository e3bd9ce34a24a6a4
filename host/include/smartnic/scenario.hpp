// A self-checking traffic scenario on any Device: N VMs at 192.0.2.(10+i) send random UDP
// datagrams to each other (hairpin), to external hosts (198.51.100.0/24, 203.0.113.0/24) and a
// fraction of malformed ones; external hosts send datagrams to the VMs through the NIC's port
// (when the device has a port the scenario can feed). The generator knows what it built, so it checks the outcome
// itself: verdict counts per VM, the content of every delivered datagram and of every frame
// on the network port, and the runtime's accounting invariant. `smartnic sim` runs it on the
// Verilated NIC; tests can run it on any Device.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "smartnic/device.hpp"
#include "smartnic/stats.hpp"
#include "smartnic/switch.hpp"

namespace smartnic {

struct ScenarioConfig {
  unsigned vms = 4;
  std::uint64_t datagrams = 1000;
  // Datagram length (IPv4 total length) drawn uniformly from [size_min, size_max]. Well-formed
  // datagrams are at least 28 bytes (IPv4 + UDP header); above 9000 the NIC drops them
  // (DESC_LEN), above 9216 the runtime does (TOO_BIG).
  std::size_t size_min = 64;
  std::size_t size_max = 1500;
  double external_fraction = 0.3;
  double malformed_fraction = 0.02;  // short, bad version, IHL, total length, checksum; spoofed source
  std::uint64_t seed = 1;
  std::chrono::nanoseconds drain_timeout{std::chrono::milliseconds(50)};  // device time
  unsigned tx_ring_log2 = 8;
  unsigned input_ring_log2 = 8;
  // Datagrams from external hosts to the VMs, arriving on the network port while the VMs send.
  std::uint64_t ingress = 0;
  SwitchConfig switch_config{};
  // Called with (handed over so far, total) every `progress_every` datagrams and once at the end,
  // so a long run can show that it is moving; 0 or an empty function = never.
  std::uint64_t progress_every = 0;
  std::function<void(std::uint64_t, std::uint64_t)> progress;
  // Called once the switch and its VMs are set up, before the first datagram (so a caller can
  // measure the traffic alone, without the device's start-up such as the table clear).
  std::function<void()> on_ready;
};

// Returns (and forgets) the Ethernet frames the device sent on its network port so far.
using FrameSource = std::function<std::vector<std::vector<std::byte>>()>;
// Puts an Ethernet frame on the wire towards the device's network port.
using FrameSink = std::function<void(std::vector<std::byte>)>;

struct ScenarioResult {
  std::vector<std::string> vm_names;
  std::vector<VmStats> stats;
  VmStats totals;
  std::vector<std::string> accounting_errors;  // the runtime's invariant (Switch::check_accounting)
  std::vector<std::string> check_errors;       // the generator's own expectations
  std::uint64_t frames = 0;
  std::uint64_t received = 0;           // by the VMs, hairpin and from the network
  std::uint64_t ingress_sent = 0;       // frames put on the wire towards the NIC
  std::uint64_t ingress_received = 0;   // of those, datagrams the VMs received
  std::uint64_t ingress_refused = 0;    // ... and frames the NIC refused, counted (overflow, no buffer)
  std::chrono::nanoseconds device_time{0};  // waited by the runtime
  bool ok() const { return accounting_errors.empty() && check_errors.empty(); }
};

// Throws ConfigError on a bad configuration (sizes, fractions, more VMs than the NIC has).
// `inject` may be empty when config.ingress is 0.
ScenarioResult run_scenario(Device& device, const ScenarioConfig& config, const FrameSource& take_frames,
                            const FrameSink& inject = {});

}  // namespace smartnic
