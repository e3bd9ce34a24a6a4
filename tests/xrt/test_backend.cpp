// The backend factory: names, errors, and a register read through the simulation backend.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "env_guard.hpp"
#include "smartnic/backend.hpp"
#include "smartnic/regs.hpp"

using smartnic::BackendOptions;
using smartnic::DeviceError;
using testing::HasSubstr;

namespace {

std::string open_error(const BackendOptions& o) {
  try {
    auto dev = smartnic::open_device(o);
    ADD_FAILURE() << "opened: " << dev->describe();
  } catch (const DeviceError& e) {
    return e.what();
  }
  return {};
}

}  // namespace

TEST(Backend, ListsSimFirst) {
  const auto kinds = smartnic::available_backends();
  ASSERT_FALSE(kinds.empty());
  EXPECT_EQ(kinds.front(), "sim");
#ifdef SMARTNIC_TEST_HAVE_XRT
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "xrt"), kinds.end());
#endif
}

TEST(Backend, UnknownKindListsAvailable) {
  BackendOptions o;
  o.kind = "fpga";
  const auto msg = open_error(o);
  EXPECT_THAT(msg, HasSubstr("unknown device backend 'fpga'"));
  EXPECT_THAT(msg, HasSubstr("available backends: sim"));
#ifdef SMARTNIC_TEST_HAVE_XRT
  EXPECT_THAT(msg, HasSubstr("xrt"));
#endif
}

TEST(Backend, SimReadsId) {
  BackendOptions o;  // kind "sim" by default
  auto dev = smartnic::open_device(o);
  ASSERT_NE(dev, nullptr);
  EXPECT_EQ(dev->read32(smartnic::regs::reg::ID), smartnic::regs::kId);
  EXPECT_THAT(dev->describe(), HasSubstr("verilator"));
}

TEST(Backend, XrtWithoutCardSaysWhy) {
  BackendOptions o;
  o.kind = "xrt";
  o.xrt.device = "0000:5e:00.1";
  o.xrt.xclbin = "/nonexistent/smartnic.xclbin";
  smartnic::test::EnvGuard env("XILINX_XRT", std::nullopt);
  const auto msg = open_error(o);
#ifdef SMARTNIC_TEST_HAVE_XRT
  // The xclbin is checked first, before any card is looked for.
  EXPECT_THAT(msg, HasSubstr("XrtDevice: xclbin '/nonexistent/smartnic.xclbin' does not exist"));
#else
  EXPECT_THAT(msg, HasSubstr("'xrt' is not built into this program"));
#endif
}
