// `smartnic bench`: the project's performance figures in one run (docs/benchmarks.md).
//
//   smartnic bench [--out DIR] [--quick] [--json] [--sizes 64,128,...] [--mem-latency-ns N]
//
// For every frame size: TX through the runtime and of the NIC alone, RX at line rate (all from
// simulated cycles at the NIC clock), host hairpin against memcpy (wall clock, one core); then
// the VM-IP table figures and the simulator's speed. Writes DIR/bench.json, DIR/bench.csv, and
// DIR/throughput.svg through gnuplot; prints a readable summary (or the JSON with --json).
// Targets are reported, never enforced: the exit status is 0 whenever every experiment ran.
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <chrono>
#include <cmath>
#include <cstring>
#include <ctime>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "commands.hpp"
#include "size_range.hpp"
#include "po_error.hpp"
#include "smartnic/bench/bench.hpp"
#include "smartnic/control/json.hpp"
#include "smartnic/errors.hpp"
#include "smartnic/regs.hpp"
#include "text_table.hpp"

extern char** environ;

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace smartnic::cli {

namespace {

using control::Json;
using namespace smartnic::bench;

struct SizeResult {
  std::size_t frame_bytes = 0;
  RateResult tx;
  NicAloneResult alone;
  RxResult rx;
  HairpinResult hairpin;
};


std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}
std::string percent(double fraction) { return fixed(100.0 * fraction, 1) + " %"; }

// A figure for the JSON file; not-a-number (a division by an empty window) becomes null.
Json num(double v) { return std::isfinite(v) ? Json(v) : Json(); }

Json bus_json(const BusUse& b) {
  Json j = Json::object();
  j.set("read_bytes_per_cycle", num(b.read_bytes_per_cycle));
  j.set("write_bytes_per_cycle", num(b.write_bytes_per_cycle));
  j.set("read_utilisation", num(b.read_utilisation()));
  j.set("write_utilisation", num(b.write_utilisation()));
  return j;
}

Json rate_json(const RateResult& r) {
  Json j = Json::object();
  j.set("frames", r.frames);
  j.set("cycles", r.cycles);
  j.set("cycles_per_frame", num(r.cycles_per_frame()));
  j.set("mpps", num(r.mpps()));
  j.set("gbps", num(r.gbps()));
  j.set("line_rate_fraction", num(r.line_fraction()));
  j.set("bus", bus_json(r.bus));
  return j;
}

Json size_json(const SizeResult& s) {
  Json j = Json::object();
  j.set("frame_bytes", s.frame_bytes);
  j.set("datagram_bytes", datagram_bytes(s.frame_bytes));
  j.set("line_rate_mpps", num(line_rate_mpps(s.frame_bytes)));
  j.set("line_rate_gbps", num(line_rate_mpps(s.frame_bytes) * static_cast<double>(s.frame_bytes) * 8.0 / 1e3));
  j.set("tx", rate_json(s.tx));
  Json alone = rate_json(s.alone);
  alone.set("sim_cycles_per_second", num(s.alone.sim_cycles_per_second));
  alone.set("sim_cycles_per_cpu_second", num(s.alone.sim_cycles_per_cpu_second));
  j.set("tx_nic_alone", alone);
  Json rx = rate_json(s.rx);
  rx.set("offered", s.rx.offered);
  rx.set("offered_mpps", num(s.rx.offered_mpps));
  rx.set("drops_rx_overflow", s.rx.drops_overflow);
  rx.set("drops_rx_no_buffer", s.rx.drops_no_buffer);
  rx.set("drops_other", s.rx.drops_other);
  j.set("rx", rx);
  Json h = Json::object();
  h.set("datagrams", s.hairpin.datagrams);
  h.set("mpps", num(s.hairpin.hairpin_mpps()));
  h.set("gbytes_per_s", num(s.hairpin.hairpin_gbytes_per_s()));
  h.set("memcpy_mpps", num(s.hairpin.memcpy_mpps()));
  h.set("memcpy_gbytes_per_s", num(s.hairpin.memcpy_gbytes_per_s()));
  h.set("fraction_of_memcpy", num(s.hairpin.fraction_of_memcpy()));
  j.set("hairpin", h);
  return j;
}

Json table_json(const TableResult& t, const TableTiming& timing) {
  Json j = Json::object();
  j.set("keys", t.keys);
  j.set("capacity", t.capacity);
  j.set("inserted_at_first_failure", t.inserted);
  j.set("load_factor", num(t.load_factor));
  j.set("writes_per_insert_to_90pct", num(t.writes_per_insert_90));
  j.set("writes_per_insert_all", num(t.writes_per_insert_all));
  j.set("max_writes_per_insert", t.max_writes);
  j.set("register_writes_per_insert_to_90pct", num(t.register_writes_per_insert_90));
  j.set("placement_ns_per_insert", num(t.placement_ns_per_insert));
  j.set("lookup_latency_cycles", timing.lookup_latency_cycles);
  j.set("lookups_per_cycle", num(timing.lookups_per_cycle));
  j.set("clear_cycles", timing.clear_cycles);
  return j;
}

// Indented JSON for a file people read and diff (the control protocol's dump() is one line).
void pretty(std::ostream& out, const Json& j, int indent = 0) {
  const std::string pad(static_cast<std::size_t>(indent), ' ');
  if (j.is_object()) {
    const auto& o = j.as_object();
    if (o.empty()) {
      out << "{}";
      return;
    }
    out << "{\n";
    for (std::size_t i = 0; i < o.size(); ++i) {
      out << pad << "  " << Json(o[i].first).dump() << ": ";
      pretty(out, o[i].second, indent + 2);
      out << (i + 1 < o.size() ? ",\n" : "\n");
    }
    out << pad << "}";
  } else if (j.is_array()) {
    const auto& a = j.as_array();
    if (a.empty()) {
      out << "[]";
      return;
    }
    out << "[\n";
    for (std::size_t i = 0; i < a.size(); ++i) {
      out << pad << "  ";
      pretty(out, a[i], indent + 2);
      out << (i + 1 < a.size() ? ",\n" : "\n");
    }
    out << pad << "]";
  } else if (j.is_number() && !j.is_int()) {
    // Six significant digits: dump() prints 17, which is noise in measured figures.
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6g", j.as_double());
    out << buf;
  } else {
    out << j.dump();
  }
}

struct Target {
  std::string name, target, measured;
  bool met;
};

std::vector<Target> targets(const std::vector<SizeResult>& sizes, double sim_speed) {
  // Rates from a finite window include the pipeline's fill and drain: within 1 % counts as line rate.
  constexpr double kLineTolerance = 0.99;
  std::vector<Target> t;
  auto line = [&](const char* what, auto get) {
    for (const auto& s : sizes) {
      const RateResult& r = get(s);
      t.push_back({std::string(what) + " " + std::to_string(s.frame_bytes) + " B",
                   ">= " + fixed(line_rate_mpps(s.frame_bytes), 2) + " Mpps (line rate)",
                   fixed(r.mpps(), 2) + " Mpps = " + percent(r.line_fraction()) + ", " + fixed(r.cycles_per_frame(), 2) +
                       " cycles/frame",
                   r.line_fraction() >= kLineTolerance});
    }
  };
  line("TX through the runtime", [](const SizeResult& s) -> const RateResult& { return s.tx; });
  line("TX NIC alone", [](const SizeResult& s) -> const RateResult& { return s.alone; });
  for (const auto& s : sizes) {
    const std::uint64_t drops = s.rx.drops_overflow + s.rx.drops_no_buffer + s.rx.drops_other;
    t.push_back({"RX " + std::to_string(s.frame_bytes) + " B",
                 ">= " + fixed(line_rate_mpps(s.frame_bytes), 2) + " Mpps delivered, no drops",
                 fixed(s.rx.mpps(), 2) + " Mpps = " + percent(s.rx.line_fraction()) + ", " + std::to_string(drops) + " of " +
                     std::to_string(s.rx.offered) + " dropped",
                 s.rx.line_fraction() >= kLineTolerance && drops == 0});
  }
  for (const auto& s : sizes) {
    if (s.frame_bytes == 64) {
      t.push_back({"host hairpin 64 B", ">= 15 Mpps per core", fixed(s.hairpin.hairpin_mpps(), 2) + " Mpps",
                   s.hairpin.hairpin_mpps() >= 15.0});
    }
    if (s.frame_bytes == 1500) {
      t.push_back({"host hairpin 1500 B", ">= 80 % of memcpy",
                   fixed(s.hairpin.hairpin_gbytes_per_s(), 2) + " GB/s = " + percent(s.hairpin.fraction_of_memcpy()) +
                       " of " + fixed(s.hairpin.memcpy_gbytes_per_s(), 2) + " GB/s",
                   s.hairpin.fraction_of_memcpy() >= 0.80});
    }
  }
  t.push_back({"Verilated full NIC", ">= 1 M cycles/s", fixed(sim_speed / 1e6, 3) + " M cycles per CPU second (fast model)",
               sim_speed >= 1e6});
  return t;
}

void write_csv(const fs::path& path, const std::vector<SizeResult>& sizes) {
  std::ofstream out(path);
  if (!out) throw Error("cannot write " + path.string() + ": check that the --out folder is writable");
  out << "frame_bytes,datagram_bytes,line_rate_mpps,line_rate_gbps,"
         "tx_mpps,tx_gbps,tx_line_fraction,tx_cycles_per_frame,tx_bus_read_util,tx_bus_write_util,"
         "alone_mpps,alone_gbps,alone_line_fraction,alone_cycles_per_frame,alone_bus_read_util,alone_bus_write_util,"
         "alone_sim_cycles_per_s,alone_sim_cycles_per_cpu_s,"
         "rx_offered,rx_offered_mpps,rx_delivered,rx_drops_overflow,rx_drops_no_buffer,rx_drops_other,"
         "rx_mpps,rx_gbps,rx_line_fraction,rx_cycles_per_frame,rx_bus_read_util,rx_bus_write_util,"
         "hairpin_mpps,hairpin_gbytes_per_s,memcpy_gbytes_per_s,hairpin_fraction_of_memcpy\n";
  for (const auto& s : sizes) {
    const double line = line_rate_mpps(s.frame_bytes);
    out << s.frame_bytes << ',' << datagram_bytes(s.frame_bytes) << ',' << fixed(line, 4) << ','
        << fixed(line * static_cast<double>(s.frame_bytes) * 8.0 / 1e3, 4);
    for (const RateResult* r : {&s.tx, static_cast<const RateResult*>(&s.alone)}) {
      out << ',' << fixed(r->mpps(), 4) << ',' << fixed(r->gbps(), 4) << ',' << fixed(r->line_fraction(), 4) << ','
          << fixed(r->cycles_per_frame(), 4) << ',' << fixed(r->bus.read_utilisation(), 4) << ','
          << fixed(r->bus.write_utilisation(), 4);
    }
    out << ',' << fixed(s.alone.sim_cycles_per_second, 0) << ',' << fixed(s.alone.sim_cycles_per_cpu_second, 0);
    out << ',' << s.rx.offered << ',' << fixed(s.rx.offered_mpps, 4) << ',' << s.rx.frames << ',' << s.rx.drops_overflow
        << ',' << s.rx.drops_no_buffer << ',' << s.rx.drops_other << ',' << fixed(s.rx.mpps(), 4) << ','
        << fixed(s.rx.gbps(), 4) << ',' << fixed(s.rx.line_fraction(), 4) << ',' << fixed(s.rx.cycles_per_frame(), 4)
        << ',' << fixed(s.rx.bus.read_utilisation(), 4) << ',' << fixed(s.rx.bus.write_utilisation(), 4);
    out << ',' << fixed(s.hairpin.hairpin_mpps(), 4) << ',' << fixed(s.hairpin.hairpin_gbytes_per_s(), 4) << ','
        << fixed(s.hairpin.memcpy_gbytes_per_s(), 4) << ',' << fixed(s.hairpin.fraction_of_memcpy(), 4) << '\n';
  }
}

// gnuplot reads bench.csv by column name; two panels sharing the frame-size axis.
void write_plot_script(const fs::path& path, const fs::path& csv, const fs::path& svg, const std::string& title) {
  std::ofstream out(path);
  if (!out) throw Error("cannot write " + path.string());
  out << "# Generated by `smartnic bench`; run: gnuplot " << path.filename().string() << "\n"
      << "set terminal svg size 800,900 dynamic font 'sans,12' background rgb 'white'\n"
      << "set output '" << svg.string() << "'\n"
      << "set datafile separator ','\n"
      << "set key autotitle columnhead\n"
      << "set logscale x 2\n"
      << "set xrange [56:11000]\n"
      << "set xtics ('64' 64, '128' 128, '256' 256, '512' 512, '1024' 1024, '1500' 1500, '9000' 9000)\n"
      << "set grid\n"
      << "set xtics rotate by -30\n"
      << "set key inside right bottom vertical Left reverse box opaque\n"
      << "line_mpps(x) = 100e3 / ((x + 20) * 8)\n"
      << "line_gbps(x) = 100 * x / (x + 20)\n"
      << "set multiplot layout 2,1 title '" << title << "'\n"
      << "set ylabel 'Gbit/s of frames (with FCS)'\n"
      << "set yrange [0:*]\n"
      << "plot line_gbps(x) title '100 GbE line rate' with lines dt 2 lw 2 lc rgb 'black', \\\n"
      << "  '" << csv.string() << "' using 1:'tx_gbps' title 'TX, runtime in the loop' with linespoints pt 7 ps 1.2 lw 3 lc rgb '#1f77b4', \\\n"
      << "  '' using 1:'alone_gbps' title 'TX, NIC alone (ring kept full)' with linespoints pt 4 ps 1.6 lw 2 dt 3 lc rgb '#2ca02c', \\\n"
      << "  '' using 1:'rx_gbps' title 'RX delivered (offered at line rate)' with linespoints pt 9 ps 1.2 lw 2 lc rgb '#d62728'\n"
      << "set xlabel 'Ethernet frame size in bytes (with FCS)'\n"
      << "set ylabel 'Mpps'\n"
      << "set logscale y 10\n"
      << "set key inside left bottom\n"
      << "set yrange [1:200]\n"
      << "plot line_mpps(x) title '100 GbE line rate' with lines dt 2 lw 2 lc rgb 'black', \\\n"
      << "  '" << csv.string() << "' using 1:'tx_mpps' title 'TX, runtime in the loop' with linespoints pt 7 ps 1.2 lw 3 lc rgb '#1f77b4', \\\n"
      << "  '' using 1:'alone_mpps' title 'TX, NIC alone (ring kept full)' with linespoints pt 4 ps 1.6 lw 2 dt 3 lc rgb '#2ca02c', \\\n"
      << "  '' using 1:'rx_mpps' title 'RX delivered (offered at line rate)' with linespoints pt 9 ps 1.2 lw 2 lc rgb '#d62728'\n"
      << "unset multiplot\n";
}

// One table of the human-readable report, printed as text (stdout) or Markdown (bench.md).
struct Section {
  std::string title;
  std::vector<std::string> headers;
  std::vector<bool> numeric;  // right-aligned columns
  std::vector<std::vector<std::string>> rows;
};

void print_markdown(std::ostream& out, const Section& s) {
  out << "\n" << s.title << "\n\n|";
  for (const auto& h : s.headers) out << ' ' << h << " |";
  out << "\n|";
  for (std::size_t c = 0; c < s.headers.size(); ++c) out << (c < s.numeric.size() && s.numeric[c] ? "---:|" : "---|");
  out << '\n';
  for (const auto& r : s.rows) {
    out << '|';
    for (const auto& cell : r) out << ' ' << cell << " |";
    out << '\n';
  }
}

// Runs gnuplot on the script in `dir` (no shell; the child changes directory, this process
// does not). Returns an empty string on success, else why not.
std::string run_gnuplot(const fs::path& dir, const fs::path& script) {
  const std::string prog = "gnuplot", arg = script.string(), where = dir.string();
  std::vector<char*> argv{const_cast<char*>(prog.c_str()), const_cast<char*>(arg.c_str()), nullptr};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addchdir_np(&actions, where.c_str());
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, prog.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    return "cannot run gnuplot (" + std::string(std::strerror(rc)) +
           "): install it (apt-get install gnuplot-nox, part of scripts/install-deps.sh)";
  }
  int status = 0;
  if (waitpid(pid, &status, 0) < 0) return "waiting for gnuplot failed";
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return "gnuplot failed on " + (dir / script).string() + " (exit status " + std::to_string(WEXITSTATUS(status)) +
           "; 127: gnuplot not found, install gnuplot-nox)";
  }
  return "";
}

}  // namespace

int bench_command(const std::vector<std::string>& args) {
  std::string out_dir = "bench-results";
  bool quick = false, json_out = false, no_plot = false;
  std::string sizes_text = "64,128,256,512,1024,1500,9000";
  NicBenchConfig cfg;

  po::options_description opts("smartnic bench options");
  opts.add_options()
      ("help,h", "show these options")
      ("out", po::value(&out_dir)->default_value(out_dir), "folder for bench.json, bench.csv, throughput.svg")
      ("quick", po::bool_switch(&quick), "a short smoke run (a twentieth of the traffic): less precise figures")
      ("json", po::bool_switch(&json_out), "print bench.json on stdout instead of the tables")
      ("sizes", po::value(&sizes_text)->default_value(sizes_text), "Ethernet frame sizes in bytes, with FCS")
      ("mem-latency-ns", po::value(&cfg.mem_read_latency_ns)->default_value(1000), "simulated host memory read latency")
      ("seed", po::value(&cfg.seed)->default_value(1), "random seed (traffic and simulator)")
      ("no-plot", po::bool_switch(&no_plot), "do not run gnuplot (the script is still written)");
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(opts).run(), vm);
    po::notify(vm);
  } catch (po::error& e) {
    std::cerr << "smartnic bench: " << po_error_text(e) << "\n" << opts;
    return 2;
  }
  if (vm.count("help")) {
    std::cout << "usage: smartnic bench [options]\n"
                 "Measures TX/RX throughput of the simulated NIC (simulated cycles at 250 MHz), host\n"
                 "hairpin against memcpy, the VM-IP table and the simulator's speed; see docs/benchmarks.md.\n"
              << opts;
    return 0;
  }
  cfg.quick = quick;
  const std::vector<std::size_t> sizes = parse_size_list(sizes_text, "--sizes");
  for (const std::size_t size : sizes) check_frame_size(size);  // before minutes of simulation
  const fs::path dir(out_dir);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw Error("cannot create the output folder " + dir.string() + ": " + ec.message());

  const auto t_start = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count(); };
  auto progress = [&](const std::string& what) {
    std::cerr << "bench: [" << fixed(elapsed(), 1) << " s] " << what << std::endl;
  };

  std::vector<SizeResult> results;
  double sim_cycles = 0, sim_seconds = 0, sim_cpu_seconds = 0;
  for (const std::size_t size : sizes) {
    SizeResult s;
    s.frame_bytes = size;
    progress(std::to_string(size) + " B: TX through the runtime");
    s.tx = tx_runtime(cfg, size);
    progress(std::to_string(size) + " B: TX, NIC alone");
    s.alone = tx_nic_alone(cfg, size);
    sim_cycles += static_cast<double>(s.alone.cycles);
    sim_seconds += static_cast<double>(s.alone.cycles) / std::max(1.0, s.alone.sim_cycles_per_second);
    sim_cpu_seconds += static_cast<double>(s.alone.cycles) / std::max(1.0, s.alone.sim_cycles_per_cpu_second);
    progress(std::to_string(size) + " B: RX at line rate");
    s.rx = rx_line_rate(cfg, size);
    progress(std::to_string(size) + " B: host hairpin and memcpy");
    s.hairpin = hairpin_vs_memcpy(size, quick);
    results.push_back(s);
  }
  // The checked model (the RTL's assertions compiled in: what the tests run) over the NIC-alone
  // windows of the smallest and the largest frame: its speed, and proof that it is the same NIC
  // (the same frames in the same cycles as the fast model the figures come from).
  double checked_cycles = 0, checked_cpu_seconds = 0;
  std::vector<const SizeResult*> checked_sizes{&results.front()};
  if (results.size() > 1) checked_sizes.push_back(&results.back());
  for (const SizeResult* s : checked_sizes) {
    progress(std::to_string(s->frame_bytes) + " B: TX, NIC alone, checked model");
    NicBenchConfig checked = cfg;
    checked.assertions = true;
    const NicAloneResult r = tx_nic_alone(checked, s->frame_bytes);
    if (r.frames != s->alone.frames || r.cycles != s->alone.cycles) {
      throw Error("the checked and the fast NIC model disagree at " + std::to_string(s->frame_bytes) + " B: " +
                  std::to_string(r.frames) + " frames in " + std::to_string(r.cycles) + " cycles against " +
                  std::to_string(s->alone.frames) + " in " + std::to_string(s->alone.cycles));
    }
    checked_cycles += static_cast<double>(r.cycles);
    checked_cpu_seconds += static_cast<double>(r.cycles) / std::max(1.0, r.sim_cycles_per_cpu_second);
  }
  const double checked_speed = checked_cpu_seconds > 0 ? checked_cycles / checked_cpu_seconds : 0;
  progress("VM-IP table placement");
  std::vector<TableResult> tables{table_fill("random", cfg.seed), table_fill("contiguous", cfg.seed)};
  progress("VM-IP table lookups on the Verilated table");
  const TableTiming timing = measure_table_timing();
  // The model's speed over every NIC-alone window: simulated cycles per second of CPU time (the
  // target's meaning: what the model does with a core) and per wall-clock second (what this run
  // saw, lower when other processes share the machine).
  const double sim_speed = sim_cpu_seconds > 0 ? sim_cycles / sim_cpu_seconds : 0;
  const double sim_speed_wall = sim_seconds > 0 ? sim_cycles / sim_seconds : 0;
  const std::vector<Target> tgt = targets(results, sim_speed);

  Json root = Json::object();
  root.set("schema", "smartnic-bench/1");
  root.set("tool_version", SMARTNIC_VERSION);
  {
    const std::time_t now = std::time(nullptr);
    char when[32];
    std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
    root.set("generated_utc", std::string(when));
  }
  Json conf = Json::object();
  conf.set("clock_mhz", num(cfg.clock_mhz));
  conf.set("mem_read_latency_ns", cfg.mem_read_latency_ns);
  conf.set("seed", cfg.seed);
  conf.set("quick", quick);
  conf.set("line_rate_gbps", num(kLineRateGbps));
  conf.set("register_map_version", std::to_string(regs::kVersion >> 16) + "." + std::to_string(regs::kVersion & 0xFFFF));
  conf.set("host_cores", std::thread::hardware_concurrency());
  root.set("config", conf);
  Json arr = Json::array();
  for (const auto& s : results) arr.push(size_json(s));
  root.set("sizes", arr);
  Json tab = Json::array();
  for (const auto& t : tables) tab.push(table_json(t, timing));
  root.set("table", tab);
  Json sim = Json::object();
  sim.set("cycles_per_cpu_second", num(sim_speed));
  sim.set("cycles_per_second", num(sim_speed_wall));
  sim.set("cycles_measured", static_cast<std::uint64_t>(sim_cycles));
  sim.set("model", "fast (no RTL assertions)");
  sim.set("checked_cycles_per_cpu_second", num(checked_speed));
  sim.set("checked_cycles_measured", static_cast<std::uint64_t>(checked_cycles));
  root.set("simulator", sim);
  Json tj = Json::array();
  for (const auto& t : tgt) {
    Json o = Json::object();
    o.set("name", t.name);
    o.set("target", t.target);
    o.set("measured", t.measured);
    o.set("met", t.met);
    tj.push(o);
  }
  root.set("targets", tj);

  const fs::path csv = dir / "bench.csv", json = dir / "bench.json", svg = dir / "throughput.svg",
                 gp = dir / "throughput.gp";
  write_csv(csv, results);
  // The plot script names the CSV relative to itself, so DIR can be moved and the plot redone.
  write_plot_script(gp, csv.filename(), svg.filename(),
                    "smartnic: throughput vs frame size (" + fixed(cfg.clock_mhz, 0) + " MHz, " +
                        std::to_string(cfg.mem_read_latency_ns) + " ns memory latency" + (quick ? ", --quick" : "") + ")");
  std::string plot_error;
  if (!no_plot) plot_error = run_gnuplot(dir, gp.filename());  // in DIR: the script's names are relative
  root.set("run_seconds", num(elapsed()));
  {
    std::ofstream out(json);
    if (!out) throw Error("cannot write " + json.string() + ": check that the --out folder is writable");
    pretty(out, root);
    out << '\n';
  }
  if (!plot_error.empty()) std::cerr << "smartnic bench: warning: no plot: " << plot_error << '\n';

  // The same tables for people: on stdout, and as Markdown in DIR/bench.md for the docs.
  std::vector<Section> sections;
  {
    Section t{"TX (VM -> port): through the runtime (Switch, 4 VMs) and the NIC alone (one ring kept full); "
              "bus = AXI bytes per cycle / 64",
              {"frame B", "line Mpps", "TX Mpps", "Gbit/s", "of line", "cyc/frame", "rd bus", "wr bus", "alone Mpps",
               "of line", "cyc/frame", "rd bus"},
              std::vector<bool>(12, true),
              {}};
    for (const auto& s : results) {
      t.rows.push_back({std::to_string(s.frame_bytes), fixed(line_rate_mpps(s.frame_bytes), 2), fixed(s.tx.mpps(), 2),
                        fixed(s.tx.gbps(), 1), percent(s.tx.line_fraction()), fixed(s.tx.cycles_per_frame(), 2),
                        percent(s.tx.bus.read_utilisation()), percent(s.tx.bus.write_utilisation()),
                        fixed(s.alone.mpps(), 2), percent(s.alone.line_fraction()), fixed(s.alone.cycles_per_frame(), 2),
                        percent(s.alone.bus.read_utilisation())});
    }
    sections.push_back(std::move(t));
  }
  {
    Section t{"RX (port -> 4 VMs, frames offered at 100 GbE line rate, drops counted by the NIC)",
              {"frame B", "offered", "offered Mpps", "delivered", "Mpps", "Gbit/s", "of line", "cyc/frame",
               "rx_overflow", "rx_no_buffer", "other", "wr bus"},
              std::vector<bool>(12, true),
              {}};
    for (const auto& s : results) {
      t.rows.push_back({std::to_string(s.frame_bytes), std::to_string(s.rx.offered), fixed(s.rx.offered_mpps, 2),
                        std::to_string(s.rx.frames), fixed(s.rx.mpps(), 2), fixed(s.rx.gbps(), 1),
                        percent(s.rx.line_fraction()), fixed(s.rx.cycles_per_frame(), 2),
                        std::to_string(s.rx.drops_overflow), std::to_string(s.rx.drops_no_buffer),
                        std::to_string(s.rx.drops_other), percent(s.rx.bus.write_utilisation())});
    }
    sections.push_back(std::move(t));
  }
  {
    Section t{"Host hairpin (runtime delivery: reap, check, copy, recycle; one core; median batch of 64, best of " +
                  std::to_string(quick ? 2 : 5) + " runs; memcpy of the same bytes between the same buffers in the same run)",
              {"frame B", "datagram B", "hairpin Mpps", "GB/s", "memcpy GB/s", "of memcpy"},
              std::vector<bool>(6, true),
              {}};
    for (const auto& s : results) {
      t.rows.push_back({std::to_string(s.frame_bytes), std::to_string(s.hairpin.datagram_bytes),
                        fixed(s.hairpin.hairpin_mpps(), 2), fixed(s.hairpin.hairpin_gbytes_per_s(), 2),
                        fixed(s.hairpin.memcpy_gbytes_per_s(), 2), percent(s.hairpin.fraction_of_memcpy())});
    }
    sections.push_back(std::move(t));
  }
  {
    Section t{"VM-IP table (host placement, NIC geometry " + std::to_string(regs::TABLE_WAYS) + " x " +
                  std::to_string(regs::TABLE_BUCKETS) + " + " + std::to_string(regs::TABLE_STASH) +
                  "; lookups measured on the Verilated table)",
              {"keys", "slots", "held at 1st failure", "load", "writes/insert to 90 %", "register writes", "max writes",
               "placement ns/insert", "lookup latency", "lookups/cycle"},
              {false, true, true, true, true, true, true, true, true, true},
              {}};
    for (const auto& tr : tables) {
      t.rows.push_back({tr.keys, std::to_string(tr.capacity), std::to_string(tr.inserted), percent(tr.load_factor),
                        fixed(tr.writes_per_insert_90, 3), fixed(tr.register_writes_per_insert_90, 2),
                        std::to_string(tr.max_writes), fixed(tr.placement_ns_per_insert, 0),
                        std::to_string(timing.lookup_latency_cycles) + " cycles", fixed(timing.lookups_per_cycle, 3)});
    }
    sections.push_back(std::move(t));
  }
  {
    Section t{"Simulator (Verilated full NIC, over the NIC-alone windows; the checked model at the smallest and "
              "largest frame)",
              {"model", "M cycles per CPU second", "M cycles per wall second", "cycles measured"},
              {false, true, true, true},
              {{"fast (no RTL assertions)", fixed(sim_speed / 1e6, 3), fixed(sim_speed_wall / 1e6, 3),
                std::to_string(static_cast<std::uint64_t>(sim_cycles))},
               {"checked (assertions on)", fixed(checked_speed / 1e6, 3), "",
                std::to_string(static_cast<std::uint64_t>(checked_cycles))}}};
    sections.push_back(std::move(t));
  }
  {
    Section t{"Targets (reported, not enforced)", {"target", "goal", "measured", "met"}, {false, false, false, false}, {}};
    for (const auto& tg : tgt) t.rows.push_back({tg.name, tg.target, tg.measured, tg.met ? "yes" : "NO"});
    sections.push_back(std::move(t));
  }
  const std::string header = "smartnic bench: " + fixed(cfg.clock_mhz, 0) + " MHz, " +
                             std::to_string(cfg.mem_read_latency_ns) + " ns host-memory read latency" +
                             (quick ? ", --quick (less precise)" : "") +
                             "; frame size = Ethernet frame with FCS; rates from simulated cycles";
  const fs::path md = dir / "bench.md";
  {
    std::ofstream out(md);
    if (!out) throw Error("cannot write " + md.string() + ": check that the --out folder is writable");
    out << "<!-- Generated by `smartnic bench` (" << root["generated_utc"].as_string() << "); see docs/benchmarks.md -->\n"
        << header << ".\n";
    for (const auto& sec : sections) print_markdown(out, sec);
  }

  if (json_out) {
    pretty(std::cout, root);
    std::cout << '\n';
    return 0;
  }
  std::cout << header << "\n";
  for (const auto& sec : sections) {
    std::cout << '\n' << sec.title << '\n';
    TextTable t(sec.headers, sec.numeric);
    for (const auto& r : sec.rows) t.row(r);
    t.print(std::cout);
  }
  std::cout << "\nwrote " << json.string() << ", " << csv.string() << ", " << md.string() << ", " << gp.string()
            << (plot_error.empty() && !no_plot ? ", " + svg.string() : std::string()) << " in " << fixed(elapsed(), 1)
            << " s\n";
  return 0;
}

}  // namespace smartnic::cli
