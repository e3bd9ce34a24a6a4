#include "smartnic/control/service.hpp"

#include <unistd.h>

#include <algorithm>

#include "smartnic/errors.hpp"
#include "traffic.hpp"

namespace smartnic::control {

namespace {

// Request fields. A missing or mistyped field is the client's mistake: ConfigError names it.
const Json& field(const Json& req, const char* name) {
  const Json* f = req.find(name);
  if (!f) throw ConfigError(std::string("request needs the field \"") + name + "\"");
  return *f;
}
std::string str_field(const Json& req, const char* name) {
  const Json& f = field(req, name);
  if (!f.is_string()) throw ConfigError(std::string("request field \"") + name + "\" must be a string");
  return f.as_string();
}
double num_field(const Json& req, const char* name, double fallback) {
  const Json* f = req.find(name);
  if (!f || f->is_null()) return fallback;
  if (!f->is_number()) throw ConfigError(std::string("request field \"") + name + "\" must be a number");
  return f->as_double();
}
std::int64_t int_field(const Json& req, const char* name, std::int64_t fallback, std::int64_t lo, std::int64_t hi) {
  const Json* f = req.find(name);
  if (!f || f->is_null()) return fallback;
  if (!f->is_int() || f->as_int() < lo || f->as_int() > hi) {
    throw ConfigError(std::string("request field \"") + name + "\" must be an integer " + std::to_string(lo) +
                      ".." + std::to_string(hi));
  }
  return f->as_int();
}

Json counters(const VmStats& s) {
  Json nic = Json::object();
  for (unsigned k = 0; k < regs::kNumDropReasons; ++k) {
    if (k == static_cast<unsigned>(regs::DropReason::NONE)) continue;
    nic.set(regs::kDropReasonNames[k], s.nic_drops[k]);
  }
  Json host = Json::object();
  for (unsigned k = 0; k < kNumHostDropReasons; ++k) host.set(kHostDropReasonNames[k], s.host_drops[k]);
  Json j = Json::object();
  j.set("submitted", s.submitted)
      .set("external", s.external)
      .set("hairpin_out", s.hairpin_out)
      .set("hairpin_in", s.hairpin_in)
      .set("consumed", s.received_consumed)
      .set("drops", s.drops())
      .set("in_flight", s.in_flight)
      .set("pending", s.pending)
      .set("nic_drops", std::move(nic))
      .set("host_drops", std::move(host));
  return j;
}

TrafficSpec traffic_spec(const Json& req) {
  TrafficSpec t;
  t.rate = num_field(req, "rate", 0);
  t.size = static_cast<std::size_t>(int_field(req, "size", 256, 0, 65535));
  t.external_fraction = num_field(req, "external_fraction", 0.5);
  return t;
}

}  // namespace

ControlService::ControlService(Switch& sw, ServiceOptions options)
    : sw_(sw), opt_(std::move(options)), traffic_(std::make_unique<TrafficGenerator>(opt_.seed)) {}

ControlService::~ControlService() = default;

Json ControlService::handle_line(std::string_view line) {
  Json req;
  try {
    req = Json::parse(line);
  } catch (const JsonError& e) {
    return Json::object().set("ok", false).set("error", std::string("request is not JSON: ") + e.what());
  }
  return handle(req);
}

Json ControlService::handle(const Json& req) {
  try {
    if (!req.is_object()) throw ConfigError("a request must be a JSON object with a \"cmd\" member");
    const std::string cmd = str_field(req, "cmd");
    return Json::object().set("ok", true).set("result", dispatch(cmd, req));
  } catch (const std::exception& e) {
    return Json::object().set("ok", false).set("error", e.what());
  }
}

Json ControlService::dispatch(const std::string& cmd, const Json& req) {
  if (cmd == "info") return info();
  if (cmd == "vm.add") return vm_add(req);
  if (cmd == "vm.del") return vm_del(req);
  if (cmd == "vm.list") return vm_list();
  if (cmd == "ip.add") return ip_add(req);
  if (cmd == "ip.del") return ip_del(req);
  if (cmd == "ip.list") return ip_list();
  if (cmd == "stats") return stats(req);
  if (cmd == "table.dump") return table_dump(req);
  if (cmd == "traffic.start") return traffic_start(req);
  if (cmd == "traffic.stop") return traffic_stop(req);
  if (cmd == "send") return send(req);
  if (cmd == "nic.reset") return nic_reset(req);
  if (cmd == "shutdown") {
    shutdown_ = true;
    return Json::object().set("stopping", true);
  }
  throw ConfigError("unknown command \"" + cmd +
                    "\" (known: info, vm.add, vm.del, vm.list, ip.add, ip.del, ip.list, stats, table.dump, "
                    "traffic.start, traffic.stop, send, nic.reset, shutdown)");
}

VmId ControlService::vm_by_name(const std::string& name) const {
  if (const auto id = sw_.find_vm(name)) return *id;
  std::string defined;
  for (const VmId v : sw_.vm_ids()) defined += (defined.empty() ? "" : ", ") + sw_.vm_name(v);
  throw ConfigError("VM '" + name + "' does not exist (" + (defined.empty() ? "no VMs defined" : "defined: " + defined) +
                    ")");
}

Json ControlService::vm_json(VmId id) const {
  Json ips = Json::array();
  for (const Ipv4Address a : sw_.vm_addresses(id)) ips.push(a.to_string());
  Json j = Json::object();
  j.set("id", id).set("name", sw_.vm_name(id)).set("ips", std::move(ips));
  if (const auto it = info_.find(id); it != info_.end()) {
    j.set("tx_ring_log2", it->second.tx_ring_log2).set("input_ring_log2", it->second.input_ring_log2);
  }
  j.set("free_output_buffers", sw_.free_output_buffers(id));
  if (const auto* t = traffic_->find(id)) {
    j.set("traffic", Json::object()
                         .set("rate", t->spec.rate)
                         .set("size", t->spec.size)
                         .set("external_fraction", t->spec.external_fraction)
                         .set("sent", t->sent)
                         .set("refused", t->refused));
  }
  return j;
}

Json ControlService::info() {
  return Json::object()
      .set("server", "smartnic")
      .set("pid", static_cast<long>(::getpid()))
      .set("register_map", std::to_string(regs::kVersion >> 16) + "." + std::to_string(regs::kVersion & 0xFFFF))
      .set("vm_slots", sw_.device_vms())
      .set("vms", sw_.vm_count())
      .set("table_entries", sw_.device_table_entries())
      .set("table_used", sw_.table().size())
      .set("device_time_ns", static_cast<long long>(sw_.device_time().count()))
      .set("port_frames", port_frames_);
}

Json ControlService::vm_add(const Json& req) {
  VmConfig c;
  c.name = str_field(req, "name");
  if (const auto other = sw_.find_vm(c.name)) {
    throw ConfigError("VM '" + c.name + "' already exists (slot " + std::to_string(*other) +
                      "): choose another name or remove it first with `smartnic vm del " + c.name + "`");
  }
  if (const Json* ips = req.find("ips"); ips && !ips->is_null()) {
    if (!ips->is_array()) throw ConfigError("request field \"ips\" must be an array of addresses");
    for (const Json& a : ips->as_array()) {
      if (!a.is_string()) throw ConfigError("request field \"ips\" must be an array of address strings");
      c.addresses.push_back(Ipv4Address::parse(a.as_string()));
    }
  }
  c.tx_ring_log2 = static_cast<unsigned>(int_field(req, "tx_ring_log2", 8, 2, 15));
  c.input_ring_log2 = static_cast<unsigned>(int_field(req, "input_ring_log2", 8, 2, 15));
  std::optional<TrafficSpec> traffic;
  if (const Json* t = req.find("traffic"); t && !t->is_null()) {
    if (!t->is_object()) throw ConfigError("request field \"traffic\" must be an object {rate, size, external_fraction}");
    traffic = traffic_spec(*t);
    TrafficGenerator probe;
    probe.set(0, *traffic);  // validate before the VM exists, so a bad spec changes nothing
  }
  // Name the owner of a taken address by name: the runtime's message knows only ids.
  for (const Ipv4Address a : c.addresses) {
    if (const auto owner = sw_.owner(a)) {
      throw ConfigError("cannot add VM '" + c.name + "': address " + a.to_string() + " already belongs to VM '" +
                        sw_.vm_name(*owner) + "'");
    }
  }
  const VmId id = sw_.add_vm(c);
  info_[id] = {c.tx_ring_log2, c.input_ring_log2};
  if (traffic) traffic_->set(id, *traffic);
  return vm_json(id);
}

Json ControlService::vm_del(const Json& req) {
  const VmId id = vm_by_name(str_field(req, "name"));
  const auto timeout = std::chrono::microseconds(int_field(
      req, "timeout_us", std::chrono::duration_cast<std::chrono::microseconds>(opt_.remove_timeout).count(), 1,
      60'000'000));
  traffic_->erase(id);
  Json before = vm_json(id);
  const VmStats removed_before = sw_.removed_stats();
  sw_.remove_vm(id, timeout);
  info_.erase(id);
  const auto dropped = sw_.removed_stats().host_drops[static_cast<unsigned>(HostDropReason::VM_REMOVED)] -
                       removed_before.host_drops[static_cast<unsigned>(HostDropReason::VM_REMOVED)];
  return before.set("removed", true).set("dropped_vm_removed", dropped);
}

// Full NIC reset with traffic flowing (Switch::reset_device): VMs, addresses and every datagram
// survive it; the result says what the NIC had counted before its counters restarted.
Json ControlService::nic_reset(const Json& req) {
  const auto timeout = std::chrono::microseconds(int_field(req, "timeout_us", 1000, 1, 60'000'000));
  const NicCounters before = sw_.reset_device(timeout);
  Json drops = Json::object();
  for (unsigned r = 0; r < regs::kNumDropReasons; ++r) {
    if (before.drops[r]) drops.set(std::string(regs::kDropReasonNames[r]), before.drops[r]);
  }
  std::uint64_t desc = 0, external = 0, hairpin = 0;
  for (const auto& v : before.vms) {
    desc += v.desc;
    external += v.external;
    hairpin += v.hairpin;
  }
  return Json::object()
      .set("resets", sw_.device_resets())
      .set("before", Json::object()
                         .set("descriptors", desc)
                         .set("external", external)
                         .set("hairpin", hairpin)
                         .set("rx_frames", before.rx_frames)
                         .set("drops", std::move(drops)))
      .set("rx_quiesce_drops", sw_.read_nic_counters().rx_quiesce_drops);
}

Json ControlService::vm_list() {
  Json vms = Json::array();
  for (const VmId v : sw_.vm_ids()) vms.push(vm_json(v));
  return Json::object().set("vms", std::move(vms)).set("vm_slots", sw_.device_vms());
}

Json ControlService::ip_add(const Json& req) {
  const std::string name = str_field(req, "name");
  const VmId id = vm_by_name(name);
  const Ipv4Address a = Ipv4Address::parse(str_field(req, "ip"));
  if (const auto owner = sw_.owner(a)) {
    throw ConfigError("address " + a.to_string() + " already belongs to VM '" + sw_.vm_name(*owner) + "'" +
                      (*owner == id ? "" : ": remove it there first with `smartnic ip del " + a.to_string() + "`"));
  }
  sw_.add_address(id, a);
  return Json::object().set("ip", a.to_string()).set("vm", name).set("vm_id", id);
}

Json ControlService::ip_del(const Json& req) {
  const Ipv4Address a = Ipv4Address::parse(str_field(req, "ip"));
  const auto owner = sw_.owner(a);
  if (!owner) throw ConfigError("address " + a.to_string() + " belongs to no VM (see `smartnic ip list`)");
  const std::string name = sw_.vm_name(*owner);
  sw_.remove_address(a);
  return Json::object().set("ip", a.to_string()).set("vm", name).set("vm_id", *owner);
}

Json ControlService::ip_list() {
  const auto& slots = sw_.table().slots();
  std::vector<std::size_t> used;
  for (std::size_t s = 0; s < slots.size(); ++s) {
    if (slots[s].valid) used.push_back(s);
  }
  std::sort(used.begin(), used.end(), [&](std::size_t a, std::size_t b) { return slots[a].key.value() < slots[b].key.value(); });
  Json list = Json::array();
  for (const std::size_t s : used) {
    list.push(Json::object()
                  .set("ip", slots[s].key.to_string())
                  .set("vm", sw_.vm_name(slots[s].vm))
                  .set("vm_id", slots[s].vm)
                  .set("slot", s));
  }
  return Json::object().set("addresses", std::move(list)).set("table_entries", sw_.device_table_entries());
}

Json ControlService::stats(const Json& req) {
  std::vector<VmId> ids = sw_.vm_ids();
  const Json* name = req.find("name");
  const bool one = name && !name->is_null();
  if (one) ids = {vm_by_name(str_field(req, "name"))};
  Json vms = Json::array();
  VmStats sum;
  for (const VmId v : ids) {
    const VmStats s = sw_.stats(v);
    sum += s;
    vms.push(counters(s).set("id", v).set("name", sw_.vm_name(v)));
  }
  if (!one) sum = sw_.totals();
  // Per drop reason over the VMs shown (all VMs plus removed ones when no name was given).
  Json drops = Json::array();
  for (unsigned k = 1; k < regs::kNumDropReasons; ++k) {
    drops.push(Json::object().set("reason", regs::kDropReasonNames[k]).set("where", "nic").set("count", sum.nic_drops[k]));
  }
  for (unsigned k = 0; k < kNumHostDropReasons; ++k) {
    drops.push(Json::object().set("reason", kHostDropReasonNames[k]).set("where", "host").set("count", sum.host_drops[k]));
  }
  Json accounting = Json::array();
  for (const auto& e : sw_.check_accounting()) accounting.push(e);
  Json out = Json::object();
  out.set("vms", std::move(vms));
  if (!one) out.set("removed", counters(sw_.removed_stats()));
  out.set("totals", counters(sum))
      .set("drops", std::move(drops))
      .set("accounting", std::move(accounting))
      .set("device_time_ns", static_cast<long long>(sw_.device_time().count()))
      .set("port_frames", port_frames_);
  return out;
}

Json ControlService::table_dump(const Json& req) {
  const bool all = req.find("all") && req["all"].is_bool() && req["all"].as_bool();
  const auto device = sw_.read_device_table();
  const auto& shadow = sw_.table().slots();
  Json entries = Json::array();
  std::size_t mismatches = 0, used = 0;
  for (std::size_t s = 0; s < device.size(); ++s) {
    const auto& d = device[s];
    const bool match = s < shadow.size() && (d.valid ? d == shadow[s] : !shadow[s].valid);
    if (!match) ++mismatches;
    if (d.valid) ++used;
    if (!all && !d.valid && match) continue;
    Json e = Json::object();
    e.set("slot", s).set("valid", d.valid);
    if (d.valid) {
      e.set("ip", d.key.to_string()).set("vm_id", d.vm);
      const auto ids = sw_.vm_ids();
      e.set("vm", std::find(ids.begin(), ids.end(), d.vm) != ids.end() ? Json(sw_.vm_name(d.vm)) : Json());
    }
    e.set("matches_shadow", match);
    if (!match && s < shadow.size()) {
      e.set("shadow", shadow[s].valid ? Json::object().set("ip", shadow[s].key.to_string()).set("vm_id", shadow[s].vm)
                                      : Json());
    }
    entries.push(std::move(e));
  }
  return Json::object()
      .set("capacity", device.size())
      .set("used", used)
      .set("mismatches", mismatches)
      .set("entries", std::move(entries));
}

// Hands `count` UDP datagrams from a VM to one address and waits (bounded) until the NIC has
// given each a verdict; returns how that VM's counters moved. For checking where an address
// goes (`smartnic send`), not for load: that is the traffic generator.
Json ControlService::send(const Json& req) {
  const VmId id = vm_by_name(str_field(req, "name"));
  UdpDatagramSpec d;
  d.dst = Ipv4Address::parse(str_field(req, "to"));
  const auto& own = sw_.vm_addresses(id);
  d.src = own.empty() ? Ipv4Address(0) : own.front();
  const auto count = int_field(req, "count", 1, 1, 100000);
  const auto size = static_cast<std::size_t>(int_field(req, "size", 64, 28, regs::MAX_DATAGRAM));
  const VmStats before = sw_.stats(id);
  for (std::int64_t i = 0; i < count; ++i) {
    d.identification = static_cast<std::uint16_t>(i);
    const auto bytes = build_udp_datagram(d, size - 28);
    for (int tries = 0; !sw_.send(id, bytes); ++tries) {
      if (tries > 100000) throw ConfigError("VM '" + sw_.vm_name(id) + "' has no free output buffer (the NIC is not completing)");
      sw_.poll();
    }
  }
  for (int i = 0; i < 100000 && sw_.stats(id).in_flight > 0; ++i) sw_.poll();
  const VmStats after = sw_.stats(id);
  return Json::object()
      .set("name", sw_.vm_name(id))
      .set("to", d.dst.to_string())
      .set("sent", count)
      .set("external", after.external - before.external)
      .set("hairpin", after.hairpin_out - before.hairpin_out)
      .set("dropped", after.drops() - before.drops())
      .set("pending", after.pending + after.in_flight);
}

Json ControlService::traffic_start(const Json& req) {
  const VmId id = vm_by_name(str_field(req, "name"));
  const TrafficSpec t = traffic_spec(req);
  if (t.rate <= 0) throw ConfigError("traffic rate must be above 0 datagrams per second (use traffic.stop to stop)");
  traffic_->set(id, t);
  return vm_json(id);
}

Json ControlService::traffic_stop(const Json& req) {
  const VmId id = vm_by_name(str_field(req, "name"));
  Json before = vm_json(id);
  traffic_->erase(id);
  return before;
}

bool ControlService::tick() {
  traffic_->run(sw_);
  sw_.poll();
  for (const VmId v : sw_.vm_ids()) {
    while (sw_.receive(v)) {
    }
  }
  if (opt_.take_port_frames) port_frames_ += opt_.take_port_frames();
  const VmStats t = sw_.totals();
  return traffic_->active() || t.in_flight + t.pending > 0;
}

}  // namespace smartnic::control
