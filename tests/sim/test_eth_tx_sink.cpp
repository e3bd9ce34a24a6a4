// EthTxSink against a Verilated AXI4-Stream port (axis_tx_fixture): framing, TKEEP rules,
// TREADY patterns, and the pcap file it writes.
#include <gtest/gtest.h>

#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <unistd.h>
#include <vector>

#include "Vaxis_tx_fixture.h"
#include "smartnic/sim/eth_tx_sink.hpp"
#include "smartnic/sim/model_harness.hpp"

namespace smartnic::sim {
namespace {

using Frame = std::vector<std::uint8_t>;

// Offers beats from a queue, holding each until TREADY (AXI4-Stream master rules).
class StreamSource final : public ClockedModel {
 public:
  struct Beat {
    std::array<std::uint8_t, kDataBytes> data{};
    std::uint64_t keep = 0;
    bool last = false;
    bool user = false;  // abort, meaningful on the last beat
  };
  explicit StreamSource(Vaxis_tx_fixture& t) : t_(t) {}

  // Splits a frame into beats with contiguous TKEEP, as a correct MAC-facing master would.
  void send(const Frame& f, bool abort = false) {
    for (std::size_t off = 0; off < f.size(); off += kDataBytes) {
      Beat b;
      const std::size_t n = std::min<std::size_t>(kDataBytes, f.size() - off);
      std::memcpy(b.data.data(), f.data() + off, n);
      b.keep = n == 64 ? ~0ULL : (1ULL << n) - 1;
      b.last = off + n == f.size();
      b.user = b.last && abort;
      q_.push_back(b);
    }
  }
  void send_beat(const Beat& b) { q_.push_back(b); }

  void sample(std::uint64_t) override {
    if (t_.m_axis_tx_tvalid && t_.m_axis_tx_tready) q_.pop_front();
  }
  void drive(std::uint64_t) override {
    t_.tb_tvalid = !q_.empty();
    if (!q_.empty()) {
      std::memcpy(t_.tb_tdata.data(), q_.front().data.data(), kDataBytes);
      t_.tb_tkeep = q_.front().keep;
      t_.tb_tlast = q_.front().last;
      t_.tb_tuser = q_.front().user;
    }
  }
  void reset() override {
    q_.clear();
    t_.tb_tvalid = 0;
  }
  bool idle() const { return q_.empty(); }

 private:
  Vaxis_tx_fixture& t_;
  std::deque<Beat> q_;
};

Frame make_frame(std::size_t n, std::uint8_t seed) {
  Frame f(n);
  for (std::size_t i = 0; i < n; ++i) f[i] = static_cast<std::uint8_t>(seed + i * 13);
  return f;
}

struct Bench {
  ModelHarness<Vaxis_tx_fixture> h;
  EthTxSink sink;
  StreamSource src;
  explicit Bench(const EthTxConfig& cfg = {}) : sink(bind_axis_tx(h.top()), cfg), src(h.top()) {
    h.add(sink);
    h.add(src);
    h.reset();
  }
  void drain() {
    ASSERT_TRUE(h.run_until([&] { return src.idle(); }, 100000));
    h.run(2);
  }
};

TEST(EthTxSink, CollectsFramesOfEveryLengthAroundBeatBoundaries) {
  Bench t;
  std::vector<Frame> sent;
  for (std::size_t n : {1, 14, 60, 63, 64, 65, 127, 128, 129, 1514, 9018}) {
    sent.push_back(make_frame(n, static_cast<std::uint8_t>(n)));
    t.src.send(sent.back());
  }
  t.drain();
  EXPECT_EQ(t.sink.take_frames(), sent);
  EXPECT_EQ(t.sink.pending_frames(), 0U);
  EXPECT_EQ(t.sink.stats().frames, sent.size());
  EXPECT_EQ(t.sink.stats().min_frame_bytes, 1U);
  EXPECT_EQ(t.sink.stats().max_frame_bytes, 9018U);
  EXPECT_EQ(t.sink.violations().count, 0U) << t.sink.violations().first;
}

// A frame ended with TUSER is what the MAC sends with a bad FCS: the peer never sees it.
TEST(EthTxSink, AbortedFramesAreCountedNotDelivered) {
  Bench t;
  const Frame a = make_frame(100, 1), b = make_frame(200, 2), c = make_frame(64, 3);
  t.src.send(a);
  t.src.send(b, /*abort=*/true);
  t.src.send(c);
  t.drain();
  EXPECT_EQ(t.sink.take_frames(), (std::vector<Frame>{a, c}));
  EXPECT_EQ(t.sink.stats().aborted_frames, 1U);
  EXPECT_EQ(t.sink.stats().frames, 2U);
  EXPECT_EQ(t.sink.violations().count, 0U) << t.sink.violations().first;
}

TEST(EthTxSink, RandomReadyIsReproducibleAndLosesNothing) {
  EthTxConfig c;
  c.ready_probability = 0.3;
  c.seed = 42;
  std::uint64_t cycles[2];
  for (int run = 0; run < 2; ++run) {
    Bench t(c);
    std::vector<Frame> sent;
    for (std::size_t n = 40; n < 400; n += 37) {
      sent.push_back(make_frame(n, static_cast<std::uint8_t>(run + n)));
      t.src.send(sent.back());
    }
    t.drain();
    EXPECT_EQ(t.sink.take_frames(), sent);
    EXPECT_GT(t.sink.stats().stall_cycles, 0U);
    EXPECT_EQ(t.sink.violations().count, 0U) << t.sink.violations().first;
    cycles[run] = t.h.cycle();
  }
  EXPECT_EQ(cycles[0], cycles[1]);  // same seed, same TREADY pattern
}

TEST(EthTxSink, FlagsNonContiguousTkeep) {
  Bench t;
  StreamSource::Beat b;
  b.keep = 0b1011;
  b.last = true;
  t.src.send_beat(b);
  t.drain();
  EXPECT_EQ(t.sink.violations().count, 1U);
  EXPECT_NE(t.sink.violations().first.find("not contiguous"), std::string::npos);
}

TEST(EthTxSink, FlagsPartialBeatBeforeLast) {
  Bench t;
  StreamSource::Beat b;
  b.keep = 0xFFFF;  // contiguous but not full, and not the last beat
  t.src.send_beat(b);
  b.keep = 0xF;
  b.last = true;
  t.src.send_beat(b);
  t.drain();
  EXPECT_EQ(t.sink.violations().count, 1U);
  EXPECT_NE(t.sink.violations().first.find("not full"), std::string::npos);
  EXPECT_EQ(t.sink.take_frames().at(0).size(), 20U);
}

TEST(EthTxSink, FlagsZeroTkeep) {
  Bench t;
  StreamSource::Beat b;
  b.keep = 0;
  b.last = true;
  t.src.send_beat(b);
  t.drain();
  EXPECT_EQ(t.sink.violations().count, 1U);
}

std::vector<std::uint8_t> le32(std::uint32_t v) {
  return {std::uint8_t(v), std::uint8_t(v >> 8), std::uint8_t(v >> 16), std::uint8_t(v >> 24)};
}

TEST(EthTxSink, WritesLibpcapFile) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("smartnic_eth_tx_sink_" + std::to_string(::getpid()) + ".pcap");
  const Frame f1 = make_frame(60, 1), f2 = make_frame(70, 2);
  std::uint64_t c1 = 0;
  {
    EthTxConfig c;
    c.pcap_path = path.string();
    c.clock_mhz = 250.0;
    Bench t(c);
    t.h.run(100);
    t.src.send(f1);
    t.drain();
    c1 = t.h.cycle();
    t.src.send(f2);
    t.drain();
  }
  std::ifstream in(path, std::ios::binary);
  const std::vector<std::uint8_t> bytes{std::istreambuf_iterator<char>(in), {}};
  std::filesystem::remove(path);

  std::vector<std::uint8_t> want;
  const auto put = [&](const std::vector<std::uint8_t>& v) { want.insert(want.end(), v.begin(), v.end()); };
  put(le32(0xa1b23c4d));          // nanosecond pcap, little-endian
  put({2, 0, 4, 0});              // version 2.4
  put(le32(0));                   // thiszone
  put(le32(0));                   // sigfigs
  put(le32(65535));               // snaplen
  put(le32(1));                   // LINKTYPE_ETHERNET
  ASSERT_GE(bytes.size(), want.size());
  EXPECT_TRUE(std::equal(want.begin(), want.end(), bytes.begin()));
  ASSERT_EQ(bytes.size(), 24U + 16 + 60 + 16 + 70);
  // First record: timestamp of its last beat (cycle * 4 ns, under 1 s), lengths, data.
  const auto rd32 = [&](std::size_t o) {
    return std::uint32_t(bytes[o]) | std::uint32_t(bytes[o + 1]) << 8 | std::uint32_t(bytes[o + 2]) << 16 |
           std::uint32_t(bytes[o + 3]) << 24;
  };
  EXPECT_EQ(rd32(24), 0U);
  EXPECT_GT(rd32(28), 100U * 4);
  EXPECT_LT(rd32(28), c1 * 4);
  EXPECT_EQ(rd32(32), 60U);
  EXPECT_EQ(rd32(36), 60U);
  EXPECT_TRUE(std::equal(f1.begin(), f1.end(), bytes.begin() + 40));
  EXPECT_EQ(rd32(100 + 8), 70U);
  EXPECT_GT(rd32(100 + 4), rd32(28));
  EXPECT_TRUE(std::equal(f2.begin(), f2.end(), bytes.begin() + 116));
}

}  // namespace
}  // namespace smartnic::sim
