// The parse step of `smartnic run`, apart from its execution: the command line and the
// --config file turned into checked specifications, with nothing made (no simulator, namespace
// or device) and nothing read from the machine except the config file. Separate so that the
// fuzz target (tests/fuzz/fuzz_cli_args.cpp) can run it on arbitrary input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "smartnic/ipv4.hpp"

namespace smartnic::cli {

enum class Kind { Tun, Tap, Gen, Pcap };

// One --vm NAME=KIND:ADDR.
struct VmSpec {
  std::string text;
  std::string name;
  Kind kind = Kind::Tun;
  std::vector<std::string> prefixes;  // "192.0.2.10/24", for the namespace
  std::vector<Ipv4Address> addresses;
  std::vector<Ipv4Address> gen_to;
  std::string pcap_in, pcap_out;
  bool has_netns() const { return kind == Kind::Tun || kind == Kind::Tap; }
};

// --external none | tap:ADDR | pcap:IN[:OUT]
struct ExternalSpec {
  enum class Kind { None, Tap, Pcap } kind = Kind::None;
  std::string prefix;  // tap: "198.51.100.1/24"
  Ipv4Address address;
  std::string in, out;  // pcap
};

// --exec WHO:COMMAND
struct ExecSpec {
  std::string who;
  std::string command;
};

struct RunOptions {
  bool help = false;  // --help: print `usage`, run nothing
  std::string usage;  // the synopsis and the option list
  std::vector<VmSpec> specs;
  ExternalSpec ext_spec;
  std::vector<ExecSpec> execs;
  std::string netns_prefix = "snic-", trace, pcap, rx_pcap;
  double duration = 0, gen_rate = 100, clock_mhz = 250.0;
  std::uint64_t gen_count = 0, seed = 1;
  std::uint32_t latency_ns = 1000;
  unsigned mtu = 1500;
  std::size_t gen_min = 64, gen_max = 1500;
  bool fast_model = false;  // --fast-model: SimConfig::assertions off
};

// Parses `args` (the words after `run`) and the --config file they name, and checks every value
// and their consistency (names and addresses unique, tun/tap/external addresses in the test
// ranges, --exec naming a namespace). Throws UsageError (control_cli.hpp: exit status 2 with
// the usage) for bad option syntax or no --vm, ConfigError (status 1) for bad values.
RunOptions parse_run_options(const std::vector<std::string>& args);

}  // namespace smartnic::cli
