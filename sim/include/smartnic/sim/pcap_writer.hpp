// Minimal writer of the classic libpcap file format (what tcpdump -w writes), linktype
// Ethernet, so that frames leaving the simulated port open in Wireshark/tcpdump. Written by
// hand to avoid a libpcap dependency; nanosecond timestamps (magic 0xa1b23c4d) because the
// simulated clock period is a few ns.
#pragma once

#include <cstdint>
#include <fstream>
#include <span>
#include <string>

namespace smartnic::sim {

class PcapWriter {
 public:
  static constexpr std::uint32_t kMagicNanoseconds = 0xa1b23c4d;
  static constexpr std::uint32_t kLinktypeEthernet = 1;
  static constexpr std::uint32_t kSnapLen = 65535;

  // Creates/truncates `path` and writes the file header; throws std::runtime_error on failure.
  explicit PcapWriter(const std::string& path);
  // One record; `time_ns` is the capture time (simulated time since reset).
  void write(std::uint64_t time_ns, std::span<const std::uint8_t> frame);
  void flush() { out_.flush(); }
  std::uint64_t records() const { return records_; }

 private:
  void put32(std::uint32_t v);
  void put16(std::uint16_t v);
  std::ofstream out_;
  std::uint64_t records_ = 0;
};

}  // namespace smartnic::sim
