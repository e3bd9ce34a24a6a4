// `smartnic`: command line front end of the host runtime.
//   smartnic sim [options]   run a self-checking traffic scenario on the Verilated NIC
//   smartnic serve [options] the long-lived runtime behind a control socket
//   smartnic run [options]   real Linux IP stacks (TUN/TAP namespaces) as VMs on the Verilated NIC
//   smartnic bench [options] performance figures: JSON, CSV and a plot (docs/benchmarks.md)
//   smartnic vm|ip|stats|table|traffic|status|shutdown ...   talk to that server
//   smartnic help            this text
//   smartnic --version
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "commands.hpp"
#include "control_cli.hpp"
#include "smartnic/control/protocol.hpp"
#include "smartnic/regs.hpp"

namespace {

void usage(std::ostream& out) {
  out << "usage: smartnic <command> [options]\n"
         "commands:\n"
         "  sim       run a traffic scenario on the simulated NIC and check every datagram\n"
         "            (smartnic sim --help lists its options)\n"
         "  serve     run the switch as a server on a control socket (smartnic serve --help)\n"
         "  run       namespaces (TUN/TAP), pcaps and generators as VMs on the simulated NIC, an\n"
         "            external host on its port, commands run inside (smartnic run --help)\n"
         "  bench     throughput per frame size, hairpin vs memcpy, table and simulator figures;\n"
         "            writes bench.json, bench.csv and throughput.svg (smartnic bench --help)\n"
         "  vm        vm add NAME --ip A[,B...] | vm del NAME | vm list\n"
         "  ip        ip add NAME ADDR | ip del ADDR | ip list\n"
         "  stats     stats [NAME]: counters per VM and per drop reason\n"
         "  table     table dump: the VM-IP table as read back from the NIC\n"
         "  traffic   traffic start NAME --rate R | traffic stop NAME (built-in generator)\n"
         "  send      send NAME --to ADDR [--count N]: where do datagrams to ADDR go?\n"
         "  status    server, device and table summary\n"
         "  shutdown  stop the server\n"
         "            every server command takes --socket PATH (default $SMARTNIC_SOCKET or\n"
         "            /run/smartnic.sock), --json and --help\n"
         "  help      show this text\n"
         "options:\n"
         "  --version show the tool and register-map versions\n";
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    usage(std::cerr);
    return 2;
  }
  const std::string& cmd = args.front();
  try {
    if (cmd == "--version" || cmd == "version") {
      std::cout << "smartnic " << SMARTNIC_VERSION << " (register map " << (smartnic::regs::kVersion >> 16)
                << '.' << (smartnic::regs::kVersion & 0xFFFF) << ")\n";
      return 0;
    }
    if (cmd == "help" || cmd == "--help" || cmd == "-h") {
      usage(std::cout);
      return 0;
    }
    if (cmd == "sim") return smartnic::cli::sim_command({args.begin() + 1, args.end()});
    if (cmd == "serve") return smartnic::cli::serve_command({args.begin() + 1, args.end()});
    if (cmd == "run") return smartnic::cli::run_command({args.begin() + 1, args.end()});
    if (cmd == "bench") return smartnic::cli::bench_command({args.begin() + 1, args.end()});
    if (smartnic::cli::is_control_command(cmd)) return smartnic::cli::control_command(args);
    std::cerr << "smartnic: unknown command '" << cmd << "'\n";
    usage(std::cerr);
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "smartnic " << cmd << ": error: " << e.what() << '\n';
    return 1;
  }
}
