#include <gtest/gtest.h>

#include "smartnic/stats.hpp"

namespace smartnic {
namespace {

TEST(Accounting, BalancedStatsPass) {
  VmStats a;
  a.submitted = 10;
  a.external = 3;
  a.hairpin_out = 2;
  a.nic_drops[static_cast<unsigned>(regs::DropReason::IP_LEN)] = 1;
  a.host_drops[static_cast<unsigned>(HostDropReason::INPUT_FULL)] = 1;
  a.in_flight = 2;
  a.pending = 1;
  VmStats b;
  b.hairpin_in = 2;
  b.ingress = 4;
  b.received_consumed = 5;
  b.unread = 1;
  const std::vector<VmStats> all = {a, b};
  EXPECT_TRUE(check_accounting(all).empty());
}

// Receive side: what was delivered (hairpin or from the network) is taken or still unread.
TEST(Accounting, DeliveredButNeitherTakenNorUnreadIsReported) {
  VmStats b;
  b.ingress = 4;
  b.received_consumed = 2;
  b.unread = 1;  // one missing
  const std::vector<VmStats> all = {b};
  const auto errors = check_accounting(all);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("consumed 2 + unread 1"), std::string::npos) << errors[0];
  EXPECT_NE(errors[0].find("4 (network)"), std::string::npos) << errors[0];
}

TEST(Accounting, MismatchIsReportedWithEveryTerm) {
  VmStats a;
  a.submitted = 5;
  a.external = 3;
  const std::vector<VmStats> all = {a};
  const std::vector<std::string> names = {"web"};
  const auto errors = check_accounting(all, names);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("web"), std::string::npos) << errors[0];
  EXPECT_NE(errors[0].find("submitted 5"), std::string::npos) << errors[0];
  EXPECT_NE(errors[0].find("external 3"), std::string::npos) << errors[0];
}

TEST(Accounting, HairpinOutMustMatchHairpinIn) {
  VmStats a;
  a.submitted = 1;
  a.hairpin_out = 1;
  const std::vector<VmStats> all = {a};
  EXPECT_EQ(check_accounting(all).size(), 1u);
}

}  // namespace
}  // namespace smartnic
