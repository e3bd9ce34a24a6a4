// The classic pcap file format, read and written by hand (no libpcap): microsecond
// (0xa1b2c3d4) and nanosecond (0xa1b23c4d) magic in either byte order on read; little-endian
// on write. PcapEndpoint plays a VM from a capture: the file's datagrams are what the VM sends,
// and what the VM receives is written to another capture.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "smartnic/endpoints/endpoint.hpp"
#include "smartnic/endpoints/ethernet.hpp"

namespace smartnic::endpoints {

enum class PcapLinkType : std::uint32_t {
  Ethernet = 1,   // LINKTYPE_ETHERNET
  Raw = 101,      // LINKTYPE_RAW: IPv4 or IPv6, no link header
  Ipv4 = 228,     // LINKTYPE_IPV4: IPv4, no link header
};

struct PcapRecord {
  std::chrono::nanoseconds timestamp{0};  // since the epoch
  std::uint32_t original_length = 0;      // on the wire; > data.size() when truncated
  std::vector<std::byte> data;
};

class PcapWriter {
 public:
  // Creates/truncates `path` and writes the global header. Throws smartnic::Error on I/O error.
  PcapWriter(const std::filesystem::path& path, PcapLinkType linktype, bool nanosecond = true,
             std::uint32_t snaplen = 65535);
  ~PcapWriter();
  PcapWriter(const PcapWriter&) = delete;
  PcapWriter& operator=(const PcapWriter&) = delete;

  // Records longer than snaplen are truncated (original_length keeps the real length).
  void write(std::span<const std::byte> data, std::chrono::nanoseconds timestamp);
  void write(std::span<const std::byte> data);  // timestamp: now (system clock)
  void flush();
  std::uint64_t records() const { return records_; }
  PcapLinkType linktype() const { return linktype_; }

 private:
  std::ofstream out_;
  std::filesystem::path path_;
  PcapLinkType linktype_;
  bool nanosecond_;
  std::uint32_t snaplen_;
  std::uint64_t records_ = 0;
};

class PcapReader {
 public:
  // Opens and checks the global header. Throws smartnic::Error naming the file and the problem.
  explicit PcapReader(const std::filesystem::path& path);
  std::uint32_t linktype() const { return linktype_; }
  bool nanosecond() const { return nanosecond_; }
  // Next record, nullopt at the end. Throws smartnic::Error on a cut-off or absurd record.
  std::optional<PcapRecord> next();

 private:
  std::ifstream in_;
  std::filesystem::path path_;
  bool swapped_ = false;
  bool nanosecond_ = false;
  std::uint32_t linktype_ = 0;
  std::uint32_t snaplen_ = 0;
  std::uint64_t index_ = 0;
};

// The IPv4 datagram in a record of the given link type (Ethernet: EtherType IPv4, padding
// trimmed; Raw/IPv4: version 4), or nullopt.
std::optional<std::span<const std::byte>> pcap_ipv4(std::uint32_t linktype,
                                                    std::span<const std::byte> data);

struct PcapEndpointConfig {
  std::string name = "pcap";
  std::optional<std::filesystem::path> input;   // datagrams the VM sends (read())
  std::optional<std::filesystem::path> output;  // datagrams the VM receives (write())
  PcapLinkType output_linktype = PcapLinkType::Ipv4;
  // For Ethernet output: synthetic header switch_mac -> vm_mac, EtherType IPv4.
  MacAddress vm_mac{0x02, 0x00, 0x00, 0x00, 0x01, 0x0a};
  MacAddress switch_mac{0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
};

// read() returns the input file's IPv4 datagrams in order (other records: counted in
// read_dropped, skipped), then nullopt for good; write() appends a record (flushed on flush()
// and destruction). Link types read: 1, 101, 228.
class PcapEndpoint : public Endpoint {
 public:
  explicit PcapEndpoint(PcapEndpointConfig config);
  std::optional<std::vector<std::byte>> read() override;
  void write(std::span<const std::byte> datagram) override;
  std::string name() const override { return config_.name; }
  std::string describe() const override;
  EndpointCounters counters() const override { return counters_; }

  bool input_done() const { return !reader_ || input_done_; }
  void flush();

 private:
  PcapEndpointConfig config_;
  std::optional<PcapReader> reader_;
  std::optional<PcapWriter> writer_;
  bool input_done_ = false;
  EndpointCounters counters_;
};

}  // namespace smartnic::endpoints
