// The control protocol's JSON (host/src/control/json.cpp), one request line as a client or a
// broken client would send it. Contract checked:
//  - parse() either returns a value or throws JsonError (no other exception, no crash);
//  - dump() is one line without raw control characters (the wire format is '\n'-framed);
//  - dump() parses back to the same value, and dumping that gives the same text;
//  - valid UTF-8 in gives valid UTF-8 strings out (\u escapes included).
#include <cmath>

#include "fuzz_check.hpp"
#include "smartnic/control/json.hpp"

using smartnic::control::Json;
using smartnic::control::JsonError;

namespace {

// NaN and infinity have no JSON form and are dumped as null on purpose: such values do not
// round-trip and are left out of the equality check.
bool all_finite(const Json& j) {
  if (j.is_number() && !j.is_int()) return std::isfinite(j.as_double());
  if (j.is_array()) {
    for (const auto& e : j.as_array()) {
      if (!all_finite(e)) return false;
    }
  }
  if (j.is_object()) {
    for (const auto& [k, v] : j.as_object()) {
      if (!all_finite(v)) return false;
    }
  }
  return true;
}

bool strings_utf8(const Json& j) {
  if (j.is_string()) return smartnic::fuzz::valid_utf8(j.as_string());
  if (j.is_array()) {
    for (const auto& e : j.as_array()) {
      if (!strings_utf8(e)) return false;
    }
  }
  if (j.is_object()) {
    for (const auto& [k, v] : j.as_object()) {
      if (!smartnic::fuzz::valid_utf8(k) || !strings_utf8(v)) return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in = smartnic::fuzz::text(data, size);
  Json j;
  try {
    j = Json::parse(in);
  } catch (const JsonError& e) {
    FUZZ_CHECK(std::string_view(e.what()).find("bad JSON at byte ") == 0, "errors name the byte offset");
    return 0;
  }
  // Any other exception escapes and libFuzzer reports it as a crash.
  const std::string text = j.dump();
  for (const char c : text) {
    FUZZ_CHECK(static_cast<unsigned char>(c) >= 0x20, "dump() is one line with no raw control characters");
  }
  Json back;
  try {
    back = Json::parse(text);
  } catch (const JsonError& e) {
    FUZZ_CHECK(false, "dump() output must parse: " + std::string(e.what()) + " in " + text);
  }
  FUZZ_CHECK(back.dump() == text, "dump(parse(dump(v))) == dump(v)");
  if (all_finite(j)) FUZZ_CHECK(back == j, "parse(dump(v)) == v (types included): " + text);
  if (smartnic::fuzz::valid_utf8(in)) FUZZ_CHECK(strings_utf8(j), "valid UTF-8 in, valid UTF-8 strings out: " + text);
  return 0;
}
