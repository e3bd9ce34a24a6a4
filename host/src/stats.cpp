#include "smartnic/stats.hpp"

#include <numeric>

namespace smartnic {

std::uint64_t VmStats::drops() const {
  return std::accumulate(nic_drops.begin(), nic_drops.end(), std::uint64_t{0}) +
         std::accumulate(host_drops.begin(), host_drops.end(), std::uint64_t{0});
}

VmStats& VmStats::operator+=(const VmStats& o) {
  submitted += o.submitted;
  external += o.external;
  hairpin_out += o.hairpin_out;
  hairpin_in += o.hairpin_in;
  received_consumed += o.received_consumed;
  ingress += o.ingress;
  for (std::size_t i = 0; i < ingress_drops.size(); ++i) ingress_drops[i] += o.ingress_drops[i];
  ingress_stale += o.ingress_stale;
  unread += o.unread;
  for (std::size_t i = 0; i < nic_drops.size(); ++i) nic_drops[i] += o.nic_drops[i];
  for (std::size_t i = 0; i < host_drops.size(); ++i) host_drops[i] += o.host_drops[i];
  in_flight += o.in_flight;
  pending += o.pending;
  return *this;
}

std::vector<std::string> check_accounting(std::span<const VmStats> per_vm,
                                          std::span<const std::string> names) {
  std::vector<std::string> errors;
  std::uint64_t out = 0, in = 0;
  for (std::size_t v = 0; v < per_vm.size(); ++v) {
    const VmStats& s = per_vm[v];
    const std::uint64_t accounted = s.external + s.hairpin_out + s.drops() + s.in_flight + s.pending;
    if (accounted != s.submitted) {
      const std::string who = "VM " + std::to_string(v) + (v < names.size() ? " (" + names[v] + ")" : "");
      errors.push_back(who + ": submitted " + std::to_string(s.submitted) + " != external " +
                       std::to_string(s.external) + " + hairpin_out " + std::to_string(s.hairpin_out) +
                       " + drops " + std::to_string(s.drops()) + " + in_flight " +
                       std::to_string(s.in_flight) + " + pending " + std::to_string(s.pending) +
                       " = " + std::to_string(accounted));
    }
    // Receive side: everything delivered to the VM is either taken or still waiting for it.
    if (s.received_consumed + s.unread != s.hairpin_in + s.ingress) {
      errors.push_back("VM " + std::to_string(v) + ": consumed " + std::to_string(s.received_consumed) +
                       " + unread " + std::to_string(s.unread) + " != delivered " +
                       std::to_string(s.hairpin_in) + " (hairpin) + " + std::to_string(s.ingress) +
                       " (network)");
    }
    out += s.hairpin_out;
    in += s.hairpin_in;
  }
  if (out != in) {
    errors.push_back("hairpin_out over all VMs (" + std::to_string(out) +
                     ") != hairpin_in over all VMs (" + std::to_string(in) + ")");
  }
  return errors;
}

}  // namespace smartnic
