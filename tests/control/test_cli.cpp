// The `smartnic` binary as a user runs it: `serve` as a child process on a temporary socket,
// the commands against it (human and --json output, exit statuses), a config file, SIGTERM,
// a second server, and a server killed with SIGKILL mid-session (stale socket).
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>

#include "smartnic/control/json.hpp"
#include "support.hpp"

namespace smartnic::test {
namespace {

using control::Json;

class CliServer : public ::testing::Test {
 protected:
  void start(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"serve", "--socket", sock};
    args.insert(args.end(), extra.begin(), extra.end());
    server = std::make_unique<ChildProcess>(args, dir);
    ASSERT_TRUE(wait_for_server(sock)) << "server did not start: " << server->err();
  }
  CliResult cli(std::vector<std::string> args) {
    args.push_back("--socket");
    args.push_back(sock);
    return run_cli(args, dir);
  }

  TempDir dir;
  std::string sock = dir.file("ctl.sock");
  std::unique_ptr<ChildProcess> server;  // killed and reaped by its destructor on failure
};

TEST_F(CliServer, CommandsAgainstALiveServer) {
  start();
  auto r = cli({"vm", "add", "web", "--ip", "10.0.0.1,10.0.0.2"});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("added VM 'web' (slot 0)"), std::string::npos) << r.out;
  ASSERT_EQ(cli({"vm", "add", "db", "--ip", "10.0.0.9", "--tx-ring-log2", "5"}).rc, 0);
  r = cli({"ip", "add", "web", "10.0.0.3"});
  ASSERT_EQ(r.rc, 0) << r.err;

  r = cli({"table", "dump"});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("10.0.0.3  web (0)  yes"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("4 of 65544 slots in use on the NIC, 0 differ"), std::string::npos) << r.out;

  r = cli({"vm", "list"});
  EXPECT_NE(r.out.find("db    10.0.0.9"), std::string::npos) << r.out;
  r = cli({"ip", "list", "--json"});
  ASSERT_EQ(r.rc, 0);
  EXPECT_EQ(Json::parse(r.out)["addresses"].as_array().size(), 4u);

  r = cli({"send", "web", "--to", "10.0.0.9", "--count", "4"});
  EXPECT_NE(r.out.find("4 hairpin"), std::string::npos) << r.out << r.err;
  r = cli({"stats", "--json"});
  ASSERT_EQ(r.rc, 0) << r.err;
  const Json st = Json::parse(r.out);
  EXPECT_EQ(st["totals"]["hairpin_in"].as_int(), 4);
  r = cli({"stats"});
  EXPECT_NE(r.out.find("accounting: OK"), std::string::npos) << r.out;

  r = cli({"reset"});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("NIC reset (1 since the server started)"), std::string::npos) << r.out;
  r = cli({"send", "web", "--to", "10.0.0.9", "--count", "1"});
  EXPECT_NE(r.out.find("0 external, 1 hairpin"), std::string::npos) << "routing after the reset: " << r.out << r.err;

  r = cli({"vm", "del", "db"});
  ASSERT_EQ(r.rc, 0) << r.err;
  r = cli({"ip", "list"});
  EXPECT_EQ(r.out.find("10.0.0.9"), std::string::npos) << r.out;
  r = cli({"send", "web", "--to", "10.0.0.9", "--count", "2"});
  EXPECT_NE(r.out.find("2 external, 0 hairpin"), std::string::npos) << r.out << r.err;

  // Errors: non-zero status, message on stderr naming what exists.
  r = cli({"vm", "del", "nosuch"});
  EXPECT_EQ(r.rc, 1);
  EXPECT_NE(r.err.find("VM 'nosuch' does not exist (defined: web)"), std::string::npos) << r.err;
  r = cli({"ip", "add", "web", "10.0.0.1"});
  EXPECT_EQ(r.rc, 1);
  EXPECT_NE(r.err.find("already belongs to VM 'web'"), std::string::npos) << r.err;

  r = cli({"shutdown"});
  EXPECT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(server->wait(), 0) << server->err();
  EXPECT_FALSE(std::filesystem::exists(sock));
  EXPECT_NE(server->err().find("accounting OK"), std::string::npos) << server->err();
}

TEST_F(CliServer, ConfigFileSigtermAndSecondServer) {
  const std::string cfg = dir.file("smartnic.conf");
  std::ofstream(cfg) << "# two VMs\nvm add a --ip 10.1.0.1\n\nvm add b --ip 10.1.0.2,10.1.0.3  # comment\n"
                     << "ip add a 10.1.0.4\n";
  start({"--config", cfg});
  auto r = cli({"ip", "list", "--json"});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(Json::parse(r.out)["addresses"].as_array().size(), 4u);

  ChildProcess second({"serve", "--socket", sock}, dir);
  EXPECT_EQ(second.wait(), 1);
  EXPECT_NE(second.err().find("already running on " + sock), std::string::npos) << second.err();
  EXPECT_EQ(cli({"vm", "list"}).rc, 0) << "the second server disturbed the first";

  server->signal(SIGTERM);
  EXPECT_EQ(server->wait(), 0) << server->err();
  EXPECT_FALSE(std::filesystem::exists(sock)) << "SIGTERM left the socket file";
}

TEST_F(CliServer, BadConfigLineStopsTheStartWithFileAndLine) {
  const std::string cfg = dir.file("bad.conf");
  std::ofstream(cfg) << "vm add a --ip 10.1.0.1\nvm add b --ip 10.1.0.1\n";
  ChildProcess p({"serve", "--socket", sock, "--config", cfg}, dir);
  EXPECT_EQ(p.wait(), 1);
  EXPECT_NE(p.err().find(cfg + ":2: cannot add VM 'b'"), std::string::npos) << p.err();
  EXPECT_FALSE(std::filesystem::exists(sock));
}

TEST_F(CliServer, ServerKilledMidSessionLeavesAStaleSocketThatTheNextServerReplaces) {
  start();
  ASSERT_EQ(cli({"vm", "add", "a", "--ip", "10.2.0.1", "--traffic", "5000"}).rc, 0);
  server->signal(SIGKILL);
  EXPECT_EQ(server->wait(), 128 + SIGKILL);
  ASSERT_TRUE(std::filesystem::exists(sock)) << "expected a stale socket after SIGKILL";
  auto r = cli({"vm", "list"});
  EXPECT_EQ(r.rc, 1);
  EXPECT_NE(r.err.find("no server on " + sock + " (connection refused"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("smartnic serve"), std::string::npos) << r.err;

  start();  // replaces the stale socket
  r = cli({"vm", "list"});
  EXPECT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("no VMs defined"), std::string::npos) << r.out;
}

TEST(CliNoServer, MissingSocketSaysHowToStartOne) {
  TempDir dir;
  const auto r = run_cli({"stats", "--socket", dir.file("none.sock")}, dir);
  EXPECT_EQ(r.rc, 1);
  EXPECT_NE(r.err.find("no server on " + dir.file("none.sock") + " (no such socket): start one with `smartnic serve"),
            std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace smartnic::test
