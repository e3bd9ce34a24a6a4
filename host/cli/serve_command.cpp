// `smartnic serve`: the long-lived runtime. Opens one device, owns one Switch, applies an
// optional config file of control commands, and serves the control socket until SIGINT,
// SIGTERM or a `shutdown` request; the socket file is removed on every clean exit.
#include <signal.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <fstream>
#include <iostream>

#include "backend.hpp"
#include "commands.hpp"
#include "control_cli.hpp"
#include "po_error.hpp"
#include "smartnic/control/protocol.hpp"
#include "smartnic/control/server.hpp"
#include "smartnic/errors.hpp"

namespace po = boost::program_options;

namespace smartnic::cli {

namespace {

// The server the signal handler stops. A handler can only reach globals; request_stop() is
// async-signal-safe (an atomic store and a write to a pipe).
control::ControlServer* g_server = nullptr;

extern "C" void on_stop_signal(int) {
  if (g_server) g_server->request_stop();
}

// Installs the SIGINT/SIGTERM handler for the lifetime of the server and restores the previous
// handlers afterwards (RAII), so an exception on the way out leaves no dangling pointer behind.
class StopSignals {
 public:
  explicit StopSignals(control::ControlServer& server) {
    g_server = &server;
    struct sigaction sa{};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;  // no SA_RESTART: poll() returns EINTR and the loop sees the stop flag
    sigaction(SIGINT, &sa, &old_int_);
    sigaction(SIGTERM, &sa, &old_term_);
  }
  ~StopSignals() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
    g_server = nullptr;
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

 private:
  struct sigaction old_int_{};
  struct sigaction old_term_{};
};

// Whitespace-separated words; "double quotes" group words; '#' starts a comment.
std::vector<std::string> split_words(const std::string& line) {
  std::vector<std::string> words;
  std::string cur;
  bool quoted = false, have = false;
  for (const char c : line) {
    if (c == '"') {
      quoted = !quoted;
      have = true;
    } else if (!quoted && c == '#') {
      break;
    } else if (!quoted && (c == ' ' || c == '\t' || c == '\r')) {
      if (have) words.push_back(std::move(cur));
      cur.clear();
      have = false;
    } else {
      cur += c;
      have = true;
    }
  }
  if (quoted) throw ConfigError("unterminated quote");
  if (have) words.push_back(std::move(cur));
  return words;
}

// Each line is a control command as typed after `smartnic` (vm add ..., ip add ..., traffic
// start ...). The first failing line stops the server from starting.
void apply_config(control::ControlService& service, const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ConfigError("cannot read config file " + path);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    const std::string where = path + ":" + std::to_string(n) + ": ";
    std::vector<std::string> words;
    try {
      words = split_words(line);
    } catch (const ConfigError& e) {
      throw ConfigError(where + e.what());
    }
    if (words.empty()) continue;
    if (!is_control_command(words[0]) || words[0] == "shutdown") {
      throw ConfigError(where + "'" + words[0] + "' is not a control command (vm, ip, traffic, ...)");
    }
    ControlInvocation inv;
    try {
      inv = parse_control(words);
    } catch (const UsageError& e) {
      throw ConfigError(where + e.what());
    }
    const auto answer = service.handle(inv.request);
    if (!answer["ok"].as_bool()) throw ConfigError(where + answer["error"].as_string());
  }
}

}  // namespace

int serve_command(const std::vector<std::string>& args) {
  std::string socket;
  std::string config;
  std::uint64_t remove_timeout_us = 1000;
  BackendArgs backend;
  po::options_description opts("smartnic serve options");
  opts.add_options()("help,h", "show these options")
      ("socket", po::value(&socket), "control socket to listen on (default $SMARTNIC_SOCKET or /run/smartnic.sock)")
      ("config", po::value(&config), "file of control commands to apply at start, one per line (e.g. `vm add web --ip 10.0.0.1`)")
      ("remove-timeout-us", po::value(&remove_timeout_us)->default_value(1000),
       "device time `vm del` waits for the NIC to finish a VM's descriptors");
  opts.add(backend_options(backend));
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(opts).run(), vm);
    po::notify(vm);
  } catch (po::error& e) {
    std::cerr << "smartnic serve: " << po_error_text(e) << "\n" << opts;
    return 2;
  }
  if (vm.count("help")) {
    std::cout << "usage: smartnic serve [--socket PATH] [--config FILE] [--backend sim|xrt ...]\n" << opts;
    return 0;
  }
  if (socket.empty()) socket = control::default_socket_path();

  OpenedBackend dev = open_backend(backend);
  Switch sw(*dev.device);
  control::ServiceOptions so;
  so.take_port_frames = dev.take_port_frames;
  so.remove_timeout = std::chrono::microseconds(remove_timeout_us);
  control::ControlService service(sw, so);
  control::ControlServer server(service, socket);  // refuses when a live server holds the socket
  if (!config.empty()) apply_config(service, config);
  StopSignals signals(server);
  std::cerr << "smartnic serve: listening on " << socket << " (pid " << ::getpid() << "; device: "
            << dev.device->describe() << "; " << sw.device_vms() << " VM slots, " << sw.device_table_entries()
            << " table entries)" << std::endl;
  server.run();
  const auto errors = sw.check_accounting();
  std::cerr << "smartnic serve: stopped; " << sw.vm_count() << " VMs, " << sw.totals().submitted
            << " datagrams handed over, accounting " << (errors.empty() ? "OK" : "FAILED") << std::endl;
  for (const auto& e : errors) std::cerr << "  " << e << '\n';
  return errors.empty() ? 0 : 1;
}

}  // namespace smartnic::cli
