// Human-readable output of the control commands (the --json form prints the result as is).
#include <iomanip>
#include <sstream>

#include "control_cli.hpp"
#include "text_table.hpp"

namespace smartnic::cli {

using control::Json;

namespace {

std::string num(const Json& j) {
  if (j.is_int()) return std::to_string(j.as_int());
  if (j.is_number()) {
    std::ostringstream s;
    s << j.as_double();
    return s.str();
  }
  if (j.is_string()) return j.as_string();
  return j.is_null() ? "-" : j.dump();
}

std::string join_ips(const Json& ips) {
  std::string out;
  for (const Json& a : ips.as_array()) out += (out.empty() ? "" : ",") + a.as_string();
  return out.empty() ? "-" : out;
}

std::string traffic_text(const Json& vm) {
  const Json& t = vm["traffic"];
  if (t.is_null()) return "-";
  std::ostringstream s;
  s << num(t["rate"]) << "/s " << num(t["size"]) << "B";
  return s.str();
}

void print_vm(std::ostream& out, const std::string& verb, const Json& vm) {
  out << verb << " VM '" << vm["name"].as_string() << "' (slot " << num(vm["id"]) << "): addresses " << join_ips(vm["ips"]);
  if (vm.find("tx_ring_log2")) {
    out << ", " << (1 << vm["tx_ring_log2"].as_int()) << " output buffers, " << (1 << vm["input_ring_log2"].as_int())
        << " input buffers";
  }
  if (!vm["traffic"].is_null()) out << ", traffic " << traffic_text(vm);
  out << '\n';
}

// Per-VM counters plus a total row; drop columns only when some row has such drops.
void print_stats(std::ostream& out, const Json& r) {
  std::vector<std::pair<std::string, const Json*>> rows;
  for (const Json& v : r["vms"].as_array()) rows.emplace_back(v["name"].as_string(), &v);
  const Json* removed = r.find("removed");
  if (removed && (*removed)["submitted"].as_int() + (*removed)["hairpin_in"].as_int() > 0) rows.emplace_back("(removed)", removed);
  rows.emplace_back("total", &r["totals"]);
  const std::vector<std::string> cols = {"submitted", "external", "hairpin_out", "hairpin_in", "consumed", "drops", "in_flight", "pending"};
  std::vector<std::string> head = {"vm"};
  head.insert(head.end(), cols.begin(), cols.end());
  std::vector<bool> numeric(head.size(), true);
  numeric[0] = false;
  TextTable t(head, numeric);
  for (const auto& [name, s] : rows) {
    std::vector<std::string> cells = {name};
    for (const auto& c : cols) cells.push_back(num((*s)[c]));
    t.row(cells);
  }
  t.print(out);

  out << "\ndrops by reason:\n";
  TextTable d({"reason", "where", "count"}, {false, false, true});
  for (const Json& e : r["drops"].as_array()) {
    if (e["count"].as_int() != 0) d.row({e["reason"].as_string(), e["where"].as_string(), num(e["count"])});
  }
  if (d.empty()) {
    out << "  none\n";
  } else {
    d.print(out);
  }
  out << "\ndevice time: " << num(r["device_time_ns"]) << " ns, frames on the port: " << num(r["port_frames"]) << '\n';
  const auto& acc = r["accounting"].as_array();
  if (acc.empty()) {
    out << "accounting: OK\n";
  } else {
    out << "accounting: FAILED\n";
    for (const Json& e : acc) out << "  " << e.as_string() << '\n';
  }
}

void print_table(std::ostream& out, const Json& r) {
  TextTable t({"slot", "address", "vm", "nic=shadow"}, {true, false, false, false});
  for (const Json& e : r["entries"].as_array()) {
    std::string vm = "-", ip = "(empty)";
    if (e["valid"].as_bool()) {
      ip = e["ip"].as_string();
      vm = (e["vm"].is_string() ? e["vm"].as_string() : "?") + " (" + num(e["vm_id"]) + ")";
    }
    std::string match = e["matches_shadow"].as_bool() ? "yes" : "NO";
    if (const Json* sh = e.find("shadow")) {
      match += sh->is_null() ? ", shadow: empty" : ", shadow: " + (*sh)["ip"].as_string() + " -> " + num((*sh)["vm_id"]);
    }
    t.row({num(e["slot"]), ip, vm, match});
  }
  if (!t.empty()) t.print(out);
  out << num(r["used"]) << " of " << num(r["capacity"]) << " slots in use on the NIC, " << num(r["mismatches"])
      << " differ from the runtime's shadow\n";
}

}  // namespace

bool print_result(std::ostream& out, const std::string& cmd, const Json& r) {
  if (cmd == "vm.add") {
    print_vm(out, "added", r);
  } else if (cmd == "vm.del") {
    out << "removed VM '" << r["name"].as_string() << "' (slot " << num(r["id"]) << ")";
    if (r["dropped_vm_removed"].as_int() > 0) out << "; " << num(r["dropped_vm_removed"]) << " datagrams dropped as vm_removed";
    out << '\n';
  } else if (cmd == "vm.list") {
    TextTable t({"slot", "name", "addresses", "out_bufs", "in_bufs", "free_out", "traffic"},
                {true, false, false, true, true, true, false});
    for (const Json& v : r["vms"].as_array()) {
      t.row({num(v["id"]), v["name"].as_string(), join_ips(v["ips"]),
             v.find("tx_ring_log2") ? std::to_string(1 << v["tx_ring_log2"].as_int()) : "-",
             v.find("input_ring_log2") ? std::to_string(1 << v["input_ring_log2"].as_int()) : "-",
             num(v["free_output_buffers"]), traffic_text(v)});
    }
    if (t.empty()) {
      out << "no VMs defined (" << num(r["vm_slots"]) << " slots free): add one with `smartnic vm add NAME --ip ADDR`\n";
    } else {
      t.print(out);
    }
  } else if (cmd == "ip.add") {
    out << "added " << r["ip"].as_string() << " to VM '" << r["vm"].as_string() << "'\n";
  } else if (cmd == "ip.del") {
    out << "removed " << r["ip"].as_string() << " from VM '" << r["vm"].as_string() << "'\n";
  } else if (cmd == "ip.list") {
    TextTable t({"address", "vm", "slot"}, {false, false, true});
    for (const Json& a : r["addresses"].as_array()) t.row({a["ip"].as_string(), a["vm"].as_string(), num(a["slot"])});
    if (t.empty()) {
      out << "no addresses assigned\n";
    } else {
      t.print(out);
    }
  } else if (cmd == "stats") {
    print_stats(out, r);
    return r["accounting"].as_array().empty();
  } else if (cmd == "table.dump") {
    print_table(out, r);
    return r["mismatches"].as_int() == 0;
  } else if (cmd == "traffic.start") {
    out << "VM '" << r["name"].as_string() << "': traffic " << traffic_text(r) << ", "
        << num(r["traffic"]["external_fraction"]) << " external\n";
  } else if (cmd == "traffic.stop") {
    out << "VM '" << r["name"].as_string() << "': traffic stopped";
    if (!r["traffic"].is_null()) out << " (sent " << num(r["traffic"]["sent"]) << ", skipped " << num(r["traffic"]["refused"]) << ")";
    out << '\n';
  } else if (cmd == "info") {
    TextTable t({"server", r["server"].as_string()});
    for (const char* k : {"pid", "register_map", "vms", "vm_slots", "table_used", "table_entries", "device_time_ns", "port_frames"}) {
      t.row({k, num(r[k])});
    }
    t.print(out);
  } else if (cmd == "send") {
    out << r["name"].as_string() << " -> " << r["to"].as_string() << ": " << num(r["sent"]) << " sent, "
        << num(r["external"]) << " external, " << num(r["hairpin"]) << " hairpin, " << num(r["dropped"]) << " dropped\n";
  } else if (cmd == "nic.reset") {
    const Json& b = r["before"];
    out << "NIC reset (" << num(r["resets"]) << " since the server started); before it the NIC had counted "
        << num(b["descriptors"]) << " descriptors, " << num(b["external"]) << " external, " << num(b["hairpin"])
        << " hairpin, " << num(b["rx_frames"]) << " frames from the network; " << num(r["rx_quiesce_drops"])
        << " frames refused while quiesced (total)\n";
  } else if (cmd == "shutdown") {
    out << "server is stopping\n";
  } else {
    out << r.dump() << '\n';
  }
  return true;
}

}  // namespace smartnic::cli
