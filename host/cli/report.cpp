#include "report.hpp"

#include <iomanip>
#include <string>
#include <vector>

namespace smartnic::cli {

namespace {

// Drop columns are listed only when some VM has such a drop: a 16-column table of zeros hides
// what matters.
std::vector<std::pair<std::string, std::vector<std::uint64_t>>> columns(const ScenarioResult& r) {
  std::vector<const VmStats*> rows;
  for (const auto& s : r.stats) rows.push_back(&s);
  rows.push_back(&r.totals);
  std::vector<std::pair<std::string, std::vector<std::uint64_t>>> cols;
  auto add = [&](std::string name, auto get, bool always) {
    std::vector<std::uint64_t> v;
    for (const VmStats* s : rows) v.push_back(get(*s));
    if (always || v.back() != 0) cols.emplace_back(std::move(name), std::move(v));
  };
  add("submitted", [](const VmStats& s) { return s.submitted; }, true);
  add("external", [](const VmStats& s) { return s.external; }, true);
  add("hairpin_out", [](const VmStats& s) { return s.hairpin_out; }, true);
  add("hairpin_in", [](const VmStats& s) { return s.hairpin_in; }, true);
  add("from_net", [](const VmStats& s) { return s.ingress; }, false);
  add("consumed", [](const VmStats& s) { return s.received_consumed; }, true);
  add("drops", [](const VmStats& s) { return s.drops(); }, true);
  for (unsigned k = 0; k < regs::kNumDropReasons; ++k) {
    add("drop:" + std::string(regs::kDropReasonNames[k]), [k](const VmStats& s) { return s.nic_drops[k]; }, false);
  }
  for (unsigned k = 0; k < kNumHostDropReasons; ++k) {
    add("drop:" + std::string(kHostDropReasonNames[k]), [k](const VmStats& s) { return s.host_drops[k]; }, false);
  }
  add("in_flight", [](const VmStats& s) { return s.in_flight + s.pending; }, false);
  return cols;
}

}  // namespace

void print_report(std::ostream& out, const ScenarioResult& r) {
  const auto cols = columns(r);
  std::size_t name_w = 5;
  for (const auto& n : r.vm_names) name_w = std::max(name_w, n.size());
  out << std::left << std::setw(static_cast<int>(name_w)) << "vm" << std::right;
  for (const auto& [name, values] : cols) out << "  " << std::setw(static_cast<int>(std::max<std::size_t>(name.size(), 8))) << name;
  out << '\n';
  for (std::size_t row = 0; row <= r.stats.size(); ++row) {
    const std::string label = row < r.stats.size() ? r.vm_names[row] : "total";
    out << std::left << std::setw(static_cast<int>(name_w)) << label << std::right;
    for (const auto& [name, values] : cols) {
      out << "  " << std::setw(static_cast<int>(std::max<std::size_t>(name.size(), 8))) << values[row];
    }
    out << '\n';
  }
  out << "frames on the port: " << r.frames << ", datagrams received by VMs: " << r.received << '\n';
  if (r.ingress_sent) {
    out << "from the network: " << r.ingress_sent << " sent to the VMs, " << r.ingress_received
        << " received, " << r.ingress_refused << " refused by the NIC (counted: rx_overflow, rx_no_buffer)\n";
  }
  if (r.accounting_errors.empty()) {
    out << "accounting: OK (submitted == external + hairpin_out + drops + in_flight for every VM)\n";
  } else {
    out << "accounting: FAILED\n";
    for (const auto& e : r.accounting_errors) out << "  " << e << '\n';
  }
  if (r.check_errors.empty()) {
    out << "scenario checks: OK (verdict counts, delivered datagrams and port frames as generated)\n";
  } else {
    out << "scenario checks: FAILED\n";
    for (const auto& e : r.check_errors) out << "  " << e << '\n';
  }
}

}  // namespace smartnic::cli
