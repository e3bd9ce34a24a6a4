// The `smartnic` CLI's parse step (host/cli), without running anything: one word per input
// line. A first word naming a control command goes to parse_control (control_cli.cpp: the words
// become a protocol request); "run" goes to parse_run_options (run_options.hpp: checked
// specifications of `smartnic run`, nothing made). Contract checked:
//  - bad input is UsageError (exit status 2) or ConfigError (status 1) with a message,
//    nothing else;
//  - parse_control: --help, or a request object whose "cmd" is a protocol command and which
//    survives the wire (dump -> parse gives the same request), and a socket path;
//  - parse_size_range / parse_size_list (`sim --size`, `run --gen-size`, `bench --sizes`), for a
//    first word "size" / "sizes": only digit strings (of at most 9) are sizes, and a result
//    prints back as its input;
//  - parse_run_options: at least one VM, names and addresses unique, tun/tap VM addresses in the
//    test ranges (the safety rule), every --exec names a namespace.
#include <set>

#include "control_cli.hpp"
#include "fuzz_check.hpp"
#include "run_options.hpp"
#include "size_range.hpp"
#include "smartnic/endpoints/netns.hpp"
#include "smartnic/errors.hpp"

using namespace smartnic;
using namespace smartnic::cli;

namespace {

constexpr std::size_t kMaxWords = 64;

void check_control(const std::vector<std::string>& words) {
  ControlInvocation inv;
  try {
    inv = parse_control(words);
  } catch (const UsageError& e) {
    FUZZ_CHECK(*e.what() != '\0' && !e.usage.empty(), "a usage error has a message and a usage text");
    return;
  } catch (const ConfigError& e) {
    FUZZ_CHECK(*e.what() != '\0', "a config error has a message");
    return;
  }
  if (inv.help) {
    FUZZ_CHECK(inv.usage.rfind("usage: smartnic ", 0) == 0, "--help gives the command's usage");
    return;
  }
  static const std::set<std::string> kCmds = {"vm.add", "vm.del", "vm.list", "ip.add", "ip.del", "ip.list", "stats",
                                              "table.dump", "traffic.start", "traffic.stop", "send", "info", "nic.reset",
                                              "shutdown"};
  FUZZ_CHECK(inv.request.is_object() && inv.request["cmd"].is_string() && kCmds.count(inv.request["cmd"].as_string()),
             "the request names a protocol command");
  FUZZ_CHECK(!inv.socket.empty(), "a socket path is always chosen");
  const std::string wire = inv.request.dump();
  FUZZ_CHECK(wire.find('\n') == std::string::npos, "the request is one line on the wire");
  FUZZ_CHECK(control::Json::parse(wire).dump() == wire, "the request survives the wire");
}

void check_run(const std::vector<std::string>& args) {
  RunOptions o;
  try {
    o = parse_run_options(args);
  } catch (const UsageError& e) {
    FUZZ_CHECK(*e.what() != '\0' && !e.usage.empty(), "a usage error has a message and a usage text");
    return;
  } catch (const ConfigError& e) {
    FUZZ_CHECK(*e.what() != '\0', "a config error has a message");
    return;
  }
  if (o.help) return;
  FUZZ_CHECK(!o.specs.empty(), "at least one VM");
  std::set<std::string> names;
  std::set<std::uint32_t> addresses;
  for (const auto& s : o.specs) {
    FUZZ_CHECK(names.insert(s.name).second && s.name != "ext", "VM names are unique and not 'ext'");
    FUZZ_CHECK(!s.addresses.empty() && s.addresses.size() == s.prefixes.size(), "each VM has addresses");
    for (const auto& a : s.addresses) FUZZ_CHECK(addresses.insert(a.value()).second, "addresses are unique");
    if (s.has_netns()) {
      for (const auto& p : s.prefixes) {
        const auto q = endpoints::Ipv4Prefix::parse(p);
        FUZZ_CHECK(q.length >= 24 && endpoints::in_test_ranges(q.address), "namespace addresses stay in the test ranges");
      }
    }
  }
  for (const auto& e : o.execs) {
    FUZZ_CHECK(!e.who.empty() && !e.command.empty(), "--exec has a WHO and a COMMAND");
    const bool vm_ns = names.count(e.who) != 0;
    FUZZ_CHECK(vm_ns || (e.who == "ext" && o.ext_spec.kind == ExternalSpec::Kind::Tap), "--exec runs in a namespace the run makes");
  }
  FUZZ_CHECK(o.duration >= 0, "--duration is not negative");
}

bool all_digits(const std::string& s) {
  return !s.empty() && s.size() <= 9 && s.find_first_not_of("0123456789") == std::string::npos;
}

void check_sizes(const std::string& text, bool list) {
  try {
    if (list) {
      const auto v = parse_size_list(text, "--sizes");
      std::string back;
      for (std::size_t i = 0; i < v.size(); i++) back += (i ? "," : "") + std::to_string(v[i]);
      std::string canon;  // the input without leading zeros
      std::size_t start = 0;
      for (std::size_t i = 0; i <= text.size(); i++) {
        if (i == text.size() || text[i] == ',') {
          const std::string part = text.substr(start, i - start);
          FUZZ_CHECK(all_digits(part), "a size list item is digits only");
          canon += (start ? "," : "") + std::to_string(std::stoul(part));
          start = i + 1;
        }
      }
      FUZZ_CHECK(back == canon, "a size list prints back as its input");
    } else {
      const auto [lo, hi] = parse_size_range(text, "--size");
      const auto colon = text.find(':');
      const std::string a = text.substr(0, colon), b = colon == std::string::npos ? a : text.substr(colon + 1);
      FUZZ_CHECK(all_digits(a) && all_digits(b), "a size range is digits only");
      FUZZ_CHECK(lo == std::stoul(a) && hi == std::stoul(b), "a size range is its input's numbers");
    }
  } catch (const ConfigError& e) {
    FUZZ_CHECK(*e.what() != '\0', "a config error has a message");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto words = fuzz::split_lines(fuzz::text(data, size));
  if (words.size() > kMaxWords) words.resize(kMaxWords);
  if ((words.front() == "size" || words.front() == "sizes") && words.size() >= 2) {
    check_sizes(words[1], words.front() == "sizes");
  } else if (words.front() == "run") {
    // Options that would read files are the config target's business: --config here would read
    // whatever path the fuzzer invents.
    for (const auto& w : words) {
      if (w.find("config") != std::string::npos) return 0;
    }
    check_run({words.begin() + 1, words.end()});
  } else {
    check_control(words);
  }
  return 0;
}
