// `smartnic run`: real Linux IP stacks (TUN/TAP namespaces), pcaps and traffic generators as the
// VMs of the switch on the Verilated NIC, with the NIC's network port bridged to an external
// host (a TAP in its own namespace), a pcap, or nothing. Runs for --duration, until SIGINT /
// SIGTERM, or while --exec commands run inside the namespaces; prints per-VM statistics at the
// end. Every namespace and device it made is gone when it returns, also on errors and signals
// (they are RAII objects; the signal handler only sets a flag the loop checks).
#include <signal.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "commands.hpp"
#include "control_cli.hpp"
#include "po_error.hpp"
#include "run_options.hpp"
#include "size_range.hpp"
#include "smartnic/endpoints/ethernet.hpp"
#include "smartnic/endpoints/netns.hpp"
#include "smartnic/endpoints/pcap.hpp"
#include "smartnic/endpoints/process.hpp"
#include "smartnic/endpoints/traffic_generator.hpp"
#include "smartnic/endpoints/tuntap.hpp"
#include "smartnic/errors.hpp"
#include "smartnic/switch.hpp"
#include "text_table.hpp"

#if defined(SMARTNIC_HAVE_SIM) && __has_include(<smartnic/sim_device.hpp>)
#include "run_command.hpp"
#define SMARTNIC_SIM_AVAILABLE 1
#endif

namespace po = boost::program_options;
using namespace smartnic::endpoints;

namespace smartnic::cli {

namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kUsage =
    "usage: smartnic run --vm NAME=KIND:ADDR [--vm ...] [--external tap:ADDR | pcap:IN[:OUT] | none]\n"
    "                    [--exec WHO:COMMAND ...] [--duration SEC] [--config FILE] [options]\n"
    "\n"
    "Real Linux IP stacks, pcaps and traffic generators as VMs of the switch on the Verilated NIC.\n"
    "  --vm NAME=KIND:ADDR   KIND is one of\n"
    "      tun:ADDR            network namespace PREFIX+NAME with a TUN device: its IP stack is the VM\n"
    "      tap:ADDR            the same with a TAP device (Ethernet, ARP answered by the endpoint)\n"
    "      gen[:DST,...]:ADDR  UDP generator from ADDR to the DSTs, round robin (default: every\n"
    "                          other VM's first address and the external host)\n"
    "      pcap:IN[:OUT]:ADDR  sends the IPv4 datagrams of IN (may be empty), writes what it\n"
    "                          receives to OUT (LINKTYPE_IPV4)\n"
    "    ADDR is A[/LEN][,B[/LEN]...]: the VM's addresses (/24 in the namespace when LEN is left\n"
    "    out); tun, tap and the external host must use 192.0.2.0/24, 198.51.100.0/24 or 203.0.113.0/24.\n"
    "  --external tap:ADDR   a Linux host in namespace PREFIX+ext on the wire behind the NIC's port:\n"
    "                        TAP with the MAC the NIC sends to, the test ranges on-link, so it ARPs\n"
    "                        for VM addresses and the NIC answers\n"
    "  --external pcap:IN[:OUT]  frames of IN (Ethernet, or IPv4 given a header) enter the port;\n"
    "                        frames leaving it are written to OUT (Ethernet)\n"
    "  --exec WHO:COMMAND    after setup, run COMMAND with `sh -c` in the namespace of WHO (a tun or\n"
    "                        tap VM, or `ext`); execs run one after another, output prefixed\n"
    "                        [WHO]; the run ends after the last one with status 0, or at the first\n"
    "                        one that fails with its status\n"
    "  without --exec the run lasts --duration seconds or until SIGINT/SIGTERM\n"
    "\n"
    "example (as root):\n"
    "  smartnic run --vm a=tun:192.0.2.10 --vm b=tun:192.0.2.11 --external tap:198.51.100.1 \\\n"
    "      --exec \"a:ping -c 3 192.0.2.11\" --exec \"a:ping -c 3 198.51.100.1\" \\\n"
    "      --exec \"ext:ping -c 3 192.0.2.11\"\n";

// ---- signals --------------------------------------------------------------------------------

volatile sig_atomic_t g_stop_signal = 0;

extern "C" void on_run_signal(int sig) { g_stop_signal = sig; }

class StopSignals {
 public:
  StopSignals() {
    g_stop_signal = 0;
    struct sigaction sa{};
    sa.sa_handler = on_run_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;  // setup commands are not interrupted; the loop sees the flag
    sigaction(SIGINT, &sa, &old_int_);
    sigaction(SIGTERM, &sa, &old_term_);
    sigaction(SIGHUP, &sa, &old_hup_);
  }
  ~StopSignals() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
    sigaction(SIGHUP, &old_hup_, nullptr);
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

 private:
  struct sigaction old_int_{};
  struct sigaction old_term_{};
  struct sigaction old_hup_{};
};

// ---- parsing --------------------------------------------------------------------------------

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::size_t from = 0;
  for (;;) {
    const auto at = s.find(sep, from);
    out.push_back(s.substr(from, at - from));
    if (at == std::string::npos) return out;
    from = at + 1;
  }
}

const char* kind_name(Kind k) {
  switch (k) {
    case Kind::Tun: return "tun";
    case Kind::Tap: return "tap";
    case Kind::Gen: return "gen";
    case Kind::Pcap: return "pcap";
  }
  return "?";
}

bool valid_vm_name(const std::string& n) {
  if (n.empty() || n.size() > 32) return false;
  return std::all_of(n.begin(), n.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.';
  });
}

// "A[/LEN][,B...]": prefixes for a namespace (default /24) and the plain addresses.
void parse_addresses(const std::string& field, const std::string& what, std::vector<std::string>& prefixes,
                     std::vector<Ipv4Address>& addresses) {
  if (field.empty()) throw ConfigError(what + ": no address");
  for (const auto& a : split(field, ',')) {
    Ipv4Prefix p;
    try {
      p = Ipv4Prefix::parse(a);
    } catch (const Error& e) {
      throw ConfigError(what + ": bad address '" + a + "': " + e.what());
    }
    if (a.find('/') == std::string::npos) p.length = 24;
    prefixes.push_back(p.to_string());
    addresses.push_back(p.address);
  }
}

VmSpec parse_vm(const std::string& text) {
  const std::string what = "--vm '" + text + "'";
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw ConfigError(what + ": expected NAME=KIND:ADDR, e.g. a=tun:192.0.2.10");
  }
  VmSpec s;
  s.text = text;
  s.name = text.substr(0, eq);
  if (!valid_vm_name(s.name) || s.name == "ext") {
    throw ConfigError(what + ": VM name '" + s.name +
                      "' must be 1..32 of [A-Za-z0-9._-] and not 'ext' (the external host)");
  }
  const auto fields = split(text.substr(eq + 1), ':');
  if (fields.size() < 2) {
    throw ConfigError(what + ": expected NAME=KIND:ADDR with KIND tun, tap, gen[:DST,...] or "
                             "pcap:IN[:OUT], e.g. a=tun:192.0.2.10");
  }
  const std::string& kind = fields.front();
  const std::vector<std::string> params(fields.begin() + 1, fields.end() - 1);
  parse_addresses(fields.back(), what, s.prefixes, s.addresses);
  if (kind == "tun" || kind == "tap") {
    s.kind = kind == "tun" ? Kind::Tun : Kind::Tap;
    if (!params.empty()) throw ConfigError(what + ": " + kind + " takes only addresses: " + kind + ":ADDR");
  } else if (kind == "gen") {
    s.kind = Kind::Gen;
    if (params.size() > 1) throw ConfigError(what + ": expected gen[:DST,DST...]:ADDR");
    if (params.size() == 1) {
      for (const auto& d : split(params[0], ',')) {
        try {
          s.gen_to.push_back(Ipv4Address::parse(d));
        } catch (const Error& e) {
          throw ConfigError(what + ": bad destination '" + d + "': " + e.what());
        }
      }
    }
  } else if (kind == "pcap") {
    s.kind = Kind::Pcap;
    if (params.empty() || params.size() > 2) {
      throw ConfigError(what + ": expected pcap:IN.pcap[:OUT.pcap]:ADDR (IN may be empty)");
    }
    s.pcap_in = params[0];
    if (params.size() == 2) s.pcap_out = params[1];
    if (s.pcap_in.empty() && s.pcap_out.empty()) throw ConfigError(what + ": pcap needs an input or an output file");
  } else {
    throw ConfigError(what + ": unknown kind '" + kind + "' (tun, tap, gen, pcap)");
  }
  return s;
}

ExternalSpec parse_external(const std::string& text) {
  ExternalSpec e;
  const std::string what = "--external '" + text + "'";
  if (text.empty() || text == "none") return e;
  const auto fields = split(text, ':');
  if (fields[0] == "tap" && fields.size() == 2) {
    e.kind = ExternalSpec::Kind::Tap;
    std::vector<std::string> p;
    std::vector<Ipv4Address> a;
    parse_addresses(fields[1], what, p, a);
    if (p.size() != 1) throw ConfigError(what + ": the external host has one address");
    e.prefix = p[0];
    e.address = a[0];
    return e;
  }
  if (fields[0] == "pcap" && (fields.size() == 2 || fields.size() == 3)) {
    e.kind = ExternalSpec::Kind::Pcap;
    e.in = fields[1];
    if (fields.size() == 3) e.out = fields[2];
    if (e.in.empty() && e.out.empty()) throw ConfigError(what + ": pcap needs an input or an output file");
    return e;
  }
  throw ConfigError(what + ": expected none, tap:ADDR (e.g. tap:198.51.100.1) or pcap:IN[:OUT]");
}

ExecSpec parse_exec(const std::string& text) {
  const auto colon = text.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    throw ConfigError("--exec '" + text + "': expected WHO:COMMAND, e.g. \"a:ping -c 3 192.0.2.11\"");
  }
  return ExecSpec{text.substr(0, colon), text.substr(colon + 1)};
}

// Forwards a child's output line by line with a "[who] " prefix.
class PrefixedOutput {
 public:
  explicit PrefixedOutput(std::string who) : prefix_("[" + std::move(who) + "] ") {}
  void feed(const std::string& all) {
    while (printed_ < all.size()) {
      const auto nl = all.find('\n', printed_);
      if (nl == std::string::npos) break;
      std::cout << prefix_ << all.substr(printed_, nl - printed_) << '\n';
      printed_ = nl + 1;
    }
    std::cout.flush();
  }
  void finish(const std::string& all) {
    feed(all);
    if (printed_ < all.size()) std::cout << prefix_ << all.substr(printed_) << '\n';
    printed_ = all.size();
    std::cout.flush();
  }

 private:
  std::string prefix_;
  std::size_t printed_ = 0;
};

std::string fixed(double v, int digits) {
  std::ostringstream o;
  o << std::fixed << std::setprecision(digits) << v;
  return o.str();
}

}  // namespace

RunOptions parse_run_options(const std::vector<std::string>& args) {
  RunOptions o;
  std::vector<std::string> vm_texts, exec_texts;
  std::string external_text = "none", config_path, gen_size = "64:1500";
  // Short names for the fields the options fill (the code below predates the struct).
  auto& specs = o.specs;
  auto& ext_spec = o.ext_spec;
  auto& execs = o.execs;
  auto& netns_prefix = o.netns_prefix;
  auto& trace = o.trace;
  auto& pcap = o.pcap;
  auto& rx_pcap = o.rx_pcap;
  auto& duration = o.duration;
  auto& gen_rate = o.gen_rate;
  auto& clock_mhz = o.clock_mhz;
  auto& gen_count = o.gen_count;
  auto& seed = o.seed;
  auto& latency_ns = o.latency_ns;
  auto& mtu = o.mtu;

  po::options_description opts("smartnic run options (also accepted in --config FILE as NAME = VALUE lines)");
  opts.add_options()
      ("help,h", "show this text")
      ("config", po::value(&config_path), "read options from this file too (same names, e.g. `vm = a=tun:192.0.2.10`); "
       "the command line wins for single options, --vm and --exec from both are used")
      ("vm", po::value(&vm_texts)->composing(), "a VM: NAME=KIND:ADDR (repeatable)")
      ("external", po::value(&external_text)->default_value("none"), "the wire behind the NIC's port: none, tap:ADDR or pcap:IN[:OUT]")
      ("exec", po::value(&exec_texts)->composing(), "WHO:COMMAND run in WHO's namespace (repeatable, in order)")
      ("duration", po::value(&duration)->default_value(0), "stop after this many seconds of wall time (0: no limit); "
       "an exec still running then is stopped and the status is 124")
      ("netns-prefix", po::value(&netns_prefix)->default_value("snic-"), "namespace names are PREFIX+NAME and PREFIX+ext")
      ("mtu", po::value(&mtu)->default_value(1500), "MTU of the TUN/TAP devices (68..9000)")
      ("gen-rate", po::value(&gen_rate)->default_value(100), "gen VMs: datagrams per second (0: as fast as taken)")
      ("gen-size", po::value(&gen_size)->default_value("64:1500"), "gen VMs: datagram length MIN[:MAX] (44..9000)")
      ("gen-count", po::value(&gen_count)->default_value(0), "gen VMs: datagrams each (0: no limit)")
      ("mem-latency-ns", po::value(&latency_ns)->default_value(1000), "sim: host memory read latency")
      ("clock-mhz", po::value(&clock_mhz)->default_value(250.0), "sim: NIC clock")
      ("seed", po::value(&seed)->default_value(1), "sim and generators: random seed")
      ("trace", po::value(&trace), "sim: write an FST waveform to this file")
      ("pcap", po::value(&pcap), "sim: write the frames leaving the network port to this pcap file")
      ("rx-pcap", po::value(&rx_pcap), "sim: write the frames entering the network port to this pcap file")
      ("fast-model", po::bool_switch(&o.fast_model), "sim: the fast NIC model, without the RTL's assertions (about 1.7x faster; the default model checks them)");
  std::ostringstream usage_text;
  usage_text << kUsage << '\n' << opts;
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(opts).run(), vm);
    if (vm.count("config")) {
      const auto path = vm["config"].as<std::string>();
      std::ifstream in(path);
      if (!in) throw ConfigError("cannot read config file " + path);
      po::store(po::parse_config_file(in, opts), vm);
    }
    po::notify(vm);
  } catch (po::error& e) {
    throw UsageError(po_error_text(e), usage_text.str());
  }
  o.usage = usage_text.str();
  if (vm.count("help")) {
    o.help = true;
    return o;
  }

  // ---- everything checked before anything is made
  if (vm_texts.empty()) throw UsageError("at least one --vm NAME=KIND:ADDR is needed", kUsage);
  for (const auto& t : vm_texts) specs.push_back(parse_vm(t));
  ext_spec = parse_external(external_text);
  for (const auto& t : exec_texts) execs.push_back(parse_exec(t));
  if (duration < 0) throw ConfigError("--duration must not be negative");
  std::tie(o.gen_min, o.gen_max) = parse_size_range(gen_size, "--gen-size");

  std::map<std::string, const VmSpec*> by_name;
  std::map<std::uint32_t, std::string> owner;
  for (const auto& s : specs) {
    if (!by_name.emplace(s.name, &s).second) throw ConfigError("VM name '" + s.name + "' given twice");
    for (const auto& a : s.addresses) {
      if (!owner.emplace(a.value(), s.name).second) {
        throw ConfigError("address " + a.to_string() + " given to both " + owner[a.value()] + " and " + s.name);
      }
    }
    if (s.has_netns()) {
      for (const auto& p : s.prefixes) require_test_prefix(Ipv4Prefix::parse(p), "VM " + s.name + " address");
    }
  }
  if (ext_spec.kind == ExternalSpec::Kind::Tap) {
    require_test_prefix(Ipv4Prefix::parse(ext_spec.prefix), "external host address");
    if (owner.count(ext_spec.address.value())) {
      throw ConfigError("external host address " + ext_spec.address.to_string() + " is VM " +
                        owner[ext_spec.address.value()] + "'s");
    }
  }
  for (const auto& e : execs) {
    if (e.who == "ext") {
      if (ext_spec.kind != ExternalSpec::Kind::Tap) {
        throw ConfigError("--exec '" + e.who + ":" + e.command + "': 'ext' needs --external tap:ADDR");
      }
    } else if (!by_name.count(e.who) || !by_name[e.who]->has_netns()) {
      throw ConfigError("--exec '" + e.who + ":" + e.command + "': '" + e.who +
                        "' is not a tun or tap VM (nor 'ext'): only those have a namespace to run in");
    }
  }
  return o;
}

int run_command(const std::vector<std::string>& args) {
  RunOptions o;
  try {
    o = parse_run_options(args);
  } catch (const UsageError& e) {
    std::cerr << "smartnic run: " << e.what() << "\n" << e.usage;
    return 2;
  }
  if (o.help) {
    std::cout << o.usage;
    return 0;
  }
  const auto& specs = o.specs;
  const auto& ext_spec = o.ext_spec;
  const auto& execs = o.execs;
  const auto& netns_prefix = o.netns_prefix;
  const auto& trace = o.trace;
  const auto& pcap = o.pcap;
  const auto& rx_pcap = o.rx_pcap;
  const double duration = o.duration, gen_rate = o.gen_rate, clock_mhz = o.clock_mhz;
  const std::uint64_t gen_count = o.gen_count, seed = o.seed;
  const std::uint32_t latency_ns = o.latency_ns;
  const unsigned mtu = o.mtu;
  const std::size_t gen_min = o.gen_min, gen_max = o.gen_max;
  std::vector<std::string> ns_names;
  for (const auto& s : specs) {
    if (s.has_netns()) ns_names.push_back(netns_prefix + s.name);
  }
  if (ext_spec.kind == ExternalSpec::Kind::Tap) ns_names.push_back(netns_prefix + "ext");
  if (!ns_names.empty()) {
    if (::geteuid() != 0) {
      throw Error("tun/tap VMs and --external tap need root (CAP_NET_ADMIN, CAP_SYS_ADMIN) to make network "
                  "namespaces and TUN/TAP devices: run as root or with sudo");
    }
    if (::access("/dev/net/tun", R_OK | W_OK) != 0) {
      throw Error("/dev/net/tun is missing or not accessible (modprobe tun; in a container, pass the device "
                  "with --device /dev/net/tun)");
    }
    if (!program_available("ip")) throw Error("iproute2 'ip' is not installed (apt-get install iproute2)");
    const auto existing = NetNamespace::list();
    for (const auto& n : ns_names) {
      if (n.size() > 48) throw ConfigError("namespace name " + n + " is longer than 48 characters");
      if (std::find(existing.begin(), existing.end(), n) != existing.end()) {
        throw Error("network namespace " + n + " already exists (another `smartnic run`, or one that was "
                    "killed: see `ip netns pids " + n + "`, remove it with `ip netns del " + n +
                    "`), or pick another --netns-prefix");
      }
    }
  }

#ifdef SMARTNIC_SIM_AVAILABLE
  StopSignals signals;
  const SwitchConfig swcfg;
  SimConfig simcfg;
  simcfg.clock_mhz = clock_mhz;
  simcfg.mem_read_latency_ns = latency_ns;
  simcfg.seed = seed;
  simcfg.fst_path = trace;
  simcfg.pcap_path = pcap;
  simcfg.rx_pcap_path = rx_pcap;
  simcfg.assertions = !o.fast_model;
  SimDevice device(simcfg);
  Switch sw(device, swcfg);
  std::cout << "smartnic run: device: " << device.describe() << std::endl;

  // Endpoints, in --vm order; destroyed (devices, then namespaces) when this function returns.
  std::vector<std::unique_ptr<Endpoint>> endpoints;
  std::map<std::string, NetNamespace*> namespaces;
  std::unique_ptr<TapEndpoint> ext_host;
  std::optional<PcapReader> ext_in;
  std::optional<PcapWriter> ext_out;
  std::uint64_t ext_in_skipped = 0, arp_from_nic = 0;

  if (ext_spec.kind == ExternalSpec::Kind::Tap) {
    ExternalHostConfig ec;
    ec.netns = netns_prefix + "ext";
    ec.address = ext_spec.prefix;
    ec.host_mac = swcfg.mac_dst;
    ec.nic_mac = swcfg.mac_src;
    ec.mtu = mtu;
    TapConfig tc = ExternalHostTap::to_tap_config(ec);
    // On-link routes (no gateway): the host ARPs for the VM addresses themselves, which the NIC
    // answers with its own MAC; the gateway form would need an ARP answer for 198.51.100.254,
    // which is not a VM address.
    tc.gateway.reset();
    tc.routes = all_test_ranges();
    ext_host = std::make_unique<TapEndpoint>(tc);
    namespaces["ext"] = &ext_host->netns();
  }
  std::vector<VmId> ids;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const VmSpec& s = specs[i];
    std::unique_ptr<Endpoint> ep;
    switch (s.kind) {
      case Kind::Tun: {
        TunConfig c;
        c.netns = netns_prefix + s.name;
        c.addresses = s.prefixes;
        c.mtu = mtu;
        auto t = std::make_unique<TunEndpoint>(c);
        namespaces[s.name] = &t->netns();
        ep = std::move(t);
        break;
      }
      case Kind::Tap: {
        TapConfig c;
        c.netns = netns_prefix + s.name;
        c.addresses = s.prefixes;
        c.switch_mac = swcfg.mac_src;
        c.mtu = mtu;
        auto t = std::make_unique<TapEndpoint>(c);
        namespaces[s.name] = &t->netns();
        ep = std::move(t);
        break;
      }
      case Kind::Gen: {
        TrafficConfig c;
        c.name = s.name;
        c.source = s.addresses.front();
        c.destinations = s.gen_to;
        if (c.destinations.empty()) {
          for (const auto& o : specs) {
            if (o.name != s.name) c.destinations.push_back(o.addresses.front());
          }
          if (ext_spec.kind == ExternalSpec::Kind::Tap) c.destinations.push_back(ext_spec.address);
        }
        c.min_size = gen_min;
        c.max_size = gen_max;
        c.count = gen_count;
        c.rate = gen_rate;
        c.seed = static_cast<std::uint32_t>(seed + i);
        ep = std::make_unique<TrafficGenerator>(c);
        break;
      }
      case Kind::Pcap: {
        PcapEndpointConfig c;
        c.name = s.name;
        if (!s.pcap_in.empty()) c.input = s.pcap_in;
        if (!s.pcap_out.empty()) c.output = s.pcap_out;
        ep = std::make_unique<PcapEndpoint>(c);
        break;
      }
    }
    VmConfig vc;
    vc.name = s.name;
    vc.addresses = s.addresses;
    ids.push_back(sw.add_vm(vc));
    endpoints.push_back(std::move(ep));
  }

  NicLoop loop(sw, device);
  for (std::size_t i = 0; i < specs.size(); ++i) loop.attach(ids[i], *endpoints[i]);
  Wire wire;
  auto count_arp = [&](std::span<const std::byte> f) {
    const auto eth = parse_ethernet(f);
    if (eth && eth->ethertype == kEtherTypeArp) ++arp_from_nic;
  };
  std::string wire_text = "nothing (frames leaving the port are counted and dropped)";
  if (ext_host) {
    wire.read_frame = [&] { return ext_host->read_frame(); };
    wire.write_frame = [&](std::span<const std::byte> f) {
      count_arp(f);
      ext_host->write_frame(f);
    };
    wire.poll_fd = ext_host->poll_fd();
    wire_text = "external host: " + ext_host->describe();
  } else if (ext_spec.kind == ExternalSpec::Kind::Pcap) {
    if (!ext_spec.in.empty()) ext_in.emplace(ext_spec.in);
    if (!ext_spec.out.empty()) ext_out.emplace(ext_spec.out, PcapLinkType::Ethernet);
    wire.read_frame = [&]() -> std::optional<std::vector<std::byte>> {
      if (!ext_in) return std::nullopt;
      while (auto r = ext_in->next()) {
        if (ext_in->linktype() == static_cast<std::uint32_t>(PcapLinkType::Ethernet)) return std::move(r->data);
        if (const auto ip = pcap_ipv4(ext_in->linktype(), r->data)) {
          return build_ethernet_frame(swcfg.mac_src, swcfg.mac_dst, kEtherTypeIpv4, *ip);
        }
        ++ext_in_skipped;
      }
      ext_in.reset();  // done
      return std::nullopt;
    };
    wire.write_frame = [&](std::span<const std::byte> f) {
      count_arp(f);
      if (ext_out) ext_out->write(f);
    };
    wire_text = "pcap: in " + (ext_spec.in.empty() ? std::string("-") : ext_spec.in) + ", out " +
                (ext_spec.out.empty() ? std::string("-") : ext_spec.out);
  } else {
    wire.write_frame = count_arp;
  }
  loop.set_wire(std::move(wire));

  for (std::size_t i = 0; i < specs.size(); ++i) {
    std::string addrs;
    for (const auto& a : specs[i].addresses) addrs += (addrs.empty() ? "" : ",") + a.to_string();
    std::cout << "smartnic run: vm " << specs[i].name << " (" << addrs << "): " << endpoints[i]->describe() << '\n';
  }
  std::cout << "smartnic run: port: " << wire_text << std::endl;

  // ---- the loop
  const auto start = Clock::now();
  const auto deadline =
      duration > 0 ? start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(duration))
                   : Clock::time_point::max();
  std::size_t next_exec = 0;
  std::optional<ChildProcess> child;
  std::optional<PrefixedOutput> child_out;
  int status = 0;
  std::string stopped_by;
  auto last_check = Clock::time_point{};
  if (execs.empty()) {
    std::cout << "smartnic run: running " << (duration > 0 ? "for " + fixed(duration, 1) + " s" : std::string("until SIGINT/SIGTERM"))
              << std::endl;
  }
  for (;;) {
    loop.step();
    if (g_stop_signal) {
      stopped_by = std::string("signal ") + (g_stop_signal == SIGINT ? "SIGINT" : g_stop_signal == SIGTERM ? "SIGTERM" : "SIGHUP");
      if (child || next_exec < execs.size()) status = 128 + g_stop_signal;
      break;
    }
    const auto now = Clock::now();
    if (now >= deadline) {
      stopped_by = "--duration";
      if (child || next_exec < execs.size()) status = 124;
      break;
    }
    if (now - last_check < std::chrono::milliseconds(5)) continue;
    last_check = now;
    if (child) {
      const bool done = child->poll_exit();
      if (!done) {
        child_out->feed(child->output());
        continue;
      }
      child_out->finish(child->output());
      const int code = child->exit_code();
      const ExecSpec& e = execs[next_exec - 1];
      std::cout << "smartnic run: exec " << e.who << ":" << e.command << ": exit status " << code << std::endl;
      child.reset();
      if (code != 0) {
        status = code;
        stopped_by = "a failing --exec";
        break;
      }
    }
    if (next_exec < execs.size()) {
      const ExecSpec& e = execs[next_exec++];
      std::cout << "smartnic run: exec " << e.who << ":" << e.command << std::endl;
      child.emplace(namespaces.at(e.who)->spawn({"sh", "-c", e.command}));
      child_out.emplace(e.who);
    } else if (!execs.empty()) {
      stopped_by = "the last --exec";
      break;
    }
  }
  if (child) {
    child->terminate();
    child_out->finish(child->output());
    std::cout << "smartnic run: exec " << execs[next_exec - 1].who << ":" << execs[next_exec - 1].command
              << ": stopped (" << stopped_by << ")" << std::endl;
    child.reset();
  }
  const double wall = std::chrono::duration<double>(Clock::now() - start).count();
  loop.settle(std::chrono::milliseconds(200));

  // ---- statistics
  TextTable table({"vm", "kind", "submitted", "external", "hairpin_out", "hairpin_in", "from_net", "consumed",
                   "drops", "ep_read", "ep_written", "ep_dropped"},
                  {false, false, true, true, true, true, true, true, true, true, true, true});
  VmStats total;
  EndpointCounters ep_total;
  std::vector<std::string> drop_lines;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const VmStats st = sw.stats(ids[i]);
    const EndpointCounters ec = endpoints[i]->counters();
    total += st;
    ep_total.read_datagrams += ec.read_datagrams;
    ep_total.written_datagrams += ec.written_datagrams;
    ep_total.read_dropped += ec.read_dropped;
    ep_total.write_dropped += ec.write_dropped;
    table.row({specs[i].name, kind_name(specs[i].kind), std::to_string(st.submitted), std::to_string(st.external),
               std::to_string(st.hairpin_out), std::to_string(st.hairpin_in), std::to_string(st.ingress),
               std::to_string(st.received_consumed), std::to_string(st.drops()), std::to_string(ec.read_datagrams),
               std::to_string(ec.written_datagrams), std::to_string(ec.read_dropped + ec.write_dropped)});
    std::string reasons;
    for (unsigned k = 0; k < regs::kNumDropReasons; ++k) {
      if (st.nic_drops[k]) reasons += " " + std::string(regs::kDropReasonNames[k]) + "=" + std::to_string(st.nic_drops[k]);
      if (st.ingress_drops[k]) {
        reasons += " rx:" + std::string(regs::kDropReasonNames[k]) + "=" + std::to_string(st.ingress_drops[k]);
      }
    }
    for (unsigned k = 0; k < kNumHostDropReasons; ++k) {
      if (st.host_drops[k]) reasons += " " + std::string(kHostDropReasonNames[k]) + "=" + std::to_string(st.host_drops[k]);
    }
    if (!reasons.empty()) drop_lines.push_back(specs[i].name + ":" + reasons);
  }
  table.row({"total", "", std::to_string(total.submitted), std::to_string(total.external),
             std::to_string(total.hairpin_out), std::to_string(total.hairpin_in), std::to_string(total.ingress),
             std::to_string(total.received_consumed), std::to_string(total.drops()),
             std::to_string(ep_total.read_datagrams), std::to_string(ep_total.written_datagrams),
             std::to_string(ep_total.read_dropped + ep_total.write_dropped)});
  std::cout << "\nsmartnic run: stopped by " << stopped_by << " after " << fixed(wall, 2) << " s\n";
  table.print(std::cout);
  for (const auto& l : drop_lines) std::cout << "drops " << l << '\n';
  const auto& lc = loop.counters();
  std::cout << "port: " << lc.frames_out << " frames (" << lc.bytes_out << " B) out, of them " << arp_from_nic
            << " ARP replies from the NIC; " << lc.frames_in << " frames (" << lc.bytes_in << " B) in";
  if (ext_in_skipped) std::cout << "; " << ext_in_skipped << " pcap records without IPv4 skipped";
  std::cout << '\n';
  const auto cycles = device.cycles();
  std::cout << "simulated: " << cycles << " cycles (" << fixed(static_cast<double>(cycles) / clock_mhz / 1000.0, 3)
            << " ms of NIC time at " << fixed(clock_mhz, 0) << " MHz) in " << fixed(wall, 2) << " s, "
            << loop.counters().rounds << " loop rounds\n";
  const auto errors = sw.check_accounting();
  if (errors.empty()) {
    std::cout << "accounting: OK (submitted == external + hairpin_out + drops + in_flight for every VM)\n";
  } else {
    std::cout << "accounting: FAILED\n";
    for (const auto& e : errors) std::cout << "  " << e << '\n';
    if (status == 0) status = 1;
  }
  if (const auto v = device.protocol_violation_count()) {
    std::cout << "bus protocol violations by the NIC: " << v << '\n' << device.protocol_violation_report() << '\n';
    if (status == 0) status = 1;
  }
  std::cout.flush();
  return status;
#else
  (void)gen_rate;
  (void)gen_count;
  (void)seed;
  (void)latency_ns;
  (void)clock_mhz;
  (void)mtu;
  (void)execs;
  (void)duration;
  (void)gen_min;
  (void)gen_max;
  (void)trace;
  (void)pcap;
  (void)rx_pcap;
  std::cerr << "smartnic run: this build has no simulation backend (smartnic_driver_sim / "
               "smartnic/sim_device.hpp were not found at build time); rebuild with the driver\n";
  return 1;
#endif
}

}  // namespace smartnic::cli
