// Network namespaces made and owned by the program, and the address safety rules.
//
// Safety rules (enforced here, see docs/endpoints.md): endpoint addresses, routes and gateways
// must lie in the documentation ranges 192.0.2.0/24, 198.51.100.0/24 and 203.0.113.0/24 with a
// prefix of /24 or longer (no default route, nothing that reaches the machine's own networks),
// devices are created inside namespaces the program made, and every namespace is deleted by
// its owner's destructor (processes still inside are killed first).
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "smartnic/endpoints/process.hpp"
#include "smartnic/endpoints/unique_fd.hpp"
#include "smartnic/ipv4.hpp"

namespace smartnic::endpoints {

// "192.0.2.10/24": an address with its prefix length.
struct Ipv4Prefix {
  Ipv4Address address;
  unsigned length = 32;
  // Throws ConfigError on bad text; a missing "/n" means /32.
  static Ipv4Prefix parse(std::string_view text);
  Ipv4Address network() const;
  bool contains(Ipv4Address a) const;
  std::string to_string() const;
};

// The three ranges test traffic may use.
inline constexpr std::string_view kTestRanges[] = {"192.0.2.0/24", "198.51.100.0/24",
                                                   "203.0.113.0/24"};
std::vector<std::string> all_test_ranges();
bool in_test_ranges(Ipv4Address a);
// Throws ConfigError unless the prefix lies wholly inside one of the three ranges (length >= 24).
void require_test_prefix(const Ipv4Prefix& p, std::string_view what);

class NetNamespace {
 public:
  // `ip netns add NAME`, loopback up, IPv6 disabled (no router/neighbour solicitations on the
  // endpoints' devices). Throws smartnic::Error (naming the command's output) when not permitted.
  // Names: 1..48 characters of [A-Za-z0-9._-].
  explicit NetNamespace(std::string name);
  // Kills every process still inside, then `ip netns del NAME`. Devices inside go with it.
  ~NetNamespace();
  NetNamespace(NetNamespace&& other) noexcept;
  NetNamespace& operator=(NetNamespace&&) = delete;
  NetNamespace(const NetNamespace&) = delete;
  NetNamespace& operator=(const NetNamespace&) = delete;

  const std::string& name() const { return name_; }
  // `ip -n NAME args...`; throws smartnic::Error on failure.
  std::string ip(const std::vector<std::string>& args) const;
  // `ip netns exec NAME argv...`
  std::vector<std::string> exec_argv(const std::vector<std::string>& argv) const;
  CommandResult exec(const std::vector<std::string>& argv,
                     std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;
  ChildProcess spawn(const std::vector<std::string>& argv) const;
  // Runs fn on a short-lived thread that has entered this namespace (setns), and rethrows what
  // fn throws. Sockets and TUN/TAP devices made there belong to this namespace for good.
  void run_inside(const std::function<void()>& fn) const;
  // A socket (SOCK_CLOEXEC added) that lives in this namespace.
  UniqueFd socket(int domain, int type, int protocol) const;

  // Names in /run/netns (the namespaces `ip netns` knows).
  static std::vector<std::string> list();
  // Deletes every namespace whose name starts with `prefix` (after killing its processes);
  // returns how many. For test fixtures cleaning up after a crash. `prefix` must be non-empty.
  static std::size_t remove_with_prefix(std::string_view prefix);

 private:
  void destroy() noexcept;
  std::string name_;
};

}  // namespace smartnic::endpoints
