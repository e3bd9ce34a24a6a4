// Unit tests of the block-RAM cuckoo VM-IP table (rtl/vm_ip_hash_table.sv) on Verilated models,
// driven by the host placement (CuckooPlacement) exactly as the runtime would drive it: every
// change is a list of single-slot writes applied in order, one per clock, while a lookup is
// issued every clock and checked against a std::map reference.
//
// Models: Vvm_ip_hash_table_small (4 ways x 64 buckets, stash 8), Vvm_ip_hash_table_s2
// (3 ways x 32 buckets x 2 slots, stash 4: non-power-of-two ways, multi-slot buckets) and
// Vvm_ip_hash_table_64k (the full 4 x 16384 + 8 configuration).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <vector>

#include "Vvm_ip_hash_table_64k.h"
#include "Vvm_ip_hash_table_s2.h"
#include "Vvm_ip_hash_table_small.h"
#include "smartnic/cuckoo_placement.hpp"
#include "verilated.h"

namespace {

using smartnic::CuckooGeometry;
using smartnic::CuckooPlacement;
using smartnic::Ipv4Address;
using smartnic::TableFull;
using SlotWrite = CuckooPlacement::SlotWrite;

constexpr unsigned kLatency = 5;  // lk_valid in cycle 0, res_valid in cycle 5

struct Result {
  bool hit;
  unsigned vm;
  std::uint64_t issued;  // cycle the lookup was issued
  std::uint32_t key;
};

template <class M>
class Table {
 public:
  explicit Table(CuckooGeometry g) : g_(g), ctx_(std::make_unique<VerilatedContext>()), m_(std::make_unique<M>(ctx_.get())) {
    ctx_->fatalOnError(false);
    m_->rst = 1;
    tick();
    tick();
    m_->rst = 0;
  }
  ~Table() { m_->final(); }

  // One clock. Collects lookup results and read-back data.
  void tick() {
    m_->clk = 0;
    m_->eval();
    m_->clk = 1;
    m_->eval();
    cycle_++;
    m_->lk_valid = 0;
    m_->wr_en = 0;
    m_->rd_req = 0;
    m_->clear_req = 0;
    if (m_->res_valid) {
      EXPECT_FALSE(issued_.empty()) << "res_valid without a lookup";
      if (!issued_.empty()) {
        auto [c, k] = issued_.front();
        issued_.pop_front();
        EXPECT_EQ(cycle_ - c, kLatency) << "lookup latency";
        results_.push_back({m_->res_hit != 0, m_->res_vm, c, k});
      }
    }
    if (m_->rd_valid) read_done_ = cycle_;
  }
  void wait_init() {
    std::uint64_t n = 0;
    while (m_->init_busy) {
      tick();
      n++;
      ASSERT_LT(n, g_.buckets + 10);
    }
  }
  void write(std::size_t slot, std::uint32_t key, unsigned vm, bool valid) {
    m_->wr_en = 1;
    m_->wr_slot = std::uint32_t(slot);
    m_->wr_key = key;
    m_->wr_vm = vm;
    m_->wr_entry_valid = valid;
  }
  void write(const SlotWrite& w) { write(w.slot, w.value.key.value(), w.value.vm, w.value.valid); }
  void lookup(std::uint32_t key) {
    m_->lk_valid = 1;
    m_->lk_key = key;
    issued_.push_back({cycle_, key});
  }
  Result lookup_now(std::uint32_t key) {
    lookup(key);
    tick();
    for (unsigned i = 0; i < kLatency + 2 && results_.empty(); i++) tick();
    EXPECT_FALSE(results_.empty()) << "no lookup result";
    if (results_.empty()) return {};
    Result r = results_.front();
    results_.pop_front();
    return r;
  }
  // Applies a write list, one write per clock, with optional lookups alongside.
  void apply(const std::vector<SlotWrite>& ws) {
    for (const auto& w : ws) {
      write(w);
      tick();
    }
  }
  void drain() {
    for (unsigned i = 0; i < kLatency + 2; i++) tick();
  }
  struct ReadBack {
    std::uint32_t key;
    unsigned vm;
    bool valid;
    std::uint64_t cycles;
  };
  // rd_req in this cycle (with an optional write in the same cycle); returns the data and the
  // cycles until rd_valid.
  ReadBack read(std::size_t slot, bool with_write = false, std::size_t wslot = 0, std::uint32_t wkey = 0) {
    m_->rd_req = 1;
    m_->rd_slot = std::uint32_t(slot);
    if (with_write) write(wslot, wkey, 1, true);
    const std::uint64_t start = cycle_;
    read_done_ = 0;
    for (int i = 0; i < 10 && !read_done_; i++) tick();
    EXPECT_NE(read_done_, 0u) << "no rd_valid";
    return {m_->rd_key, m_->rd_vm, m_->rd_entry_valid != 0, read_done_ - start};
  }

  M& m() { return *m_; }
  std::deque<Result>& results() { return results_; }
  std::uint64_t cycle() const { return cycle_; }
  bool assertion_failed() const { return Verilated::gotError(); }

 private:
  CuckooGeometry g_;
  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<M> m_;
  std::deque<std::pair<std::uint64_t, std::uint32_t>> issued_;
  std::deque<Result> results_;
  std::uint64_t cycle_ = 0;
  std::uint64_t read_done_ = 0;
};

const CuckooGeometry kSmall{4, 64, 1, 8};
const CuckooGeometry kS2{3, 32, 2, 4};
const CuckooGeometry k64K{4, 16384, 1, 8};

template <class M>
void empty_after_init(CuckooGeometry g) {
  Table<M> t(g);
  EXPECT_TRUE(t.m().init_busy);
  t.wait_init();
  EXPECT_FALSE(t.lookup_now(0xC0000201).hit);
  EXPECT_FALSE(t.lookup_now(0).hit);
  EXPECT_FALSE(t.assertion_failed());
}

TEST(VmIpHashTable, EmptyAfterInitAndFixedLatency) {
  empty_after_init<Vvm_ip_hash_table_small>(kSmall);
  empty_after_init<Vvm_ip_hash_table_s2>(kS2);
}

// The basic contract the 64-entry CAM (vm_ip_table.sv, replaced by this table) was tested for:
// insert, lookup, delete, overwrite with a new owner, slot reuse by another key, at the slots the
// host placement chooses (first key in the stash too).
template <class M>
void insert_lookup_delete_overwrite(CuckooGeometry g) {
  Table<M> t(g);
  t.wait_init();
  CuckooPlacement p(g);
  const std::uint32_t a = 0xC0000201, b = 0xCB007101;
  t.apply(p.insert(Ipv4Address(a), 3));
  auto r = t.lookup_now(a);
  EXPECT_TRUE(r.hit);
  EXPECT_EQ(r.vm, 3u);
  EXPECT_FALSE(t.lookup_now(0xC0000202).hit);

  t.apply(p.set_vm(Ipv4Address(a), 6));  // overwrite: new owner, same slot
  r = t.lookup_now(a);
  EXPECT_TRUE(r.hit);
  EXPECT_EQ(r.vm, 6u);

  const std::size_t slot = *p.slot_of(Ipv4Address(a));
  t.apply(p.erase(Ipv4Address(a)));  // delete
  EXPECT_FALSE(t.lookup_now(a).hit);

  t.write(slot, b, 1, true);  // the slot reused by another key (placed by hand: raw slot write)
  t.tick();
  EXPECT_FALSE(t.lookup_now(a).hit);
  // b is found only if the slot is one of its candidates or in the stash; slot of a stash entry
  // holds any key.
  const auto cand = p.candidates(Ipv4Address(b));
  const bool reachable = slot >= g.main_slots() || std::find(cand.begin(), cand.end(), slot) != cand.end();
  r = t.lookup_now(b);
  EXPECT_EQ(r.hit, reachable);
  // The same in a stash slot: any key is found there.
  t.write(g.main_slots() + 2, b, 5, true);
  t.tick();
  r = t.lookup_now(b);
  EXPECT_TRUE(r.hit);
  EXPECT_EQ(r.vm, reachable ? (1u | 5u) : 5u);  // two copies are ORed (only during moves)
  EXPECT_FALSE(t.assertion_failed());
}

TEST(VmIpHashTable, InsertLookupDeleteOverwrite) {
  insert_lookup_delete_overwrite<Vvm_ip_hash_table_small>(kSmall);
  insert_lookup_delete_overwrite<Vvm_ip_hash_table_s2>(kS2);
}

// clear_req (TBL_CMD=3): init_busy from the next cycle for BUCKETS cycles, lookups miss from the
// clear edge on, every slot (main and stash) reads back empty afterwards, including writes
// presented in the cycle before and in the clear cycle itself; a read requested in the clear
// cycle waits for the sweep; the table works normally afterwards.
template <class M>
void clear_wipes_every_slot(CuckooGeometry g) {
  Table<M> t(g);
  t.wait_init();
  CuckooPlacement p(g);
  std::vector<std::uint32_t> keys;
  for (std::uint32_t i = 0; i < g.total_slots() / 2; i++) {
    keys.push_back(0xC0000200u + i);
    t.apply(p.insert(Ipv4Address(keys.back()), i % 8));
  }
  t.write(g.main_slots(), 0x0A000001, 2, true);  // a stash entry for sure
  t.tick();
  t.drain();
  EXPECT_TRUE(t.lookup_now(keys[0]).hit);
  EXPECT_TRUE(t.lookup_now(0x0A000001).hit);

  t.write(1, 0x0A000002, 3, true);  // presented one cycle before the clear: wiped
  t.tick();
  t.m().clear_req = 1;
  t.write(g.main_slots() + 1, 0x0A000003, 3, true);  // presented in the clear cycle: dropped
  t.m().rd_req = 1;                                   // read in the clear cycle: waits
  t.m().rd_slot = std::uint32_t(g.main_slots());
  t.lookup(keys[0]);  // samples after the clear edge: miss
  t.tick();
  EXPECT_TRUE(t.m().init_busy);
  std::uint64_t busy = 1;
  bool read_seen = false;
  while (t.m().init_busy) {
    t.lookup(keys[busy % keys.size()]);
    t.tick();
    if (t.m().rd_valid) read_seen = true;
    busy++;
    ASSERT_LT(busy, g.buckets + 10);
  }
  EXPECT_EQ(busy - 1, g.buckets) << "init_busy cycles";  // ticks until low, minus the first
  EXPECT_FALSE(read_seen) << "read-back issued during the clear sweep";
  for (int i = 0; i < 4 && !t.m().rd_valid; i++) t.tick();
  EXPECT_TRUE(t.m().rd_valid || read_seen) << "read requested with the clear never completed";
  EXPECT_FALSE(t.m().rd_entry_valid) << "stash slot not cleared";
  t.drain();
  for (const auto& r : t.results()) EXPECT_FALSE(r.hit) << "lookup hit across the clear";
  t.results().clear();
  for (std::size_t s = 0; s < g.total_slots(); s++) EXPECT_FALSE(t.read(s).valid) << "slot " << s;
  for (auto k : {keys[0], keys.back(), 0x0A000001u, 0x0A000002u, 0x0A000003u}) EXPECT_FALSE(t.lookup_now(k).hit);

  CuckooPlacement q(g);  // after the clear the runtime starts from an empty shadow
  t.apply(q.insert(Ipv4Address(keys[1]), 4));
  auto r = t.lookup_now(keys[1]);
  EXPECT_TRUE(r.hit);
  EXPECT_EQ(r.vm, 4u);
  EXPECT_FALSE(t.assertion_failed());
}

TEST(VmIpHashTable, ClearWipesEverySlot) {
  clear_wipes_every_slot<Vvm_ip_hash_table_small>(kSmall);
  clear_wipes_every_slot<Vvm_ip_hash_table_s2>(kS2);
}

// Every slot, main and stash, can be written and read back; the read takes 2 cycles, and one
// more when a write holds the RAM's host port in the request cycle.
template <class M>
void read_back_every_slot(CuckooGeometry g) {
  Table<M> t(g);
  t.wait_init();
  for (std::size_t s = 0; s < g.total_slots(); s++) {
    t.write(s, 0xC0000000u + std::uint32_t(s), unsigned(s % 7), (s % 3) != 0);
    t.tick();
  }
  t.tick();
  for (std::size_t s = 0; s < g.total_slots(); s++) {
    auto r = t.read(s);
    EXPECT_EQ(r.key, 0xC0000000u + s) << "slot " << s;
    EXPECT_EQ(r.vm, s % 7) << "slot " << s;
    EXPECT_EQ(r.valid, (s % 3) != 0) << "slot " << s;
    EXPECT_EQ(r.cycles, 2u);
  }
  // A read sees every write issued in an earlier cycle. A write issued one cycle before the read
  // holds the RAM's host port in the read's cycle: the read then takes one cycle more.
  for (std::size_t slot : {std::size_t{5}, g.main_slots() - 1, g.main_slots() + 1}) {
    t.write(slot, 0x0A0A0A0A, 1, true);
    t.tick();
    auto r = t.read(slot);
    EXPECT_EQ(r.cycles, slot < g.main_slots() ? 3u : 2u) << "slot " << slot;
    EXPECT_EQ(r.key, 0x0A0A0A0Au) << "slot " << slot;
    EXPECT_TRUE(r.valid);
    // A write issued in the same cycle as the read is not seen by it (but by the next one).
    r = t.read(slot, true, slot, 0x0B0B0B0B);
    EXPECT_EQ(r.key, 0x0A0A0A0Au) << "slot " << slot;
    EXPECT_EQ(r.cycles, 2u);
    r = t.read(slot);
    EXPECT_EQ(r.key, 0x0B0B0B0Bu) << "slot " << slot;
  }
  EXPECT_FALSE(t.assertion_failed());
}

TEST(VmIpHashTable, ReadBackEverySlot) {
  read_back_every_slot<Vvm_ip_hash_table_small>(kSmall);
  read_back_every_slot<Vvm_ip_hash_table_s2>(kS2);
}

// The sampling moment is the same for RAM and stash, including the same-cycle read/write case
// (explicit bypass): a lookup issued in cycle t sees every write issued up to cycle t+1, and
// none issued from t+2 on. Checked for a main slot of each way and for a stash slot, for a write
// that adds the key and for one that removes it.
template <class M>
void sampling_moment(CuckooGeometry g) {
  Table<M> t(g);
  t.wait_init();
  CuckooPlacement p(g);
  const std::uint32_t key = 0xC6336407;
  std::vector<std::size_t> slots = p.candidates(Ipv4Address(key));
  slots.push_back(g.main_slots());          // first stash slot
  slots.push_back(g.total_slots() - 1);     // last stash slot
  for (std::size_t slot : slots) {
    for (bool add : {true, false}) {
      for (int off = -3; off <= 4; off++) {
        // state before: present iff !add
        t.write(slot, key, 9, !add);
        t.tick();
        t.drain();
        t.results().clear();
        // lookups in cycles 0..8, write in cycle 4 + off relative to the lookup at cycle 4
        for (int c = 0; c < 9; c++) {
          t.lookup(key);
          if (c == 4 + off) t.write(slot, key, 9, add);
          t.tick();
        }
        t.drain();
        ASSERT_EQ(t.results().size(), 9u);
        for (int c = 0; c < 9; c++) {
          // lookup c sees the write iff the write cycle <= c + 1
          const bool sees = (4 + off) <= c + 1;
          const bool expect_hit = sees ? add : !add;
          EXPECT_EQ(t.results()[std::size_t(c)].hit, expect_hit)
              << "slot " << slot << (add ? " add" : " remove") << " write at " << 4 + off << " lookup " << c;
          if (t.results()[std::size_t(c)].hit) EXPECT_EQ(t.results()[std::size_t(c)].vm, 9u);
        }
      }
    }
    t.write(slot, 0, 0, false);
    t.tick();
  }
  EXPECT_FALSE(t.assertion_failed());
}

TEST(VmIpHashTable, SamplingMomentSameForRamAndStash) {
  sampling_moment<Vvm_ip_hash_table_small>(kSmall);
  sampling_moment<Vvm_ip_hash_table_s2>(kS2);
}

// Randomized: inserts (random keys and contiguous blocks), deletes and VM changes computed by
// CuckooPlacement, applied as single-slot writes one per clock with a lookup EVERY clock.
// A lookup must return the reference value of its key at some moment during its window; keys
// that are only moved (never changed) must be found with their VM in every cycle.
template <class M>
void randomized(CuckooGeometry g, unsigned ops, unsigned seed) {
  Table<M> t(g);
  t.wait_init();
  CuckooPlacement p(g);
  std::mt19937 rng(seed);
  std::map<std::uint32_t, unsigned> ref;
  struct Change {
    std::uint64_t cycle;  // first cycle of the op's writes
    std::uint64_t end;    // cycle after its last write
    std::uint32_t key;
    std::optional<unsigned> before, after;
  };
  std::vector<Change> log;
  std::vector<std::uint32_t> moving;  // keys written by the op in progress (moved or changed)
  std::uint32_t next_contig = 0xC0000200u;
  std::uint64_t checked = 0, moved_checks = 0, stash_seen = 0, failures = 0;

  auto check = [&](const Result& r) {
    checked++;
    // Acceptable values: the reference now, undone back through every change of this key that
    // overlaps [issued - 2, issued + kLatency + 2].
    std::set<std::pair<bool, unsigned>> ok;
    auto cur = ref.find(r.key);
    std::optional<unsigned> v = cur == ref.end() ? std::nullopt : std::optional<unsigned>(cur->second);
    for (auto it = log.rbegin(); it != log.rend(); ++it) {
      if (it->key != r.key) continue;
      if (it->cycle > r.issued + kLatency + 2) {  // after the window: undo it
        v = it->before;
        continue;
      }
      if (it->end + 2 < r.issued) break;  // before the window: v is the value
      ok.insert({bool(v), v.value_or(0)});  // during: old or new
      v = it->before;
    }
    ok.insert({bool(v), v.value_or(0)});
    const bool good = ok.count({r.hit, r.hit ? r.vm : 0}) != 0;
    EXPECT_TRUE(good) << "key " << std::hex << r.key << std::dec << " issued at " << r.issued << " hit " << r.hit
                      << " vm " << r.vm;
    return good;
  };

  auto pick_lookup = [&]() -> std::uint32_t {
    const unsigned c = rng() % 10;
    if (c < 4 && !moving.empty()) {
      moved_checks++;
      return moving[rng() % moving.size()];
    }
    if (c < 8 && !ref.empty()) {
      auto it = ref.lower_bound(std::uint32_t(rng()));
      if (it == ref.end()) it = ref.begin();
      return it->first;
    }
    return std::uint32_t(rng());
  };

  auto run_writes = [&](const std::vector<SlotWrite>& ws) {
    for (const auto& w : ws) {
      t.lookup(pick_lookup());
      t.write(w);
      t.tick();
      if (w.slot >= g.main_slots()) stash_seen++;
    }
    const unsigned gap = rng() % 3;
    for (unsigned i = 0; i < gap; i++) {
      t.lookup(pick_lookup());
      t.tick();
    }
    while (!t.results().empty()) {
      check(t.results().front());
      t.results().pop_front();
    }
  };

  for (unsigned op = 0; op < ops; op++) {
    const unsigned kind = rng() % 100;
    const double load = p.load_factor();
    std::uint32_t key;
    std::vector<SlotWrite> ws;
    Change ch{t.cycle(), 0, 0, std::nullopt, std::nullopt};
    if ((kind < 70 && load < 0.93) || ref.empty()) {
      key = (rng() % 2) ? std::uint32_t(rng()) : next_contig++;
      if (ref.count(key)) continue;
      const unsigned vm = rng() % 200;
      try {
        ws = p.insert(Ipv4Address(key), vm);
      } catch (const TableFull&) {
        failures++;
        continue;
      }
      ch.after = vm;
      ref[key] = vm;
    } else if (kind < 90) {
      auto it = ref.lower_bound(std::uint32_t(rng()));
      if (it == ref.end()) it = ref.begin();
      key = it->first;
      ch.before = it->second;
      ws = p.erase(Ipv4Address(key));
      ref.erase(it);
    } else {
      auto it = ref.lower_bound(std::uint32_t(rng()));
      if (it == ref.end()) it = ref.begin();
      key = it->first;
      ch.before = it->second;
      const unsigned vm = (it->second + 1) % 200;
      ws = p.set_vm(Ipv4Address(key), vm);
      ch.after = vm;
      it->second = vm;
    }
    ch.key = key;
    ch.end = t.cycle() + ws.size();
    log.push_back(ch);
    moving.clear();
    for (const auto& w : ws)
      if (w.value.valid) moving.push_back(w.value.key.value());
    if (op % 50 == 49) {  // keep the stash in use but not full
      auto rw = p.rehome_stash();
      ws.insert(ws.end(), rw.begin(), rw.end());
    }
    run_writes(ws);
  }
  t.drain();
  while (!t.results().empty()) {
    check(t.results().front());
    t.results().pop_front();
  }
  // Finally every key once, back to back, and a readback of its slot.
  for (auto [k, v] : ref) {
    auto r = t.lookup_now(k);
    EXPECT_TRUE(r.hit) << std::hex << k;
    EXPECT_EQ(r.vm, v);
  }
  EXPECT_FALSE(t.assertion_failed());
  EXPECT_GT(checked, ops);
  EXPECT_GT(moved_checks, 100u);
  std::printf("randomized: %llu lookups checked (%llu on keys being written), %llu stash writes, %zu keys at end, "
              "load %.3f, %llu full\n",
              (unsigned long long)checked, (unsigned long long)moved_checks, (unsigned long long)stash_seen, ref.size(),
              p.load_factor(), (unsigned long long)failures);
}

TEST(VmIpHashTable, RandomizedAgainstMapSmall) { randomized<Vvm_ip_hash_table_small>(kSmall, 20000, 1); }
TEST(VmIpHashTable, RandomizedAgainstMapMultiSlot) { randomized<Vvm_ip_hash_table_s2>(kS2, 20000, 2); }

// Fill until the first failed insert, with a lookup of a key being moved in every cycle of
// every insert (never missed), then every key found and the stash in use.
template <class M>
void fill_to_failure(CuckooGeometry g, bool contiguous, double min_load) {
  Table<M> t(g);
  t.wait_init();
  CuckooPlacement p(g);
  std::mt19937 rng(5);
  std::map<std::uint32_t, unsigned> ref;
  std::uint64_t move_lookups = 0;
  std::uint32_t n = 0;
  for (;;) {
    const std::uint32_t key = contiguous ? 0xC0000200u + n++ : std::uint32_t(rng());
    if (ref.count(key)) continue;
    const unsigned vm = key % 251;
    std::vector<SlotWrite> ws;
    try {
      ws = p.insert(Ipv4Address(key), vm);
    } catch (const TableFull& e) {
      EXPECT_EQ(e.key(), Ipv4Address(key));
      break;
    }
    ref[key] = vm;
    // A move chain: look up one of the moved keys (not the new one) every cycle, from one cycle
    // before the first write to after the last.
    std::vector<std::uint32_t> moved;
    for (std::size_t i = 0; i + 1 < ws.size(); i++) moved.push_back(ws[i].value.key.value());
    for (std::size_t i = 0; i <= ws.size(); i++) {
      if (!moved.empty()) {
        t.lookup(moved[i % moved.size()]);
        move_lookups++;
      }
      if (i < ws.size()) t.write(ws[i]);
      t.tick();
    }
    while (!t.results().empty()) {
      const auto r = t.results().front();
      t.results().pop_front();
      ASSERT_TRUE(r.hit) << "moved key " << std::hex << r.key << " missed";
      ASSERT_EQ(r.vm, ref[r.key]);
    }
  }
  t.drain();
  for (auto& r : t.results()) {
    ASSERT_TRUE(r.hit);
    ASSERT_EQ(r.vm, ref[r.key]);
  }
  t.results().clear();
  EXPECT_GE(p.load_factor(), min_load);
  EXPECT_GT(p.stash_used(), 0u);
  // Every key, one lookup per clock, plus absent keys in between.
  std::vector<std::uint32_t> keys;
  for (auto& [k, v] : ref) keys.push_back(k), keys.push_back(k ^ 0x80000000u);
  for (auto k : keys) {
    t.lookup(k);
    t.tick();
  }
  t.drain();
  ASSERT_EQ(t.results().size(), keys.size());
  std::size_t misses = 0;
  for (auto& r : t.results()) {
    const auto it = ref.find(r.key);
    if (it == ref.end()) {
      EXPECT_FALSE(r.hit);
      continue;
    }
    if (!r.hit || r.vm != it->second) misses++;
  }
  EXPECT_EQ(misses, 0u);
  EXPECT_FALSE(t.assertion_failed());
  std::printf("filled %zu of %zu slots (load %.4f, stash %zu) before the first failure, %llu lookups on moving keys, "
              "avg %.3f writes per insert, %llu cycles\n",
              p.size(), p.capacity(), p.load_factor(), p.stash_used(), (unsigned long long)move_lookups,
              p.stats().avg_writes(), (unsigned long long)t.cycle());
}

TEST(VmIpHashTable, FillToFailureRandomSmall) { fill_to_failure<Vvm_ip_hash_table_small>(kSmall, false, 0.90); }
TEST(VmIpHashTable, FillToFailureContiguousSmall) { fill_to_failure<Vvm_ip_hash_table_small>(kSmall, true, 0.90); }
TEST(VmIpHashTable, FillToFailureRandomMultiSlot) { fill_to_failure<Vvm_ip_hash_table_s2>(kS2, false, 0.90); }

// The full 64 K configuration: clear sweep, fill to the first failure (>= 95 %) with random and
// contiguous keys, lookups of moving keys in every cycle, every key found.
TEST(VmIpHashTable64K, FillToFailureRandom) { fill_to_failure<Vvm_ip_hash_table_64k>(k64K, false, 0.95); }
TEST(VmIpHashTable64K, FillToFailureContiguous) { fill_to_failure<Vvm_ip_hash_table_64k>(k64K, true, 0.95); }
TEST(VmIpHashTable64K, RandomizedAgainstMap) { randomized<Vvm_ip_hash_table_64k>(k64K, 20000, 3); }

}  // namespace
