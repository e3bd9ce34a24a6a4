#include "smartnic/sim/pcap_writer.hpp"

#include <algorithm>
#include <stdexcept>

namespace smartnic::sim {

PcapWriter::PcapWriter(const std::string& path) : out_(path, std::ios::binary | std::ios::trunc) {
  if (!out_) throw std::runtime_error("cannot create pcap file '" + path + "'");
  // Fields in little-endian byte order; readers detect the order from the magic number.
  put32(kMagicNanoseconds);
  put16(2);  // version 2.4
  put16(4);
  put32(0);  // thiszone: UTC
  put32(0);  // sigfigs
  put32(kSnapLen);
  put32(kLinktypeEthernet);
  out_.flush();
}

void PcapWriter::put32(std::uint32_t v) {
  const char b[4] = {char(v & 0xFF), char((v >> 8) & 0xFF), char((v >> 16) & 0xFF), char(v >> 24)};
  out_.write(b, 4);
}

void PcapWriter::put16(std::uint16_t v) {
  const char b[2] = {char(v & 0xFF), char(v >> 8)};
  out_.write(b, 2);
}

void PcapWriter::write(std::uint64_t time_ns, std::span<const std::uint8_t> frame) {
  const auto incl = static_cast<std::uint32_t>(std::min<std::size_t>(frame.size(), kSnapLen));
  put32(static_cast<std::uint32_t>(time_ns / 1'000'000'000ULL));
  put32(static_cast<std::uint32_t>(time_ns % 1'000'000'000ULL));
  put32(incl);
  put32(static_cast<std::uint32_t>(frame.size()));
  out_.write(reinterpret_cast<const char*>(frame.data()), incl);
  // Flushed per record so that a crashed or killed simulation still leaves a readable file.
  out_.flush();
  ++records_;
  if (!out_) throw std::runtime_error("pcap write failed");
}

}  // namespace smartnic::sim
