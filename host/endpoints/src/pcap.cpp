#include "smartnic/endpoints/pcap.hpp"

#include <array>
#include <cerrno>
#include <cstring>

#include "bytes.hpp"
#include "smartnic/errors.hpp"

namespace smartnic::endpoints {
using namespace detail;

namespace {
constexpr std::uint32_t kMagicMicro = 0xa1b2c3d4;
constexpr std::uint32_t kMagicNano = 0xa1b23c4d;
constexpr std::uint32_t kMaxRecord = 256 * 1024;  // larger than any real snaplen

std::uint32_t bswap(std::uint32_t v) { return __builtin_bswap32(v); }
}  // namespace

// ---- writer --------------------------------------------------------------------------------

PcapWriter::PcapWriter(const std::filesystem::path& path, PcapLinkType linktype, bool nanosecond,
                       std::uint32_t snaplen)
    : out_(path, std::ios::binary | std::ios::trunc),
      path_(path),
      linktype_(linktype),
      nanosecond_(nanosecond),
      snaplen_(snaplen) {
  if (!out_) throw Error("cannot create " + path.string() + ": " + std::strerror(errno));
  std::array<std::byte, 24> h{};
  putle32(h, 0, nanosecond ? kMagicNano : kMagicMicro);
  putle16(h, 4, 2);
  putle16(h, 6, 4);
  putle32(h, 16, snaplen);
  putle32(h, 20, static_cast<std::uint32_t>(linktype));
  out_.write(reinterpret_cast<const char*>(h.data()), h.size());
  if (!out_) throw Error("cannot write " + path.string());
}

PcapWriter::~PcapWriter() { out_.flush(); }

void PcapWriter::write(std::span<const std::byte> data, std::chrono::nanoseconds timestamp) {
  const auto ns = timestamp.count() < 0 ? 0 : timestamp.count();
  const auto sec = static_cast<std::uint32_t>(ns / 1'000'000'000);
  const auto frac = static_cast<std::uint32_t>(nanosecond_ ? ns % 1'000'000'000
                                                           : (ns % 1'000'000'000) / 1000);
  const auto incl = static_cast<std::uint32_t>(std::min<std::size_t>(data.size(), snaplen_));
  std::array<std::byte, 16> h{};
  putle32(h, 0, sec);
  putle32(h, 4, frac);
  putle32(h, 8, incl);
  putle32(h, 12, static_cast<std::uint32_t>(data.size()));
  out_.write(reinterpret_cast<const char*>(h.data()), h.size());
  out_.write(reinterpret_cast<const char*>(data.data()), incl);
  if (!out_) throw Error("cannot write " + path_.string());
  ++records_;
}

void PcapWriter::write(std::span<const std::byte> data) {
  write(data, std::chrono::duration_cast<std::chrono::nanoseconds>(
                  std::chrono::system_clock::now().time_since_epoch()));
}

void PcapWriter::flush() {
  out_.flush();
  if (!out_) throw Error("cannot write " + path_.string());
}

// ---- reader --------------------------------------------------------------------------------

PcapReader::PcapReader(const std::filesystem::path& path)
    : in_(path, std::ios::binary), path_(path) {
  if (!in_) throw Error("cannot open " + path.string() + ": " + std::strerror(errno));
  std::array<std::byte, 24> h{};
  in_.read(reinterpret_cast<char*>(h.data()), h.size());
  if (in_.gcount() != static_cast<std::streamsize>(h.size())) {
    throw Error(path.string() + ": not a pcap file (shorter than the 24-byte header)");
  }
  const std::uint32_t magic = le32(h, 0);
  if (magic == kMagicMicro || magic == kMagicNano) {
    nanosecond_ = magic == kMagicNano;
  } else if (bswap(magic) == kMagicMicro || bswap(magic) == kMagicNano) {
    swapped_ = true;
    nanosecond_ = bswap(magic) == kMagicNano;
  } else {
    throw Error(path.string() + ": not a pcap file (magic " + std::to_string(magic) +
                "; pcapng is not supported)");
  }
  auto field = [&](std::size_t at) { return swapped_ ? bswap(le32(h, at)) : le32(h, at); };
  snaplen_ = field(16);
  linktype_ = field(20) & 0x0fffffff;  // upper bits: FCS length flags
}

std::optional<PcapRecord> PcapReader::next() {
  std::array<std::byte, 16> h{};
  in_.read(reinterpret_cast<char*>(h.data()), h.size());
  if (in_.gcount() == 0) return std::nullopt;
  const std::string where = path_.string() + " record " + std::to_string(index_);
  if (in_.gcount() != static_cast<std::streamsize>(h.size())) {
    throw Error(where + ": cut off in the record header");
  }
  auto field = [&](std::size_t at) { return swapped_ ? bswap(le32(h, at)) : le32(h, at); };
  const std::uint32_t sec = field(0);
  const std::uint32_t frac = field(4);
  const std::uint32_t incl = field(8);
  PcapRecord r;
  r.original_length = field(12);
  if (incl > kMaxRecord) throw Error(where + ": length " + std::to_string(incl) + " is absurd");
  r.timestamp = std::chrono::seconds(sec) +
                (nanosecond_ ? std::chrono::nanoseconds(frac) : std::chrono::microseconds(frac));
  r.data.resize(incl);
  in_.read(reinterpret_cast<char*>(r.data.data()), incl);
  if (in_.gcount() != static_cast<std::streamsize>(incl)) {
    throw Error(where + ": cut off (" + std::to_string(in_.gcount()) + " of " +
                std::to_string(incl) + " bytes)");
  }
  ++index_;
  return r;
}

std::optional<std::span<const std::byte>> pcap_ipv4(std::uint32_t linktype,
                                                    std::span<const std::byte> data) {
  switch (linktype) {
    case static_cast<std::uint32_t>(PcapLinkType::Ethernet):
      return ipv4_payload(data);
    case static_cast<std::uint32_t>(PcapLinkType::Raw):
    case static_cast<std::uint32_t>(PcapLinkType::Ipv4):
      if (data.size() >= kIpv4HeaderBytes && (std::to_integer<unsigned>(data[0]) >> 4) == 4) {
        return data;
      }
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

// ---- endpoint ------------------------------------------------------------------------------

PcapEndpoint::PcapEndpoint(PcapEndpointConfig config) : config_(std::move(config)) {
  if (config_.input) {
    reader_.emplace(*config_.input);
    const auto lt = reader_->linktype();
    if (lt != 1 && lt != 101 && lt != 228) {
      throw Error(config_.input->string() + ": link type " + std::to_string(lt) +
                  " not supported (1 Ethernet, 101 raw IP, 228 IPv4)");
    }
  }
  if (config_.output) writer_.emplace(*config_.output, config_.output_linktype);
}

std::optional<std::vector<std::byte>> PcapEndpoint::read() {
  if (!reader_ || input_done_) return std::nullopt;
  while (auto rec = reader_->next()) {
    const auto ip = rec->original_length == rec->data.size()
                        ? pcap_ipv4(reader_->linktype(), rec->data)
                        : std::nullopt;  // truncated by the capture: not a whole datagram
    if (!ip) {
      ++counters_.read_dropped;
      continue;
    }
    ++counters_.read_datagrams;
    counters_.read_bytes += ip->size();
    return std::vector<std::byte>(ip->begin(), ip->end());
  }
  input_done_ = true;
  return std::nullopt;
}

void PcapEndpoint::write(std::span<const std::byte> datagram) {
  if (!writer_) {
    ++counters_.write_dropped;
    return;
  }
  if (config_.output_linktype == PcapLinkType::Ethernet) {
    writer_->write(
        build_ethernet_frame(config_.vm_mac, config_.switch_mac, kEtherTypeIpv4, datagram));
  } else {
    writer_->write(datagram);
  }
  ++counters_.written_datagrams;
  counters_.written_bytes += datagram.size();
}

void PcapEndpoint::flush() {
  if (writer_) writer_->flush();
}

std::string PcapEndpoint::describe() const {
  std::string s = "pcap " + config_.name;
  if (config_.input) s += " from " + config_.input->string();
  if (config_.output) {
    s += " to " + config_.output->string() +
         (config_.output_linktype == PcapLinkType::Ethernet ? " (Ethernet)" : " (IPv4)");
  }
  return s;
}

}  // namespace smartnic::endpoints
