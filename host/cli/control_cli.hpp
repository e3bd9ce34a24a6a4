// The CLI commands that talk to `smartnic serve` over the control socket:
//   vm add|del|list, ip add|del|list, stats, table dump, traffic start|stop, status, shutdown.
// Parsing turns the words into a protocol request, so the same parser reads `serve --config`.
#pragma once

#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "smartnic/control/json.hpp"

namespace smartnic::cli {

// Bad command line: exit status 2 and the usage of the command.
class UsageError : public std::runtime_error {
 public:
  UsageError(const std::string& what, std::string usage) : std::runtime_error(what), usage(std::move(usage)) {}
  std::string usage;
};

struct ControlInvocation {
  control::Json request;
  std::string socket;  // --socket, else $SMARTNIC_SOCKET, else /run/smartnic.sock
  bool json = false;   // --json: print the result as one JSON object
  bool help = false;   // --help: print `usage` and do nothing
  std::string usage;
};

// True for the first word of a control command ("vm", "ip", "stats", ...).
bool is_control_command(const std::string& word);
// `words` starts with the command ("vm", "add", "web", "--ip", "10.0.0.1"). Throws UsageError.
ControlInvocation parse_control(const std::vector<std::string>& words);
// Runs the command against the server and prints the result; returns the exit status.
int control_command(const std::vector<std::string>& words);
// Human-readable result of request `cmd` ("vm.list", ...). Returns false when the result itself
// reports a problem the exit status must show (table entries that differ from the shadow,
// broken accounting).
bool print_result(std::ostream& out, const std::string& cmd, const control::Json& result);

}  // namespace smartnic::cli
