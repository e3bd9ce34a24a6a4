// Safety rules and cleanup: addresses outside the test ranges are refused before anything is
// made; namespaces, devices and processes are removed when an endpoint goes away, also when a
// test throws in the middle.
#include <gtest/gtest.h>

#include <thread>

#include "netns_fixture.hpp"
#include "smartnic/endpoints/tuntap.hpp"
#include "smartnic/errors.hpp"

namespace smartnic::endpoints::test {
namespace {

TEST(EndpointSafety, PrefixesOutsideTheTestRangesAreRefused) {
  EXPECT_NO_THROW(require_test_prefix(Ipv4Prefix::parse("192.0.2.10/24"), "address"));
  EXPECT_NO_THROW(require_test_prefix(Ipv4Prefix::parse("198.51.100.0/24"), "route"));
  EXPECT_NO_THROW(require_test_prefix(Ipv4Prefix::parse("203.0.113.5"), "gateway"));
  for (const char* bad : {"10.0.0.1/24", "0.0.0.0/0", "192.0.2.0/23", "192.168.1.1/32",
                          "127.0.0.1/8", "198.51.101.1/24"}) {
    EXPECT_THROW(require_test_prefix(Ipv4Prefix::parse(bad), "address"), ConfigError) << bad;
  }
  EXPECT_THROW(Ipv4Prefix::parse("192.0.2.1/33"), ConfigError);
  EXPECT_THROW(Ipv4Prefix::parse("192.0.2.1/"), ConfigError);
  EXPECT_EQ(Ipv4Prefix::parse("192.0.2.77/24").network(), Ipv4Address(192, 0, 2, 0));
}

TEST(EndpointSafety, BadConfigsThrowBeforeAnyNamespaceIsMade) {
  const auto before = leftover_namespaces();
  TunConfig t;
  t.netns = test_prefix() + "never";
  t.addresses = {"10.1.2.3/24"};
  EXPECT_THROW(TunEndpoint{t}, ConfigError);
  t.addresses = {"192.0.2.10/24"};
  t.routes = {"0.0.0.0/0"};
  EXPECT_THROW(TunEndpoint{t}, ConfigError);
  t.routes = {"192.0.2.0/24"};
  t.mtu = 9001;
  EXPECT_THROW(TunEndpoint{t}, ConfigError);
  t.mtu = 1500;
  t.device = "a-name-longer-than-15";
  EXPECT_THROW(TunEndpoint{t}, ConfigError);
  TapConfig p;
  p.netns = test_prefix() + "never";
  p.gateway = "192.168.0.1";
  EXPECT_THROW(TapEndpoint{p}, ConfigError);
  EXPECT_THROW(NetNamespace("bad name"), ConfigError);
  EXPECT_EQ(leftover_namespaces(), before);
}

class CleanupTest : public NetnsTest {};

TEST_F(CleanupTest, NamespaceDeviceAndProcessesGoWhenATestThrows) {
  const std::string name = ns_name("boom");
  const std::string dev = dev_name();
  try {
    TunConfig cfg;
    cfg.netns = name;
    cfg.device = dev;
    TunEndpoint vm(cfg);
    ChildProcess sleeper = vm.netns().spawn({"sleep", "30"});
    ASSERT_EQ(leftover_namespaces().size(), 1u);
    EXPECT_NE(vm.netns().ip({"link", "show"}).find(dev), std::string::npos);
    // The device exists only inside the namespace, never in the machine's own.
    EXPECT_TRUE(leftover_links().empty());
    throw std::runtime_error("a failing test");
  } catch (const std::runtime_error&) {
  }
  EXPECT_TRUE(leftover_namespaces().empty());
  EXPECT_TRUE(leftover_links().empty());
}

TEST_F(CleanupTest, NamespaceDestructorKillsProcessesStillInside) {
  const auto start = std::chrono::steady_clock::now();
  std::optional<ChildProcess> orphan;
  {
    NetNamespace ns(ns_name("procs"));
    orphan.emplace(ns.spawn({"sleep", "30"}));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_FALSE(orphan->poll_exit());
  }
  EXPECT_TRUE(orphan->wait_exit(std::chrono::seconds(2)));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_TRUE(leftover_namespaces().empty());
}

TEST_F(CleanupTest, RemoveWithPrefixDeletesLeftovers) {
  const std::string name = ns_name("left");
  ASSERT_TRUE(run_command({"ip", "netns", "add", name}).ok());
  EXPECT_EQ(NetNamespace::remove_with_prefix(name), 1u);
  EXPECT_TRUE(leftover_namespaces().empty());
  EXPECT_THROW(NetNamespace::remove_with_prefix(""), ConfigError);
}

}  // namespace
}  // namespace smartnic::endpoints::test
