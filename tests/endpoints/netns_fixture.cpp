#include "netns_fixture.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <sstream>

#include "smartnic/endpoints/process.hpp"

namespace smartnic::endpoints::test {
namespace {
std::atomic<unsigned> g_counter{0};

// Namespaces "snic-t<pid>-..." of test processes that died without cleaning up (SIGKILL, a
// crash): removed before this process makes any of its own.
void remove_orphans() {
  for (const auto& n : NetNamespace::list()) {
    if (!n.starts_with("snic-t")) continue;
    const auto dash = n.find('-', 6);
    if (dash == std::string::npos) continue;
    const std::string digits = n.substr(6, dash - 6);
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) continue;
    const long pid = std::stol(digits);
    if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) {
      NetNamespace::remove_with_prefix(n);
    }
  }
}

std::optional<std::string> probe() {
  if (::geteuid() != 0) return "needs root (CAP_NET_ADMIN) to make network namespaces";
  remove_orphans();
  if (::access("/dev/net/tun", R_OK | W_OK) != 0) return "/dev/net/tun is not accessible";
  if (!program_available("ip")) return "iproute2 'ip' is not installed";
  const std::string name = test_prefix() + "probe";
  try {
    NetNamespace ns(name);
    TunTapDevice dev(ns, "probe0", TunTapDevice::Kind::Tun);
  } catch (const std::exception& e) {
    NetNamespace::remove_with_prefix(name);
    return std::string("cannot make a network namespace with a TUN device: ") + e.what();
  }
  return std::nullopt;
}
}  // namespace

const std::optional<std::string>& netns_unavailable_reason() {
  static const std::optional<std::string> reason = probe();
  return reason;
}

std::string test_prefix() { return "snic-t" + std::to_string(::getpid()) + "-"; }
std::string test_device_prefix() { return "st" + std::to_string(::getpid()) + "-"; }

std::vector<std::string> leftover_namespaces() {
  std::vector<std::string> out;
  for (const auto& n : NetNamespace::list()) {
    if (n.starts_with(test_prefix())) out.push_back(n);
  }
  return out;
}

std::vector<std::string> leftover_links() {
  std::vector<std::string> out;
  const CommandResult r = run_command({"ip", "-o", "link", "show"});
  std::istringstream in(r.output);
  std::string line;
  while (std::getline(in, line)) {
    // "5: name: <...>" or "5: name@peer: <...>"
    const auto a = line.find(": ");
    if (a == std::string::npos) continue;
    const auto b = line.find_first_of(":@", a + 2);
    const std::string name = line.substr(a + 2, b - a - 2);
    if (name.starts_with(test_device_prefix()) || name.starts_with(test_prefix())) {
      out.push_back(name);
    }
  }
  return out;
}

void NetnsTest::SetUp() {
  if (const auto& why = netns_unavailable_reason()) {
    skipped_ = true;
    GTEST_SKIP() << "network namespace tests skipped: " << *why;
  }
}

void NetnsTest::TearDown() {
  if (skipped_) return;
  const auto ns = leftover_namespaces();
  const auto links = leftover_links();
  EXPECT_TRUE(ns.empty()) << "namespaces left behind: " << ns.size();
  EXPECT_TRUE(links.empty()) << "links left behind in the machine's namespace: " << links.size();
  NetNamespace::remove_with_prefix(test_prefix());
  for (const auto& l : links) run_command({"ip", "link", "del", l});
}

std::string NetnsTest::ns_name(const std::string& tag) {
  return test_prefix() + tag + std::to_string(g_counter++);
}

std::string NetnsTest::dev_name() { return test_device_prefix() + std::to_string(g_counter++); }

}  // namespace smartnic::endpoints::test
