// TUN and TAP endpoints: a Linux network namespace whose IP stack plays the VM (TUN, TAP) or the
// external host on the wire (ExternalHostTap). The device is created from a thread that has
// entered the namespace, so it never exists in the machine's own namespace; the fd is
// non-blocking and close-on-exec, and the device disappears when the endpoint is destroyed.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "smartnic/endpoints/endpoint.hpp"
#include "smartnic/endpoints/ethernet.hpp"
#include "smartnic/endpoints/netns.hpp"
#include "smartnic/endpoints/unique_fd.hpp"

namespace smartnic::endpoints {

// A TUN (IP) or TAP (Ethernet) device opened with IFF_NO_PI inside `ns`.
class TunTapDevice {
 public:
  enum class Kind { Tun, Tap };
  TunTapDevice(const NetNamespace& ns, const std::string& device, Kind kind);
  int fd() const { return fd_.get(); }
  const std::string& device() const { return device_; }
  Kind kind() const { return kind_; }
  // One packet (IP datagram or Ethernet frame) into `buf`; nullopt when none is waiting.
  std::optional<std::size_t> read_packet(std::span<std::byte> buf);
  // One packet; false when the kernel refused it (errno text in last_error()).
  bool write_packet(std::span<const std::byte> packet);
  const std::string& last_error() const { return last_error_; }

 private:
  UniqueFd fd_;
  std::string device_;
  Kind kind_;
  std::string last_error_;
};

struct TunConfig {
  std::string netns;              // namespace created for this VM (also the endpoint's name)
  std::string device = "snic0";   // name inside the namespace, at most 15 characters
  std::vector<std::string> addresses{"192.0.2.10/24"};  // the VM's addresses
  std::vector<std::string> routes = all_test_ranges();  // sent into the device
  unsigned mtu = 1500;            // 68..9000
};

// The namespace's IP stack is the VM: what it sends to the routed ranges comes out of read(),
// what write() gets is received by it.
class TunEndpoint : public Endpoint {
 public:
  explicit TunEndpoint(TunConfig config);
  std::optional<std::vector<std::byte>> read() override;
  void write(std::span<const std::byte> datagram) override;
  int poll_fd() const override { return dev_.fd(); }
  std::string name() const override { return config_.netns; }
  std::string describe() const override;
  EndpointCounters counters() const override { return counters_; }

  NetNamespace& netns() { return ns_; }
  const TunConfig& config() const { return config_; }

 private:
  TunConfig config_;
  NetNamespace ns_;   // declared before dev_: the device goes first, then the namespace
  TunTapDevice dev_;
  EndpointCounters counters_;
  std::vector<std::byte> buf_;
};

struct TapConfig {
  std::string netns;
  std::string device = "snic0";
  std::vector<std::string> addresses{"192.0.2.10/24"};
  // Routes into the device. Without a gateway they are on-link: the namespace ARPs for every
  // destination and the endpoint answers with switch_mac (proxy ARP, the switch is the router).
  std::vector<std::string> routes = all_test_ranges();
  std::optional<std::string> gateway;  // "198.51.100.254": routes go via it instead
  MacAddress guest_mac{0x02, 0x00, 0x00, 0x00, 0x01, 0x0a};   // the namespace side's MAC
  MacAddress switch_mac{0x02, 0x00, 0x00, 0x00, 0x00, 0x01};  // the NIC's MAC (SwitchConfig)
  unsigned mtu = 1500;
};

// TAP as QEMU guests use it. read()/write() speak IPv4 datagrams: read() strips the Ethernet
// header of IPv4 frames, answers ARP requests itself for any address, counts and drops other
// EtherTypes; write() adds a header from switch_mac to the guest's MAC (learned from its
// frames, guest_mac until then). read_frame()/write_frame() give the raw Ethernet frames instead
// (nothing answered or learned): for a NIC port that speaks Ethernet.
class TapEndpoint : public Endpoint {
 public:
  explicit TapEndpoint(TapConfig config);
  std::optional<std::vector<std::byte>> read() override;
  void write(std::span<const std::byte> datagram) override;
  int poll_fd() const override { return dev_.fd(); }
  std::string name() const override { return config_.netns; }
  std::string describe() const override;
  EndpointCounters counters() const override { return counters_; }

  std::optional<std::vector<std::byte>> read_frame();
  bool write_frame(std::span<const std::byte> frame);

  NetNamespace& netns() { return ns_; }
  const TapConfig& config() const { return config_; }
  const MacAddress& guest_mac() const { return guest_mac_; }
  std::uint64_t other_ethertypes() const { return other_ethertypes_; }

 private:
  TapConfig config_;
  NetNamespace ns_;
  TunTapDevice dev_;
  MacAddress guest_mac_;
  EndpointCounters counters_;
  std::uint64_t other_ethertypes_ = 0;
  std::vector<std::byte> buf_;
};

struct ExternalHostConfig {
  std::string netns;
  std::string device = "snic0";
  std::string address = "198.51.100.1/24";
  std::string gateway = "198.51.100.254";  // the NIC's side of the wire
  std::vector<std::string> routes{"192.0.2.0/24", "203.0.113.0/24"};  // the VMs, via gateway
  MacAddress host_mac{0x02, 0x00, 0x00, 0x00, 0x00, 0xfe};    // SwitchConfig::mac_dst
  MacAddress nic_mac{0x02, 0x00, 0x00, 0x00, 0x00, 0x01};     // SwitchConfig::mac_src
  unsigned mtu = 1500;
};

// A real Linux host on the wire behind the NIC's port: its own MAC and address, routes to the
// VMs via the NIC. Use read_frame()/write_frame() to connect it to the NIC's Ethernet port;
// read()/write() (IP level, ARP answered as nic_mac) work too while the NIC has no ARP.
class ExternalHostTap : public TapEndpoint {
 public:
  explicit ExternalHostTap(ExternalHostConfig config);
  static TapConfig to_tap_config(const ExternalHostConfig& c);
};

}  // namespace smartnic::endpoints
