// XrtDevice without a card: every way of not finding the card or the design ends in a
// DeviceError that names what was looked for, carries XRT's own message, and says what to
// check. Runs on any machine with libxrt-dev; no Alveo card, no Vitis.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <string>
#include <system_error>
#include <sys/wait.h>
#include <unistd.h>

#include "env_guard.hpp"
#include "smartnic/backend.hpp"
#include "smartnic/xrt_device.hpp"
#include "xclbin_builder.hpp"

namespace fs = std::filesystem;
using smartnic::DeviceError;
using smartnic::XrtConfig;
using smartnic::XrtDevice;
using smartnic::test::EnvGuard;
using smartnic::test::FakeXclbin;
using testing::HasSubstr;

namespace {

// A private temporary folder per test, removed afterwards.
class XrtDeviceTest : public testing::Test {
 protected:
  void SetUp() override {
    const auto* info = testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("smartnic_xrt_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::string write_xclbin(const FakeXclbin& spec = {}, const std::string& name = "smartnic.xclbin") {
    const auto p = dir_ / name;
    smartnic::test::write_file(p, smartnic::test::build_xclbin(spec));
    return p.string();
  }

  // An XRT root whose lib/ links the distribution's XRT libraries, as AMD's package lays
  // them out: XRT then gets as far as looking for a card.
  std::string fake_xrt_root() {
    const fs::path root = dir_ / "xrt";
    fs::create_directories(root / "lib");
    for (const auto& e : fs::directory_iterator(SMARTNIC_TEST_XRT_LIBDIR)) {
      const auto name = e.path().filename().string();
      if (name.rfind("libxrt", 0) == 0) fs::create_symlink(e.path(), root / "lib" / name);
    }
    return root.string();
  }

  // Opens and returns the DeviceError's message; fails the test if nothing was thrown.
  static std::string open_error(const XrtConfig& cfg) {
    try {
      XrtDevice dev(cfg);
      ADD_FAILURE() << "XrtDevice opened without a card: " << dev.describe();
    } catch (const DeviceError& e) {
      return e.what();
    } catch (const std::exception& e) {
      ADD_FAILURE() << "not a DeviceError: " << e.what();
    }
    return {};
  }

  // XRT loads its driver shim once per process and keeps it: after one test got that far,
  // a later one would never see "XILINX_XRT not set". Every test that reaches xrt::device
  // therefore opens in a child process and gets the message back through a pipe.
  static std::string open_error_isolated(const XrtConfig& cfg) {
    return error_isolated([&] { XrtDevice dev(cfg); });
  }
  static std::string error_isolated(const std::function<void()>& open) {
    int fds[2];
    if (::pipe(fds) != 0) {
      ADD_FAILURE() << "pipe failed";
      return {};
    }
    const pid_t pid = ::fork();
    if (pid == 0) {
      ::close(fds[0]);
      std::string msg = "<opened or not a DeviceError>";
      try {
        open();
      } catch (const DeviceError& e) {
        msg = e.what();
      } catch (...) {
      }
      const char* p = msg.data();
      std::size_t left = msg.size();
      while (left > 0) {
        const auto n = ::write(fds[1], p, left);
        if (n <= 0) break;
        p += n;
        left -= static_cast<std::size_t>(n);
      }
      ::close(fds[1]);
      ::_exit(0);
    }
    ::close(fds[1]);
    std::string msg;
    char buf[512];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) msg.append(buf, static_cast<std::size_t>(n));
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child crashed, status " << status;
    return msg;
  }

  fs::path dir_;
};

XrtConfig config(std::string device, std::string xclbin) {
  XrtConfig c;
  c.device = std::move(device);
  c.xclbin = std::move(xclbin);
  return c;
}

}  // namespace

// ---------------------------------------------------------------- the xclbin, no card involved

TEST_F(XrtDeviceTest, NoXclbinGiven) {
  const auto msg = open_error(config("0", ""));
  EXPECT_THAT(msg, HasSubstr("no xclbin given"));
  EXPECT_THAT(msg, HasSubstr("--xclbin"));
}

TEST_F(XrtDeviceTest, MissingXclbinNamesThePath) {
  const std::string path = (dir_ / "nowhere" / "smartnic.xclbin").string();
  const auto msg = open_error(config("0", path));
  EXPECT_THAT(msg, HasSubstr(path));
  EXPECT_THAT(msg, HasSubstr("does not exist"));
  EXPECT_THAT(msg, HasSubstr("docs/deployment.md"));
}

TEST_F(XrtDeviceTest, XclbinIsADirectory) {
  const auto msg = open_error(config("0", dir_.string()));
  EXPECT_THAT(msg, HasSubstr("is a directory"));
}

TEST_F(XrtDeviceTest, TextFileIsNotAnXclbin) {
  const auto p = dir_ / "notes.xclbin";
  smartnic::test::write_file(p, std::vector<char>(400, 'x'));
  const auto msg = open_error(config("0", p.string()));
  EXPECT_THAT(msg, HasSubstr(p.string()));
  EXPECT_THAT(msg, HasSubstr("xclbin2"));
}

TEST_F(XrtDeviceTest, ShortFileIsNotAnXclbin) {
  const auto p = dir_ / "short.xclbin";
  smartnic::test::write_file(p, {'x', 'c', 'l', 'b', 'i', 'n', '2', '\0'});
  EXPECT_THAT(open_error(config("0", p.string())), HasSubstr("too short"));
}

TEST_F(XrtDeviceTest, TruncatedXclbin) {
  auto bytes = smartnic::test::build_xclbin({});
  bytes.resize(bytes.size() - 16);
  const auto p = dir_ / "truncated.xclbin";
  smartnic::test::write_file(p, bytes);
  EXPECT_THAT(open_error(config("0", p.string())), HasSubstr("truncated"));
}

TEST_F(XrtDeviceTest, InspectReadsKernelInstanceAndHostBank) {
  const auto path = write_xclbin();
  const auto info = smartnic::inspect_xclbin(path);
  EXPECT_EQ(info.path, path);
  EXPECT_EQ(info.platform, "xilinx_test_platform");
  EXPECT_EQ(info.uuid, "10111213-1415-1617-1819-1a1b1c1d1e1f");
  ASSERT_EQ(info.kernels.size(), 1u);
  EXPECT_EQ(info.kernels[0], "smartnic_top");
  ASSERT_EQ(info.compute_units.size(), 1u);
  EXPECT_EQ(info.compute_units[0], "smartnic_top:smartnic_top_1");
  EXPECT_EQ(info.host_mem_group, 1);
  EXPECT_EQ(info.host_mem_tag, "HOST[0]");
}

TEST_F(XrtDeviceTest, KernelNotInXclbinListsWhatIsThere) {
  FakeXclbin other;
  other.kernel = "vadd";
  other.instance = "vadd_1";
  const auto path = write_xclbin(other);
  const auto msg = open_error(config("0", path));
  EXPECT_THAT(msg, HasSubstr(path));
  EXPECT_THAT(msg, HasSubstr("no kernel 'smartnic_top'"));
  EXPECT_THAT(msg, HasSubstr("vadd"));
}

TEST_F(XrtDeviceTest, KernelWithoutInstance) {
  FakeXclbin spec;
  spec.with_instance = false;
  EXPECT_THAT(open_error(config("0", write_xclbin(spec))), HasSubstr("no instance of kernel 'smartnic_top'"));
}

TEST_F(XrtDeviceTest, MAxiNotOnHostMemory) {
  FakeXclbin spec;
  spec.m_axi_bank = "DDR[0]";
  const auto msg = open_error(config("0", write_xclbin(spec)));
  EXPECT_THAT(msg, HasSubstr("'DDR[0]', not to host memory"));
  EXPECT_THAT(msg, HasSubstr("HOST[0]"));
}

TEST_F(XrtDeviceTest, BadDeviceString) {
  const auto msg = open_error(config("first-card", write_xclbin()));
  EXPECT_THAT(msg, HasSubstr("'first-card'"));
  EXPECT_THAT(msg, HasSubstr("xbutil examine"));
}

// ---------------------------------------------------------------- the card

TEST_F(XrtDeviceTest, XilinxXrtUnset) {
  const auto path = write_xclbin();
  EnvGuard env("XILINX_XRT", std::nullopt);
  const auto msg = open_error_isolated(config("0", path));
  EXPECT_THAT(msg, HasSubstr("with index 0"));
  EXPECT_THAT(msg, HasSubstr(path));
  EXPECT_THAT(msg, HasSubstr("XRT says: XILINX_XRT not set"));
  EXPECT_THAT(msg, HasSubstr("source /opt/xilinx/xrt/setup.sh"));
  EXPECT_THAT(msg, HasSubstr("xbutil examine"));
}

TEST_F(XrtDeviceTest, XilinxXrtWithoutDriverShim) {
  const auto path = write_xclbin();
  EnvGuard env("XILINX_XRT", dir_.string());  // exists, but has no lib/libxrt_core.so.2
  const auto msg = open_error_isolated(config("0", path));
  EXPECT_THAT(msg, HasSubstr("with index 0"));
  EXPECT_THAT(msg, HasSubstr("No such library"));
  EXPECT_THAT(msg, HasSubstr("has no lib/libxrt_core.so.2"));
  EXPECT_THAT(msg, HasSubstr("setup.sh"));
}

TEST_F(XrtDeviceTest, NoCardAtIndex) {
  const auto path = write_xclbin();
  EnvGuard env("XILINX_XRT", fake_xrt_root());
  const auto msg = open_error_isolated(config("0", path));
  EXPECT_THAT(msg, HasSubstr("with index 0"));
  EXPECT_THAT(msg, HasSubstr(path));
  EXPECT_THAT(msg, HasSubstr("Could not open device with index '0'"));
  EXPECT_THAT(msg, HasSubstr("xbutil examine"));
  EXPECT_THAT(msg, testing::Not(HasSubstr("XILINX_XRT is not set")));
}

TEST_F(XrtDeviceTest, NoCardAtBdf) {
  const auto path = write_xclbin();
  EnvGuard env("XILINX_XRT", fake_xrt_root());
  const auto msg = open_error_isolated(config("0000:01:00.1", path));
  EXPECT_THAT(msg, HasSubstr("with BDF 0000:01:00.1"));
  EXPECT_THAT(msg, HasSubstr("No such device '0000:01:00.1'"));
  EXPECT_THAT(msg, HasSubstr("xbutil examine"));
}

// The CLI's path: open_device({kind "xrt"}) on a machine without a card.
TEST_F(XrtDeviceTest, FactoryXrtWithoutCard) {
  smartnic::BackendOptions o;
  o.kind = "xrt";
  o.xrt = config("0000:3b:00.1", write_xclbin());
  EnvGuard env("XILINX_XRT", fake_xrt_root());
  const auto msg = error_isolated([&] { auto dev = smartnic::open_device(o); });
  EXPECT_THAT(msg, HasSubstr("XrtDevice: cannot open the Alveo card with BDF 0000:3b:00.1"));
  EXPECT_THAT(msg, HasSubstr(o.xrt.xclbin));
  EXPECT_THAT(msg, HasSubstr("XRT says: No such device '0000:3b:00.1'"));
  EXPECT_THAT(msg, HasSubstr("xbutil examine"));
}

TEST_F(XrtDeviceTest, EnvironmentIsRestored) {
  const char* before = std::getenv("XILINX_XRT");
  const std::string saved = before ? before : "<unset>";
  {
    EnvGuard env("XILINX_XRT", std::string("/nonexistent"));
    EXPECT_STREQ(std::getenv("XILINX_XRT"), "/nonexistent");
  }
  const char* after = std::getenv("XILINX_XRT");
  EXPECT_EQ(after ? std::string(after) : "<unset>", saved);
}
