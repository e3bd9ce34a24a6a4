// CompletionRing: reading runs of entries by their phase bit (peek), consuming them one by one
// (pop), the phase flip at each wrap. Entries are written into the ring's DMA memory by hand,
// as the NIC would.
#include <gtest/gtest.h>

#include <array>
#include <cstring>

#include "fake_nic.hpp"
#include "smartnic/completion_ring.hpp"

namespace smartnic {
namespace {

using test::FakeNic;
namespace cpl = regs::tx_cpl;

class CompletionRingTest : public ::testing::Test {
 protected:
  // Writes ring slot `slot` as the NIC does; `cookie` tells the entries apart.
  void write(std::size_t slot, std::uint32_t cookie, unsigned phase) {
    const auto e = nic_.dma(ring_.device_address() + slot * regs::CPL_BYTES, regs::CPL_BYTES);
    std::fill(e.begin(), e.end(), std::byte{0});
    for (unsigned i = 0; i < 4; ++i) e[cpl::COOKIE_BYTE + i] = static_cast<std::byte>(cookie >> (8 * i));
    e[cpl::RING_IDX_BYTE] = static_cast<std::byte>(slot);
    e[cpl::LEN_BYTE] = std::byte{0x34};
    e[cpl::LEN_BYTE + 1] = std::byte{0x12};
    e[cpl::SRC_VM_BYTE] = std::byte{3};
    e[cpl::DST_VM_BYTE] = std::byte{5};
    e[cpl::VERDICT_BYTE] = static_cast<std::byte>(regs::Verdict::HAIRPIN);
    e[cpl::REASON_BYTE] = std::byte{2};
    e[cpl::PHASE_BYTE] = static_cast<std::byte>(phase << 7);
  }

  FakeNic nic_;
  CompletionRing ring_{nic_, 2};  // 4 entries
  std::array<TxCompletion, 8> out_{};
};

TEST_F(CompletionRingTest, EmptyRingGivesNothing) { EXPECT_EQ(ring_.peek(out_), 0u); }

TEST_F(CompletionRingTest, ReadsEveryFieldOfARunWithoutConsumingIt) {
  write(0, 0xA0B0C0D0, 1);
  write(1, 0x11, 1);
  ASSERT_EQ(ring_.peek(out_), 2u);
  EXPECT_EQ(out_[0].cookie, 0xA0B0C0D0u);
  EXPECT_EQ(out_[0].ring_idx, 0u);
  EXPECT_EQ(out_[0].len, 0x1234u);
  EXPECT_EQ(out_[0].src_vm, 3u);
  EXPECT_EQ(out_[0].dst_vm, 5u);
  EXPECT_EQ(out_[0].verdict, static_cast<std::uint8_t>(regs::Verdict::HAIRPIN));
  EXPECT_EQ(out_[0].reason, 2u);
  EXPECT_EQ(out_[1].cookie, 0x11u);
  EXPECT_EQ(out_[1].ring_idx, 1u);
  EXPECT_EQ(ring_.peek(out_), 2u) << "peek consumed entries";
  ring_.pop();
  EXPECT_EQ(ring_.consumer(), 1u);
  ASSERT_EQ(ring_.peek(out_), 1u);
  EXPECT_EQ(out_[0].cookie, 0x11u);
}

TEST_F(CompletionRingTest, AtMostTheSpanGiven) {
  write(0, 1, 1);
  write(1, 2, 1);
  write(2, 3, 1);
  EXPECT_EQ(ring_.peek(std::span(out_).first(2)), 2u);
  EXPECT_EQ(ring_.peek(std::span(out_).first(0)), 0u);
}

TEST_F(CompletionRingTest, StopsAtTheFirstEntryNotWritten) {
  write(0, 1, 1);
  write(2, 3, 1);
  EXPECT_EQ(ring_.peek(out_), 1u);
}

TEST_F(CompletionRingTest, StopsAtTheWrapAndExpectsTheOtherPhaseAfterIt) {
  for (std::size_t s = 0; s < 4; ++s) write(s, static_cast<std::uint32_t>(s), 1);
  EXPECT_EQ(ring_.peek(out_), 4u);
  ring_.pop();
  ring_.pop();
  // Slots 0 and 1 are free again: the NIC writes them on its second pass, with phase 0.
  write(0, 4, 0);
  write(1, 5, 0);
  ASSERT_EQ(ring_.peek(out_), 2u) << "read past the end of the pass";
  EXPECT_EQ(out_[0].cookie, 2u);
  EXPECT_EQ(out_[1].cookie, 3u);
  ring_.pop();
  ring_.pop();
  ASSERT_EQ(ring_.peek(out_), 2u);
  EXPECT_EQ(out_[0].cookie, 4u);
  EXPECT_EQ(out_[1].cookie, 5u);
  ring_.pop();
  ring_.pop();
  EXPECT_EQ(ring_.peek(out_), 0u) << "a stale phase-1 entry of the first pass was taken as new";
}

TEST_F(CompletionRingTest, RestartForgetsEverything) {
  write(0, 1, 1);
  ring_.pop();
  ring_.restart();
  EXPECT_EQ(ring_.consumer(), 0u);
  EXPECT_EQ(ring_.peek(out_), 0u) << "restart zeroes the entries";
  write(0, 7, 1);
  EXPECT_EQ(ring_.peek(out_), 1u);
}

}  // namespace
}  // namespace smartnic
