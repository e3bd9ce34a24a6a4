// Two VMs (TUN endpoints in two namespaces) joined by a tiny forwarder in the test: ping both
// ways and a TCP transfer checked byte for byte. The forwarder stands where the switch will be.
#include <gtest/gtest.h>
#include <poll.h>

#include <atomic>
#include <iostream>
#include <thread>

#include "net_util.hpp"
#include "netns_fixture.hpp"
#include "smartnic/endpoints/tuntap.hpp"

namespace smartnic::endpoints::test {
namespace {

class TunPairTest : public NetnsTest {};

// Reads from each endpoint and writes to the other until stopped.
class Forwarder {
 public:
  Forwarder(Endpoint& a, Endpoint& b)
      : thread_([this, &a, &b](std::stop_token stop) {
          while (!stop.stop_requested()) {
            pollfd p[2] = {{a.poll_fd(), POLLIN, 0}, {b.poll_fd(), POLLIN, 0}};
            ::poll(p, 2, 20);
            for (int i = 0; i < 64; ++i) {
              bool any = false;
              if (auto d = a.read()) {
                b.write(*d);
                ++forwarded;
                any = true;
              }
              if (auto d = b.read()) {
                a.write(*d);
                ++forwarded;
                any = true;
              }
              if (!any) break;
            }
          }
        }) {}
  std::atomic<std::uint64_t> forwarded{0};

 private:
  std::jthread thread_;  // last member: stopped and joined first
};

TEST_F(TunPairTest, PingBothWaysAndTcpTransferThroughAForwarder) {
  TunConfig ca;
  ca.netns = ns_name("pa");
  ca.device = dev_name();
  ca.addresses = {"192.0.2.10/24"};
  TunConfig cb = ca;
  cb.netns = ns_name("pb");
  cb.device = dev_name();
  cb.addresses = {"192.0.2.20/24"};
  TunEndpoint a(ca);
  TunEndpoint b(cb);
  std::uint64_t forwarded = 0;
  {
    Forwarder fwd(a, b);
    auto idle = [] { std::this_thread::sleep_for(std::chrono::milliseconds(10)); };
    const auto ab = ping_from(a.netns(), Ipv4Address(192, 0, 2, 20), 3, 56, idle);
    EXPECT_EQ(ab.received, 3) << ab.output;
    const auto ba = ping_from(b.netns(), Ipv4Address(192, 0, 2, 10), 3, 56, idle);
    EXPECT_EQ(ba.received, 3) << ba.output;

    constexpr std::size_t kBytes = 4 * 1024 * 1024;
    const auto t = tcp_transfer(b.netns(), Ipv4Address(192, 0, 2, 20), 5001, a.netns(), kBytes);
    EXPECT_TRUE(t.ok) << t.error;
    if (t.ok) {
      std::cout << "[ measure ] TCP through the userspace TUN forwarder: " << kBytes
                << " B each way in " << t.seconds << " s = "
                << 2.0 * kBytes * 8 / t.seconds / 1e6 << " Mbit/s (both directions)\n";
    }
    forwarded = fwd.forwarded;
  }
  EXPECT_GT(forwarded, 2u * 4 * 1024 * 1024 / 1500);
  EXPECT_EQ(a.counters().write_dropped, 0u);
  EXPECT_EQ(b.counters().write_dropped, 0u);
}

}  // namespace
}  // namespace smartnic::endpoints::test
