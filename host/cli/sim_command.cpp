// `smartnic sim`: the traffic scenario (smartnic/scenario.hpp) on the Verilated NIC.
#include <boost/program_options.hpp>
#include <cstdint>
#include <cstring>
#include <iomanip>
#include <iostream>
#include <optional>
#include <unistd.h>

#include "commands.hpp"
#include "po_error.hpp"
#include "report.hpp"
#include "size_range.hpp"
#include "smartnic/errors.hpp"
#include "smartnic/scenario.hpp"

#if defined(SMARTNIC_HAVE_SIM) && __has_include(<smartnic/sim_device.hpp>)
#include <smartnic/sim_device.hpp>
#define SMARTNIC_SIM_AVAILABLE 1
#endif

namespace po = boost::program_options;

namespace smartnic::cli {

namespace {

#ifdef SMARTNIC_SIM_AVAILABLE
// take_tx_frames() returns some container of byte containers; copy them as std::byte.
template <typename Frames>
std::vector<std::vector<std::byte>> to_bytes(const Frames& frames) {
  std::vector<std::vector<std::byte>> out;
  for (const auto& f : frames) {
    const auto bytes = std::as_bytes(std::span(f));
    out.emplace_back(bytes.begin(), bytes.end());
  }
  return out;
}
#endif

}  // namespace

int sim_command(const std::vector<std::string>& args) {
  ScenarioConfig sc;
  std::string size = "64:1500";
  std::uint32_t latency_ns = 1000;
  double clock_mhz = 250.0;
  std::string trace;
  std::string pcap;
  std::string rx_pcap;
  std::uint64_t drain_us = 50'000;
  bool progress = false;
  bool fast_model = false;
  std::uint64_t progress_every = 0;

  po::options_description opts("smartnic sim options");
  opts.add_options()
      ("help,h", "show these options")
      ("vms", po::value(&sc.vms)->default_value(4), "number of VMs; VM i has address 192.0.2.(10+i)")
      ("datagrams", po::value(&sc.datagrams)->default_value(1000), "datagrams the VMs send in total")
      ("ingress", po::value(&sc.ingress)->default_value(0),
       "datagrams external hosts send to the VMs through the network port")
      ("size", po::value(&size)->default_value("64:1500"), "datagram length MIN[:MAX] in bytes")
      ("external-fraction", po::value(&sc.external_fraction)->default_value(0.3, "0.3"),
       "share sent to 198.51.100.0/24 and 203.0.113.0/24")
      ("malformed-fraction", po::value(&sc.malformed_fraction)->default_value(0.02, "0.02"),
       "share with a bad length, version, IHL, total length or header checksum, or a spoofed source")
      ("mem-latency-ns", po::value(&latency_ns)->default_value(1000), "host memory read latency")
      ("clock-mhz", po::value(&clock_mhz)->default_value(250.0), "NIC clock")
      ("seed", po::value(&sc.seed)->default_value(1), "random seed (traffic and simulator)")
      ("tx-ring-log2", po::value(&sc.tx_ring_log2)->default_value(8), "log2 of TX ring entries per VM")
      ("input-ring-log2", po::value(&sc.input_ring_log2)->default_value(8),
       "log2 of hairpin input buffers per VM")
      ("drain-timeout-us", po::value(&drain_us)->default_value(50'000),
       "device time to wait for the last completions")
      ("trace", po::value(&trace), "write an FST waveform to this file")
      ("pcap", po::value(&pcap), "write the frames leaving the network port to this pcap file")
      ("rx-pcap", po::value(&rx_pcap), "write the frames entering the network port to this pcap file")
      ("fast-model", po::bool_switch(&fast_model),
       "the fast NIC model, without the RTL's assertions (about 1.7x faster; the default model checks them)")
      ("progress", po::bool_switch(&progress),
       "print progress lines to stderr (the default when stderr is a terminal)")
      ("progress-every", po::value(&progress_every)->default_value(0),
       "datagrams between progress lines (0 = a tenth of --datagrams, at least 100)");
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(opts).run(), vm);
    po::notify(vm);
  } catch (po::error& e) {
    std::cerr << "smartnic sim: " << po_error_text(e) << "\n" << opts;
    return 2;
  }
  if (vm.count("help")) {
    std::cout << opts;
    return 0;
  }
  std::tie(sc.size_min, sc.size_max) = parse_size_range(size, "--size");
  sc.drain_timeout = std::chrono::microseconds(drain_us);

  if (progress || ::isatty(STDERR_FILENO)) {
    sc.progress_every = progress_every ? progress_every : std::max<std::uint64_t>(100, sc.datagrams / 10);
  }

#ifdef SMARTNIC_SIM_AVAILABLE
  SimConfig simcfg;
  simcfg.clock_mhz = clock_mhz;
  simcfg.mem_read_latency_ns = latency_ns;
  simcfg.seed = sc.seed;
  simcfg.fst_path = trace;
  simcfg.pcap_path = pcap;
  simcfg.rx_pcap_path = rx_pcap;
  simcfg.assertions = !fast_model;
  SimDevice device(simcfg);
  std::cout << "device: " << device.describe() << '\n';
  // Progress goes to stderr so the report on stdout stays machine-comparable.
  sc.progress = [&device](std::uint64_t done, std::uint64_t total) {
    std::cerr << "sim: " << done << "/" << total << " datagrams handed over ("
              << (total ? 100 * done / total : 100) << "%), " << device.cycles() << " cycles" << std::endl;
  };
  std::uint64_t start_cycles = 0;  // after the switch's set-up (table clear, rings, VMs)
  sc.on_ready = [&] { start_cycles = device.cycles(); };
  const ScenarioResult result = run_scenario(
      device, sc, [&device] { return to_bytes(device.take_tx_frames()); },
      [&device](std::vector<std::byte> frame) {
        std::vector<std::uint8_t> f(frame.size());
        std::memcpy(f.data(), frame.data(), frame.size());
        device.inject_rx_frame(std::move(f));
      });
  print_report(std::cout, result);
  const auto cycles = static_cast<std::uint64_t>(device.cycles()) - start_cycles;
  std::cout << "simulated cycles (traffic, after set-up): " << cycles << ", cycles per datagram: " << std::fixed
            << std::setprecision(2)
            << (sc.datagrams ? static_cast<double>(cycles) / static_cast<double>(sc.datagrams) : 0.0) << '\n';
  return result.ok() ? 0 : 1;
#else
  (void)latency_ns;
  (void)clock_mhz;
  (void)pcap;
  (void)rx_pcap;
  std::cerr << "smartnic sim: this build has no simulation backend (smartnic_driver_sim / "
               "smartnic/sim_device.hpp were not found at build time); rebuild with the driver\n";
  return 1;
#endif
}

}  // namespace smartnic::cli
