// Address text as users type it on the command line, in config files and in control requests:
// Ipv4Address::parse (host/src/ipv4.cpp), Ipv4Prefix::parse and parse_mac (endpoints). The
// input is one word. Contract checked:
//  - success or ConfigError (with a message naming the text), nothing else;
//  - accepted text is four decimal parts 0..255 (resp. A/0..32, six hex pairs with ':');
//  - to_string() parses back to the same value, and is canonical (to_string is a fixed point);
//  - Ipv4Prefix: network() is inside the prefix and contains() agrees with the mask.
#include <algorithm>
#include <cctype>

#include "fuzz_check.hpp"
#include "smartnic/endpoints/ethernet.hpp"
#include "smartnic/endpoints/netns.hpp"
#include "smartnic/ipv4.hpp"

using namespace smartnic;
using namespace smartnic::endpoints;

namespace {

bool only(std::string_view s, std::string_view allowed) { return s.find_first_not_of(allowed) == std::string_view::npos; }

void check_address(std::string_view t) {
  Ipv4Address a;
  try {
    a = Ipv4Address::parse(t);
  } catch (const ConfigError& e) {
    FUZZ_CHECK(std::string_view(e.what()).find("invalid IPv4 address '") == 0, "the error quotes the text");
    return;
  }
  FUZZ_CHECK(!t.empty() && only(t, "0123456789.") && std::count(t.begin(), t.end(), '.') == 3,
             "accepted text is digits and three dots");
  const std::string s = a.to_string();
  FUZZ_CHECK(Ipv4Address::parse(s) == a, "parse(to_string(a)) == a");
  FUZZ_CHECK(Ipv4Address::parse(s).to_string() == s, "to_string is canonical");
}

void check_prefix(std::string_view t) {
  Ipv4Prefix p;
  try {
    p = Ipv4Prefix::parse(t);
  } catch (const ConfigError&) {
    return;
  }
  FUZZ_CHECK(p.length <= 32, "prefix length 0..32");
  const auto q = Ipv4Prefix::parse(p.to_string());
  FUZZ_CHECK(q.address == p.address && q.length == p.length, "parse(to_string(p)) == p");
  FUZZ_CHECK(p.contains(p.address) && p.contains(p.network()), "a prefix contains its address and network");
  const std::uint32_t mask = p.length == 0 ? 0 : ~std::uint32_t{0} << (32 - p.length);
  FUZZ_CHECK(p.network().value() == (p.address.value() & mask), "network() is the address under the mask");
  // The safety rule for endpoints: anything accepted lies inside a documentation range.
  try {
    require_test_prefix(p, "fuzz");
    FUZZ_CHECK(p.length >= 24 && in_test_ranges(p.address), "test prefixes are /24 or longer inside the test ranges");
  } catch (const ConfigError&) {
  }
}

void check_mac(std::string_view t) {
  MacAddress m;
  try {
    m = parse_mac(t);
  } catch (const ConfigError&) {
    return;
  }
  FUZZ_CHECK(t.size() == 17, "a MAC is 17 characters");
  const std::string s = mac_to_string(m);
  FUZZ_CHECK(parse_mac(s) == m, "parse_mac(mac_to_string(m)) == m");
  std::string lower(t);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  FUZZ_CHECK(lower == s, "mac_to_string gives the accepted text in lower case");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view t = fuzz::text(data, size);
  check_address(t);
  check_prefix(t);
  check_mac(t);
  return 0;
}
