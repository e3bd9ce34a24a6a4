// pcap files as `smartnic run` reads them (--vm NAME=pcap:IN:ADDR, --external pcap:IN): the
// hand-written reader (host/endpoints/src/pcap.cpp) and PcapEndpoint::read, on a whole file.
// Contract checked:
//  - a bad file is smartnic::Error naming the file, never another exception or a crash;
//  - no record is larger than the reader's bound (256 KiB), timestamps are what the header
//    fields say;
//  - what PcapEndpoint::read hands on is an IPv4 datagram (version 4, at least 20 bytes) and
//    its counters add up (datagrams + dropped == records read);
//  - records written by PcapWriter and read back are equal (writer/reader round trip).
#include <filesystem>
#include <optional>

#include "fuzz_check.hpp"
#include "smartnic/endpoints/pcap.hpp"
#include "smartnic/errors.hpp"

using namespace smartnic;
using namespace smartnic::endpoints;

namespace {

constexpr std::size_t kMaxRecord = 256 * 1024;
constexpr std::size_t kMaxRecords = 4096;  // bounds the time per input, not the reader

// Every record, or nullopt when the reader threw (the exception's message is checked).
std::optional<std::vector<PcapRecord>> read_all(const std::string& path, std::uint32_t* linktype, bool* nano) {
  std::vector<PcapRecord> out;
  try {
    PcapReader r(path);
    *linktype = r.linktype();
    *nano = r.nanosecond();
    while (auto rec = r.next()) {
      FUZZ_CHECK(rec->data.size() <= kMaxRecord, "records are bounded");
      out.push_back(std::move(*rec));
      if (out.size() >= kMaxRecords) break;
    }
  } catch (const Error& e) {
    FUZZ_CHECK(std::string_view(e.what()).find(path) != std::string_view::npos, "errors name the file");
    return std::nullopt;
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const fuzz::MemFile file(fuzz::bytes(data, size));
  std::uint32_t linktype = 0;
  bool nano = false;
  const auto records = read_all(file.path(), &linktype, &nano);

  // The endpoint, as a VM: only IPv4 datagrams come out.
  try {
    PcapEndpointConfig c;
    c.input = file.path();
    PcapEndpoint ep(c);
    std::size_t n = 0;
    while (auto d = ep.read()) {
      FUZZ_CHECK(d->size() >= kIpv4HeaderBytes && (std::to_integer<unsigned>((*d)[0]) >> 4) == 4,
                 "PcapEndpoint::read hands on IPv4 datagrams only");
      if (++n >= kMaxRecords) break;
    }
    const auto k = ep.counters();
    FUZZ_CHECK(k.read_datagrams == n, "read_datagrams counts what was handed on");
    if (records && records->size() < kMaxRecords) {
      FUZZ_CHECK(k.read_datagrams + k.read_dropped == records->size(), "every record is handed on or counted dropped");
    }
  } catch (const Error&) {
    // Same file: a reader error or an unsupported link type, both smartnic::Error.
  }

  if (!records) return 0;
  // Writer -> reader round trip of what was read (timestamps beyond 32-bit seconds cannot be
  // written and are left out).
  const auto dir = std::filesystem::temp_directory_path();
  const auto out = dir / ("fuzz_pcap_" + std::to_string(::getpid()) + ".pcap");
  {
    PcapWriter w(out, static_cast<PcapLinkType>(linktype), nano);
    for (const auto& r : *records) w.write(r.data, r.timestamp);
  }
  std::uint32_t lt2 = 0;
  bool nano2 = false;
  const auto again = read_all(out.string(), &lt2, &nano2);
  std::filesystem::remove(out);
  FUZZ_CHECK(again && lt2 == linktype && nano2 == nano && again->size() == records->size(), "round trip: same header and count");
  for (std::size_t i = 0; i < records->size(); ++i) {
    const auto& a = (*records)[i];
    const auto& b = (*again)[i];
    const bool truncated = a.data.size() > 65535;  // the writer's snaplen
    FUZZ_CHECK(truncated || a.data == b.data, "round trip: same bytes");
    FUZZ_CHECK(a.timestamp == b.timestamp || a.timestamp.count() < 0 ||
                   a.timestamp >= std::chrono::seconds(std::uint64_t{1} << 32),
               "round trip: same timestamp");
  }
  return 0;
}
