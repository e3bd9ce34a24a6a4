// VM-IP hash table placement bench: how full the cuckoo table gets before the first failed
// insert (random keys and contiguous address blocks), single-slot writes per insert, placement
// time per insert, and the lookup latency of the RTL table.
//
//   table_load [--ways N] [--buckets N] [--slots N] [--stash N] [--max-moves N] [--seeds N]
//              [--sizes 4096,16384,65536] [--csv FILE]
//
// Without --buckets it runs the three standard capacities (4 K, 16 K, 64 K main slots).
// Each run inserts keys until the first TableFull and prints one line; --csv writes the same
// rows. Times are wall clock on the machine at hand: compare them within one run.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <unordered_set>
#include <vector>

#include "smartnic/cuckoo_placement.hpp"

using namespace smartnic;

namespace {

// The lookup latency of rtl/vm_ip_hash_table.sv in cycles (lk_valid to res_valid); the RTL test
// measures it on the Verilated model and checks it equals this figure.
constexpr unsigned kLookupLatency = 5;

struct Row {
  std::string keys;
  std::size_t capacity = 0;
  unsigned seed = 0;
  std::size_t inserted = 0;
  double load_first_fail = 0;
  double avg_writes_90 = 0;  // over the inserts up to 90 % load
  double avg_writes_95 = 0;  // up to 95 % load (or the first failure, if earlier)
  double avg_writes_all = 0;
  std::uint64_t max_writes = 0;
  std::uint64_t stash_inserts = 0;
  double ns_per_insert = 0;
  double p99_us_insert = 0;  // 99th percentile of single inserts
  double max_us_insert = 0;  // includes preemption on a shared machine
};

std::vector<std::uint32_t> make_keys(const std::string& kind, std::size_t n, unsigned seed) {
  std::vector<std::uint32_t> k;
  k.reserve(n);
  if (kind == "random") {
    std::mt19937_64 rng(seed);
    std::unordered_set<std::uint32_t> seen;
    while (k.size() < n) {
      auto v = std::uint32_t(rng());
      if (seen.insert(v).second) k.push_back(v);
    }
  } else if (kind == "contiguous") {
    // One block from a documentation range, shifted per seed: 192.0.2.0 + i, 198.51.100.0 + i, ...
    const std::uint32_t bases[] = {0xC0000200u, 0xC6336400u, 0xCB007100u, 0x0A000000u};
    const std::uint32_t base = bases[seed % 4] + (seed / 4) * 0x01000000u;
    for (std::size_t i = 0; i < n; i++) k.push_back(base + std::uint32_t(i));
  } else {  // "blocks": VMs get /26 blocks (64 consecutive addresses) at random /26 boundaries
    std::mt19937_64 rng(seed);
    std::unordered_set<std::uint32_t> seen;
    while (k.size() < n) {
      const auto b = std::uint32_t(rng()) & ~63u;
      if (!seen.insert(b).second) continue;
      for (unsigned i = 0; i < 64 && k.size() < n; i++) k.push_back(b + i);
    }
  }
  return k;
}

Row run(const CuckooGeometry& g, unsigned max_moves, const std::string& kind, unsigned seed) {
  CuckooPlacement t(g, max_moves);
  const auto keys = make_keys(kind, g.total_slots() + 1, seed);
  Row r;
  r.keys = kind;
  r.capacity = g.total_slots();
  r.seed = seed;
  std::uint64_t w90 = 0, n90 = 0, w95 = 0, n95 = 0;
  double max_ns = 0;
  std::vector<float> ns;
  ns.reserve(keys.size());
  const auto t0 = std::chrono::steady_clock::now();
  for (auto k : keys) {
    const auto a = std::chrono::steady_clock::now();
    std::size_t nw = 0;
    try {
      nw = t.insert(Ipv4Address(k), 1).size();
    } catch (const TableFull&) {
      break;
    }
    const auto b = std::chrono::steady_clock::now();
    const double d = double(std::chrono::duration_cast<std::chrono::nanoseconds>(b - a).count());
    max_ns = std::max(max_ns, d);
    ns.push_back(float(d));
    if (t.load_factor() <= 0.90) w90 += nw, n90++;
    if (t.load_factor() <= 0.95) w95 += nw, n95++;
  }
  const auto t1 = std::chrono::steady_clock::now();
  r.inserted = t.size();
  r.load_first_fail = t.load_factor();
  r.avg_writes_90 = n90 ? double(w90) / double(n90) : 0;
  r.avg_writes_95 = n95 ? double(w95) / double(n95) : 0;
  r.avg_writes_all = t.stats().avg_writes();
  r.max_writes = t.stats().max_writes;
  r.stash_inserts = t.stats().stash_inserts;
  r.ns_per_insert = double(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count()) /
                    double(std::max<std::size_t>(1, t.stats().inserts + t.stats().failures));
  r.max_us_insert = max_ns / 1000.0;
  if (!ns.empty()) {
    auto p = ns.begin() + std::ptrdiff_t(ns.size() * 99 / 100);
    std::nth_element(ns.begin(), p, ns.end());
    r.p99_us_insert = double(*p) / 1000.0;
  }
  return r;
}

std::vector<std::size_t> parse_list(const char* s) {
  std::vector<std::size_t> v;
  for (const char* p = s; *p;) {
    v.push_back(std::strtoull(p, const_cast<char**>(&p), 0));
    if (*p == ',') p++;
  }
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  CuckooGeometry base;
  unsigned max_moves = 5, seeds = 3;
  std::vector<std::size_t> sizes{4096, 16384, 65536};
  std::string csv;
  for (int i = 1; i < argc; i++) {
    auto arg = [&](const char* name) { return std::strcmp(argv[i], name) == 0 && i + 1 < argc; };
    if (arg("--ways")) base.ways = unsigned(std::atoi(argv[++i]));
    else if (arg("--buckets")) sizes = {0}, base.buckets = std::strtoull(argv[++i], nullptr, 0);
    else if (arg("--slots")) base.slots = unsigned(std::atoi(argv[++i]));
    else if (arg("--stash")) base.stash = unsigned(std::atoi(argv[++i]));
    else if (arg("--max-moves")) max_moves = unsigned(std::atoi(argv[++i]));
    else if (arg("--seeds")) seeds = unsigned(std::atoi(argv[++i]));
    else if (arg("--sizes")) sizes = parse_list(argv[++i]);
    else if (arg("--csv")) csv = argv[++i];
    else {
      std::fprintf(stderr,
                   "usage: %s [--ways N] [--buckets N] [--slots N] [--stash N] [--max-moves N] [--seeds N]"
                   " [--sizes a,b,c] [--csv FILE]\n",
                   argv[0]);
      return 2;
    }
  }
  std::vector<Row> rows;
  std::FILE* out = csv.empty() ? nullptr : std::fopen(csv.c_str(), "w");
  if (!csv.empty() && !out) {
    std::perror(csv.c_str());
    return 1;
  }
  if (out) {
    std::fprintf(out,
                 "ways,buckets,slots,stash,max_moves,capacity,keys,seed,inserted,load_first_fail,"
                 "avg_writes_90,avg_writes_95,avg_writes_all,max_writes,stash_inserts,ns_per_insert,"
                 "p99_us_insert,max_us_insert,lookup_latency_cycles\n");
  }
  std::printf("lookup latency (lk_valid -> res_valid): %u cycles, 1 lookup per clock\n", kLookupLatency);
  std::printf("%-5s %-7s %-5s %-5s %-9s %-10s %-4s %-8s %-9s %-8s %-8s %-8s %-5s %-5s %-8s %-8s %-8s\n", "ways",
              "buckets", "slots", "stash", "capacity", "keys", "seed", "inserted", "load@fail", "wr@90%",
              "wr@95%", "wr@all", "maxwr", "stash", "ns/ins", "p99_us", "max_us");
  bool all_ok = true;
  for (auto size : sizes) {
    CuckooGeometry g = base;
    if (size) g.buckets = size / (std::size_t{g.ways} * g.slots);
    // sizes name main-table capacities; with a non-power-of-two number of ways round buckets up
    std::size_t b = 1;
    while (b < g.buckets) b <<= 1;
    g.buckets = b;
    for (const char* kind : {"random", "contiguous", "blocks"}) {
      for (unsigned s = 0; s < seeds; s++) {
        const Row r = run(g, max_moves, kind, s + 1);
        all_ok = all_ok && r.load_first_fail >= 0.95;
        std::printf("%-5u %-7zu %-5u %-5u %-9zu %-10s %-4u %-8zu %-9.4f %-8.3f %-8.3f %-8.3f %-5llu %-5llu %-8.0f %-8.2f %-8.1f\n",
                    g.ways, g.buckets, g.slots, g.stash, r.capacity, r.keys.c_str(), r.seed, r.inserted,
                    r.load_first_fail, r.avg_writes_90, r.avg_writes_95, r.avg_writes_all,
                    (unsigned long long)r.max_writes, (unsigned long long)r.stash_inserts, r.ns_per_insert,
                    r.p99_us_insert, r.max_us_insert);
        if (out) {
          std::fprintf(out, "%u,%zu,%u,%u,%u,%zu,%s,%u,%zu,%.5f,%.4f,%.4f,%.4f,%llu,%llu,%.1f,%.2f,%.2f,%u\n", g.ways,
                       g.buckets, g.slots, g.stash, max_moves, r.capacity, r.keys.c_str(), r.seed, r.inserted,
                       r.load_first_fail, r.avg_writes_90, r.avg_writes_95, r.avg_writes_all,
                       (unsigned long long)r.max_writes, (unsigned long long)r.stash_inserts, r.ns_per_insert,
                       r.p99_us_insert, r.max_us_insert, kLookupLatency);
        }
        rows.push_back(r);
      }
    }
  }
  if (out) std::fclose(out);
  std::printf("%s\n", all_ok ? "every run reached >= 95 % load before its first failed insert"
                             : "SOME RUN FAILED BELOW 95 % LOAD");
  return all_ok ? 0 : 1;
}
