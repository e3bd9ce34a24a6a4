#include "smartnic/endpoints/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "smartnic/errors.hpp"

extern char** environ;

namespace smartnic::endpoints {
namespace {

using Clock = std::chrono::steady_clock;

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// Starts argv in its own process group with stdout+stderr into a new pipe; returns the read end.
pid_t spawn(const std::vector<std::string>& argv, UniqueFd& out, UniqueFd* err = nullptr) {
  if (argv.empty()) throw Error("run_command: empty command");
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw Error(std::string("pipe2: ") + std::strerror(errno));
  UniqueFd rd(fds[0]);
  UniqueFd wr(fds[1]);
  UniqueFd erd, ewr;
  if (err) {
    if (::pipe2(fds, O_CLOEXEC) != 0) throw Error(std::string("pipe2: ") + std::strerror(errno));
    erd.reset(fds[0]);
    ewr.reset(fds[1]);
  }

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, wr.get(), 1);
  posix_spawn_file_actions_adddup2(&actions, err ? ewr.get() : wr.get(), 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none;
  sigemptyset(&none);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  sigaddset(&defaults, SIGTERM);
  sigaddset(&defaults, SIGINT);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                      POSIX_SPAWN_SETSIGDEF);

  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  const int rc = ::posix_spawnp(&pid, args[0], &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    throw Error("cannot start " + join_command(argv) + ": " + std::strerror(rc));
  }
  out = std::move(rd);
  if (err) *err = std::move(erd);
  return pid;
}

void set_nonblocking(int fd) {
  const int flags = ::fcntl(fd, F_GETFL);
  ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

// Reads what is available; returns false at EOF.
bool read_available(int fd, std::string& into) {
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n > 0) {
      into.append(buf, static_cast<std::size_t>(n));
      continue;
    }
    if (n == 0) return false;
    if (errno == EINTR) continue;
    return errno == EAGAIN || errno == EWOULDBLOCK;
  }
}

}  // namespace

std::string join_command(const std::vector<std::string>& argv) {
  std::string s;
  for (const auto& a : argv) {
    if (!s.empty()) s += ' ';
    if (a.empty() || a.find_first_of(" \t'\"") != std::string::npos) {
      s += '\'' + a + '\'';
    } else {
      s += a;
    }
  }
  return s;
}

bool program_available(const std::string& program) {
  if (program.find('/') != std::string::npos) return ::access(program.c_str(), X_OK) == 0;
  const char* path = std::getenv("PATH");
  std::string p = path ? path : "/usr/local/bin:/usr/bin:/bin";
  p += ":/usr/sbin:/sbin";
  std::size_t start = 0;
  while (start <= p.size()) {
    const std::size_t end = std::min(p.find(':', start), p.size());
    const std::string dir = p.substr(start, end - start);
    if (!dir.empty() && ::access((dir + "/" + program).c_str(), X_OK) == 0) return true;
    start = end + 1;
  }
  return false;
}

CommandResult run_command(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                          bool separate_stderr) {
  UniqueFd out;
  UniqueFd err;
  const pid_t pid = spawn(argv, out, separate_stderr ? &err : nullptr);
  set_nonblocking(out.get());
  if (err) set_nonblocking(err.get());
  CommandResult result;
  const auto deadline = Clock::now() + timeout;
  bool open = true;
  bool err_open = err.valid();
  while (open || err_open) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      result.timed_out = true;
      ::kill(-pid, SIGKILL);
      break;
    }
    pollfd p[2] = {{open ? out.get() : -1, POLLIN, 0}, {err_open ? err.get() : -1, POLLIN, 0}};
    const int n = ::poll(p, 2, static_cast<int>(std::min<long long>(left.count(), 1000)));
    if (n > 0 && open && p[0].revents) open = read_available(out.get(), result.output);
    if (n > 0 && err_open && p[1].revents) err_open = read_available(err.get(), result.errors);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = decode_status(status);
  return result;
}

std::string run_checked(const std::vector<std::string>& argv, std::chrono::milliseconds timeout) {
  CommandResult r = run_command(argv, timeout);
  if (!r.ok()) {
    throw Error(join_command(argv) + (r.timed_out ? ": timed out" : ": exit status " +
                                                                        std::to_string(r.exit_code)) +
                (r.output.empty() ? std::string() : ": " + r.output));
  }
  return std::move(r.output);
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv) {
  pid_ = spawn(argv, out_);
  set_nonblocking(out_.get());
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      exited_(other.exited_),
      exit_code_(other.exit_code_),
      out_(std::move(other.out_)),
      output_(std::move(other.output_)) {}

ChildProcess::~ChildProcess() { terminate(); }

void ChildProcess::drain() {
  if (out_.valid() && !read_available(out_.get(), output_)) out_.reset();
}

const std::string& ChildProcess::output() {
  drain();
  return output_;
}

bool ChildProcess::poll_exit() {
  if (pid_ < 0 || exited_) return true;
  drain();
  int status = 0;
  const pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    exited_ = true;
    exit_code_ = decode_status(status);
    // The child may have written its last words after our previous drain.
    if (out_.valid()) {
      pollfd p{out_.get(), POLLIN, 0};
      if (::poll(&p, 1, 100) > 0) drain();
    }
  }
  return exited_;
}

bool ChildProcess::wait_exit(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!poll_exit()) {
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

void ChildProcess::terminate(std::chrono::milliseconds grace) {
  if (pid_ < 0 || poll_exit()) return;
  ::kill(-pid_, SIGTERM);
  if (wait_exit(grace)) return;
  ::kill(-pid_, SIGKILL);
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  exited_ = true;
  exit_code_ = decode_status(status);
}

}  // namespace smartnic::endpoints
