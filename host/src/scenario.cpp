#include "smartnic/scenario.hpp"

#include <map>
#include <random>

#include "byte_order.hpp"
#include "smartnic/errors.hpp"
#include "smartnic/ipv4.hpp"

namespace smartnic {

namespace {

constexpr std::size_t kEthHeader = 14;
constexpr std::size_t kMinUdpDatagram = kIpv4HeaderBytes + kUdpHeaderBytes;

std::uint64_t fnv1a(std::span<const std::byte> data) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (const std::byte b : data) h = (h ^ std::to_integer<std::uint64_t>(b)) * 0x100000001b3ull;
  return h;
}

// What the generator expects for one datagram, from how it built it.
enum class Kind { External, Hairpin, Drop, TooBig };

class Runner {
 public:
  Runner(Device& device, const ScenarioConfig& cfg, const FrameSource& frames, const FrameSink& inject)
      : device_(device), cfg_(cfg), frames_(frames), inject_(inject), sw_(device, cfg.switch_config),
        rng_(cfg.seed), expected_(cfg.vms), expect_in_(cfg.vms), expect_net_(cfg.vms) {}

  ScenarioResult run();

 private:
  std::vector<std::byte> make(VmId src, std::uint64_t seq);
  void send_from_network(std::uint64_t seq);
  void service();
  void check_frames();
  void check_received();
  void check_counts(ScenarioResult& r);
  void error(std::string msg) {
    if (errors_.size() < 20) errors_.push_back(std::move(msg));
    else if (errors_.size() == 20) errors_.push_back("... further errors suppressed");
  }

  Device& device_;
  const ScenarioConfig& cfg_;
  const FrameSource& frames_;
  const FrameSink& inject_;
  Switch sw_;
  std::mt19937_64 rng_;
  std::vector<VmStats> expected_;                          // verdict counts per sender
  std::vector<std::map<std::uint64_t, int>> expect_in_;    // content hash -> count, per receiver
  std::map<std::uint64_t, int> expect_port_;               // content hash -> count on the wire
  std::vector<std::map<std::uint64_t, int>> expect_net_;   // from the network, per receiver
  std::uint64_t ingress_sent_ = 0, ingress_received_ = 0, ingress_refused_ = 0;
  std::vector<std::string> errors_;
  std::uint64_t frames_seen_ = 0, received_ = 0;
};

std::vector<std::byte> Runner::make(VmId src, std::uint64_t seq) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::uniform_int_distribution<std::size_t> size_dist(cfg_.size_min, cfg_.size_max);
  const double r = u(rng_);
  const bool malformed = r < cfg_.malformed_fraction;
  const bool external = !malformed && (r < cfg_.malformed_fraction + cfg_.external_fraction);
  std::size_t size = size_dist(rng_);

  // A VM other than the sender, uniformly (needs at least two VMs).
  const auto another_vm = [&] {
    return static_cast<VmId>((src + 1 + std::uniform_int_distribution<unsigned>(0, cfg_.vms - 2)(rng_)) % cfg_.vms);
  };
  UdpDatagramSpec spec;
  spec.src = Ipv4Address(192, 0, 2, static_cast<std::uint8_t>(10 + src));
  spec.identification = static_cast<std::uint16_t>(seq);
  spec.src_port = static_cast<std::uint16_t>(49152 + (seq & 0x3FFF));
  VmId dst = src;
  if (external) {
    const auto host = static_cast<std::uint8_t>(std::uniform_int_distribution<int>(1, 254)(rng_));
    spec.dst = u(rng_) < 0.5 ? Ipv4Address(198, 51, 100, host) : Ipv4Address(203, 0, 113, host);
  } else {
    if (cfg_.vms > 1) {  // another VM; a VM alone talks to itself
      dst = another_vm();
    }
    spec.dst = Ipv4Address(192, 0, 2, static_cast<std::uint8_t>(10 + dst));
  }

  const std::size_t payload = size > kMinUdpDatagram ? size - kMinUdpDatagram : 0;
  regs::DropReason reason = regs::DropReason::NONE;
  std::vector<std::byte> d;
  if (malformed) {
    switch (std::uniform_int_distribution<int>(0, 5)(rng_)) {
      case 0:  // shorter than any IPv4 header
        size = std::uniform_int_distribution<std::size_t>(1, kIpv4HeaderBytes - 1)(rng_);
        d.assign(size, std::byte{0x45});
        reason = regs::DropReason::DESC_LEN;
        break;
      case 1:
        d = build_udp_datagram(spec, payload);
        d[0] = std::byte{0x65};  // version 6, IHL 5
        reason = regs::DropReason::IP_VERSION;
        break;
      case 2:
        d = build_udp_datagram(spec, payload);
        d[0] = std::byte{0x44};  // IHL 4
        reason = regs::DropReason::IP_IHL;
        break;
      case 3:
        d = build_udp_datagram(spec, payload);
        detail::store_be16(d, 2, static_cast<std::uint16_t>(d.size() + 4));
        reason = regs::DropReason::IP_LEN;
        break;
      case 4:
        d = build_udp_datagram(spec, payload);
        d[10] ^= std::byte{0x5A};  // header checksum
        reason = regs::DropReason::IP_CHECKSUM;
        break;
      default:  // a source address that is not the sender's: another VM's, or nobody's
        if (cfg_.vms > 1 && u(rng_) < 0.5) {
          spec.src = Ipv4Address(192, 0, 2, static_cast<std::uint8_t>(10 + another_vm()));
        } else {
          spec.src = Ipv4Address(203, 0, 113, static_cast<std::uint8_t>(1 + seq % 254));
        }
        d = build_udp_datagram(spec, payload);
        reason = regs::DropReason::SPOOFED_SRC;
        break;
    }
  } else {
    d = build_udp_datagram(spec, payload);
  }

  // The length checks come first, in the runtime (buffer size) and then in the NIC.
  VmStats& e = expected_[src];
  if (d.size() > GuestMemoryLayout::kBufferBytes) {
    ++e.host_drops[static_cast<unsigned>(HostDropReason::TOO_BIG)];
  } else if (d.size() < regs::MIN_DATAGRAM || d.size() > regs::MAX_DATAGRAM) {
    ++e.nic_drops[static_cast<unsigned>(regs::DropReason::DESC_LEN)];
  } else if (reason != regs::DropReason::NONE) {
    ++e.nic_drops[static_cast<unsigned>(reason)];
  } else if (external) {
    ++e.external;
    ++expect_port_[fnv1a(d)];
  } else {
    ++e.hairpin_out;
    ++expect_in_[dst][fnv1a(d)];
  }
  ++e.submitted;
  return d;
}

// An external host (198.51.100.x) sends a UDP datagram to a VM: an Ethernet frame from the
// next hop to the NIC's MAC, padded to the 60-byte minimum as a real sender does.
void Runner::send_from_network(std::uint64_t seq) {
  const auto dst = static_cast<VmId>(std::uniform_int_distribution<unsigned>(0, cfg_.vms - 1)(rng_));
  UdpDatagramSpec spec;
  spec.src = Ipv4Address(198, 51, 100, static_cast<std::uint8_t>(1 + seq % 254));
  spec.dst = Ipv4Address(192, 0, 2, static_cast<std::uint8_t>(10 + dst));
  spec.identification = static_cast<std::uint16_t>(seq);
  const std::size_t size = std::uniform_int_distribution<std::size_t>(
      std::max<std::size_t>(cfg_.size_min, kMinUdpDatagram), std::min<std::size_t>(cfg_.size_max, regs::MAX_DATAGRAM))(rng_);
  const auto d = build_udp_datagram(spec, size - kMinUdpDatagram);
  std::vector<std::byte> f;
  for (const auto b : cfg_.switch_config.mac_src) f.push_back(std::byte{b});   // to the NIC
  for (const auto b : cfg_.switch_config.mac_dst) f.push_back(std::byte{b});   // from the next hop
  f.push_back(std::byte{0x08});
  f.push_back(std::byte{0x00});
  f.insert(f.end(), d.begin(), d.end());
  if (f.size() < 60) f.resize(60, std::byte{0});
  ++expect_net_[dst][fnv1a(d)];
  ++ingress_sent_;
  inject_(std::move(f));
}

void Runner::service() {
  sw_.poll();
  check_received();
  check_frames();
}

void Runner::check_received() {
  for (VmId v = 0; v < cfg_.vms; ++v) {
    while (auto r = sw_.receive(v)) {
      ++received_;
      if (r->from_network) {
        ++ingress_received_;
        auto& want_net = expect_net_[v];
        const auto it = want_net.find(fnv1a(r->data));
        if (it == want_net.end() || it->second == 0) {
          error("VM " + std::to_string(v) + " received a datagram of " + std::to_string(r->data.size()) +
                " bytes from the network that no external host sent to it (or it was corrupted)");
        } else {
          --it->second;
        }
        continue;
      }
      auto& want = expect_in_[v];
      const auto it = want.find(fnv1a(r->data));
      if (it == want.end() || it->second == 0) {
        error("VM " + std::to_string(v) + " received a datagram of " + std::to_string(r->data.size()) +
              " bytes from VM " + std::to_string(r->source) + " that was not sent to it (or was corrupted)");
        continue;
      }
      --it->second;
      const auto h = parse_ipv4_header(r->data);
      if (!h || h->src != Ipv4Address(192, 0, 2, static_cast<std::uint8_t>(10 + r->source))) {
        error("VM " + std::to_string(v) + " received a datagram attributed to VM " +
              std::to_string(r->source) + " whose source address is another VM's");
      }
    }
  }
}

void Runner::check_frames() {
  if (!frames_) return;
  for (const auto& f : frames_()) {
    ++frames_seen_;
    const std::span<const std::byte> frame(f);
    if (frame.size() < kEthHeader + kIpv4HeaderBytes || detail::load_be16(frame, 12) != 0x0800) {
      error("frame of " + std::to_string(frame.size()) + " bytes on the port is not Ethernet/IPv4");
      continue;
    }
    const MacAddress& dmac = cfg_.switch_config.mac_dst;
    const MacAddress& smac = cfg_.switch_config.mac_src;
    for (std::size_t i = 0; i < 6; ++i) {
      if (std::to_integer<std::uint8_t>(frame[i]) != dmac[i] ||
          std::to_integer<std::uint8_t>(frame[6 + i]) != smac[i]) {
        error("frame on the port has wrong MAC addresses");
        break;
      }
    }
    const std::size_t total = detail::load_be16(frame, kEthHeader + 2);
    if (kEthHeader + total > frame.size()) {
      error("frame of " + std::to_string(frame.size()) + " bytes is shorter than its IPv4 total length " +
            std::to_string(total));
      continue;
    }
    const auto it = expect_port_.find(fnv1a(frame.subspan(kEthHeader, total)));
    if (it == expect_port_.end() || it->second == 0) {
      error("frame on the port carries a datagram (" + std::to_string(total) +
            " bytes) that no VM sent externally, or it was corrupted or duplicated");
      continue;
    }
    --it->second;
  }
}

void Runner::check_counts(ScenarioResult& r) {
  for (VmId v = 0; v < cfg_.vms; ++v) {
    const VmStats& got = r.stats[v];
    const VmStats& want = expected_[v];
    auto cmp = [&](const std::string& what, std::uint64_t g, std::uint64_t w) {
      if (g != w) {
        error("VM " + std::to_string(v) + " " + what + ": " + std::to_string(g) + ", expected " +
              std::to_string(w));
      }
    };
    cmp("submitted", got.submitted, want.submitted);
    cmp("external", got.external, want.external);
    // A hairpin may legitimately end as INPUT_FULL; the sum must match.
    const auto input_full = got.host_drops[static_cast<unsigned>(HostDropReason::INPUT_FULL)];
    cmp("hairpin_out + input_full", got.hairpin_out + input_full, want.hairpin_out);
    for (unsigned k = 0; k < regs::kNumDropReasons; ++k) {
      cmp("drops " + std::string(regs::kDropReasonNames[k]), got.nic_drops[k], want.nic_drops[k]);
    }
    cmp("drops too_big", got.host_drops[static_cast<unsigned>(HostDropReason::TOO_BIG)],
        want.host_drops[static_cast<unsigned>(HostDropReason::TOO_BIG)]);
  }
  if (frames_ && frames_seen_ != r.totals.external) {
    error("saw " + std::to_string(frames_seen_) + " frames on the port for " +
          std::to_string(r.totals.external) + " EXTERNAL verdicts");
  }
}

ScenarioResult Runner::run() {
  for (VmId v = 0; v < cfg_.vms; ++v) {
    VmConfig vc;
    vc.name = "vm" + std::to_string(v);
    vc.addresses = {Ipv4Address(192, 0, 2, static_cast<std::uint8_t>(10 + v))};
    vc.tx_ring_log2 = cfg_.tx_ring_log2;
    vc.input_ring_log2 = cfg_.input_ring_log2;
    sw_.add_vm(vc);
  }
  if (cfg_.on_ready) cfg_.on_ready();
  constexpr std::uint64_t kServiceEvery = 32;  // batch: many descriptors per doorbell
  constexpr std::uint64_t kIngressBurst = 4;   // network frames that may arrive back to back
  // Network datagrams are spread over the run, one at a time, so they meet the VMs' traffic.
  const std::uint64_t ingress_every = cfg_.ingress ? std::max<std::uint64_t>(1, cfg_.datagrams / cfg_.ingress) : 0;
  for (std::uint64_t i = 0; i < cfg_.datagrams; ++i) {
    const auto src = static_cast<VmId>(i % cfg_.vms);
    if (ingress_every && i % ingress_every == 0 && ingress_sent_ < cfg_.ingress) {
      send_from_network(i);
      // The simulated wire only moves while the runtime lets the device run; without this,
      // frames queued between two services would arrive as one back-to-back burst.
      if (ingress_sent_ % kIngressBurst == 0) service();
    }
    const auto d = make(src, i);
    while (!sw_.send(src, d)) service();  // backpressure: let the NIC catch up
    if ((i + 1) % kServiceEvery == 0) service();
    if (cfg_.progress && cfg_.progress_every && (i + 1) % cfg_.progress_every == 0) cfg_.progress(i + 1, cfg_.datagrams);
  }
  if (cfg_.progress && cfg_.progress_every && cfg_.datagrams % cfg_.progress_every != 0) {
    cfg_.progress(cfg_.datagrams, cfg_.datagrams);
  }
  while (ingress_sent_ < cfg_.ingress) {
    send_from_network(cfg_.datagrams + ingress_sent_);
    service();
  }
  sw_.drain(cfg_.drain_timeout);
  check_received();
  // The completion may be written before the frame's last beat leaves the port.
  const std::uint64_t external = sw_.totals().external;
  for (int i = 0; i < 100 && frames_ && frames_seen_ < external; ++i) {
    device_.wait(std::chrono::microseconds(1));
    check_frames();
  }
  // Every datagram from the network is received, or refused by the NIC and counted there:
  // the generator sends only well-formed ones, so the refusals are receive-buffer overflows
  // (frames arriving faster than the RX path drains) or VMs out of posted buffers. Nothing is
  // outstanding from the runtime's side for network traffic, so wait for it here.
  std::uint64_t stale = 0;
  auto settled = [&] {
    ingress_refused_ = device_.read32(regs::drop_counter(static_cast<unsigned>(regs::DropReason::RX_OVERFLOW))) +
                       device_.read32(regs::drop_counter(static_cast<unsigned>(regs::DropReason::RX_NO_BUFFER)));
    stale = 0;
    for (const VmStats& s : sw_.all_stats()) stale += s.ingress_stale;
    return ingress_received_ + ingress_refused_ + stale >= ingress_sent_;
  };
  for (std::chrono::nanoseconds waited{0}; !settled() && waited < cfg_.drain_timeout;
       waited += cfg_.switch_config.idle_wait) {
    sw_.idle();
    check_received();
  }
  if (ingress_received_ + ingress_refused_ + stale != ingress_sent_) {
    std::string where;
    for (unsigned k = 0; k < regs::kNumDropReasons; ++k) {
      const std::uint32_t n = device_.read32(regs::drop_counter(k));
      if (n) where += " " + std::string(regs::kDropReasonNames[k]) + "=" + std::to_string(n);
    }
    error(std::to_string(ingress_sent_) + " datagrams sent from the network: " +
          std::to_string(ingress_received_) + " received by the VMs, " + std::to_string(ingress_refused_) +
          " refused by the NIC, " + std::to_string(stale) + " stale; the rest is unaccounted for (NIC drop counters:" +
          (where.empty() ? std::string(" none") : where) + ")");
  }

  ScenarioResult r;
  for (VmId v = 0; v < cfg_.vms; ++v) r.vm_names.push_back(sw_.vm_name(v));
  r.stats = sw_.all_stats();
  r.totals = sw_.totals();
  r.accounting_errors = sw_.check_accounting();
  r.frames = frames_seen_;
  r.received = received_;
  r.ingress_sent = ingress_sent_;
  r.ingress_received = ingress_received_;
  r.ingress_refused = ingress_refused_;
  r.device_time = sw_.device_time();
  check_counts(r);
  r.check_errors = std::move(errors_);
  return r;
}

void validate(const ScenarioConfig& c) {
  if (c.vms == 0 || c.vms > 245) throw ConfigError("--vms must be 1..245 (addresses 192.0.2.10..254)");
  if (c.size_min == 0 || c.size_min > c.size_max || c.size_max > 65535) {
    throw ConfigError("datagram size range " + std::to_string(c.size_min) + ":" + std::to_string(c.size_max) +
                      " is invalid: need 1 <= MIN <= MAX <= 65535");
  }
  auto fraction = [](const char* name, double f) {
    if (!(f >= 0.0 && f <= 1.0)) throw ConfigError(std::string(name) + " must be between 0 and 1");
  };
  fraction("external fraction", c.external_fraction);
  fraction("malformed fraction", c.malformed_fraction);
  if (c.external_fraction + c.malformed_fraction > 1.0) {
    throw ConfigError("external fraction + malformed fraction exceed 1");
  }
}

void validate_ingress(const ScenarioConfig& c, const FrameSink& inject) {
  if (c.ingress > 0 && !inject) {
    throw ConfigError("network traffic to the VMs needs a device with a network port to feed "
                      "(the simulation backend has one)");
  }
  if (c.ingress > 0 && std::min<std::size_t>(c.size_max, regs::MAX_DATAGRAM) < kMinUdpDatagram) {
    throw ConfigError("network traffic needs datagram sizes of at least " + std::to_string(kMinUdpDatagram) +
                      " bytes (IPv4 + UDP headers) within the size range");
  }
}

}  // namespace

ScenarioResult run_scenario(Device& device, const ScenarioConfig& config, const FrameSource& take_frames,
                            const FrameSink& inject) {
  validate(config);
  validate_ingress(config, inject);
  Runner runner(device, config, take_frames, inject);
  return runner.run();
}

}  // namespace smartnic
