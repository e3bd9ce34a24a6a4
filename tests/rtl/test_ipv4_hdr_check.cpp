// Unit tests of the IPv4 header check: every field the NIC reads, and each way a header
// can be refused (version, IHL, total length vs. the descriptor length, header checksum).
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>

#include "Vipv4_hdr_check.h"
#include "smartnic/regs.hpp"
#include "verilated.h"

namespace {

using smartnic::regs::DropReason;

// A header of up to 60 bytes (IHL 15). The checksum is filled in by eval() unless the test
// asks for the header exactly as written.
struct Header {
  std::array<std::uint8_t, 60> b{};
  Header(std::uint16_t total_len, std::uint32_t src, std::uint32_t dst) {
    b[0] = 0x45;
    b[1] = 0x10;
    b[2] = total_len >> 8;
    b[3] = total_len & 0xff;
    b[4] = 0x12;
    b[5] = 0x34;
    b[8] = 64;
    b[9] = 17;
    for (int i = 0; i < 4; i++) {
      b[12 + i] = src >> (24 - 8 * i);
      b[16 + i] = dst >> (24 - 8 * i);
    }
  }
  unsigned ihl() const { return b[0] & 0xF; }
  // RFC 1071 over IHL*4 bytes (at least 20), written big-endian into bytes 10..11.
  void set_checksum() {
    b[10] = b[11] = 0;
    std::uint32_t sum = 0;
    const unsigned bytes = std::max(20u, std::min(60u, ihl() * 4));
    for (unsigned i = 0; i < bytes; i += 2) sum += std::uint32_t(b[i]) << 8 | b[i + 1];
    while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
    const auto c = std::uint16_t(~sum);
    b[10] = c >> 8;
    b[11] = c & 0xff;
  }
};

class HdrCheck : public ::testing::Test {
 protected:
  VerilatedContext ctx;
  Vipv4_hdr_check m{&ctx};

  void eval(Header h, std::uint16_t buf_len) {
    h.set_checksum();
    eval_raw(h, buf_len);
  }
  void eval_raw(const Header& h, std::uint16_t buf_len, bool en = true) {
    for (int w = 0; w < 15; w++) {
      std::uint32_t v = 0;
      for (int i = 0; i < 4; i++) v |= std::uint32_t(h.b[4 * w + i]) << (8 * i);
      m.hdr[w] = v;
    }
    m.buf_len = buf_len;
    m.en = en;
    m.eval();
  }
  DropReason reason() const { return static_cast<DropReason>(m.reason); }
};

TEST_F(HdrCheck, ParsesEveryField) {
  Header h(1500, 0xC0000201, 0xC6336407);
  h.b[8] = 17;
  h.b[9] = 6;
  eval(h, 1500);
  EXPECT_EQ(m.version, 4);
  EXPECT_EQ(m.ihl, 5);
  EXPECT_EQ(m.total_len, 1500);
  EXPECT_EQ(m.ttl, 17);
  EXPECT_EQ(m.protocol, 6);
  EXPECT_EQ(m.src, 0xC0000201u);
  EXPECT_EQ(m.dst, 0xC6336407u);
  EXPECT_EQ(reason(), DropReason::NONE);
}

TEST_F(HdrCheck, EveryBadVersionIsRefused) {
  for (int v = 0; v < 16; v++) {
    Header h(100, 1, 2);
    h.b[0] = std::uint8_t(v << 4 | 5);
    eval(h, 100);
    EXPECT_EQ(reason(), v == 4 ? DropReason::NONE : DropReason::IP_VERSION) << "version " << v;
  }
}

TEST_F(HdrCheck, IhlBelowFiveOrBeyondTheDatagramIsRefused) {
  for (int ihl = 0; ihl < 16; ihl++) {
    Header h(40, 1, 2);
    h.b[0] = std::uint8_t(0x40 | ihl);
    eval(h, 40);
    DropReason want = (ihl < 5 || ihl * 4 > 40) ? DropReason::IP_IHL : DropReason::NONE;
    EXPECT_EQ(reason(), want) << "ihl " << ihl;
  }
}

TEST_F(HdrCheck, TotalLengthMustEqualDescriptorLength) {
  for (std::uint16_t len : {20, 21, 64, 1500, 9000}) {
    for (int delta : {-1, 0, 1}) {
      Header h(std::uint16_t(len + delta), 1, 2);
      eval(h, len);
      EXPECT_EQ(reason(), delta == 0 ? DropReason::NONE : DropReason::IP_LEN)
          << "len " << len << " delta " << delta;
    }
  }
}

TEST_F(HdrCheck, VersionIsCheckedBeforeLength) {
  Header h(99, 1, 2);
  h.b[0] = 0x65;  // IPv6 nibble and a wrong length: the version is the reason reported
  eval(h, 100);
  EXPECT_EQ(reason(), DropReason::IP_VERSION);
}

TEST_F(HdrCheck, EverySingleBitErrorIsCaughtByTheChecksum) {
  // Bits of fields checked earlier (version, IHL, total length) report those reasons instead;
  // every other bit of a 20-byte header must fail the checksum.
  Header good(100, 0xC0000201, 0xCB007105);
  good.set_checksum();
  for (int bit = 0; bit < 160; bit++) {
    const int byte = bit / 8;
    if (byte == 0 || byte == 2 || byte == 3) continue;
    Header h = good;
    h.b[byte] ^= std::uint8_t(1 << (bit % 8));
    eval_raw(h, 100);
    EXPECT_EQ(reason(), DropReason::IP_CHECKSUM) << "bit " << bit;
  }
}

TEST_F(HdrCheck, ChecksumCoversExactlyTheOptions) {
  for (unsigned ihl = 5; ihl <= 15; ihl++) {
    Header h(200, 1, 2);
    h.b[0] = std::uint8_t(0x40 | ihl);
    for (unsigned i = 20; i < 60; i++) h.b[i] = std::uint8_t(0x11 * i);  // options and beyond
    h.set_checksum();
    eval_raw(h, 200);
    EXPECT_EQ(reason(), DropReason::NONE) << "ihl " << ihl;
    if (ihl < 15) {  // a byte past the header must not matter
      h.b[ihl * 4] ^= 0xFF;
      eval_raw(h, 200);
      EXPECT_EQ(reason(), DropReason::NONE) << "byte after the header, ihl " << ihl;
      h.b[ihl * 4] ^= 0xFF;
    }
    if (ihl > 5) {  // the last option byte must
      h.b[ihl * 4 - 1] ^= 0x01;
      eval_raw(h, 200);
      EXPECT_EQ(reason(), DropReason::IP_CHECKSUM) << "last option byte, ihl " << ihl;
    }
  }
}

TEST_F(HdrCheck, WithoutEnableTheChecksumIsNotEvaluated) {
  // The callers take `reason` only with `en`; without it the adder tree is skipped and a good
  // header reads as a checksum error, while the fields and the earlier checks still hold.
  Header h(100, 0xC0000201, 0xCB007105);
  h.set_checksum();
  eval_raw(h, 100, false);
  EXPECT_EQ(reason(), DropReason::IP_CHECKSUM);
  EXPECT_EQ(m.dst, 0xCB007105u);
  eval_raw(h, 101, false);
  EXPECT_EQ(reason(), DropReason::IP_LEN);
  eval_raw(h, 100, true);
  EXPECT_EQ(reason(), DropReason::NONE);
}

TEST_F(HdrCheck, ChecksumWithCarriesAndAllOnesWords) {
  // Addresses of all ones make the sum wrap several times (end-around carry).
  Header h(9000, 0xFFFFFFFF, 0xFFFFFFFE);
  h.b[4] = h.b[5] = h.b[6] = h.b[7] = 0xFF;
  h.b[8] = h.b[9] = 0xFF;
  eval(h, 9000);
  EXPECT_EQ(reason(), DropReason::NONE);
}

TEST_F(HdrCheck, LengthIsCheckedBeforeChecksum) {
  Header h(100, 1, 2);
  h.set_checksum();
  h.b[3] = 101;  // the checksum is now wrong too: the length is the reason reported
  eval_raw(h, 100);
  EXPECT_EQ(reason(), DropReason::IP_LEN);
}

}  // namespace
