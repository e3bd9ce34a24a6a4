// Unit tests of the IPv4 header check: every field the NIC reads, and each way a header
// can be refused (version, IHL, total length vs. the descriptor length).
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <memory>

#include "Vipv4_hdr_check.h"
#include "smartnic/regs.hpp"
#include "verilated.h"

namespace {

using smartnic::regs::DropReason;

struct Header {
  std::array<std::uint8_t, 20> b{};
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
};

class HdrCheck : public ::testing::Test {
 protected:
  VerilatedContext ctx;
  Vipv4_hdr_check m{&ctx};

  void eval(const Header& h, std::uint16_t buf_len) {
    for (int w = 0; w < 5; w++) {
      std::uint32_t v = 0;
      for (int i = 0; i < 4; i++) v |= std::uint32_t(h.b[4 * w + i]) << (8 * i);
      m.hdr[w] = v;
    }
    m.buf_len = buf_len;
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

}  // namespace
