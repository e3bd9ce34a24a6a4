// Per-VM statistics and the accounting invariant: every datagram a VM hands over is sent,
// delivered or dropped with a counted reason, exactly once. At any moment
//   submitted == external + hairpin_out + drops + in_flight + pending
// where in_flight = posted to the NIC, completion not reaped yet, and pending = HAIRPIN verdict
// received, waiting for a free input buffer at the destination.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "smartnic/regs.hpp"

namespace smartnic {

// Drops decided by the runtime, not the NIC.
enum class HostDropReason : std::uint8_t {
  INPUT_FULL = 0,  // hairpin destination had no free input buffer within the configured bound
  TOO_BIG = 1,     // datagram longer than an output buffer; never posted to the NIC
  NO_SUCH_VM = 2,  // NIC said HAIRPIN to a VM id the runtime has not defined
  // The destination address was removed from (or moved away from) the VM the NIC chose while
  // the datagram was in flight: after remove_address returns, the old owner gets nothing.
  STALE_OWNER = 3,
  // The sending or the destination VM was removed (Switch::remove_vm) while the datagram waited
  // for an input buffer, was in flight, or was posted but not yet fetched by the NIC.
  VM_REMOVED = 4,
};
inline constexpr unsigned kNumHostDropReasons = 5;
inline constexpr std::array<std::string_view, kNumHostDropReasons> kHostDropReasonNames = {
    "input_full", "too_big", "no_such_vm", "stale_owner", "vm_removed"};

struct VmStats {
  std::uint64_t submitted = 0;          // accepted by send()
  std::uint64_t external = 0;           // sent to the network port
  std::uint64_t hairpin_out = 0;        // delivered into another VM's input ring
  std::uint64_t hairpin_in = 0;         // delivered into this VM's input ring
  std::uint64_t received_consumed = 0;  // taken by receive()
  // From the network (the NIC's RX path into this VM's ingress buffers):
  std::uint64_t ingress = 0;            // datagrams delivered into this VM's ingress buffers
  std::array<std::uint64_t, regs::kNumDropReasons> ingress_drops{};  // buffers the NIC returned unused
  std::uint64_t ingress_stale = 0;      // delivered for an address the VM no longer owns: discarded
  std::uint64_t unread = 0;             // delivered (hairpin or ingress), not yet taken by receive()
  std::array<std::uint64_t, regs::kNumDropReasons> nic_drops{};
  std::array<std::uint64_t, kNumHostDropReasons> host_drops{};
  std::uint64_t in_flight = 0;
  std::uint64_t pending = 0;

  std::uint64_t drops() const;

  VmStats& operator+=(const VmStats& o);
};

// Empty when the invariant holds; otherwise one line per violation, naming the VM (by index in
// `per_vm`, with `names` when given) and every term of the equation. Also checks that the sum
// of hairpin_out equals the sum of hairpin_in.
std::vector<std::string> check_accounting(std::span<const VmStats> per_vm,
                                          std::span<const std::string> names = {});

}  // namespace smartnic
