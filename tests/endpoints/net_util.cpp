#include "net_util.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <future>
#include <regex>
#include <thread>

#include "smartnic/endpoints/process.hpp"

namespace smartnic::endpoints::test {
namespace {

using Clock = std::chrono::steady_clock;

std::uint16_t get16(std::span<const std::byte> b, std::size_t at) {
  return static_cast<std::uint16_t>((std::to_integer<unsigned>(b[at]) << 8) |
                                    std::to_integer<unsigned>(b[at + 1]));
}
void put16(std::span<std::byte> b, std::size_t at, std::uint16_t v) {
  b[at] = std::byte(v >> 8);
  b[at + 1] = std::byte(v & 0xff);
}

std::byte pattern(std::size_t i) { return std::byte(static_cast<std::uint8_t>((i * 131) ^ (i >> 9))); }

void set_timeouts(int fd) {
  timeval tv{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

sockaddr_in sockaddr_of(Ipv4Address a, std::uint16_t port) {
  sockaddr_in s{};
  s.sin_family = AF_INET;
  s.sin_port = htons(port);
  s.sin_addr.s_addr = htonl(a.value());
  return s;
}

std::string errno_text(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

// Built-in ping: ICMP echo on a raw socket made inside the namespace.
PingOutcome builtin_ping(const NetNamespace& ns, Ipv4Address dst, int count, std::size_t payload,
                         const std::function<void()>& serve) {
  PingOutcome out;
  UniqueFd s = ns.socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
  std::atomic<bool> finished{false};
  auto worker = std::async(std::launch::async, [&] {
    const std::uint16_t id = static_cast<std::uint16_t>(::getpid());
    int received = 0;
    std::vector<std::byte> buf(65536);
    for (int seq = 0; seq < count; ++seq) {
      std::vector<std::byte> req(8 + payload);
      req[0] = std::byte{8};
      put16(req, 4, id);
      put16(req, 6, static_cast<std::uint16_t>(seq));
      for (std::size_t i = 8; i < req.size(); ++i) req[i] = std::byte(static_cast<std::uint8_t>(i));
      put16(req, 2, internet_checksum(req));
      const sockaddr_in to = sockaddr_of(dst, 0);
      ::sendto(s.get(), req.data(), req.size(), 0, reinterpret_cast<const sockaddr*>(&to),
               sizeof to);
      const auto deadline = Clock::now() + std::chrono::seconds(1);
      while (Clock::now() < deadline) {
        pollfd p{s.get(), POLLIN, 0};
        if (::poll(&p, 1, 50) <= 0) continue;
        const ssize_t n = ::recv(s.get(), buf.data(), buf.size(), 0);
        if (n < 28) continue;
        const auto d = std::span<const std::byte>(buf).first(static_cast<std::size_t>(n));
        const std::size_t ihl = (std::to_integer<unsigned>(d[0]) & 0xf) * 4u;
        if (d.size() < ihl + 8) continue;
        const auto icmp = d.subspan(ihl);
        if (icmp[0] == std::byte{0} && get16(icmp, 4) == id && get16(icmp, 6) == seq &&
            icmp.size() == 8 + payload && internet_checksum(icmp) == 0) {
          ++received;
          break;
        }
      }
    }
    finished = true;
    return received;
  });
  while (!finished) serve();
  out.transmitted = count;
  out.received = worker.get();
  out.output = std::to_string(count) + " packets transmitted, " + std::to_string(out.received) +
               " received (built-in ping)";
  return out;
}

}  // namespace

std::optional<std::vector<std::byte>> icmp_echo_reply(std::span<const std::byte> d) {
  const auto h = parse_ipv4_header(d);
  if (!h || h->version != 4 || h->protocol != 1 || h->total_length != d.size()) return std::nullopt;
  const std::size_t ihl = std::size_t{h->ihl} * 4;
  if (d.size() < ihl + 8 || d[ihl] != std::byte{8}) return std::nullopt;
  std::vector<std::byte> r(d.begin(), d.end());
  // swap source and destination
  std::swap_ranges(r.begin() + 12, r.begin() + 16, r.begin() + 16);
  r[8] = std::byte{64};  // TTL
  put16(r, 10, 0);
  put16(r, 10, internet_checksum(std::span<const std::byte>(r).first(ihl)));
  auto icmp = std::span<std::byte>(r).subspan(ihl);
  icmp[0] = std::byte{0};  // echo reply
  put16(icmp, 2, 0);
  put16(icmp, 2, internet_checksum(icmp));
  return r;
}

PingOutcome ping_from(const NetNamespace& ns, Ipv4Address dst, int count, std::size_t payload,
                      const std::function<void()>& serve) {
  if (!program_available("ping")) return builtin_ping(ns, dst, count, payload, serve);
  PingOutcome out;
  out.system_ping = true;
  ChildProcess ping = ns.spawn({"ping", "-n", "-c", std::to_string(count), "-W", "1", "-i", "0.2",
                                "-s", std::to_string(payload), dst.to_string()});
  const auto deadline = Clock::now() + std::chrono::seconds(5 + 2 * count);
  while (!ping.poll_exit() && Clock::now() < deadline) serve();
  ping.terminate();
  out.output = ping.output();
  std::smatch m;
  if (std::regex_search(out.output, m, std::regex(R"((\d+) packets transmitted, (\d+) received)"))) {
    out.transmitted = std::stoi(m[1]);
    out.received = std::stoi(m[2]);
  }
  return out;
}

TransferOutcome tcp_transfer(const NetNamespace& server_ns, Ipv4Address server_addr,
                             std::uint16_t port, const NetNamespace& client_ns, std::size_t bytes) {
  TransferOutcome out;
  UniqueFd listener = server_ns.socket(AF_INET, SOCK_STREAM, 0);
  const int one = 1;
  ::setsockopt(listener.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  const sockaddr_in addr = sockaddr_of(server_addr, port);
  if (::bind(listener.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listener.get(), 1) != 0) {
    out.error = errno_text("server bind/listen");
    return out;
  }
  set_timeouts(listener.get());
  const auto start = Clock::now();

  auto server = std::async(std::launch::async, [&]() -> std::string {
    UniqueFd c(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
    if (!c) return errno_text("accept");
    set_timeouts(c.get());
    std::vector<std::byte> got;
    got.reserve(bytes);
    std::vector<std::byte> buf(256 * 1024);
    for (;;) {
      const ssize_t n = ::recv(c.get(), buf.data(), buf.size(), 0);
      if (n == 0) break;
      if (n < 0) return errno_text("server recv");
      got.insert(got.end(), buf.begin(), buf.begin() + n);
    }
    if (got.size() != bytes) {
      return "server got " + std::to_string(got.size()) + " of " + std::to_string(bytes) + " bytes";
    }
    for (std::size_t i = 0; i < bytes; ++i) {
      if (got[i] != pattern(i)) return "server: byte " + std::to_string(i) + " differs";
    }
    std::size_t sent = 0;
    while (sent < got.size()) {
      const ssize_t n = ::send(c.get(), got.data() + sent, got.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return errno_text("server send");
      sent += static_cast<std::size_t>(n);
    }
    return {};
  });

  auto client = [&]() -> std::string {
    UniqueFd s = client_ns.socket(AF_INET, SOCK_STREAM, 0);
    set_timeouts(s.get());
    if (::connect(s.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
      return errno_text("connect");
    }
    std::vector<std::byte> data(bytes);
    for (std::size_t i = 0; i < bytes; ++i) data[i] = pattern(i);
    std::size_t sent = 0;
    while (sent < bytes) {
      const ssize_t n = ::send(s.get(), data.data() + sent, bytes - sent, MSG_NOSIGNAL);
      if (n <= 0) return errno_text("client send");
      sent += static_cast<std::size_t>(n);
    }
    ::shutdown(s.get(), SHUT_WR);
    std::vector<std::byte> back;
    back.reserve(bytes);
    std::vector<std::byte> buf(256 * 1024);
    for (;;) {
      const ssize_t n = ::recv(s.get(), buf.data(), buf.size(), 0);
      if (n == 0) break;
      if (n < 0) return errno_text("client recv");
      back.insert(back.end(), buf.begin(), buf.begin() + n);
    }
    if (back != data) {
      return "client got " + std::to_string(back.size()) + " bytes back, not the " +
             std::to_string(bytes) + " sent";
    }
    return {};
  };
  const std::string client_error = client();
  if (client_error.size()) ::shutdown(listener.get(), SHUT_RDWR);  // unblock accept
  const std::string server_error = server.get();
  out.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  out.error = client_error.empty() ? server_error : client_error + "; " + server_error;
  out.ok = client_error.empty() && server_error.empty();
  return out;
}

}  // namespace smartnic::endpoints::test
