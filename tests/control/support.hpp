// Test helpers that clean up after themselves even when an assertion fails: a temporary
// directory (for sockets and logs), a `smartnic` child process that is killed and reaped on
// destruction, and an in-process server on the simulated NIC running in its own thread.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "smartnic/control/server.hpp"
#include "smartnic/sim_device.hpp"
#include "smartnic/switch.hpp"

namespace smartnic::test {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// Runs build/host/cli/smartnic with `args`; stdout and stderr go to files in `dir`.
class ChildProcess {
 public:
  ChildProcess(const std::vector<std::string>& args, const TempDir& dir);
  ~ChildProcess();  // SIGKILL and reap if still running
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  void signal(int sig) const;
  // Exit status (or 128 + signal); nullopt when it has not exited within `timeout`.
  std::optional<int> wait(std::chrono::milliseconds timeout = std::chrono::seconds(60));
  std::string out() const;
  std::string err() const;

 private:
  pid_t pid_ = -1;
  std::string out_path_, err_path_;
  std::optional<int> status_;
};

struct CliResult {
  int rc = -1;
  std::string out;
  std::string err;
};
// Runs the CLI to completion (bounded) and returns its status and output.
CliResult run_cli(const std::vector<std::string>& args, const TempDir& dir);

// Waits until something accepts connections on `path` (a freshly started server).
bool wait_for_server(const std::string& path, std::chrono::milliseconds timeout = std::chrono::seconds(30));

// SimDevice + Switch + ControlService + ControlServer, serving in a background thread.
class InProcessServer {
 public:
  explicit InProcessServer(const std::string& socket_path);
  ~InProcessServer();  // stops the thread; the server removes its socket
  void stop();
  Switch& sw() { return *sw_; }
  control::ControlServer& server() { return *server_; }

 private:
  std::unique_ptr<SimDevice> device_;
  std::unique_ptr<Switch> sw_;
  std::unique_ptr<control::ControlService> service_;
  std::unique_ptr<control::ControlServer> server_;
  std::thread thread_;
};

std::string slurp(const std::string& path);

}  // namespace smartnic::test
