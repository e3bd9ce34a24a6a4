// Lookup latency and rate of the NIC's VM-IP table, measured on the Verilated
// rtl/vm_ip_hash_table.sv in the NIC's geometry (bench/CMakeLists.txt takes it from
// regmap/regmap.json): after the clear that follows reset, one key is written the way the runtime
// writes it (CuckooPlacement's single-slot write), then a lookup is issued in every cycle, hits
// and misses alternating, and every result is matched to its lookup.
#include <deque>
#include <memory>
#include <string>

#include "Vbench_vm_ip_hash_table.h"
#include "smartnic/bench/bench.hpp"
#include "smartnic/cuckoo_placement.hpp"
#include "smartnic/errors.hpp"
#include "smartnic/regs.hpp"
#include "verilated.h"

namespace smartnic::bench {

TableTiming measure_table_timing() {
  auto ctx = std::make_unique<VerilatedContext>();
  auto m = std::make_unique<Vbench_vm_ip_hash_table>(ctx.get());
  std::uint64_t cycle = 0;
  auto tick = [&] {
    m->clk = 0;
    m->eval();
    m->clk = 1;
    m->eval();
    ++cycle;
  };
  m->rst = 1;
  tick();
  tick();
  m->rst = 0;
  const std::uint64_t clear_start = cycle;
  for (std::uint64_t i = 0; m->init_busy; ++i) {
    if (i > 4 * regs::TABLE_BUCKETS) throw Error("table bench: the Verilated table never finished its clear after reset");
    tick();
  }
  TableTiming t;
  t.clear_cycles = cycle - clear_start;

  const Ipv4Address hit(192, 0, 2, 10), miss(198, 51, 100, 7);
  constexpr unsigned kVm = 3;
  CuckooPlacement p({regs::TABLE_WAYS, regs::TABLE_BUCKETS, regs::TABLE_SLOTS, regs::TABLE_STASH});
  for (const auto& w : p.insert(hit, kVm)) {
    m->wr_en = 1;
    m->wr_slot = static_cast<std::uint32_t>(w.slot);
    m->wr_key = w.value.key.value();
    m->wr_vm = w.value.vm;
    m->wr_entry_valid = w.value.valid;
    tick();
  }
  m->wr_en = 0;
  tick();
  tick();  // a write is applied at the edge after next

  constexpr std::uint64_t kLookups = 1000;
  std::deque<std::pair<std::uint64_t, bool>> issued;  // cycle, expect a hit
  std::uint64_t results = 0, first_result = 0, last_result = 0;
  t.lookup_latency_cycles = 0;
  for (std::uint64_t i = 0; i < kLookups + 32; ++i) {
    const bool lookup = i < kLookups;
    m->lk_valid = lookup;
    m->lk_key = (i % 2 == 0 ? hit : miss).value();
    if (lookup) issued.emplace_back(cycle, i % 2 == 0);
    tick();  // the edge that takes the lookup; results are read after it
    if (!m->res_valid) continue;
    if (issued.empty()) throw Error("table bench: the Verilated table answered a lookup that was never made");
    const auto [at, want_hit] = issued.front();
    issued.pop_front();
    const auto latency = static_cast<unsigned>(cycle - at);
    if (t.lookup_latency_cycles != 0 && latency != t.lookup_latency_cycles) {
      throw Error("table bench: lookup latency varies (" + std::to_string(t.lookup_latency_cycles) + " then " +
                  std::to_string(latency) + " cycles)");
    }
    t.lookup_latency_cycles = latency;
    if ((m->res_hit != 0) != want_hit || (want_hit && m->res_vm != kVm)) {
      throw Error("table bench: the Verilated table answered a lookup wrongly (hit " + std::to_string(m->res_hit) + ")");
    }
    if (results++ == 0) first_result = cycle;
    last_result = cycle;
  }
  m->final();
  if (results != kLookups) {
    throw Error("table bench: " + std::to_string(results) + " of " + std::to_string(kLookups) + " lookups answered");
  }
  t.lookups_per_cycle = static_cast<double>(results) / static_cast<double>(last_result - first_result + 1);
  return t;
}

}  // namespace smartnic::bench
