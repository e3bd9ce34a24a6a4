// The reference model's rules, on hand-built datagrams (no runtime code involved).
#include <gtest/gtest.h>

#include <vector>

#include "smartnic/refmodel.hpp"

namespace smartnic::refmodel {
namespace {

constexpr std::uint32_t kSender = 0xC000020A;  // 192.0.2.10, VM 0's address in these tests

// A header-only datagram with a correct checksum over IHL*4 bytes (when IHL allows one).
std::vector<std::byte> datagram(std::size_t len, std::uint32_t dst, int version_ihl = 0x45,
                                std::uint32_t src = kSender) {
  std::vector<std::byte> d(len);
  if (len >= 20) {
    d[0] = static_cast<std::byte>(version_ihl);
    d[2] = static_cast<std::byte>(len >> 8);
    d[3] = static_cast<std::byte>(len);
    for (int i = 0; i < 4; ++i) {
      d[12 + i] = static_cast<std::byte>(src >> (24 - 8 * i));
      d[16 + i] = static_cast<std::byte>(dst >> (24 - 8 * i));
    }
    const std::size_t hdr = std::size_t(version_ihl & 0xF) * 4;
    if (hdr >= 20 && hdr <= len) {
      std::uint32_t sum = 0;
      for (std::size_t i = 0; i < hdr; i += 2)
        sum += std::to_integer<std::uint32_t>(d[i]) << 8 | std::to_integer<std::uint32_t>(d[i + 1]);
      while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
      d[10] = static_cast<std::byte>(~sum >> 8);
      d[11] = static_cast<std::byte>(~sum);
    }
  }
  return d;
}

TEST(RefModel, RulesInOrder) {
  ReferenceModel m;
  const auto vm_addr = parse_ipv4("192.0.2.11");
  m.set_owner(vm_addr, 1);
  m.set_owner(kSender, 0);
  const auto ext = parse_ipv4("198.51.100.1");
  EXPECT_EQ(m.predict(datagram(64, vm_addr), 0), hairpin(1));
  EXPECT_EQ(m.predict(datagram(64, ext), 0), external());
  EXPECT_EQ(m.predict(datagram(19, ext), 0), drop(regs::DropReason::DESC_LEN));
  EXPECT_EQ(m.predict(datagram(9001, ext), 0), drop(regs::DropReason::DESC_LEN));
  EXPECT_EQ(m.predict(datagram(9000, ext), 0), external());
  EXPECT_EQ(m.predict(datagram(20, ext), 0), external());
  EXPECT_EQ(m.predict(datagram(64, ext, 0x65), 0), drop(regs::DropReason::IP_VERSION));
  EXPECT_EQ(m.predict(datagram(64, ext, 0x64), 0), drop(regs::DropReason::IP_VERSION)) << "version before IHL";
  EXPECT_EQ(m.predict(datagram(64, ext, 0x44), 0), drop(regs::DropReason::IP_IHL));
  EXPECT_EQ(m.predict(datagram(20, ext, 0x46), 0), drop(regs::DropReason::IP_IHL)) << "header longer than datagram";
  EXPECT_EQ(m.predict(datagram(24, ext, 0x46), 0), external());
  auto bad_len = datagram(64, ext);
  bad_len[3] = std::byte{65};
  EXPECT_EQ(m.predict(bad_len, 0), drop(regs::DropReason::IP_LEN));
  auto bad_sum = datagram(64, ext);
  bad_sum[12] ^= std::byte{0x80};
  EXPECT_EQ(m.predict(bad_sum, 0), drop(regs::DropReason::IP_CHECKSUM));
  EXPECT_EQ(m.predict(datagram(64, ext, 0x45, vm_addr), 0), drop(regs::DropReason::SPOOFED_SRC)) << "VM 1's address";
  EXPECT_EQ(m.predict(datagram(64, ext, 0x45, ext), 0), drop(regs::DropReason::SPOOFED_SRC)) << "nobody's address";
  EXPECT_EQ(m.predict(datagram(64, kSender, 0x45, vm_addr), 1), hairpin(0)) << "VM 1 sending as itself";
  m.remove(vm_addr);
  EXPECT_EQ(m.predict(datagram(64, vm_addr), 0), external());
}

TEST(RefModel, NamesAndParsing) {
  EXPECT_EQ(hairpin(3).to_string(), "HAIRPIN(3)");
  EXPECT_EQ(drop(regs::DropReason::IP_LEN).to_string(), "DROP(ip_len)");
  EXPECT_EQ(parse_ipv4("192.0.2.1"), 0xC0000201u);
  EXPECT_THROW(parse_ipv4("192.0.2"), std::invalid_argument);
  EXPECT_THROW(parse_ipv4("192.0.2.256"), std::invalid_argument);
  EXPECT_THROW(parse_ipv4("192.0.2.1x"), std::invalid_argument);
}

}  // namespace
}  // namespace smartnic::refmodel
