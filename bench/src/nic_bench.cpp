// Throughput of the simulated NIC from simulated cycles (see bench.hpp for the definitions).
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <string>
#include <vector>

#include "smartnic/bench/bench.hpp"
#include "smartnic/errors.hpp"
#include "smartnic/ipv4.hpp"
#include "smartnic/regs.hpp"
#include "smartnic/scenario.hpp"
#include "smartnic/sim/harness.hpp"
#include "smartnic/sim_device.hpp"
#include "smartnic/switch.hpp"
#include "smartnic/vm_ip_table.hpp"

namespace smartnic::bench {

namespace {

namespace reg = regs::reg;

SimConfig sim_config(const NicBenchConfig& c) {
  SimConfig s;
  s.clock_mhz = c.clock_mhz;
  s.mem_read_latency_ns = c.mem_read_latency_ns;
  s.seed = c.seed;
  s.assertions = c.assertions;
  return s;
}

// Beats of the frame on the 512-bit stream (without FCS).
std::uint64_t beats(std::size_t frame_bytes) { return (frame_bytes - kFcsBytes + 63) / 64; }

// Datagrams for one experiment: about a million simulated cycles at one beat per cycle
// (quick: a twentieth), at most 50,000, so that the fill and drain of the ~250-cycle memory
// latency is a small part of the window.
std::uint64_t datagram_count(std::size_t frame_bytes, bool quick) {
  const std::uint64_t n = std::clamp<std::uint64_t>(800'000 / std::max<std::uint64_t>(beats(frame_bytes), 4), 4'000, 50'000);
  return quick ? std::max<std::uint64_t>(n / 20, 200) : n;
}

BusUse bus_use(const sim::AxiMemoryStats& a, const sim::AxiMemoryStats& b, std::uint64_t cycles) {
  BusUse u;
  if (cycles == 0) return u;
  u.read_bytes_per_cycle = static_cast<double>(b.bytes_read - a.bytes_read) / static_cast<double>(cycles);
  u.write_bytes_per_cycle = static_cast<double>(b.bytes_written - a.bytes_written) / static_cast<double>(cycles);
  return u;
}

std::string first_error(const ScenarioResult& r) {
  if (!r.check_errors.empty()) return r.check_errors.front();
  if (!r.accounting_errors.empty()) return r.accounting_errors.front();
  return "none";
}

double thread_cpu_seconds() {
  timespec ts{};
  if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0) return 0;
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Every datagram the NIC-alone bench posts is meant to leave the port; a drop means the NIC's
// checks changed and the bench's datagrams no longer pass them: the rate would be meaningless.
void check_no_drops(SimDevice& dev, const std::string& what) {
  for (unsigned k = 0; k < regs::kNumDropReasons; ++k) {
    if (const std::uint32_t n = dev.read32(regs::drop_counter(k)); n != 0) {
      throw Error(what + ": the NIC dropped " + std::to_string(n) + " of the bench's datagrams as '" +
                  std::string(regs::kDropReasonNames[k]) + "'; make bench/src/nic_bench.cpp build datagrams that pass");
    }
  }
}

void check_bus(SimDevice& dev, const std::string& what) {
  if (dev.protocol_violation_count() != 0) {
    throw NicProtocolError(what + ": the NIC broke a bus rule: " + dev.protocol_violation_report());
  }
}

}  // namespace

void check_frame_size(std::size_t frame_bytes) {
  const std::size_t min = kIpv4HeaderBytes + kUdpHeaderBytes + kEthHeaderBytes + kFcsBytes;  // 46
  const std::size_t max = regs::MAX_DATAGRAM + kEthHeaderBytes + kFcsBytes;                    // 9018
  if (frame_bytes < std::max<std::size_t>(min, 64) || frame_bytes > max) {
    throw ConfigError("frame size " + std::to_string(frame_bytes) + " B is outside 64.." + std::to_string(max) +
                      " B (Ethernet frames with FCS whose IPv4 datagram the NIC takes: 20..9000 B)");
  }
}

RateResult tx_runtime(const NicBenchConfig& config, std::size_t frame_bytes) {
  check_frame_size(frame_bytes);
  SimDevice dev(sim_config(config));
  ScenarioConfig sc;
  sc.vms = 4;
  sc.datagrams = datagram_count(frame_bytes, config.quick);
  sc.size_min = sc.size_max = datagram_bytes(frame_bytes);
  sc.external_fraction = 1.0;
  sc.malformed_fraction = 0.0;
  sc.seed = config.seed;
  std::uint64_t start = 0, snap = 0, frames = 0;
  sim::AxiMemoryStats m0, m1;
  sc.on_ready = [&] {
    start = dev.cycles();
    m0 = dev.memory_stats();
  };
  const FrameSource take = [&] {
    std::vector<std::vector<std::byte>> out;
    for (const auto& f : dev.take_tx_frames()) {
      const auto b = std::as_bytes(std::span(f));
      out.emplace_back(b.begin(), b.end());
    }
    frames += out.size();
    if (frames == sc.datagrams && snap == 0) {
      snap = dev.cycles();
      m1 = dev.memory_stats();
    }
    return out;
  };
  const ScenarioResult r = run_scenario(dev, sc, take);
  const std::string what = "TX bench (" + std::to_string(frame_bytes) + " B frames, through the runtime)";
  if (!r.ok()) throw Error(what + ": the scenario's checks failed: " + first_error(r));
  if (frames != sc.datagrams || snap == 0) {
    throw Error(what + ": " + std::to_string(frames) + " of " + std::to_string(sc.datagrams) + " frames left the port");
  }
  check_bus(dev, what);
  RateResult res;
  res.frame_bytes = frame_bytes;
  res.clock_mhz = config.clock_mhz;
  res.frames = frames;
  res.cycles = dev.tx_stats().last_frame_cycle - start;  // first send to the last frame's last beat
  res.bus = bus_use(m0, m1, snap - start);
  return res;
}

NicAloneResult tx_nic_alone(const NicBenchConfig& config, std::size_t frame_bytes) {
  check_frame_size(frame_bytes);
  SimDevice dev(sim_config(config));
  const std::size_t len = datagram_bytes(frame_bytes);
  // A ring deep enough that the slices between refills never let it run dry even at the
  // 1.68-cycle line-rate target (1024 frames outlast a 128-cycle slice by far).
  constexpr unsigned kRingLog2 = 10, kRing = 1U << kRingLog2, kCplLog2 = 12;
  constexpr std::uint64_t kSlice = 128;
  const std::size_t stride = (len + 63) & ~std::size_t{63};
  const std::size_t win_bytes = kRing * regs::DESC_BYTES + kRing * stride;
  const auto win = dev.alloc_dma(win_bytes);
  const auto cpl = dev.alloc_dma((std::size_t{1} << kCplLog2) * regs::CPL_BYTES);
  const auto w = win->host();
  const std::uint64_t base = win->device_address();
  UdpDatagramSpec spec;
  spec.src = Ipv4Address(192, 0, 2, 1);
  spec.dst = Ipv4Address(198, 51, 100, 7);  // in no table: EXTERNAL
  const auto d = build_udp_datagram(spec, len - kIpv4HeaderBytes - kUdpHeaderBytes);
  auto put = [&](std::size_t off, std::uint64_t v, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) w[off + i] = std::byte(static_cast<std::uint8_t>(v >> (8 * i)));
  };
  for (unsigned i = 0; i < kRing; ++i) {
    const std::size_t buf = kRing * regs::DESC_BYTES + i * stride;
    std::memcpy(&w[buf], d.data(), d.size());
    const std::size_t at = i * regs::DESC_BYTES;
    put(at + regs::tx_desc::ADDR_BYTE, base + buf, regs::tx_desc::ADDR_BYTES);
    put(at + regs::tx_desc::LEN_BYTE, len, regs::tx_desc::LEN_BYTES);
    put(at + regs::tx_desc::COOKIE_BYTE, i, regs::tx_desc::COOKIE_BYTES);
  }
  const auto vm = [](std::uint32_t r) { return regs::vm_reg(0, r); };
  auto lo = [](std::uint64_t v) { return static_cast<std::uint32_t>(v); };
  auto hi = [](std::uint64_t v) { return static_cast<std::uint32_t>(v >> 32); };
  if (dev.read32(reg::ID) != regs::kId) throw DeviceError("TX bench: the simulated NIC's ID register is wrong");
  dev.write32(reg::MAC_SRC_LO, 0x00000001);
  dev.write32(reg::MAC_SRC_HI, 0x0200);
  dev.write32(reg::MAC_DST_LO, 0x000000FE);
  dev.write32(reg::MAC_DST_HI, 0x0200);
  dev.write32(reg::CPL_BASE_LO, lo(cpl->device_address()));
  dev.write32(reg::CPL_BASE_HI, hi(cpl->device_address()));
  dev.write32(reg::CPL_SIZE_LOG2, kCplLog2);
  dev.write32(vm(reg::VM_WIN_BASE_LO), lo(base));
  dev.write32(vm(reg::VM_WIN_BASE_HI), hi(base));
  dev.write32(vm(reg::VM_WIN_SIZE_LO), lo(win_bytes));
  dev.write32(vm(reg::VM_WIN_SIZE_HI), hi(win_bytes));
  dev.write32(vm(reg::VM_TX_BASE_LO), lo(base));
  dev.write32(vm(reg::VM_TX_BASE_HI), hi(base));
  dev.write32(vm(reg::VM_TX_SIZE_LOG2), kRingLog2);
  // The sender's own address belongs to VM 0, as the runtime would set it up (so a source-address
  // check passes); the destination is in no table entry: every datagram is EXTERNAL.
  wait_table_ready(dev);
  CuckooPlacement table({regs::TABLE_WAYS, regs::TABLE_BUCKETS, regs::TABLE_SLOTS, regs::TABLE_STASH});
  for (const auto& wr : table.insert(spec.src, 0)) {
    dev.write32(reg::TBL_SLOT, static_cast<std::uint32_t>(wr.slot));
    dev.write32(reg::TBL_KEY, wr.value.key.value());
    dev.write32(reg::TBL_VALUE, (wr.value.valid ? 0x8000'0000u : 0u) | (wr.value.vm & 0xFF));
    dev.write32(reg::TBL_CMD, 1);
  }
  dev.write32(vm(reg::VM_CTRL), 1);
  dev.write32(reg::CTRL, 1);

  // Keep the ring full: every slice, tell the NIC what was reaped and post as much again.
  auto run = [&](std::uint64_t cycles) {
    const std::uint64_t until = dev.cycles() + cycles;
    while (dev.cycles() < until) {
      const auto done = dev.read32(reg::CPL_PROD) & 0xFFFF;
      dev.write32(reg::CPL_CONS, done);
      dev.write32(vm(reg::VM_TX_PROD), (done + kRing) & 0xFFFF);
      dev.run_cycles(kSlice);
      dev.take_tx_frames();
    }
  };
  const std::uint64_t window = std::clamp<std::uint64_t>(beats(frame_bytes) * 20'000, 200'000, 1'000'000) /
                               (config.quick ? 20 : 1);
  run(std::max<std::uint64_t>(4'000, window / 10));  // warm-up: the pipeline fills, memory latency covered
  const std::uint64_t c0 = dev.cycles(), f0 = dev.tx_stats().frames;
  const sim::AxiMemoryStats m0 = dev.memory_stats();
  const auto t0 = std::chrono::steady_clock::now();
  const double cpu0 = thread_cpu_seconds();
  run(window);
  const double cpu = thread_cpu_seconds() - cpu0;
  const std::chrono::duration<double> secs = std::chrono::steady_clock::now() - t0;
  const std::string what = "TX bench (" + std::to_string(frame_bytes) + " B frames, NIC alone)";
  check_bus(dev, what);
  check_no_drops(dev, what);
  NicAloneResult res;
  res.frame_bytes = frame_bytes;
  res.clock_mhz = config.clock_mhz;
  res.frames = dev.tx_stats().frames - f0;
  res.cycles = dev.cycles() - c0;
  res.bus = bus_use(m0, dev.memory_stats(), res.cycles);
  res.sim_cycles_per_second = secs.count() > 0 ? static_cast<double>(res.cycles) / secs.count() : 0;
  res.sim_cycles_per_cpu_second = cpu > 0 ? static_cast<double>(res.cycles) / cpu : 0;
  return res;
}

RxResult rx_line_rate(const NicBenchConfig& config, std::size_t frame_bytes) {
  check_frame_size(frame_bytes);
  SimDevice dev(sim_config(config));
  const SwitchConfig swc;
  Switch sw(dev, swc);
  // Each VM posts 512 buffers (2048 in all, ~3400 cycles of 64 B frames at line rate), far more
  // than arrive between two polls, so the runtime never starves the NIC; TX rings are minimal.
  constexpr unsigned kVms = 4;
  for (unsigned v = 0; v < kVms; ++v) {
    VmConfig vc{"vm" + std::to_string(v), {Ipv4Address(192, 0, 2, static_cast<std::uint8_t>(10 + v))}, 2, 2, 9};
    sw.add_vm(vc);
  }
  // One frame per VM, reused: the NIC sees the bytes, the bench only counts.
  std::vector<std::vector<std::uint8_t>> frames;
  for (unsigned v = 0; v < kVms; ++v) {
    UdpDatagramSpec spec;
    spec.src = Ipv4Address(198, 51, 100, 1);
    spec.dst = Ipv4Address(192, 0, 2, static_cast<std::uint8_t>(10 + v));
    const auto d = build_udp_datagram(spec, datagram_bytes(frame_bytes) - kIpv4HeaderBytes - kUdpHeaderBytes);
    std::vector<std::uint8_t> f(swc.mac_src.begin(), swc.mac_src.end());  // to the NIC
    f.insert(f.end(), swc.mac_dst.begin(), swc.mac_dst.end());           // from the next hop
    f.push_back(0x08);
    f.push_back(0x00);
    for (const std::byte b : d) f.push_back(std::to_integer<std::uint8_t>(b));
    frames.push_back(std::move(f));
  }
  std::uint64_t drops0[regs::kNumDropReasons];
  for (unsigned k = 0; k < regs::kNumDropReasons; ++k) drops0[k] = dev.read32(regs::drop_counter(k));

  dev.harness().rx().set_line_rate_gbps(kLineRateGbps);
  const std::uint64_t n = datagram_count(frame_bytes, config.quick);
  const std::uint64_t start = dev.cycles();
  const sim::AxiMemoryStats m0 = dev.memory_stats();
  std::uint64_t injected = 0, delivered = 0, refused = 0;
  std::uint64_t drops[regs::kNumDropReasons] = {};
  // Generous bound: the offered duration plus the drain of a full receive buffer, many times over.
  const std::uint64_t limit = start + 20 * (n * beats(frame_bytes) * 2 + 100'000);
  for (;;) {
    // Keep a few hundred frames queued at the wire; the source paces them at line rate.
    while (injected < n && dev.harness().rx().queued() < 256) dev.inject_rx_frame(frames[injected++ % kVms]);
    sw.idle();  // 200 ns of device time, then reap, deliver and repost
    for (unsigned v = 0; v < kVms; ++v) {
      while (sw.receive(v)) ++delivered;
    }
    if (injected == n && dev.rx_idle()) {
      refused = 0;
      for (unsigned k = 0; k < regs::kNumDropReasons; ++k) {
        drops[k] = dev.read32(regs::drop_counter(k)) - drops0[k];
        refused += drops[k];
      }
      if (delivered + refused >= n) break;
    }
    if (dev.cycles() > limit) {
      throw DrainTimeout("RX bench (" + std::to_string(frame_bytes) + " B frames): after " +
                         std::to_string(dev.cycles() - start) + " cycles, " + std::to_string(delivered) +
                         " delivered and " + std::to_string(refused) + " refused of " + std::to_string(n));
    }
  }
  const std::uint64_t end = dev.cycles();
  check_bus(dev, "RX bench (" + std::to_string(frame_bytes) + " B frames)");
  RxResult res;
  res.frame_bytes = frame_bytes;
  res.clock_mhz = config.clock_mhz;
  res.frames = delivered;
  res.cycles = end - start;
  res.bus = bus_use(m0, dev.memory_stats(), res.cycles);
  res.offered = n;
  // From the wire itself: n frames in the time it took to carry all of them (line rate unless
  // the bench failed to keep frames queued).
  const std::uint64_t offered_cycles = dev.rx_stats().last_frame_cycle - start;
  res.offered_mpps = offered_cycles ? static_cast<double>(n) * config.clock_mhz / static_cast<double>(offered_cycles) : 0;
  res.drops_overflow = drops[static_cast<unsigned>(regs::DropReason::RX_OVERFLOW)];
  res.drops_no_buffer = drops[static_cast<unsigned>(regs::DropReason::RX_NO_BUFFER)];
  res.drops_other = refused - res.drops_overflow - res.drops_no_buffer;
  return res;
}

}  // namespace smartnic::bench
