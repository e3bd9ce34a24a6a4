#include "smartnic/endpoints/netns.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/socket.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <exception>
#include <iostream>
#include <sstream>
#include <thread>

#include "smartnic/errors.hpp"

namespace smartnic::endpoints {
namespace {

constexpr const char* kNetnsDir = "/run/netns";

bool valid_name(std::string_view n) {
  if (n.empty() || n.size() > 48 || n == "." || n == "..") return false;
  for (char c : n) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

void kill_processes_in(const std::string& name) {
  CommandResult r = run_command({"ip", "netns", "pids", name}, std::chrono::seconds(5));
  if (!r.ok()) return;
  std::istringstream in(r.output);
  long pid = 0;
  while (in >> pid) {
    if (pid > 1) ::kill(static_cast<pid_t>(pid), SIGKILL);
  }
}

void delete_namespace(const std::string& name) {
  kill_processes_in(name);
  CommandResult r = run_command({"ip", "netns", "del", name}, std::chrono::seconds(10));
  if (!r.ok()) {
    std::cerr << "smartnic endpoints: cannot delete network namespace " << name << ": "
              << r.output << '\n';
  }
}

}  // namespace

// ---- addresses ---------------------------------------------------------------------------

Ipv4Prefix Ipv4Prefix::parse(std::string_view text) {
  Ipv4Prefix p;
  const auto slash = text.find('/');
  p.address = Ipv4Address::parse(text.substr(0, slash));
  if (slash != std::string_view::npos) {
    const std::string_view len = text.substr(slash + 1);
    unsigned v = 0;
    auto [ptr, ec] = std::from_chars(len.data(), len.data() + len.size(), v);
    if (len.empty() || ec != std::errc() || ptr != len.data() + len.size() || v > 32) {
      throw ConfigError("bad prefix length in '" + std::string(text) + "' (expected /0../32)");
    }
    p.length = v;
  }
  return p;
}

Ipv4Address Ipv4Prefix::network() const {
  const std::uint32_t mask = length == 0 ? 0 : ~std::uint32_t{0} << (32 - length);
  return Ipv4Address(address.value() & mask);
}

bool Ipv4Prefix::contains(Ipv4Address a) const {
  const std::uint32_t mask = length == 0 ? 0 : ~std::uint32_t{0} << (32 - length);
  return (a.value() & mask) == (address.value() & mask);
}

std::string Ipv4Prefix::to_string() const {
  return address.to_string() + "/" + std::to_string(length);
}

std::vector<std::string> all_test_ranges() {
  return {std::string(kTestRanges[0]), std::string(kTestRanges[1]), std::string(kTestRanges[2])};
}

bool in_test_ranges(Ipv4Address a) {
  for (auto r : kTestRanges) {
    if (Ipv4Prefix::parse(r).contains(a)) return true;
  }
  return false;
}

void require_test_prefix(const Ipv4Prefix& p, std::string_view what) {
  if (p.length < 24 || !in_test_ranges(p.address)) {
    throw ConfigError(std::string(what) + " " + p.to_string() +
                      " is outside the test ranges 192.0.2.0/24, 198.51.100.0/24, "
                      "203.0.113.0/24 (prefix /24 or longer)");
  }
}

// ---- NetNamespace ------------------------------------------------------------------------

NetNamespace::NetNamespace(std::string name) : name_(std::move(name)) {
  if (!valid_name(name_)) {
    throw ConfigError("bad network namespace name '" + name_ + "' (1..48 of [A-Za-z0-9._-])");
  }
  CommandResult r = run_command({"ip", "netns", "add", name_});
  if (!r.ok()) {
    std::string n = std::move(name_);
    name_.clear();
    throw Error("ip netns add " + n + " failed: " + r.output);
  }
  try {
    ip({"link", "set", "dev", "lo", "up"});
    run_inside([] {
      for (const char* p : {"/proc/sys/net/ipv6/conf/all/disable_ipv6",
                            "/proc/sys/net/ipv6/conf/default/disable_ipv6"}) {
        UniqueFd f(::open(p, O_WRONLY | O_CLOEXEC));
        if (f) (void)!::write(f.get(), "1", 1);  // no IPv6 in the kernel: nothing to silence
      }
    });
  } catch (...) {
    destroy();
    throw;
  }
}

NetNamespace::NetNamespace(NetNamespace&& other) noexcept : name_(std::move(other.name_)) {
  other.name_.clear();
}

NetNamespace::~NetNamespace() { destroy(); }

void NetNamespace::destroy() noexcept {
  if (name_.empty()) return;
  try {
    delete_namespace(name_);
  } catch (const std::exception& e) {
    std::cerr << "smartnic endpoints: deleting namespace " << name_ << ": " << e.what() << '\n';
  }
  name_.clear();
}

std::string NetNamespace::ip(const std::vector<std::string>& args) const {
  std::vector<std::string> argv{"ip", "-n", name_};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_checked(argv);
}

std::vector<std::string> NetNamespace::exec_argv(const std::vector<std::string>& argv) const {
  std::vector<std::string> full{"ip", "netns", "exec", name_};
  full.insert(full.end(), argv.begin(), argv.end());
  return full;
}

CommandResult NetNamespace::exec(const std::vector<std::string>& argv,
                                 std::chrono::milliseconds timeout) const {
  return run_command(exec_argv(argv), timeout);
}

ChildProcess NetNamespace::spawn(const std::vector<std::string>& argv) const {
  return ChildProcess(exec_argv(argv));
}

void NetNamespace::run_inside(const std::function<void()>& fn) const {
  const std::string path = std::string(kNetnsDir) + "/" + name_;
  UniqueFd nsfd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!nsfd) throw Error("cannot open " + path + ": " + std::strerror(errno));
  std::exception_ptr error;
  std::thread t([&] {
    try {
      // setns(CLONE_NEWNET) changes only this thread's namespace; the thread ends right after.
      if (::setns(nsfd.get(), CLONE_NEWNET) != 0) {
        throw Error("setns into " + name_ + ": " + std::strerror(errno));
      }
      fn();
    } catch (...) {
      error = std::current_exception();
    }
  });
  t.join();
  if (error) std::rethrow_exception(error);
}

UniqueFd NetNamespace::socket(int domain, int type, int protocol) const {
  UniqueFd s;
  run_inside([&] {
    s.reset(::socket(domain, type | SOCK_CLOEXEC, protocol));
    if (!s) throw Error("socket in namespace " + name_ + ": " + std::strerror(errno));
  });
  return s;
}

std::vector<std::string> NetNamespace::list() {
  std::vector<std::string> names;
  DIR* d = ::opendir(kNetnsDir);
  if (d == nullptr) return names;
  while (const dirent* e = ::readdir(d)) {
    const std::string n = e->d_name;
    if (n != "." && n != "..") names.push_back(n);
  }
  ::closedir(d);
  return names;
}

std::size_t NetNamespace::remove_with_prefix(std::string_view prefix) {
  if (prefix.empty()) throw ConfigError("remove_with_prefix needs a non-empty prefix");
  std::size_t n = 0;
  for (const auto& name : list()) {
    if (name.starts_with(prefix)) {
      delete_namespace(name);
      ++n;
    }
  }
  return n;
}

}  // namespace smartnic::endpoints
