// Model speed benchmark: keeps VM 0's TX ring full of valid IPv4 datagrams (all EXTERNAL) on
// the simulated NIC and reports simulated cycles per second of host time, with the resulting
// traffic, memory-model and protocol figures.
//
//   smartnic_sim_speed [cycles=2000000] [datagram_bytes=256] [fst_path or -] [fast|checked]
//
// The fast NIC model by default; `checked` runs the one with the RTL's assertions (the tests').
// Built against the traced model (smartnic_sim_speed) and, with -DSMARTNIC_SIM_BENCH_NOTRACE=ON,
// against a model verilated without TRACE_FST (smartnic_sim_speed_notrace) to price tracing.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "smartnic/regs.hpp"
#include "smartnic/sim_device.hpp"

namespace {

using namespace smartnic;

void put(std::span<std::byte> s, std::size_t off, std::uint64_t v, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) s[off + i] = std::byte(static_cast<std::uint8_t>(v >> (8 * i)));
}

int run(int argc, char** argv) {
  const std::uint64_t cycles = argc > 1 ? std::strtoull(argv[1], nullptr, 0) : 2'000'000;
  const std::uint32_t len = argc > 2 ? static_cast<std::uint32_t>(std::strtoul(argv[2], nullptr, 0)) : 256;
  SimConfig cfg;
  if (argc > 3 && std::string(argv[3]) != "-") cfg.fst_path = argv[3];
  cfg.assertions = argc > 4 && std::string(argv[4]) == "checked";
  if (argc > 4 && !cfg.assertions && std::string(argv[4]) != "fast") throw DeviceError("model must be fast or checked");
  if (len < 20 || len > 9000) throw DeviceError("datagram length must be 20..9000");

  SimDevice dev(cfg);
  constexpr unsigned kRingLog2 = 8, kRing = 1U << kRingLog2, kCplLog2 = 10;
  const std::size_t stride = (len + 63) & ~std::size_t{63};
  const std::size_t win_bytes = kRing * regs::DESC_BYTES + kRing * stride;
  auto win = dev.alloc_dma(win_bytes);
  auto cpl = dev.alloc_dma((1U << kCplLog2) * regs::CPL_BYTES);
  auto w = win->host();
  const std::uint64_t base = win->device_address();
  for (unsigned i = 0; i < kRing; ++i) {
    const std::size_t buf = kRing * regs::DESC_BYTES + i * stride;
    // IPv4 header: version 4, IHL 5, total length, TTL 64, UDP, 192.0.2.1 -> 198.51.100.7
    w[buf + 0] = std::byte{0x45};
    w[buf + 2] = std::byte(len >> 8);
    w[buf + 3] = std::byte(len & 0xFF);
    w[buf + 8] = std::byte{64};
    w[buf + 9] = std::byte{17};
    const std::uint8_t ips[8] = {192, 0, 2, 1, 198, 51, 100, 7};
    std::memcpy(&w[buf + 12], ips, 8);
    std::uint32_t sum = 0;  // header checksum (RFC 1071)
    for (std::size_t k = 0; k < 20; k += 2)
      sum += std::to_integer<std::uint32_t>(w[buf + k]) << 8 | std::to_integer<std::uint32_t>(w[buf + k + 1]);
    while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
    w[buf + 10] = std::byte(static_cast<std::uint8_t>(~sum >> 8));
    w[buf + 11] = std::byte(static_cast<std::uint8_t>(~sum));
    const std::size_t d = i * regs::DESC_BYTES;
    put(w, d + regs::tx_desc::ADDR_BYTE, base + buf, regs::tx_desc::ADDR_BYTES);
    put(w, d + regs::tx_desc::LEN_BYTE, len, regs::tx_desc::LEN_BYTES);
    put(w, d + regs::tx_desc::COOKIE_BYTE, i, regs::tx_desc::COOKIE_BYTES);
  }
  if (dev.read32(regs::reg::ID) != regs::kId) throw DeviceError("ID register mismatch");
  const auto vm = [](std::uint32_t r) { return regs::vm_reg(0, r); };
  dev.write32(regs::reg::MAC_SRC_LO, 0x00000001);
  dev.write32(regs::reg::MAC_SRC_HI, 0x0200);
  dev.write32(regs::reg::MAC_DST_LO, 0x00000002);
  dev.write32(regs::reg::MAC_DST_HI, 0x0200);
  dev.write32(regs::reg::CPL_BASE_LO, static_cast<std::uint32_t>(cpl->device_address()));
  dev.write32(regs::reg::CPL_BASE_HI, static_cast<std::uint32_t>(cpl->device_address() >> 32));
  dev.write32(regs::reg::CPL_SIZE_LOG2, kCplLog2);
  dev.write32(vm(regs::reg::VM_WIN_BASE_LO), static_cast<std::uint32_t>(base));
  dev.write32(vm(regs::reg::VM_WIN_BASE_HI), static_cast<std::uint32_t>(base >> 32));
  dev.write32(vm(regs::reg::VM_WIN_SIZE_LO), static_cast<std::uint32_t>(win_bytes));
  dev.write32(vm(regs::reg::VM_WIN_SIZE_HI), 0);
  dev.write32(vm(regs::reg::VM_TX_BASE_LO), static_cast<std::uint32_t>(base));
  dev.write32(vm(regs::reg::VM_TX_BASE_HI), static_cast<std::uint32_t>(base >> 32));
  dev.write32(vm(regs::reg::VM_TX_SIZE_LOG2), kRingLog2);
  // The source 192.0.2.1 must be VM 0's or the NIC drops every datagram as spoofed. Without the
  // host's placement code, the key goes into stash slot 0, which matches any key; the table
  // takes writes once it has cleared itself after reset.
  dev.run_cycles(regs::TABLE_BUCKETS + 64);
  dev.write32(regs::reg::TBL_SLOT, regs::TABLE_ENTRIES - regs::TABLE_STASH);
  dev.write32(regs::reg::TBL_KEY, 0xC0000201);
  dev.write32(regs::reg::TBL_VALUE, 0x8000'0000u);  // valid, VM 0
  dev.write32(regs::reg::TBL_CMD, 1);
  dev.write32(vm(regs::reg::VM_CTRL), 1);
  dev.write32(regs::reg::CTRL, 1);

  // Keep the ring full: every slice, retire what completed and post as many again.
  constexpr std::uint64_t kSlice = 2000;
  std::uint32_t done = 0;
  const auto t0 = std::chrono::steady_clock::now();
  const std::uint64_t c0 = dev.cycles();
  std::uint64_t frames = 0;
  while (dev.cycles() - c0 < cycles) {
    done = dev.read32(regs::reg::CPL_PROD) & 0xFFFF;
    dev.write32(regs::reg::CPL_CONS, done);
    dev.write32(vm(regs::reg::VM_TX_PROD), (done + kRing) & 0xFFFF);
    dev.run_cycles(kSlice);
    frames += dev.take_tx_frames().size();
  }
  const std::chrono::duration<double> secs = std::chrono::steady_clock::now() - t0;
  const double n = double(dev.cycles() - c0);
  const auto& m = dev.memory_stats();
  std::printf("model: %s\n", dev.describe().c_str());
  std::printf("%.0f cycles in %.2f s: %.3f M cycles/s\n", n, secs.count(), n / secs.count() / 1e6);
  std::printf("frames %llu (%u B datagrams): %.2f Gbit/s of frames at %.0f MHz\n",
              static_cast<unsigned long long>(frames), len,
              double(dev.tx_stats().bytes) * 8 / (n / cfg.clock_mhz * 1e-6) / 1e9, cfg.clock_mhz);
  std::printf("memory: AR %llu, R beats %llu, AW %llu, W beats %llu, max reads outstanding %llu, "
              "read latency min/avg/max %llu/%.1f/%llu cycles\n",
              static_cast<unsigned long long>(m.ar_count), static_cast<unsigned long long>(m.r_beats),
              static_cast<unsigned long long>(m.aw_count), static_cast<unsigned long long>(m.w_beats),
              static_cast<unsigned long long>(m.max_reads_outstanding),
              static_cast<unsigned long long>(m.read_latency_min),
              m.ar_count ? double(m.read_latency_sum) / double(m.ar_count) : 0.0,
              static_cast<unsigned long long>(m.read_latency_max));
  std::printf("protocol violations: %llu %s\n", static_cast<unsigned long long>(dev.protocol_violation_count()),
              dev.protocol_violation_report().c_str());
  return dev.protocol_violation_count() == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sim_speed: %s\n", e.what());
    return 2;
  }
}
