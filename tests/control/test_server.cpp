// The control plane in-process: a server on the simulated NIC in a thread, driven through the
// client library. Every command, the NIC's table as read back, traffic moving the counters,
// errors a user can act on, and the socket's life cycle (stale file, live server, removal).
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <fstream>

#include "smartnic/control/client.hpp"
#include "support.hpp"

namespace smartnic::test {
namespace {

using control::ControlClient;
using control::ControlError;
using control::Json;
using control::RequestError;

Json cmd(const std::string& c) { return Json::object().set("cmd", c); }

std::string error_of(ControlClient& c, const Json& req) {
  try {
    c.request(req);
  } catch (const RequestError& e) {
    return e.what();
  }
  ADD_FAILURE() << "request succeeded: " << req.dump();
  return "";
}

// The table slot holding `ip` as read back from the NIC, or a null Json.
Json nic_entry(ControlClient& c, const std::string& ip) {
  const Json t = c.request(cmd("table.dump"));
  for (const Json& e : t["entries"].as_array()) {
    if (e["valid"].as_bool() && e["ip"].as_string() == ip) return e;
  }
  return Json();
}

// Leaves a socket file nobody listens on, as a server killed with SIGKILL does.
void make_stale_socket(const std::string& path) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::strcpy(a.sun_path, path.c_str());
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ::close(fd);
}

TEST(ControlServer, EveryCommandThroughTheClient) {
  TempDir dir;
  const std::string sock = dir.file("s.sock");
  InProcessServer server(sock);
  ControlClient c(sock);

  EXPECT_EQ(c.request(cmd("info"))["server"].as_string(), "smartnic");
  const Json a = c.request(cmd("vm.add").set("name", "a").set("ips", Json::array().push("10.0.0.1").push("10.0.0.2")));
  EXPECT_EQ(a["id"].as_int(), 0);
  c.request(cmd("vm.add").set("name", "b").set("ips", Json::array().push("10.0.0.5")).set("tx_ring_log2", 4));
  c.request(cmd("ip.add").set("name", "a").set("ip", "10.0.0.3"));

  // The NIC holds the entry, matching the runtime's shadow.
  const Json e = nic_entry(c, "10.0.0.3");
  ASSERT_FALSE(e.is_null()) << "ip add did not reach the NIC's table";
  EXPECT_EQ(e["vm"].as_string(), "a");
  EXPECT_TRUE(e["matches_shadow"].as_bool());
  EXPECT_EQ(c.request(cmd("table.dump"))["mismatches"].as_int(), 0);

  const Json vms = c.request(cmd("vm.list"))["vms"];
  ASSERT_EQ(vms.as_array().size(), 2u);
  EXPECT_EQ(vms.as_array()[1]["tx_ring_log2"].as_int(), 4);
  EXPECT_EQ(c.request(cmd("ip.list"))["addresses"].as_array().size(), 4u);

  // Hairpin, then delete the destination: its addresses go, and traffic to them goes external.
  Json sent = c.request(cmd("send").set("name", "a").set("to", "10.0.0.5").set("count", 5));
  EXPECT_EQ(sent["hairpin"].as_int(), 5);
  const Json del = c.request(cmd("vm.del").set("name", "b"));
  EXPECT_TRUE(del["removed"].as_bool());
  EXPECT_TRUE(nic_entry(c, "10.0.0.5").is_null()) << "the removed VM's address is still in the NIC";
  EXPECT_EQ(c.request(cmd("ip.list"))["addresses"].as_array().size(), 3u);
  sent = c.request(cmd("send").set("name", "a").set("to", "10.0.0.5").set("count", 3));
  EXPECT_EQ(sent["external"].as_int(), 3);
  EXPECT_EQ(sent["hairpin"].as_int(), 0);

  c.request(cmd("ip.del").set("ip", "10.0.0.3"));
  EXPECT_TRUE(nic_entry(c, "10.0.0.3").is_null());

  // A full NIC reset: the counters it had are reported, the table is programmed again from the
  // runtime, and routing works as before.
  const Json reset = c.request(cmd("nic.reset"));
  EXPECT_EQ(reset["resets"].as_int(), 1);
  EXPECT_EQ(reset["before"]["descriptors"].as_int(), 8);
  EXPECT_EQ(reset["before"]["hairpin"].as_int(), 5);
  // Both of a's addresses must be back in the NIC's table: 10.0.0.1 as the source (else the
  // NIC drops it as spoofed), 10.0.0.2 as the destination (else it goes external). A read-back
  // (table.dump) would show it too, but reads all 65544 slots through registers: seconds.
  sent = c.request(cmd("send").set("name", "a").set("to", "10.0.0.2").set("count", 2));
  EXPECT_EQ(sent["hairpin"].as_int(), 2) << "a VM's own second address: hairpin to itself after the reset";

  const Json st = c.request(cmd("stats"));
  EXPECT_TRUE(st["accounting"].as_array().empty()) << st["accounting"].dump();
  EXPECT_EQ(st["totals"]["submitted"].as_int(), 10);
  EXPECT_EQ(st["totals"]["hairpin_in"].as_int(), 7) << "the removed VM's counters must stay in the totals";
  EXPECT_EQ(st["removed"]["hairpin_in"].as_int(), 5);
  EXPECT_EQ(c.request(cmd("stats").set("name", "a"))["vms"].as_array().size(), 1u);
  EXPECT_TRUE(c.request(cmd("shutdown"))["stopping"].as_bool());
}

TEST(ControlServer, TrafficGeneratorMovesTheCounters) {
  TempDir dir;
  const std::string sock = dir.file("s.sock");
  InProcessServer server(sock);
  ControlClient c(sock);
  c.request(cmd("vm.add").set("name", "a").set("ips", Json::array().push("10.0.0.1")));
  c.request(cmd("vm.add").set("name", "b").set("ips", Json::array().push("10.0.0.2"))
                .set("traffic", Json::object().set("rate", 20000).set("external_fraction", 0.5)));
  std::int64_t first = 0;
  for (int i = 0; i < 200 && first == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    first = c.request(cmd("stats").set("name", "b"))["vms"].as_array()[0]["submitted"].as_int();
  }
  ASSERT_GT(first, 0) << "no traffic after 2 s";
  std::int64_t later = first;
  for (int i = 0; i < 200 && later == first; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    later = c.request(cmd("stats").set("name", "b"))["vms"].as_array()[0]["submitted"].as_int();
  }
  EXPECT_GT(later, first);
  c.request(cmd("traffic.stop").set("name", "b"));
  const Json st = c.request(cmd("stats"));
  EXPECT_GT(st["vms"].as_array()[0]["hairpin_in"].as_int() + st["totals"]["external"].as_int(), 0);
  EXPECT_GT(st["port_frames"].as_int(), 0) << "frames on the simulated port were not drained";
  EXPECT_TRUE(st["accounting"].as_array().empty()) << st["accounting"].dump();
  // Deleting a VM while its generator runs stops the stream and keeps the books balanced.
  c.request(cmd("traffic.start").set("name", "b").set("rate", 20000));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  c.request(cmd("vm.del").set("name", "b"));
  EXPECT_TRUE(c.request(cmd("stats"))["accounting"].as_array().empty());
}

TEST(ControlServer, ErrorsNameWhatExists) {
  TempDir dir;
  const std::string sock = dir.file("s.sock");
  InProcessServer server(sock);
  ControlClient c(sock);
  EXPECT_NE(error_of(c, cmd("vm.del").set("name", "x")).find("VM 'x' does not exist (no VMs defined)"), std::string::npos);
  c.request(cmd("vm.add").set("name", "a").set("ips", Json::array().push("10.0.0.1")));
  c.request(cmd("vm.add").set("name", "b"));
  EXPECT_NE(error_of(c, cmd("vm.del").set("name", "x")).find("VM 'x' does not exist (defined: a, b)"), std::string::npos);
  EXPECT_NE(error_of(c, cmd("ip.add").set("name", "b").set("ip", "10.0.0.1")).find("already belongs to VM 'a'"),
            std::string::npos);
  EXPECT_NE(error_of(c, cmd("vm.add").set("name", "c").set("ips", Json::array().push("10.0.0.1"))).find("VM 'a'"),
            std::string::npos);
  EXPECT_NE(error_of(c, cmd("vm.add").set("name", "a")).find("already exists"), std::string::npos);
  EXPECT_NE(error_of(c, cmd("ip.add").set("name", "a").set("ip", "10.0.0.300")).find("invalid IPv4 address"), std::string::npos);
  EXPECT_NE(error_of(c, cmd("ip.del").set("ip", "10.9.9.9")).find("belongs to no VM"), std::string::npos);
  EXPECT_NE(error_of(c, cmd("vm.add").set("name", "d").set("tx_ring_log2", 99)).find("2..15"), std::string::npos);
  EXPECT_NE(error_of(c, cmd("frobnicate")).find("unknown command"), std::string::npos);
  EXPECT_NE(error_of(c, Json::object().set("name", "a")).find("\"cmd\""), std::string::npos);
  EXPECT_NE(error_of(c, cmd("traffic.start").set("name", "a").set("rate", 10).set("size", 5)).find("28"), std::string::npos);
  // The connection survives refused requests.
  EXPECT_EQ(c.request(cmd("vm.list"))["vms"].as_array().size(), 2u);
}

TEST(ControlServer, RawLinesThatAreNotJsonGetAnErrorAnswer) {
  TempDir dir;
  const std::string sock = dir.file("s.sock");
  InProcessServer server(sock);
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::strcpy(a.sun_path, sock.c_str());
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  const std::string req = "hello\n{\"cmd\":\"info\"}\n";
  ASSERT_EQ(::write(fd, req.data(), req.size()), static_cast<ssize_t>(req.size()));
  std::string got;
  char buf[4096];
  while (std::count(got.begin(), got.end(), '\n') < 2) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    ASSERT_GT(n, 0);
    got.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  const auto nl = got.find('\n');
  EXPECT_NE(got.substr(0, nl).find("\"ok\":false"), std::string::npos) << got;
  EXPECT_NE(got.substr(0, nl).find("not JSON"), std::string::npos) << got;
  EXPECT_NE(got.substr(nl + 1).find("\"ok\":true"), std::string::npos) << got;
}

TEST(ControlSocket, MissingSocketAndStaleSocketGiveActionableErrors) {
  TempDir dir;
  const std::string sock = dir.file("s.sock");
  try {
    ControlClient c(sock);
    FAIL();
  } catch (const ControlError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("no server on " + sock + " (no such socket)"), std::string::npos) << m;
    EXPECT_NE(m.find("smartnic serve"), std::string::npos) << m;
  }
  make_stale_socket(sock);
  try {
    ControlClient c(sock);
    FAIL();
  } catch (const ControlError& e) {
    EXPECT_NE(std::string(e.what()).find("(connection refused"), std::string::npos) << e.what();
  }
}

TEST(ControlSocket, StaleSocketIsReplacedLiveServerIsNotFileIsNotAndCleanExitRemovesIt) {
  TempDir dir;
  const std::string sock = dir.file("s.sock");
  make_stale_socket(sock);
  {
    InProcessServer server(sock);
    ControlClient c(sock);
    EXPECT_EQ(c.request(cmd("info"))["server"].as_string(), "smartnic");
    // A second server must not steal the socket of a live one.
    SimDevice dev;
    Switch sw(dev);
    control::ControlService service(sw);
    try {
      control::ControlServer second(service, sock);
      FAIL() << "a second server took over a live socket";
    } catch (const ControlError& e) {
      EXPECT_NE(std::string(e.what()).find("already running"), std::string::npos) << e.what();
    }
    EXPECT_EQ(c.request(cmd("info"))["server"].as_string(), "smartnic") << "the live server lost its socket";
  }
  EXPECT_FALSE(std::filesystem::exists(sock)) << "clean exit left the socket file";

  const std::string plain = dir.file("plain");
  std::ofstream(plain) << "not a socket";
  SimDevice dev;
  Switch sw(dev);
  control::ControlService service(sw);
  EXPECT_THROW(control::ControlServer(service, plain), ControlError);
  EXPECT_TRUE(std::filesystem::exists(plain)) << "a regular file was replaced";
}

TEST(ControlSocket, ServerGoingAwayMidSessionIsReportedAsLostConnection) {
  TempDir dir;
  const std::string sock = dir.file("s.sock");
  auto server = std::make_unique<InProcessServer>(sock);
  ControlClient c(sock);
  c.request(cmd("info"));
  server.reset();
  try {
    c.request(cmd("info"));
    FAIL();
  } catch (const ControlError& e) {
    EXPECT_NE(std::string(e.what()).find("lost the connection"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace smartnic::test
