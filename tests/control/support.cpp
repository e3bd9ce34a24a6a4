#include "support.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "smartnic/control/client.hpp"

extern char** environ;

namespace smartnic::test {

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "smartnic-ctl-XXXXXX").string();
  if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

ChildProcess::ChildProcess(const std::vector<std::string>& args, const TempDir& dir) {
  static int counter = 0;
  const std::string tag = std::to_string(++counter);
  out_path_ = dir.file("child" + tag + ".out");
  err_path_ = dir.file("child" + tag + ".err");
  std::vector<std::string> argv_s = {SMARTNIC_CLI};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&fa, 2, err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  const int rc = posix_spawn(&pid_, argv[0], &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) throw std::runtime_error(std::string("cannot start ") + SMARTNIC_CLI);
}

ChildProcess::~ChildProcess() {
  if (!status_ && pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int st;
    ::waitpid(pid_, &st, 0);
  }
}

void ChildProcess::signal(int sig) const { ::kill(pid_, sig); }

std::optional<int> ChildProcess::wait(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!status_) {
    int st = 0;
    const pid_t r = ::waitpid(pid_, &st, WNOHANG);
    if (r == pid_) {
      status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
      break;
    }
    if (std::chrono::steady_clock::now() > deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return status_;
}

std::string ChildProcess::out() const { return slurp(out_path_); }
std::string ChildProcess::err() const { return slurp(err_path_); }

CliResult run_cli(const std::vector<std::string>& args, const TempDir& dir) {
  ChildProcess p(args, dir);
  const auto rc = p.wait();
  return {rc ? *rc : -1, p.out(), p.err()};
}

bool wait_for_server(const std::string& path, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    try {
      control::ControlClient c(path);
      return true;
    } catch (const control::ControlError&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  return false;
}

InProcessServer::InProcessServer(const std::string& socket_path)
    : device_(std::make_unique<SimDevice>()), sw_(std::make_unique<Switch>(*device_)) {
  control::ServiceOptions o;
  SimDevice* dev = device_.get();
  o.take_port_frames = [dev] { return static_cast<std::uint64_t>(dev->take_tx_frames().size()); };
  service_ = std::make_unique<control::ControlService>(*sw_, o);
  server_ = std::make_unique<control::ControlServer>(*service_, socket_path);
  server_->idle_poll = std::chrono::milliseconds(10);
  thread_ = std::thread([this] { server_->run(); });
}

void InProcessServer::stop() {
  if (thread_.joinable()) {
    server_->request_stop();
    thread_.join();
  }
  server_.reset();  // closes connections, removes the socket
}

InProcessServer::~InProcessServer() { stop(); }

}  // namespace smartnic::test
