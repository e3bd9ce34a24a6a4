// Subcommands of the `smartnic` tool. Each takes the arguments after its name and returns the
// process exit status.
#pragma once

#include <string>
#include <vector>

namespace smartnic::cli {

int sim_command(const std::vector<std::string>& args);
// `smartnic serve`: the long-lived runtime behind the control socket.
int serve_command(const std::vector<std::string>& args);

}  // namespace smartnic::cli
