// Subcommands of the `smartnic` tool. Each takes the arguments after its name and returns the
// process exit status.
#pragma once

#include <string>
#include <vector>

namespace smartnic::cli {

int sim_command(const std::vector<std::string>& args);
// `smartnic serve`: the long-lived runtime behind the control socket.
int serve_command(const std::vector<std::string>& args);
// `smartnic run`: TUN/TAP namespaces, pcaps and generators as VMs on the Verilated NIC, the
// NIC's port bridged to an external host; --exec runs commands inside (run_command.cpp).
int run_command(const std::vector<std::string>& args);
// `smartnic bench`: throughput, hairpin, table and simulator figures (bench_command.cpp).
int bench_command(const std::vector<std::string>& args);

}  // namespace smartnic::cli
