#include "smartnic/refmodel.hpp"

#include <sstream>
#include <stdexcept>

namespace smartnic::refmodel {

namespace {
unsigned byte_at(std::span<const std::byte> d, std::size_t i) { return std::to_integer<unsigned>(d[i]); }
}  // namespace

std::string Prediction::to_string() const {
  switch (verdict) {
    case regs::Verdict::EXTERNAL:
      return "EXTERNAL";
    case regs::Verdict::HAIRPIN:
      return "HAIRPIN(" + std::to_string(dst_vm) + ")";
    case regs::Verdict::DROP:
      return "DROP(" + std::string(regs::kDropReasonNames.at(static_cast<unsigned>(reason))) + ")";
    case regs::Verdict::DELIVER:
      return "DELIVER(" + std::to_string(dst_vm) + ")";
  }
  return "verdict " + std::to_string(static_cast<unsigned>(verdict));
}

Prediction external() { return {regs::Verdict::EXTERNAL, 0, regs::DropReason::NONE}; }
Prediction hairpin(unsigned vm) { return {regs::Verdict::HAIRPIN, vm, regs::DropReason::NONE}; }
Prediction drop(regs::DropReason reason) { return {regs::Verdict::DROP, 0, reason}; }

std::optional<unsigned> ReferenceModel::owner(std::uint32_t ipv4) const {
  const auto it = owners_.find(ipv4);
  if (it == owners_.end()) return std::nullopt;
  return it->second;
}

Prediction ReferenceModel::predict(std::span<const std::byte> d, unsigned src_vm) const {
  const std::size_t len = d.size();
  if (len < regs::MIN_DATAGRAM || len > regs::MAX_DATAGRAM) return drop(regs::DropReason::DESC_LEN);
  const unsigned version = byte_at(d, 0) >> 4;
  const unsigned ihl = byte_at(d, 0) & 0xF;
  if (version != 4) return drop(regs::DropReason::IP_VERSION);
  if (ihl < 5 || ihl * 4 > len) return drop(regs::DropReason::IP_IHL);
  const std::size_t total = (byte_at(d, 2) << 8) | byte_at(d, 3);
  if (total != len) return drop(regs::DropReason::IP_LEN);
  // RFC 1071 over the header, written out here rather than borrowed from the runtime so that
  // the model stays independent of the code it checks.
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < std::size_t{ihl} * 4; i += 2) sum += (byte_at(d, i) << 8) | byte_at(d, i + 1);
  while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
  if (sum != 0xFFFF) return drop(regs::DropReason::IP_CHECKSUM);
  const std::uint32_t src = (std::uint32_t{byte_at(d, 12)} << 24) | (byte_at(d, 13) << 16) |
                            (byte_at(d, 14) << 8) | byte_at(d, 15);
  if (owner(src) != src_vm) return drop(regs::DropReason::SPOOFED_SRC);
  const std::uint32_t dst = (std::uint32_t{byte_at(d, 16)} << 24) | (byte_at(d, 17) << 16) |
                            (byte_at(d, 18) << 8) | byte_at(d, 19);
  if (const auto vm = owner(dst)) return hairpin(*vm);
  return external();
}

std::uint32_t parse_ipv4(const std::string& text) {
  std::istringstream in(text);
  std::uint32_t value = 0;
  for (int i = 0; i < 4; ++i) {
    unsigned part = 256;
    char dot = '.';
    if (i > 0 && !(in >> dot)) throw std::invalid_argument("bad IPv4 address: " + text);
    if (dot != '.' || !(in >> part) || part > 255) throw std::invalid_argument("bad IPv4 address: " + text);
    value = (value << 8) | part;
  }
  if (in.peek() != std::char_traits<char>::eof()) throw std::invalid_argument("bad IPv4 address: " + text);
  return value;
}

}  // namespace smartnic::refmodel
