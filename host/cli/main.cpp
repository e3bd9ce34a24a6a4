// `smartnic`: command line front end of the host runtime.
//   smartnic sim [options]   run a self-checking traffic scenario on the Verilated NIC
//   smartnic help            this text
//   smartnic --version
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "commands.hpp"
#include "smartnic/regs.hpp"

namespace {

void usage(std::ostream& out) {
  out << "usage: smartnic <command> [options]\n"
         "commands:\n"
         "  sim       run a traffic scenario on the simulated NIC and check every datagram\n"
         "            (smartnic sim --help lists its options)\n"
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
    std::cerr << "smartnic: unknown command '" << cmd << "'\n";
    usage(std::cerr);
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "smartnic " << cmd << ": error: " << e.what() << '\n';
    return 1;
  }
}
