// Pcap files written and read by hand: round trips in both link types and both timestamp
// resolutions, foreign byte order, damaged files, the PcapEndpoint, and (when installed) tshark
// reading our files without complaint.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "smartnic/endpoints/pcap.hpp"
#include "smartnic/endpoints/process.hpp"
#include "smartnic/errors.hpp"
#include "smartnic/ipv4.hpp"

namespace smartnic::endpoints::test {
namespace {

PcapEndpointConfig reading(const std::string& name, const std::filesystem::path& in) {
  PcapEndpointConfig c;
  c.name = name;
  c.input = in;
  return c;
}
PcapEndpointConfig writing(const std::string& name, const std::filesystem::path& out,
                           PcapLinkType lt) {
  PcapEndpointConfig c;
  c.name = name;
  c.output = out;
  c.output_linktype = lt;
  return c;
}

namespace fs = std::filesystem;

class PcapTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("snic-pcap-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path file(const std::string& n) const { return dir_ / n; }

  static std::vector<std::vector<std::byte>> datagrams(std::size_t n) {
    std::vector<std::vector<std::byte>> v;
    for (std::size_t i = 0; i < n; ++i) {
      UdpDatagramSpec s;
      s.src = Ipv4Address(192, 0, 2, 10);
      s.dst = Ipv4Address(198, 51, 100, static_cast<std::uint8_t>(1 + i % 200));
      s.identification = static_cast<std::uint16_t>(i);
      v.push_back(build_udp_datagram(s, 1 + (i * 37) % 1472));
    }
    return v;
  }

 private:
  fs::path dir_;
};

TEST_F(PcapTest, WriterAndReaderRoundTripBothResolutionsAndLinkTypes) {
  const auto dgs = datagrams(50);
  for (bool nano : {false, true}) {
    for (auto lt : {PcapLinkType::Ipv4, PcapLinkType::Raw, PcapLinkType::Ethernet}) {
      const auto path = file("rt.pcap");
      {
        PcapWriter w(path, lt, nano);
        for (std::size_t i = 0; i < dgs.size(); ++i) {
          w.write(dgs[i], std::chrono::seconds(1700000000) + std::chrono::nanoseconds(i * 1001));
        }
        EXPECT_EQ(w.records(), dgs.size());
      }
      PcapReader r(path);
      EXPECT_EQ(r.linktype(), static_cast<std::uint32_t>(lt));
      EXPECT_EQ(r.nanosecond(), nano);
      for (std::size_t i = 0; i < dgs.size(); ++i) {
        auto rec = r.next();
        ASSERT_TRUE(rec);
        EXPECT_EQ(rec->data, dgs[i]);
        EXPECT_EQ(rec->original_length, dgs[i].size());
        const auto ns = std::chrono::nanoseconds(i * 1001);
        const auto want = std::chrono::seconds(1700000000) +
                          (nano ? ns : std::chrono::duration_cast<std::chrono::microseconds>(ns));
        EXPECT_EQ(rec->timestamp, want);
      }
      EXPECT_FALSE(r.next());
    }
  }
}

TEST_F(PcapTest, SnaplenTruncatesAndTheEndpointSkipsTruncatedRecords) {
  const auto path = file("snap.pcap");
  const auto dgs = datagrams(3);
  {
    PcapWriter w(path, PcapLinkType::Ipv4, true, 100);
    for (const auto& d : dgs) w.write(d);
  }
  PcapReader r(path);
  std::size_t whole = 0;
  while (auto rec = r.next()) {
    EXPECT_LE(rec->data.size(), 100u);
    whole += rec->data.size() == rec->original_length;
  }
  PcapEndpoint ep(reading("snap", path));
  std::size_t got = 0;
  while (ep.read()) ++got;
  EXPECT_EQ(got, whole);
  EXPECT_EQ(ep.counters().read_dropped, dgs.size() - whole);
}

// A big-endian microsecond file built byte by byte, as another machine would write it.
TEST_F(PcapTest, ReadsBigEndianFilesAndEthernetFramesWithPadding) {
  const auto path = file("be.pcap");
  UdpDatagramSpec s;
  s.src = Ipv4Address(192, 0, 2, 10);
  s.dst = Ipv4Address(192, 0, 2, 20);
  const auto dg = build_udp_datagram(s, 4);  // 32 bytes: the frame needs 14 bytes of padding
  std::vector<std::byte> frame = build_ethernet_frame({2, 0, 0, 0, 0, 1}, {2, 0, 0, 0, 0, 2},
                                                      kEtherTypeIpv4, dg);
  frame.resize(60);
  std::vector<std::byte> arp = build_ethernet_frame(kBroadcastMac, {2, 0, 0, 0, 0, 2},
                                                    kEtherTypeArp, std::vector<std::byte>(28));
  auto be32 = [](std::ostream& o, std::uint32_t v) {
    const char b[4] = {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
    o.write(b, 4);
  };
  {
    std::ofstream o(path, std::ios::binary);
    be32(o, 0xa1b2c3d4);
    o.write("\x00\x02\x00\x04", 4);
    be32(o, 0);
    be32(o, 0);
    be32(o, 65535);
    be32(o, 1);
    for (const auto* f : {&arp, &frame}) {
      be32(o, 1000);
      be32(o, 999999);
      be32(o, static_cast<std::uint32_t>(f->size()));
      be32(o, static_cast<std::uint32_t>(f->size()));
      o.write(reinterpret_cast<const char*>(f->data()), static_cast<std::streamsize>(f->size()));
    }
  }
  PcapReader r(path);
  EXPECT_FALSE(r.nanosecond());
  auto first = r.next();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->timestamp, std::chrono::seconds(1000) + std::chrono::microseconds(999999));
  PcapEndpoint ep(reading("be", path));
  auto d = ep.read();
  ASSERT_TRUE(d);
  EXPECT_EQ(*d, dg);  // padding trimmed
  EXPECT_FALSE(ep.read());
  EXPECT_TRUE(ep.input_done());
  EXPECT_EQ(ep.counters().read_dropped, 1u);  // the ARP frame
}

TEST_F(PcapTest, DamagedFilesAreReportedNotMisread) {
  const auto path = file("bad.pcap");
  {
    std::ofstream o(path, std::ios::binary);
    o << "this is not a capture file at all";
  }
  EXPECT_THROW(PcapReader{path}, Error);
  EXPECT_THROW(PcapReader{file("missing.pcap")}, Error);
  const auto cut = file("cut.pcap");
  {
    PcapWriter w(cut, PcapLinkType::Ipv4);
    for (const auto& d : datagrams(2)) w.write(d);
  }
  fs::resize_file(cut, fs::file_size(cut) - 5);
  PcapReader r(cut);
  EXPECT_TRUE(r.next());
  EXPECT_THROW(r.next(), Error);
}

TEST_F(PcapTest, EndpointWritesWhatTheVmReceivesAndReadsItBackIdentically) {
  const auto dgs = datagrams(20);
  for (auto lt : {PcapLinkType::Ipv4, PcapLinkType::Ethernet}) {
    const auto out = file(lt == PcapLinkType::Ipv4 ? "out4.pcap" : "oute.pcap");
    {
      PcapEndpoint sink(writing("vm", out, lt));
      for (const auto& d : dgs) sink.write(d);
      EXPECT_EQ(sink.counters().written_datagrams, dgs.size());
      EXPECT_FALSE(sink.read());
    }
    PcapEndpoint src(reading("again", out));
    for (const auto& d : dgs) {
      auto got = src.read();
      ASSERT_TRUE(got);
      EXPECT_EQ(*got, d);
    }
    EXPECT_FALSE(src.read());
  }
}

TEST_F(PcapTest, TsharkReadsOurFilesWithoutErrors) {
  if (!program_available("tshark")) {
    GTEST_SKIP() << "tshark is not installed: the tshark check is skipped "
                    "(apt-get install tshark to run it)";
  }
  const auto dgs = datagrams(30);
  for (auto lt : {PcapLinkType::Ipv4, PcapLinkType::Ethernet}) {
    for (bool nano : {false, true}) {
      const auto path = file("tshark.pcap");
      {
        PcapWriter w(path, lt, nano);
        for (const auto& d : dgs) {
          if (lt == PcapLinkType::Ethernet) {
            w.write(build_ethernet_frame({2, 0, 0, 0, 1, 10}, {2, 0, 0, 0, 0, 1}, kEtherTypeIpv4, d));
          } else {
            w.write(d);
          }
        }
      }
      const auto r = run_command({"tshark", "-n", "-r", path.string(), "-T", "fields", "-e",
                                  "ip.len", "-e", "udp.length", "-e", "_ws.expert.severity"},
                                 std::chrono::seconds(30), /*separate_stderr=*/true);
      ASSERT_TRUE(r.ok()) << r.output << r.errors;
      // As root tshark warns that it runs as root; anything else on stderr is a complaint.
      std::istringstream errs(r.errors);
      for (std::string e; std::getline(errs, e);) {
        EXPECT_TRUE(e.empty() || e.find("Running as user") != std::string::npos) << e;
      }
      std::istringstream in(r.output);
      std::string line;
      std::size_t i = 0;
      while (std::getline(in, line)) {
        if (line.empty()) continue;
        ASSERT_LT(i, dgs.size()) << line;
        std::istringstream f(line);
        std::size_t ip_len = 0, udp_len = 0;
        f >> ip_len >> udp_len;
        EXPECT_EQ(ip_len, dgs[i].size()) << line;
        EXPECT_EQ(udp_len, dgs[i].size() - 20) << line;
        std::string severity;
        EXPECT_FALSE(static_cast<bool>(f >> severity)) << "tshark expert info: " << line;
        ++i;
      }
      EXPECT_EQ(i, dgs.size()) << r.output;
    }
  }
}

}  // namespace
}  // namespace smartnic::endpoints::test
