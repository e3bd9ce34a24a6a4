// The `smartnic sim` scenario on the fake NIC: checks the generator's own expectations and the
// plumbing (frames, received datagrams); the real run is on the Verilated NIC.
#include <gtest/gtest.h>

#include "fake_nic.hpp"
#include "smartnic/errors.hpp"
#include "smartnic/scenario.hpp"

namespace smartnic {
namespace {

TEST(Scenario, RunsCleanOnTheFakeNic) {
  test::FakeNic nic;
  ScenarioConfig c;
  c.datagrams = 3000;
  c.size_min = 1;
  c.size_max = 9300;  // includes short, DESC_LEN and TOO_BIG
  c.malformed_fraction = 0.1;
  c.tx_ring_log2 = 4;
  const auto r = run_scenario(nic, c, [&] { return nic.take_frames(); });
  for (const auto& e : r.check_errors) ADD_FAILURE() << e;
  for (const auto& e : r.accounting_errors) ADD_FAILURE() << e;
  EXPECT_EQ(r.totals.submitted, 3000u);
  EXPECT_EQ(r.frames, r.totals.external);
  EXPECT_GT(r.totals.external, 0u);
  EXPECT_GT(r.totals.hairpin_out, 0u);
  EXPECT_GT(r.totals.drops(), 0u);
  EXPECT_EQ(r.received, r.totals.hairpin_in);
}

TEST(Scenario, RejectsBadConfiguration) {
  test::FakeNic nic;
  ScenarioConfig c;
  c.size_min = 100;
  c.size_max = 50;
  EXPECT_THROW(run_scenario(nic, c, {}), ConfigError);
  c = {};
  c.external_fraction = 0.9;
  c.malformed_fraction = 0.2;
  EXPECT_THROW(run_scenario(nic, c, {}), ConfigError);
  c = {};
  c.vms = regs::NUM_VMS + 1;
  EXPECT_THROW(run_scenario(nic, c, {}), ConfigError);
}

}  // namespace
}  // namespace smartnic
