#include "control_cli.hpp"

#include <boost/program_options.hpp>
#include <iostream>
#include <cctype>
#include <functional>
#include <sstream>

#include "smartnic/control/client.hpp"
#include "po_error.hpp"

namespace po = boost::program_options;

namespace smartnic::cli {

using control::Json;

namespace {

// One subcommand: its synopsis, positional arguments (name, required) and extra options. The
// build function turns the parsed values into the request.
struct Spec {
  std::string words;  // "vm add"
  std::string synopsis;
  std::vector<std::pair<std::string, bool>> positional;
  std::function<void(po::options_description&)> options;
  std::function<Json(const po::variables_map&)> build;
};

std::string pos(const po::variables_map& vm, const std::string& name) {
  return vm.count(name) ? vm[name].as<std::string>() : std::string();
}

// "--ip a,b --ip c" -> ["a","b","c"]
Json split_ips(const std::vector<std::string>& values) {
  Json ips = Json::array();
  for (const auto& v : values) {
    std::size_t start = 0;
    while (start <= v.size()) {
      const auto comma = v.find(',', start);
      const std::string part = v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!part.empty()) ips.push(part);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return ips;
}

const std::vector<Spec>& specs() {
  static const std::vector<Spec> s = {
      {"vm add", "smartnic vm add NAME [--ip A[,B...]]... [--tx-ring-log2 N] [--input-ring-log2 N] [--traffic RATE]",
       {{"name", true}},
       [](po::options_description& o) {
         o.add_options()("ip", po::value<std::vector<std::string>>()->composing(), "addresses of the VM (repeat or comma-separate)")
             ("tx-ring-log2", po::value<int>()->default_value(8), "log2 of TX ring entries = output buffers (2..15)")
             ("input-ring-log2", po::value<int>()->default_value(8), "log2 of hairpin input buffers (2..15)")
             ("traffic", po::value<double>(), "start the built-in generator at RATE datagrams/s")
             ("traffic-size", po::value<int>()->default_value(256), "generated datagram length in bytes")
             ("traffic-external", po::value<double>()->default_value(0.5), "share of generated datagrams sent external");
       },
       [](const po::variables_map& vm) {
         Json r = Json::object().set("cmd", "vm.add").set("name", pos(vm, "name"));
         r.set("ips", split_ips(vm.count("ip") ? vm["ip"].as<std::vector<std::string>>() : std::vector<std::string>{}));
         r.set("tx_ring_log2", vm["tx-ring-log2"].as<int>()).set("input_ring_log2", vm["input-ring-log2"].as<int>());
         if (vm.count("traffic")) {
           r.set("traffic", Json::object()
                                .set("rate", vm["traffic"].as<double>())
                                .set("size", vm["traffic-size"].as<int>())
                                .set("external_fraction", vm["traffic-external"].as<double>()));
         }
         return r;
       }},
      {"vm del", "smartnic vm del NAME [--timeout-us N]", {{"name", true}},
       [](po::options_description& o) {
         o.add_options()("timeout-us", po::value<int>(), "device time to wait for the NIC to finish the VM's descriptors");
       },
       [](const po::variables_map& vm) {
         Json r = Json::object().set("cmd", "vm.del").set("name", pos(vm, "name"));
         if (vm.count("timeout-us")) r.set("timeout_us", vm["timeout-us"].as<int>());
         return r;
       }},
      {"vm list", "smartnic vm list", {}, nullptr, [](const po::variables_map&) { return Json::object().set("cmd", "vm.list"); }},
      {"ip add", "smartnic ip add NAME ADDR", {{"name", true}, {"ip", true}}, nullptr,
       [](const po::variables_map& vm) {
         return Json::object().set("cmd", "ip.add").set("name", pos(vm, "name")).set("ip", pos(vm, "ip"));
       }},
      {"ip del", "smartnic ip del ADDR", {{"ip", true}}, nullptr,
       [](const po::variables_map& vm) { return Json::object().set("cmd", "ip.del").set("ip", pos(vm, "ip")); }},
      {"ip list", "smartnic ip list", {}, nullptr, [](const po::variables_map&) { return Json::object().set("cmd", "ip.list"); }},
      {"stats", "smartnic stats [NAME]", {{"name", false}}, nullptr,
       [](const po::variables_map& vm) {
         Json r = Json::object().set("cmd", "stats");
         if (vm.count("name")) r.set("name", pos(vm, "name"));
         return r;
       }},
      {"table dump", "smartnic table dump [--all]", {},
       [](po::options_description& o) { o.add_options()("all", "also list empty slots"); },
       [](const po::variables_map& vm) { return Json::object().set("cmd", "table.dump").set("all", vm.count("all") > 0); }},
      {"traffic start", "smartnic traffic start NAME --rate R [--size N] [--external-fraction F]", {{"name", true}},
       [](po::options_description& o) {
         o.add_options()("rate", po::value<double>()->required(), "datagrams per second (wall clock)")
             ("size", po::value<int>()->default_value(256), "datagram length in bytes (28..9000)")
             ("external-fraction", po::value<double>()->default_value(0.5), "share sent to external addresses");
       },
       [](const po::variables_map& vm) {
         return Json::object()
             .set("cmd", "traffic.start")
             .set("name", pos(vm, "name"))
             .set("rate", vm["rate"].as<double>())
             .set("size", vm["size"].as<int>())
             .set("external_fraction", vm["external-fraction"].as<double>());
       }},
      {"traffic stop", "smartnic traffic stop NAME", {{"name", true}}, nullptr,
       [](const po::variables_map& vm) { return Json::object().set("cmd", "traffic.stop").set("name", pos(vm, "name")); }},
      {"send", "smartnic send NAME --to ADDR [--count N] [--size BYTES]", {{"name", true}},
       [](po::options_description& o) {
         o.add_options()("to", po::value<std::string>()->required(), "destination address")
             ("count", po::value<int>()->default_value(1), "datagrams to send")
             ("size", po::value<int>()->default_value(64), "datagram length in bytes (28..9000)");
       },
       [](const po::variables_map& vm) {
         return Json::object()
             .set("cmd", "send")
             .set("name", pos(vm, "name"))
             .set("to", vm["to"].as<std::string>())
             .set("count", vm["count"].as<int>())
             .set("size", vm["size"].as<int>());
       }},
      {"reset", "smartnic reset [--timeout-us N]", {},
       [](po::options_description& o) {
         o.add_options()("timeout-us", po::value<int>(), "device time to wait for the NIC to quiesce (default 1000)");
       },
       [](const po::variables_map& vm) {
         Json r = Json::object().set("cmd", "nic.reset");
         if (vm.count("timeout-us")) r.set("timeout_us", vm["timeout-us"].as<int>());
         return r;
       }},
      {"status", "smartnic status", {}, nullptr, [](const po::variables_map&) { return Json::object().set("cmd", "info"); }},
      {"shutdown", "smartnic shutdown", {}, nullptr, [](const po::variables_map&) { return Json::object().set("cmd", "shutdown"); }},
  };
  return s;
}

std::string all_synopses() {
  std::string out;
  for (const auto& s : specs()) out += "  " + s.synopsis + "\n";
  return out;
}

}  // namespace

bool is_control_command(const std::string& word) {
  for (const auto& s : specs()) {
    if (s.words.substr(0, s.words.find(' ')) == word) return true;
  }
  return false;
}

ControlInvocation parse_control(const std::vector<std::string>& words) {
  if (words.empty()) throw UsageError("no command", all_synopses());
  const Spec* spec = nullptr;
  std::size_t used = 1;
  for (const auto& s : specs()) {
    const auto space = s.words.find(' ');
    if (space == std::string::npos ? s.words == words[0]
                                   : (words.size() > 1 && s.words == words[0] + " " + words[1])) {
      spec = &s;
      used = space == std::string::npos ? 1 : 2;
      break;
    }
  }
  if (!spec) {
    std::string usage;
    for (const auto& s : specs()) {
      if (s.words.rfind(words[0] + " ", 0) == 0) usage += "  " + s.synopsis + "\n";
    }
    const std::string what = words.size() > 1 ? "'" + words[0] + " " + words[1] + "'" : "'" + words[0] + "' needs a subcommand";
    throw UsageError(words.size() > 1 ? "unknown command " + what : what, usage.empty() ? all_synopses() : usage);
  }
  ControlInvocation inv;
  po::options_description opts("options");
  opts.add_options()("socket", po::value(&inv.socket), "control socket of the server (default $SMARTNIC_SOCKET or /run/smartnic.sock)")
      ("json", po::bool_switch(&inv.json), "print the result as one JSON object")
      ("help,h", po::bool_switch(&inv.help), "show this text");
  if (spec->options) spec->options(opts);
  po::options_description hidden;
  po::positional_options_description positional;
  for (const auto& [name, required] : spec->positional) {
    hidden.add_options()(name.c_str(), po::value<std::string>());
    positional.add(name.c_str(), 1);
  }
  po::options_description all;
  all.add(opts).add(hidden);
  std::ostringstream usage;
  usage << "usage: " << spec->synopsis << "\n" << opts;
  inv.usage = usage.str();
  po::variables_map vm;
  const std::vector<std::string> rest(words.begin() + static_cast<std::ptrdiff_t>(used), words.end());
  try {
    po::store(po::command_line_parser(rest).options(all).positional(positional).run(), vm);
    if (vm.count("help") && vm["help"].as<bool>()) {
      inv.help = true;
      return inv;
    }
    po::notify(vm);
  } catch (const po::too_many_positional_options_error&) {
    throw UsageError(spec->words + ": too many arguments", inv.usage);
  } catch (po::error& e) {
    throw UsageError(spec->words + ": " + po_error_text(e), inv.usage);
  }
  for (const auto& [name, required] : spec->positional) {
    if (required && !vm.count(name)) {
      std::string upper = name;
      for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      throw UsageError(spec->words + ": missing " + (upper == "IP" ? "ADDR" : upper), inv.usage);
    }
  }
  inv.request = spec->build(vm);
  if (inv.socket.empty()) inv.socket = control::default_socket_path();
  return inv;
}

int control_command(const std::vector<std::string>& words) {
  ControlInvocation inv;
  try {
    inv = parse_control(words);
  } catch (const UsageError& e) {
    std::cerr << "smartnic: " << e.what() << "\n" << e.usage;
    return 2;
  }
  if (inv.help) {
    std::cout << inv.usage;
    return 0;
  }
  const std::string cmd = inv.request["cmd"].as_string();
  control::ControlClient client(inv.socket);
  const Json result = client.request(inv.request);
  if (inv.json) {
    std::cout << result.dump() << '\n';
    if (cmd == "table.dump") return result["mismatches"].as_int() == 0 ? 0 : 1;
    if (cmd == "stats") return result["accounting"].as_array().empty() ? 0 : 1;
    return 0;
  }
  return print_result(std::cout, cmd, result) ? 0 : 1;
}

}  // namespace smartnic::cli
