// The control protocol as the server handles it (host/src/control/service.cpp): each input
// line is one request line from a client, handled by ControlService::handle_line on a Switch
// over the runtime tests' C++ NIC stand-in (tests/host/fake_nic.*), so the whole request path
// runs (JSON, field checks, VM and address changes, send) without a simulator. Contract checked:
//  - handle_line never throws and always answers {"ok":true,"result":...} or
//    {"ok":false,"error":"<non-empty>"}; the answer dumps to one line that parses back;
//  - the runtime's accounting invariant holds after every request, and the shadow table agrees
//    with the (fake) device's;
//  - a refused request changes nothing visible (VM list and address list are unchanged).
// Resource sizes are bounded here, not in the parser: ring sizes above 2^6 and send counts above
// 64 are lowered before the request is handled (the server allows them up to 2^15 and 100000;
// they only cost memory and time per input).
#include <memory>

#include "fake_nic.hpp"
#include "fuzz_check.hpp"
#include "smartnic/control/service.hpp"

using namespace smartnic;
using smartnic::control::Json;

namespace {

constexpr std::size_t kMaxLines = 32;

void bound(Json& req) {
  if (!req.is_object()) return;
  for (auto& [k, v] : req.as_object()) {
    if ((k == "tx_ring_log2" || k == "input_ring_log2") && v.is_int() && v.as_int() > 6 && v.as_int() <= 15) v = Json(6);
    if (k == "count" && v.is_int() && v.as_int() > 64) v = Json(64);
  }
}

std::string visible_state(control::ControlService& s) {
  return s.handle(Json::object().set("cmd", "vm.list")).dump() + s.handle(Json::object().set("cmd", "ip.list")).dump();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // A small table (4 ways x 256 buckets + stash) keeps the per-input setup short; placement
  // itself is the same code as with the NIC's 65,544 slots.
  test::FakeNic::Options nic_options;
  nic_options.table_entries = 4 * 256 + 8;
  test::FakeNic nic(nic_options);
  Switch sw(nic);
  control::ControlService service(sw);
  auto lines = fuzz::split_lines(fuzz::text(data, size));
  if (lines.size() > kMaxLines) lines.resize(kMaxLines);
  for (const auto& line : lines) {
    // Bounded copy of the request when it is JSON; otherwise the line goes in as it came.
    std::string request = line;
    try {
      Json j = Json::parse(line);
      bound(j);
      if (j.is_object()) request = j.dump();
    } catch (const control::JsonError&) {
    }
    const std::string before = visible_state(service);
    const Json answer = service.handle_line(request);  // must not throw
    FUZZ_CHECK(answer.is_object() && answer["ok"].is_bool(), "every answer has a boolean \"ok\"");
    if (answer["ok"].as_bool()) {
      FUZZ_CHECK(answer.find("result") != nullptr, "a success carries a result");
    } else {
      FUZZ_CHECK(answer["error"].is_string() && !answer["error"].as_string().empty(), "a refusal says why");
      // A refused request changes nothing the client can see (vm.del may leave a VM disabled
      // after a drain timeout, which the fake NIC never causes).
      FUZZ_CHECK(visible_state(service) == before, "a refused request changed the VMs or addresses: " + request);
    }
    const std::string wire = answer.dump();
    FUZZ_CHECK(wire.find('\n') == std::string::npos, "an answer is one line");
    FUZZ_CHECK(Json::parse(wire).dump() == wire, "the answer parses back");
    const auto errors = sw.check_accounting();
    FUZZ_CHECK(errors.empty(), "accounting: " + (errors.empty() ? std::string() : errors.front()));
    if (service.shutdown_requested()) break;
  }
  const Json dump = service.handle(Json::object().set("cmd", "table.dump"));
  FUZZ_CHECK(dump["ok"].as_bool() && dump["result"]["mismatches"].as_int() == 0, "the device table matches the shadow");
  return 0;
}
