// Randomized fault test of the whole Verilated NIC under the real runtime: many VMs send a mix
// of valid, malformed, spoofed, out-of-window and unreadable datagrams, to each other, to the
// network and to addresses that move between VMs while traffic flows; external hosts send to
// the VMs, some frames bad; the MAC stalls and host memory is slow, per test case. Every
// datagram is predicted by the independent reference model and must end up exactly once at the
// predicted place, byte for byte, or be dropped with the predicted reason, counted; the NIC's
// counters must equal the runtime's and the model's.
//
// Parameters (environment): SMARTNIC_FAULT_DATAGRAMS (per test case, default 500000: two cases
// make the 1 M of CI), SMARTNIC_FAULT_SEED (default 1).
//
// What cannot be predicted per datagram, and how it is checked instead:
//  - a datagram to an address that moves while it is in flight may go to any VM that owned the
//    address between its send and its receipt, to the port (the address was briefly unowned),
//    or be dropped by the runtime as STALE_OWNER; never to a VM whose ownership ended before it
//    was sent, never twice, and the unseen ones must equal the STALE_OWNER drops;
//  - frames from the network may be refused for lack of room (RX_OVERFLOW, RX_NO_BUFFER, and a
//    frame for no VM may be refused for room before its lookup): the delivered and the refused
//    must add up to what was sent.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "smartnic/ipv4.hpp"
#include "smartnic/refmodel.hpp"
#include "smartnic/regs.hpp"
#include "smartnic/sim_device.hpp"
#include "smartnic/switch.hpp"

namespace smartnic {
namespace {

using namespace std::chrono_literals;
namespace reg = regs::reg;
using R = regs::DropReason;

std::uint64_t env_u64(const char* name, std::uint64_t fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::strtoull(v, nullptr, 0) : fallback;
}

constexpr unsigned kVms = 8;
constexpr unsigned kFloating = 8;            // addresses that move between VMs
constexpr std::size_t kTagOffset = 20 + 8;   // IPv4 header (IHL 5) + UDP header
constexpr std::uint64_t kNoTag = ~0ull;

Ipv4Address vm_ip(unsigned v) { return Ipv4Address(192, 0, 2, std::uint8_t(10 + v)); }
Ipv4Address floating_ip(unsigned i) { return Ipv4Address(192, 0, 2, std::uint8_t(200 + i)); }

std::uint64_t fnv1a(const std::byte* p, std::size_t n) {
  std::uint64_t h = 1469598103934665603ull;
  for (std::size_t i = 0; i < n; i++) h = (h ^ std::to_integer<std::uint64_t>(p[i])) * 1099511628211ull;
  return h;
}

std::uint64_t tag_of(const std::byte* d, std::size_t len) {
  if (len < kTagOffset + 8) return kNoTag;
  std::uint64_t t = 0;
  std::memcpy(&t, d + kTagOffset, 8);
  return t;
}

std::vector<std::byte> tagged(Ipv4Address src, Ipv4Address dst, std::uint64_t tag, std::size_t len) {
  std::vector<std::byte> payload(len - kTagOffset);
  for (std::size_t i = 0; i < payload.size(); i++) payload[i] = std::byte(i * 29 + tag);
  std::memcpy(payload.data(), &tag, std::min<std::size_t>(8, payload.size()));
  return build_udp_datagram(UdpDatagramSpec{.src = src, .dst = dst}, payload);
}

void fix_checksum(std::vector<std::byte>& d) {
  d[10] = d[11] = std::byte{0};
  const auto c = internet_checksum(std::span(d).first(std::size_t(std::to_integer<unsigned>(d[0]) & 0xF) * 4));
  d[10] = std::byte(c >> 8);
  d[11] = std::byte(c & 0xFF);
}

// What the test expects of one tagged datagram.
enum class Kind : std::uint8_t {
  EXTERNAL,   // on the port
  HAIRPIN,    // at VM `dst`
  DROP,       // counted on the sender as `reason`, never seen
  MOVING,     // to a floating address: see the header comment
  INGRESS,    // from the network to VM `dst`, or refused for room
};

struct Expect {
  Kind kind = Kind::DROP;
  std::uint8_t src = 0;
  std::uint8_t dst = 0;
  std::uint8_t floating = 0;  // MOVING: which address
  std::uint8_t seen = 0;
  std::uint64_t sent_at = 0;  // MOVING: churn epoch at send
  std::uint64_t hash = 0;
  std::uint32_t len = 0;
};

struct FaultCase {
  const char* name;
  SimConfig sim;
};
void PrintTo(const FaultCase& c, std::ostream* os) { *os << c.name; }

class RandomFaults : public ::testing::TestWithParam<FaultCase> {
 protected:
  void SetUp() override {
    datagrams_ = env_u64("SMARTNIC_FAULT_DATAGRAMS", 500'000);
    seed_ = env_u64("SMARTNIC_FAULT_SEED", 1);
  }
  std::uint64_t datagrams_ = 0, seed_ = 1;
};

TEST_P(RandomFaults, EveryDatagramAccountedExactlyOnceAsTheModelPredicts) {
  SimConfig sim = GetParam().sim;
  sim.seed = seed_;
  SimDevice dev(sim);
  Switch sw(dev);
  refmodel::ReferenceModel model;
  std::mt19937_64 rng(seed_ * 7919 + 17);
  auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
  auto pick = [&](std::uint64_t n) { return std::uniform_int_distribution<std::uint64_t>(0, n - 1)(rng); };

  for (unsigned v = 0; v < kVms; v++) {
    ASSERT_EQ(sw.add_vm({.name = "vm" + std::to_string(v), .addresses = {vm_ip(v)}, .tx_ring_log2 = 6}), v);
    model.set_owner(vm_ip(v).value(), v);
  }
  // Floating addresses: who owns each, and since which churn epoch each VM owned it last.
  std::vector<int> owner(kFloating, -1);
  std::vector<std::vector<std::pair<std::uint64_t, std::uint64_t>>> owned(kFloating * kVms);  // [from, to)
  std::uint64_t epoch = 1, moves = 0;
  auto give = [&](unsigned i, int vm) {
    if (owner[i] >= 0) {
      sw.remove_address(floating_ip(i));
      model.remove(floating_ip(i).value());
      owned[i * kVms + unsigned(owner[i])].back().second = epoch;
    }
    ++epoch;  // the delete has returned: from here on the old owner must get nothing new
    owner[i] = vm;
    if (vm >= 0) {
      sw.add_address(unsigned(vm), floating_ip(i));
      model.set_owner(floating_ip(i).value(), unsigned(vm));
      owned[i * kVms + unsigned(vm)].push_back({epoch, ~0ull});
    }
  };
  for (unsigned i = 0; i < kFloating; i++) give(i, int(i % kVms));

  // Where each VM's TX ring is, to play a guest that corrupts its own descriptors.
  std::vector<std::uint64_t> ring_base(kVms), win_base(kVms), win_size(kVms), posted(kVms, 0);
  for (unsigned v = 0; v < kVms; v++) {
    auto r64 = [&](std::uint32_t lo) {
      return std::uint64_t(dev.read32(regs::vm_reg(v, lo))) | std::uint64_t(dev.read32(regs::vm_reg(v, lo + 4))) << 32;
    };
    ring_base[v] = r64(reg::VM_TX_BASE_LO);
    win_base[v] = r64(reg::VM_WIN_BASE_LO);
    win_size[v] = r64(reg::VM_WIN_SIZE_LO);
  }
  const unsigned ring_entries = 1u << 6;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> faults;  // SLVERR ranges now armed

  std::vector<Expect> expect;
  expect.reserve(datagrams_);
  std::map<std::pair<unsigned, unsigned>, std::uint64_t> want_drops;  // (vm, reason) -> count
  std::uint64_t want_rx_first_beat[regs::kNumDropReasons] = {};       // deterministic RX drops
  std::uint64_t ingress_sent = 0, ingress_no_vm = 0;
  std::vector<std::string> errors;
  auto error = [&](std::string e) {
    if (errors.size() < 50) errors.push_back(std::move(e));
  };
  const SwitchConfig swc;

  auto collect = [&] {
    for (auto& f : dev.take_tx_frames()) {
      if (f.size() < 14 + 20 || std::memcmp(f.data(), swc.mac_dst.data(), 6) != 0 ||
          std::memcmp(f.data() + 6, swc.mac_src.data(), 6) != 0 || f[12] != 0x08 || f[13] != 0x00) {
        error("a frame with a wrong Ethernet header or too short on the port");
        continue;
      }
      const auto* d = reinterpret_cast<const std::byte*>(f.data() + 14);
      const std::size_t len = f.size() - 14;
      const std::uint64_t tag = tag_of(d, len);
      if (tag >= expect.size()) {
        error("a frame on the port that no VM sent");
        continue;
      }
      Expect& e = expect[tag];
      e.seen++;
      if (e.kind != Kind::EXTERNAL && e.kind != Kind::MOVING)
        error("tag " + std::to_string(tag) + " on the port, expected kind " + std::to_string(int(e.kind)));
      if (e.len != len || e.hash != fnv1a(d, len)) error("tag " + std::to_string(tag) + " corrupted on the port");
    }
    for (unsigned v = 0; v < kVms; v++) {
      while (auto r = sw.receive(v)) {
        const std::uint64_t tag = tag_of(r->data.data(), r->data.size());
        if (tag >= expect.size()) {
          error("vm " + std::to_string(v) + " received a datagram nobody sent");
          continue;
        }
        Expect& e = expect[tag];
        e.seen++;
        const std::string t = "tag " + std::to_string(tag);
        if (e.len != r->data.size() || e.hash != fnv1a(r->data.data(), r->data.size())) error(t + " corrupted");
        if (e.kind == Kind::INGRESS) {
          if (!r->from_network || e.dst != v) error(t + " from the network arrived at the wrong VM");
        } else if (e.kind == Kind::HAIRPIN) {
          if (r->from_network || e.dst != v || r->source != e.src)
            error(t + " hairpin for vm " + std::to_string(e.dst) + " received by vm " + std::to_string(v));
        } else if (e.kind == Kind::MOVING) {
          bool ok = false;  // v owned the address at some time between send and now
          for (auto [from, to] : owned[e.floating * kVms + v]) ok |= to >= e.sent_at;
          if (!ok || r->from_network || r->source != e.src)
            error(t + " for a moving address delivered to vm " + std::to_string(v) +
                  ", whose ownership had ended before it was sent");
        } else {
          error(t + " received by vm " + std::to_string(v) + " but expected kind " + std::to_string(int(e.kind)));
        }
      }
    }
  };

  auto settle = [&] {
    sw.drain(200ms);
    for (int i = 0; i < 10000 && !dev.rx_idle(); i++) sw.idle();
    for (int i = 0; i < 50; i++) sw.idle();  // the last RX completions
    collect();
  };

  std::uint64_t n = 0;
  while (n < datagrams_) {
    const std::uint64_t tag = expect.size();
    Expect e;
    // ---- from the network: 6 % ----
    if (chance(0.06)) {
      const unsigned v = unsigned(pick(kVms));
      auto d = tagged(Ipv4Address(198, 51, 100, std::uint8_t(1 + pick(200))), vm_ip(v), tag, 36 + pick(400));
      std::vector<std::uint8_t> f;
      for (auto b : swc.mac_src) f.push_back(b);
      for (auto b : swc.mac_dst) f.push_back(b);
      f.push_back(0x08);
      f.push_back(0x00);
      const unsigned bad = unsigned(pick(20));
      if (bad == 0) {
        d[12] ^= std::byte{0x01};  // source changed in flight: checksum wrong
        want_rx_first_beat[unsigned(R::IP_CHECKSUM)]++;
      } else if (bad == 1) {
        f[0] ^= 0x02;  // another station's MAC
        want_rx_first_beat[unsigned(R::RX_NOT_FOR_US)]++;
      } else if (bad == 2) {
        d[19] = std::byte{99};  // 192.0.2.99: no VM
        fix_checksum(d);
        ingress_no_vm++;
      } else {
        e.kind = Kind::INGRESS;
        e.dst = std::uint8_t(v);
        ingress_sent++;
      }
      for (auto b : d) f.push_back(std::uint8_t(b));
      if (f.size() < 60) f.resize(60, 0);
      e.hash = fnv1a(d.data(), d.size());
      e.len = std::uint32_t(d.size());
      expect.push_back(e);
      dev.inject_rx_frame(std::move(f));
      continue;
    }
    // ---- from a VM ----
    const unsigned src = unsigned(pick(kVms));
    std::size_t len = 36 + pick(300);
    if (chance(0.08)) len = 36 + pick(1500 - 36);
    if (chance(0.003)) len = regs::MAX_DATAGRAM - pick(64);
    const std::uint64_t what = pick(1000);
    Ipv4Address source = vm_ip(src), dst;
    int moving = -1;
    if (what < 300) {
      dst = chance(0.5) ? Ipv4Address(198, 51, 100, std::uint8_t(pick(256))) : Ipv4Address(203, 0, 113, std::uint8_t(pick(256)));
    } else if (what < 700) {
      dst = vm_ip(unsigned(pick(kVms)));
    } else if (what < 800) {
      moving = int(pick(kFloating));
      dst = floating_ip(unsigned(moving));
    } else if (what < 850) {  // spoofed: another VM's address, or nobody's
      dst = Ipv4Address(198, 51, 100, 1);
      source = chance(0.5) ? vm_ip((src + 1 + unsigned(pick(kVms - 1))) % kVms) : Ipv4Address(203, 0, 113, std::uint8_t(pick(256)));
    } else {
      dst = Ipv4Address(203, 0, 113, 9);
    }
    auto d = tagged(source, dst, tag, len);
    if (what >= 850 && what < 950) {  // malformed
      switch (pick(5)) {
        case 0: d[0] = std::byte{0x65}; break;                           // version 6
        case 1: d[0] = std::byte{0x44}; break;                           // IHL 4
        case 2: d[3] = std::byte(std::to_integer<unsigned>(d[3]) ^ 0x04); fix_checksum(d); break;  // total length
        case 3: d[8] = std::byte(std::to_integer<unsigned>(d[8]) ^ 0x10); break;    // TTL changed, checksum not
        default: d.resize(1 + pick(19)); break;                          // runt: DESC_LEN
      }
    }
    const bool corrupt_window = what >= 950 && what < 975 && d.size() >= regs::MIN_DATAGRAM;
    const bool corrupt_read = what >= 975 && d.size() >= regs::MIN_DATAGRAM;

    while (!sw.send(src, d)) {  // ring full: let the NIC work
      sw.poll();
      collect();
    }
    n++;
    // The guest's view of the descriptor the runtime just wrote.
    const std::uint64_t slot = ring_base[src] + (posted[src]++ % ring_entries) * regs::DESC_BYTES;
    auto desc = dev.memory().span(slot, regs::DESC_BYTES);
    std::uint64_t addr = 0;
    std::memcpy(&addr, desc.data() + regs::tx_desc::ADDR_BYTE, 8);
    std::uint16_t dlen = 0;
    std::memcpy(&dlen, desc.data() + regs::tx_desc::LEN_BYTE, 2);
    ASSERT_EQ(dlen, d.size()) << "the test lost track of VM " << src << "'s ring";

    refmodel::Prediction p = model.predict(d, src);
    if (corrupt_window) {  // a guest pointing its descriptor outside its own memory
      // Below the window, or starting at its end, or ending past it (a buffer 64 bytes before
      // the end holding more than 64 bytes). All 64-byte aligned: only the window check fails.
      const std::uint64_t end = win_base[src] + win_size[src];
      ASSERT_EQ(end % 64, 0u);
      const std::uint64_t bad = chance(0.5) ? win_base[src] - 4096 : (d.size() > 64 && chance(0.5) ? end - 64 : end);
      std::memcpy(desc.data() + regs::tx_desc::ADDR_BYTE, &bad, 8);
      p = refmodel::drop(R::DESC_WINDOW);
    } else if (d.size() >= regs::MIN_DATAGRAM) {
      if (corrupt_read) {  // host memory answers the datagram's read with SLVERR
        dev.memory().inject_slverr(addr, d.size());
        faults.push_back({addr, addr + d.size()});
      }
      for (auto [b, end] : faults)
        if (addr < end && addr + d.size() > b) p = refmodel::drop(R::AXI_ERROR);
    }
    e.src = std::uint8_t(src);
    e.hash = fnv1a(d.data(), d.size());
    e.len = std::uint32_t(d.size());
    if (p.verdict == regs::Verdict::DROP) {
      e.kind = Kind::DROP;
      want_drops[{src, unsigned(p.reason)}]++;
    } else if (moving >= 0) {
      e.kind = Kind::MOVING;
      e.floating = std::uint8_t(moving);
      e.sent_at = epoch;
    } else if (p.verdict == regs::Verdict::EXTERNAL) {
      e.kind = Kind::EXTERNAL;
    } else {
      e.kind = Kind::HAIRPIN;
      e.dst = std::uint8_t(p.dst_vm);
    }
    if (d.size() >= kTagOffset + 8) {
      expect.push_back(e);
    } else {  // a runt carries no tag: it is only counted
      ASSERT_EQ(e.kind, Kind::DROP);
      expect.push_back(Expect{});
    }

    if (n % 16 == 0) {
      sw.poll();
      collect();
    }
    if (n % 997 == 0) {  // table churn while traffic flows: move, or take away, an address
      const unsigned i = unsigned(pick(kFloating));
      give(i, chance(0.15) ? -1 : int(pick(kVms)));
      moves++;
    }
    if (n % 8192 == 0 || (n == datagrams_)) {  // faults are disarmed only when nothing is in flight
      settle();
      dev.memory().clear_faults();
      faults.clear();
      if (HasFatalFailure()) return;
    }
  }
  settle();

  // ---- every datagram exactly once ----
  std::uint64_t moving_unseen = 0, ingress_seen = 0;
  for (std::uint64_t t = 0; t < expect.size(); t++) {
    const Expect& e = expect[t];
    const std::string tg = "tag " + std::to_string(t);
    switch (e.kind) {
      case Kind::DROP:
        if (e.seen) error(tg + " predicted dropped but seen " + std::to_string(e.seen) + " times");
        break;
      case Kind::EXTERNAL:
      case Kind::HAIRPIN:
        if (e.seen != 1) error(tg + " (kind " + std::to_string(int(e.kind)) + ") seen " + std::to_string(e.seen) + " times");
        break;
      case Kind::MOVING:
        if (e.seen > 1) error(tg + " to a moving address seen " + std::to_string(e.seen) + " times");
        moving_unseen += e.seen == 0;
        break;
      case Kind::INGRESS:
        if (e.seen > 1) error(tg + " from the network seen " + std::to_string(e.seen) + " times");
        ingress_seen += e.seen;
        break;
    }
  }
  // ---- counters: runtime == model per VM and reason; NIC == runtime ----
  std::uint64_t stale = 0, tx_nic_drops[regs::kNumDropReasons] = {};
  for (unsigned v = 0; v < kVms; v++) {
    const VmStats s = sw.stats(v);
    for (unsigned r = 0; r < regs::kNumDropReasons; r++) {
      const auto it = want_drops.find({v, r});
      const std::uint64_t want = it == want_drops.end() ? 0 : it->second;
      tx_nic_drops[r] += s.nic_drops[r];
      if (s.nic_drops[r] != want)
        error("vm " + std::to_string(v) + " " + std::string(regs::kDropReasonNames[r]) + ": counted " +
              std::to_string(s.nic_drops[r]) + ", model predicts " + std::to_string(want));
    }
    for (unsigned h = 0; h < kNumHostDropReasons; h++) {
      if (h == unsigned(HostDropReason::STALE_OWNER)) stale += s.host_drops[h];
      else if (s.host_drops[h]) error("vm " + std::to_string(v) + " host drop " + std::to_string(h) + " counted");
    }
    EXPECT_EQ(dev.read32(regs::vm_reg(v, reg::VM_CNT_EXTERNAL)), std::uint32_t(s.external));
    // The NIC counts its verdicts; a HAIRPIN verdict the runtime then refused because the
    // address had moved is a STALE_OWNER drop on the runtime's side.
    std::uint64_t nic_dropped = 0;
    for (auto c : s.nic_drops) nic_dropped += c;
    EXPECT_EQ(dev.read32(regs::vm_reg(v, reg::VM_CNT_HAIRPIN)),
              std::uint32_t(s.hairpin_out + s.host_drops[unsigned(HostDropReason::STALE_OWNER)]));
    EXPECT_EQ(dev.read32(regs::vm_reg(v, reg::VM_CNT_DROP)), std::uint32_t(nic_dropped));
  }
  if (stale != moving_unseen)
    error("datagrams to moving addresses never seen: " + std::to_string(moving_unseen) +
          ", STALE_OWNER drops: " + std::to_string(stale));
  auto nic = [&](R r) { return std::uint64_t(dev.read32(regs::drop_counter(unsigned(r)))); };
  for (unsigned r = 0; r < regs::kNumDropReasons; r++) {
    const auto rr = R(r);
    if (rr == R::RX_OVERFLOW || rr == R::RX_NO_BUFFER || rr == R::RX_NO_VM) continue;
    if (nic(rr) != tx_nic_drops[r] + want_rx_first_beat[r])
      error(std::string("NIC drop counter ") + std::string(regs::kDropReasonNames[r]) + " = " + std::to_string(nic(rr)) +
            ", expected " + std::to_string(tx_nic_drops[r] + want_rx_first_beat[r]));
  }
  if (ingress_seen + nic(R::RX_OVERFLOW) + nic(R::RX_NO_BUFFER) + nic(R::RX_NO_VM) != ingress_sent + ingress_no_vm ||
      nic(R::RX_NO_VM) > ingress_no_vm)
    error("network frames: " + std::to_string(ingress_seen) + " delivered + " + std::to_string(nic(R::RX_OVERFLOW)) +
          " rx_overflow + " + std::to_string(nic(R::RX_NO_BUFFER)) + " rx_no_buffer + " +
          std::to_string(nic(R::RX_NO_VM)) + " rx_no_vm, sent " + std::to_string(ingress_sent) + " + " +
          std::to_string(ingress_no_vm) + " for no VM");
  for (auto& line : sw.check_accounting()) error("accounting: " + line);
  for (auto& e : errors) ADD_FAILURE() << e;

  EXPECT_EQ(dev.protocol_violation_count(), 0u) << dev.protocol_violation_report();
  EXPECT_EQ(dev.memory_stats().out_of_range_reads, 0u) << "the NIC read outside every allocation";
  EXPECT_EQ(dev.memory_stats().out_of_range_writes, 0u);

  // The mix really happened (a guard against a generator that silently stopped faulting).
  std::map<Kind, std::uint64_t> kinds;
  for (auto& e : expect) kinds[e.kind]++;
  EXPECT_GT(want_drops.size(), 20u) << "too few (VM, reason) pairs exercised";
  EXPECT_GT(kinds[Kind::MOVING], datagrams_ / 20);
  EXPECT_GT(ingress_seen, ingress_sent / 2);
  std::ostringstream summary;
  summary << GetParam().name << ": " << n << " datagrams from VMs, " << ingress_sent + ingress_no_vm
          << " + bad frames from the network; external " << kinds[Kind::EXTERNAL] << ", hairpin "
          << kinds[Kind::HAIRPIN] << ", to moving addresses " << kinds[Kind::MOVING] << " (" << moving_unseen
          << " dropped as stale_owner), dropped " << kinds[Kind::DROP] << ", network frames delivered "
          << ingress_seen << ", address moves " << moves << ", " << dev.cycles() << " cycles";
  std::printf("[ summary  ] %s\n", summary.str().c_str());
}

SimConfig with(auto change) {
  SimConfig c;
  change(c);
  return c;
}

INSTANTIATE_TEST_SUITE_P(
    Worlds, RandomFaults,
    ::testing::Values(FaultCase{"pcie_1us", SimConfig{}},
                      FaultCase{"stalling_mac_slow_memory", with([](SimConfig& c) {
                                  c.tx_ready_probability = 0.5;
                                  c.mem_read_latency_ns = 2000;
                                  c.mem_bytes_per_cycle = 32;
                                  c.mem_max_outstanding_reads = 64;
                                })}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace smartnic
