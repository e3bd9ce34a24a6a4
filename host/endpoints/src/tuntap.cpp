#include "smartnic/endpoints/tuntap.hpp"

#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "smartnic/errors.hpp"

namespace smartnic::endpoints {
namespace {

constexpr std::size_t kReadBuffer = 65536;

void check_mtu(unsigned mtu) {
  if (mtu < 68 || mtu > 9000) {
    throw ConfigError("MTU " + std::to_string(mtu) + " outside 68..9000");
  }
}

void check_device_name(const std::string& d) {
  if (d.empty() || d.size() >= IFNAMSIZ || d.find_first_of("/ :") != std::string::npos) {
    throw ConfigError("bad device name '" + d + "' (1..15 characters, no '/', ':' or space)");
  }
}

// Validates every address/route/gateway against the safety rules before anything is created.
void check_addresses(const std::vector<std::string>& addresses,
                     const std::vector<std::string>& routes,
                     const std::optional<std::string>& gateway) {
  if (addresses.empty()) throw ConfigError("an endpoint needs at least one address");
  for (const auto& a : addresses) require_test_prefix(Ipv4Prefix::parse(a), "address");
  for (const auto& r : routes) require_test_prefix(Ipv4Prefix::parse(r), "route");
  if (gateway) {
    const auto g = Ipv4Prefix::parse(*gateway);
    if (g.length != 32) throw ConfigError("gateway " + *gateway + " must be a plain address");
    require_test_prefix(g, "gateway");
  }
}

// Addresses, MTU, link up, routes. A route equal to an address's connected prefix is replaced
// (same result), so the defaults work with any /24 address.
void configure(NetNamespace& ns, const std::string& dev, unsigned mtu,
               const std::vector<std::string>& addresses, const std::vector<std::string>& routes,
               const std::optional<std::string>& gateway, const MacAddress* mac) {
  if (mac) ns.ip({"link", "set", "dev", dev, "address", mac_to_string(*mac)});
  ns.ip({"link", "set", "dev", dev, "mtu", std::to_string(mtu)});
  for (const auto& a : addresses) ns.ip({"addr", "add", a, "dev", dev});
  ns.ip({"link", "set", "dev", dev, "up"});
  for (const auto& r : routes) {
    const auto p = Ipv4Prefix::parse(r);
    const std::string net = p.network().to_string() + "/" + std::to_string(p.length);
    if (gateway) {
      bool connected = false;
      for (const auto& a : addresses) {
        const auto ap = Ipv4Prefix::parse(a);
        connected = connected || (ap.length == p.length && ap.contains(p.address));
      }
      if (connected) continue;  // the connected route of the address itself stays on-link
      ns.ip({"route", "replace", net, "via", *gateway, "dev", dev});
    } else {
      ns.ip({"route", "replace", net, "dev", dev});
    }
  }
}

}  // namespace

// ---- device ------------------------------------------------------------------------------

TunTapDevice::TunTapDevice(const NetNamespace& ns, const std::string& device, Kind kind)
    : device_(device), kind_(kind) {
  check_device_name(device);
  ns.run_inside([&] {
    UniqueFd fd(::open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC));
    if (!fd) throw Error(std::string("cannot open /dev/net/tun: ") + std::strerror(errno));
    ifreq ifr{};
    ifr.ifr_flags = static_cast<short>((kind == Kind::Tun ? IFF_TUN : IFF_TAP) | IFF_NO_PI);
    std::memcpy(ifr.ifr_name, device.c_str(), device.size());
    if (::ioctl(fd.get(), TUNSETIFF, &ifr) != 0) {
      throw Error("TUNSETIFF " + device + " in namespace " + ns.name() + ": " +
                  std::strerror(errno));
    }
    fd_ = std::move(fd);
  });
}

std::optional<std::size_t> TunTapDevice::read_packet(std::span<std::byte> buf) {
  for (;;) {
    const ssize_t n = ::read(fd_.get(), buf.data(), buf.size());
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return std::nullopt;
    throw Error("read from " + device_ + ": " + std::strerror(errno));
  }
}

bool TunTapDevice::write_packet(std::span<const std::byte> packet) {
  for (;;) {
    const ssize_t n = ::write(fd_.get(), packet.data(), packet.size());
    if (n >= 0) return true;
    if (errno == EINTR) continue;
    if (errno == EBADF) throw Error("write to " + device_ + ": " + std::strerror(errno));
    last_error_ = std::strerror(errno);
    return false;
  }
}

// ---- TUN -----------------------------------------------------------------------------------

namespace {
TunConfig checked(TunConfig c) {
  check_mtu(c.mtu);
  check_device_name(c.device);
  check_addresses(c.addresses, c.routes, std::nullopt);
  return c;
}
TapConfig checked(TapConfig c) {
  check_mtu(c.mtu);
  check_device_name(c.device);
  check_addresses(c.addresses, c.routes, c.gateway);
  return c;
}
}  // namespace

TunEndpoint::TunEndpoint(TunConfig config)
    : config_(checked(std::move(config))),
      ns_(config_.netns),
      dev_(ns_, config_.device, TunTapDevice::Kind::Tun),
      buf_(kReadBuffer) {
  configure(ns_, config_.device, config_.mtu, config_.addresses, config_.routes, std::nullopt,
            nullptr);
}

std::optional<std::vector<std::byte>> TunEndpoint::read() {
  for (;;) {
    const auto n = dev_.read_packet(buf_);
    if (!n) return std::nullopt;
    const auto p = std::span<const std::byte>(buf_).first(*n);
    if (*n < kIpv4HeaderBytes || (std::to_integer<unsigned>(p[0]) >> 4) != 4) {
      ++counters_.read_dropped;  // cannot happen with IPv6 off, but never hand it on
      continue;
    }
    ++counters_.read_datagrams;
    counters_.read_bytes += *n;
    return std::vector<std::byte>(p.begin(), p.end());
  }
}

void TunEndpoint::write(std::span<const std::byte> datagram) {
  if (datagram.size() < kIpv4HeaderBytes || (std::to_integer<unsigned>(datagram[0]) >> 4) != 4 ||
      !dev_.write_packet(datagram)) {
    ++counters_.write_dropped;
    return;
  }
  ++counters_.written_datagrams;
  counters_.written_bytes += datagram.size();
}

std::string TunEndpoint::describe() const {
  std::string a;
  for (const auto& s : config_.addresses) a += (a.empty() ? "" : ",") + s;
  return "TUN " + config_.device + " in netns " + config_.netns + " (" + a + ", mtu " +
         std::to_string(config_.mtu) + ")";
}

// ---- TAP -----------------------------------------------------------------------------------

TapEndpoint::TapEndpoint(TapConfig config)
    : config_(checked(std::move(config))),
      ns_(config_.netns),
      dev_(ns_, config_.device, TunTapDevice::Kind::Tap),
      guest_mac_(config_.guest_mac),
      buf_(kReadBuffer) {
  configure(ns_, config_.device, config_.mtu, config_.addresses, config_.routes, config_.gateway,
            &config_.guest_mac);
}

std::optional<std::vector<std::byte>> TapEndpoint::read_frame() {
  const auto n = dev_.read_packet(buf_);
  if (!n) return std::nullopt;
  return std::vector<std::byte>(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(*n));
}

bool TapEndpoint::write_frame(std::span<const std::byte> frame) { return dev_.write_packet(frame); }

std::optional<std::vector<std::byte>> TapEndpoint::read() {
  for (;;) {
    const auto n = dev_.read_packet(buf_);
    if (!n) return std::nullopt;
    const auto frame = std::span<const std::byte>(buf_).first(*n);
    const auto eth = parse_ethernet(frame);
    if (!eth) {
      ++counters_.read_dropped;
      continue;
    }
    if (eth->ethertype == kEtherTypeArp) {
      if (auto reply = proxy_arp_reply(frame, config_.switch_mac)) {
        guest_mac_ = eth->src;
        if (dev_.write_packet(*reply)) ++counters_.arp_answered;
      }
      continue;  // ARP is handled here, never handed on
    }
    if (eth->ethertype != kEtherTypeIpv4) {
      ++other_ethertypes_;
      ++counters_.read_dropped;
      continue;
    }
    const auto ip = ipv4_payload(frame);
    if (!ip) {
      ++counters_.read_dropped;
      continue;
    }
    guest_mac_ = eth->src;
    ++counters_.read_datagrams;
    counters_.read_bytes += ip->size();
    return std::vector<std::byte>(ip->begin(), ip->end());
  }
}

void TapEndpoint::write(std::span<const std::byte> datagram) {
  if (datagram.size() < kIpv4HeaderBytes || (std::to_integer<unsigned>(datagram[0]) >> 4) != 4) {
    ++counters_.write_dropped;
    return;
  }
  const auto frame = build_ethernet_frame(guest_mac_, config_.switch_mac, kEtherTypeIpv4, datagram);
  if (!dev_.write_packet(frame)) {
    ++counters_.write_dropped;
    return;
  }
  ++counters_.written_datagrams;
  counters_.written_bytes += datagram.size();
}

std::string TapEndpoint::describe() const {
  std::string a;
  for (const auto& s : config_.addresses) a += (a.empty() ? "" : ",") + s;
  return "TAP " + config_.device + " in netns " + config_.netns + " (" + a + ", guest " +
         mac_to_string(guest_mac_) + ", switch " + mac_to_string(config_.switch_mac) + ", mtu " +
         std::to_string(config_.mtu) + ")";
}

// ---- external host ---------------------------------------------------------------------------

TapConfig ExternalHostTap::to_tap_config(const ExternalHostConfig& c) {
  TapConfig t;
  t.netns = c.netns;
  t.device = c.device;
  t.addresses = {c.address};
  t.routes = c.routes;
  t.gateway = c.gateway;
  t.guest_mac = c.host_mac;
  t.switch_mac = c.nic_mac;
  t.mtu = c.mtu;
  return t;
}

ExternalHostTap::ExternalHostTap(ExternalHostConfig config)
    : TapEndpoint(to_tap_config(config)) {}

}  // namespace smartnic::endpoints
