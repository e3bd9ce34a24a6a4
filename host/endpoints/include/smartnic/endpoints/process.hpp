// Child processes for endpoint setup and tests: run a command to completion with a timeout and
// captured output, or keep one running in the background (RAII: killed and reaped on
// destruction). No shell is involved: arguments are passed as given.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

#include "smartnic/endpoints/unique_fd.hpp"

namespace smartnic::endpoints {

struct CommandResult {
  int exit_code = -1;      // exit status, or 128 + signal when killed by a signal
  bool timed_out = false;  // killed because the timeout passed
  std::string output;      // stdout, and stderr too unless kept apart
  std::string errors;      // stderr when run with separate_stderr
  bool ok() const { return exit_code == 0 && !timed_out; }
};

// Runs argv[0] (searched in PATH) with stdin from /dev/null; stdout and stderr are captured
// (into `output` together, or apart with separate_stderr). Throws smartnic::Error when the
// program cannot be started.
CommandResult run_command(const std::vector<std::string>& argv,
                          std::chrono::milliseconds timeout = std::chrono::seconds(10),
                          bool separate_stderr = false);
// Same, throwing smartnic::Error naming the command, its status and its output unless ok().
std::string run_checked(const std::vector<std::string>& argv,
                        std::chrono::milliseconds timeout = std::chrono::seconds(10));
// "a b 'c d'" for messages.
std::string join_command(const std::vector<std::string>& argv);
// True when `program` is found in PATH (or is an executable path).
bool program_available(const std::string& program);

// A program running in the background in its own process group, output captured through a pipe.
// The destructor sends SIGTERM to the group, waits up to 1 s, then SIGKILL, and reaps it.
class ChildProcess {
 public:
  explicit ChildProcess(const std::vector<std::string>& argv);
  ~ChildProcess();
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&&) = delete;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  // Non-blocking: true once the child has exited (its status is then in exit_code()).
  bool poll_exit();
  // Waits up to `timeout` for exit; false when still running.
  bool wait_exit(std::chrono::milliseconds timeout);
  int exit_code() const { return exit_code_; }
  // Everything the child wrote so far (drains the pipe without blocking).
  const std::string& output();
  // Sends SIGTERM (then SIGKILL after `grace`) and reaps.
  void terminate(std::chrono::milliseconds grace = std::chrono::milliseconds(1000));

 private:
  void drain();
  pid_t pid_ = -1;
  bool exited_ = false;
  int exit_code_ = -1;
  UniqueFd out_;
  std::string output_;
};

}  // namespace smartnic::endpoints
