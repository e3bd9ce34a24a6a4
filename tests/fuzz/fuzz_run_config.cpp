// The `smartnic run --config FILE` parser: the input is the whole file (NAME = VALUE lines,
// boost::program_options' config format, the same option names as the command line), parsed
// and checked by parse_run_options (host/cli/run_options.hpp) with nothing made. Contract
// checked: bad files are UsageError or ConfigError with a message, nothing else; an accepted
// file gives at least one VM with unique names and addresses, namespace addresses in the test
// ranges, and the command line wins over the file for single options.
#include <set>

#include "control_cli.hpp"
#include "fuzz_check.hpp"
#include "run_options.hpp"
#include "smartnic/endpoints/netns.hpp"
#include "smartnic/errors.hpp"

using namespace smartnic;
using namespace smartnic::cli;

namespace {

std::optional<RunOptions> parse(const std::vector<std::string>& args) {
  try {
    return parse_run_options(args);
  } catch (const UsageError& e) {
    FUZZ_CHECK(*e.what() != '\0' && !e.usage.empty(), "a usage error has a message and a usage text");
  } catch (const ConfigError& e) {
    FUZZ_CHECK(*e.what() != '\0', "a config error has a message");
  }
  return std::nullopt;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const fuzz::MemFile file(fuzz::bytes(data, size));
  const auto o = parse({"--config", file.path()});
  if (!o || o->help) return 0;
  FUZZ_CHECK(!o->specs.empty(), "at least one VM");
  std::set<std::string> names;
  std::set<std::uint32_t> addresses;
  for (const auto& s : o->specs) {
    FUZZ_CHECK(names.insert(s.name).second, "VM names are unique");
    for (const auto& a : s.addresses) FUZZ_CHECK(addresses.insert(a.value()).second, "addresses are unique");
    if (s.has_netns()) {
      for (const auto& p : s.prefixes) {
        const auto q = endpoints::Ipv4Prefix::parse(p);
        FUZZ_CHECK(q.length >= 24 && endpoints::in_test_ranges(q.address), "namespace addresses stay in the test ranges");
      }
    }
  }
  // The command line wins for single options: the same file with --mtu 1234 given too.
  const auto o2 = parse({"--mtu", "1234", "--config", file.path()});
  FUZZ_CHECK(o2 && o2->mtu == 1234 && o2->specs.size() == o->specs.size(), "the command line wins over the file");
  return 0;
}
