// Unit tests of the Ethernet framer: for EVERY datagram length from 20 to 9000 bytes the
// frame on the output is the 14-byte header followed by the datagram byte for byte, with
// contiguous tkeep and one tlast, under random back-pressure on both sides.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <random>
#include <vector>

#include "Veth_framer.h"
#include "verilated.h"

namespace {

constexpr std::uint64_t kMacDst = 0x02'00'5e'10'00'01ull;
constexpr std::uint64_t kMacSrc = 0x02'53'4e'49'43'00ull;

struct Frame {
  std::vector<std::uint8_t> bytes;
  bool aborted = false;
};

class Framer {
 public:
  explicit Framer(unsigned seed) : rng_(seed), m_(std::make_unique<Veth_framer>(&ctx_)) {
    m_->mac_dst = kMacDst;
    m_->mac_src = kMacSrc;
    m_->rst = 1;
    tick();
    tick();
    m_->rst = 0;
  }

  // Sends the datagrams with random gaps and collects the frames with random stalls.
  std::vector<Frame> run(const std::vector<std::vector<std::uint8_t>>& datagrams,
                         const std::vector<bool>& abort, double in_p, double out_p) {
    std::vector<Frame> frames;
    Frame cur;
    std::size_t d = 0, off = 0;
    std::uniform_real_distribution<double> u(0, 1);
    for (std::uint64_t cycle = 0; cycle < 100'000'000; cycle++) {
      // Drive the input for this cycle.
      bool have = d < datagrams.size() && u(rng_) < in_p;
      m_->i_valid = have;
      if (have) {
        const auto& dg = datagrams[d];
        std::size_t n = std::min<std::size_t>(64, dg.size() - off);
        for (int w = 0; w < 16; w++) m_->i_data[w] = 0;
        for (std::size_t i = 0; i < n; i++) m_->i_data[i / 4] |= std::uint32_t(dg[off + i]) << (8 * (i % 4));
        m_->i_keep = n == 64 ? ~0ull : ((1ull << n) - 1);
        m_->i_last = off + n == dg.size();
        m_->i_user = m_->i_last && abort[d];
      }
      m_->o_ready = u(rng_) < out_p;
      m_->eval();
      bool in_fire = m_->i_valid && m_->i_ready;
      bool out_fire = m_->o_valid && m_->o_ready;
      if (out_fire) {
        std::uint64_t keep = m_->o_keep;
        EXPECT_NE(keep, 0u);
        EXPECT_EQ(keep & (keep + 1), 0u) << "tkeep not contiguous from byte 0";
        if (!m_->o_last) EXPECT_EQ(keep, ~0ull) << "partial beat before tlast";
        for (int i = 0; i < 64 && (keep >> i & 1); i++)
          cur.bytes.push_back(std::uint8_t(m_->o_data[i / 4] >> (8 * (i % 4))));
        if (m_->o_last) {
          cur.aborted = m_->o_user;
          frames.push_back(std::move(cur));
          cur = Frame{};
        } else {
          EXPECT_FALSE(m_->o_user) << "tuser set before tlast";
        }
      }
      if (in_fire) {
        off += 64;
        if (off >= datagrams[d].size()) {
          d++;
          off = 0;
        }
      }
      tick();
      if (frames.size() == datagrams.size()) break;
    }
    return frames;
  }

 private:
  void tick() {
    m_->clk = 0;
    m_->eval();
    m_->clk = 1;
    m_->eval();
  }
  std::mt19937 rng_;
  VerilatedContext ctx_;
  std::unique_ptr<Veth_framer> m_;
};

std::vector<std::uint8_t> expected_frame(const std::vector<std::uint8_t>& dg) {
  std::vector<std::uint8_t> f;
  for (int i = 5; i >= 0; i--) f.push_back(std::uint8_t(kMacDst >> (8 * i)));
  for (int i = 5; i >= 0; i--) f.push_back(std::uint8_t(kMacSrc >> (8 * i)));
  f.push_back(0x08);
  f.push_back(0x00);
  f.insert(f.end(), dg.begin(), dg.end());
  return f;
}

std::vector<std::uint8_t> pattern(std::size_t len, unsigned seed) {
  std::vector<std::uint8_t> v(len);
  for (std::size_t i = 0; i < len; i++) v[i] = std::uint8_t(i * 7 + seed);
  return v;
}

TEST(EthFramer, EveryLengthFrom20To9000IsFramedByteForByte) {
  Framer f(1);
  std::vector<std::vector<std::uint8_t>> dgs;
  for (std::size_t len = 20; len <= 9000; len++) dgs.push_back(pattern(len, unsigned(len)));
  std::vector<bool> abort(dgs.size(), false);
  auto frames = f.run(dgs, abort, 1.0, 1.0);
  ASSERT_EQ(frames.size(), dgs.size());
  for (std::size_t i = 0; i < dgs.size(); i++) {
    ASSERT_EQ(frames[i].bytes, expected_frame(dgs[i])) << "datagram length " << dgs[i].size();
    EXPECT_FALSE(frames[i].aborted);
  }
}

TEST(EthFramer, RandomBackPressureOnBothSides) {
  Framer f(2);
  std::mt19937 rng(3);
  std::vector<std::vector<std::uint8_t>> dgs;
  for (int i = 0; i < 2000; i++) {
    // Bias towards the lengths around beat boundaries, where the tail beat appears.
    std::size_t len = (i % 2) ? 20 + rng() % 400 : 20 + rng() % 8981;
    dgs.push_back(pattern(len, unsigned(i)));
  }
  std::vector<bool> abort(dgs.size(), false);
  auto frames = f.run(dgs, abort, 0.6, 0.5);
  ASSERT_EQ(frames.size(), dgs.size());
  for (std::size_t i = 0; i < dgs.size(); i++)
    ASSERT_EQ(frames[i].bytes, expected_frame(dgs[i])) << "datagram " << i;
}

TEST(EthFramer, AbortFlagTravelsToTheLastBeatOnly) {
  Framer f(4);
  std::vector<std::vector<std::uint8_t>> dgs{pattern(50, 1), pattern(51, 2), pattern(128, 3),
                                             pattern(115, 4)};
  std::vector<bool> abort{true, true, false, true};
  auto frames = f.run(dgs, abort, 1.0, 0.7);
  ASSERT_EQ(frames.size(), 4u);
  for (std::size_t i = 0; i < 4; i++) {
    EXPECT_EQ(frames[i].aborted, abort[i]) << "frame " << i;
    EXPECT_EQ(frames[i].bytes, expected_frame(dgs[i]));
  }
}

}  // namespace
