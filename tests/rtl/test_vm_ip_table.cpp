// Unit tests of the VM-IP table on its own Verilated model: insert, lookup, delete,
// overwrite, one lookup per clock, and single-slot writes seen atomically by lookups.
#include <gtest/gtest.h>

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <random>

#include "Vvm_ip_table.h"
#include "verilated.h"

namespace {

constexpr unsigned kEntries = 64;  // default ENTRIES of the module

struct Result {
  bool hit;
  unsigned vm;
};

class TableModel {
 public:
  TableModel() : ctx_(std::make_unique<VerilatedContext>()), m_(std::make_unique<Vvm_ip_table>(ctx_.get())) {
    m_->rst = 1;
    tick();
    tick();
    m_->rst = 0;
  }
  // One clock. Collects the result of lookups issued LATENCY cycles ago.
  void tick() {
    m_->clk = 0;
    m_->eval();
    m_->clk = 1;
    m_->eval();
    m_->lk_valid = 0;
    m_->wr_en = 0;
    if (m_->res_valid) results_.push_back({m_->res_hit != 0, m_->res_vm});
  }
  void write(unsigned slot, std::uint32_t key, unsigned vm, bool valid) {
    m_->wr_en = 1;
    m_->wr_slot = slot;
    m_->wr_key = key;
    m_->wr_vm = vm;
    m_->wr_entry_valid = valid;
  }
  void lookup(std::uint32_t key) {
    m_->lk_valid = 1;
    m_->lk_key = key;
  }
  Result lookup_now(std::uint32_t key) {
    lookup(key);
    tick();
    for (int i = 0; i < 4 && results_.empty(); i++) tick();
    EXPECT_FALSE(results_.empty()) << "no lookup result within 5 cycles";
    Result r = results_.front();
    results_.pop_front();
    return r;
  }
  Vvm_ip_table& m() { return *m_; }
  std::deque<Result>& results() { return results_; }

 private:
  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<Vvm_ip_table> m_;
  std::deque<Result> results_;
};

TEST(VmIpTable, EmptyTableMissesEverything) {
  TableModel t;
  EXPECT_FALSE(t.lookup_now(0xC0000201).hit);
  EXPECT_FALSE(t.lookup_now(0).hit);
}

TEST(VmIpTable, InsertLookupDeleteOverwrite) {
  TableModel t;
  t.write(5, 0xC0000201, 3, true);
  t.tick();
  auto r = t.lookup_now(0xC0000201);
  EXPECT_TRUE(r.hit);
  EXPECT_EQ(r.vm, 3u);
  EXPECT_FALSE(t.lookup_now(0xC0000202).hit);

  t.write(5, 0xC0000201, 6, true);  // overwrite: new owner
  t.tick();
  r = t.lookup_now(0xC0000201);
  EXPECT_TRUE(r.hit);
  EXPECT_EQ(r.vm, 6u);

  t.write(5, 0xC0000201, 6, false);  // delete
  t.tick();
  EXPECT_FALSE(t.lookup_now(0xC0000201).hit);

  t.write(5, 0xCB007101, 1, true);  // slot reused by another key
  t.tick();
  EXPECT_FALSE(t.lookup_now(0xC0000201).hit);
  EXPECT_EQ(t.lookup_now(0xCB007101).vm, 1u);
}

TEST(VmIpTable, SlotReadBack) {
  TableModel t;
  t.write(63, 0xC6336401, 7, true);
  t.tick();
  t.m().rd_slot = 63;
  t.m().eval();
  EXPECT_EQ(t.m().rd_key, 0xC6336401u);
  EXPECT_EQ(t.m().rd_vm, 7u);
  EXPECT_TRUE(t.m().rd_entry_valid);
}

TEST(VmIpTable, FullTableOneLookupPerClockMatchesModel) {
  TableModel t;
  std::mt19937 rng(7);
  std::map<std::uint32_t, unsigned> ref;
  for (unsigned s = 0; s < kEntries; s++) {
    std::uint32_t key = 0xC0000200u + s;  // consecutive block, as VMs get them
    unsigned vm = rng() % 8;
    t.write(s, key, vm, true);
    t.tick();
    ref[key] = vm;
  }
  // Back-to-back lookups: one result per clock, in order.
  std::vector<std::uint32_t> keys;
  for (int i = 0; i < 1000; i++) keys.push_back(0xC0000200u + rng() % (2 * kEntries));
  for (auto k : keys) {
    t.lookup(k);
    t.tick();
  }
  for (int i = 0; i < 4; i++) t.tick();
  ASSERT_EQ(t.results().size(), keys.size());
  for (std::size_t i = 0; i < keys.size(); i++) {
    auto it = ref.find(keys[i]);
    EXPECT_EQ(t.results()[i].hit, it != ref.end()) << "key " << std::hex << keys[i];
    if (it != ref.end()) EXPECT_EQ(t.results()[i].vm, it->second);
  }
}

// A key moved between slots back to front (new slot written first, old slot cleared after)
// is found with the right VM by a lookup in every cycle of the move.
TEST(VmIpTable, MoveIsNeverMissedByLookupsInFlight) {
  TableModel t;
  const std::uint32_t key = 0xC0000263;
  t.write(10, key, 4, true);
  t.tick();
  for (unsigned step = 0; step < 3; step++) {
    t.lookup(key);
    if (step == 0) t.write(20, key, 4, true);   // copy into the new slot
    if (step == 1) t.write(10, 0, 0, false);    // then clear the old one
    t.tick();
  }
  for (int i = 0; i < 4; i++) {
    t.lookup(key);
    t.tick();
  }
  for (int i = 0; i < 3; i++) t.tick();
  ASSERT_EQ(t.results().size(), 7u);
  for (auto& r : t.results()) {
    EXPECT_TRUE(r.hit);
    EXPECT_EQ(r.vm, 4u);
  }
}

}  // namespace
