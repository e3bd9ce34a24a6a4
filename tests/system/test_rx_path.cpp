// RX path of the whole Verilated NIC, driven at register level: frames injected at the MAC
// side must land, Ethernet header removed, in the input buffers the host posted for the
// owning VM, with one RX completion each; everything else is dropped with its reason and
// counted. These tests talk to the NIC through the Device interface only, as a driver would.
#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <memory>
#include <random>
#include <span>
#include <vector>

#include "smartnic/ipv4.hpp"
#include "smartnic/regs.hpp"
#include "smartnic/sim_device.hpp"
#include "smartnic/vm_ip_table.hpp"

namespace smartnic {
namespace {

namespace reg = regs::reg;
using Bytes = std::vector<std::uint8_t>;

constexpr std::uint64_t kNicMac = 0x02'00'00'00'00'01;
constexpr std::uint64_t kPeerMac = 0x02'00'00'00'00'FE;
constexpr unsigned kRingLog2 = 6;
constexpr unsigned kRing = 1u << kRingLog2;
constexpr std::size_t kBuf = 9216;

std::uint32_t vm_ip(unsigned v) { return 0xC0000200u + 10 + v; }  // 192.0.2.(10+v)

void put_mac(Bytes& f, std::size_t at, std::uint64_t mac) {
  for (int i = 0; i < 6; i++) f[at + i] = std::uint8_t(mac >> (8 * (5 - i)));
}

// Writes the header checksum over IHL*4 bytes (the runtime's RFC 1071 helper).
void fix_checksum(Bytes& d) {
  d[10] = d[11] = 0;
  const auto c = internet_checksum(std::as_bytes(std::span(d).first(std::size_t(d[0] & 0xF) * 4)));
  d[10] = std::uint8_t(c >> 8);
  d[11] = std::uint8_t(c);
}

// An IPv4 datagram of `len` bytes from 198.51.100.1 to `dst`, payload a pattern.
Bytes datagram(std::uint32_t dst, std::size_t len, unsigned seed) {
  Bytes d(len);
  for (std::size_t i = 20; i < len; i++) d[i] = std::uint8_t(i * 13 + seed);
  d[0] = 0x45;
  d[2] = std::uint8_t(len >> 8);
  d[3] = std::uint8_t(len);
  d[8] = 64;
  d[9] = 253;
  const std::uint32_t src = 0xC6336401;
  for (int i = 0; i < 4; i++) {
    d[12 + i] = std::uint8_t(src >> (24 - 8 * i));
    d[16 + i] = std::uint8_t(dst >> (24 - 8 * i));
  }
  fix_checksum(d);
  return d;
}

// Ethernet frame around a datagram, padded to the 60-byte minimum as a real sender does.
Bytes frame(const Bytes& dg, std::uint64_t dst_mac = kNicMac, std::uint16_t ethertype = 0x0800) {
  Bytes f(14);
  put_mac(f, 0, dst_mac);
  put_mac(f, 6, kPeerMac);
  f[12] = std::uint8_t(ethertype >> 8);
  f[13] = std::uint8_t(ethertype);
  f.insert(f.end(), dg.begin(), dg.end());
  if (f.size() < 60) f.resize(60, 0);
  return f;
}

// An ARP request (operation `oper`) from the peer asking for `target`.
Bytes arp(std::uint32_t target, std::uint16_t oper = 1, std::uint64_t dst_mac = 0xFFFF'FFFF'FFFF) {
  Bytes a(28);
  a[1] = 1;        // HTYPE Ethernet
  a[2] = 0x08;     // PTYPE IPv4
  a[4] = 6;
  a[5] = 4;
  a[7] = std::uint8_t(oper);
  for (int i = 0; i < 6; i++) a[8 + i] = std::uint8_t(kPeerMac >> (8 * (5 - i)));
  const std::uint32_t spa = 0xC6336401;  // 198.51.100.1
  for (int i = 0; i < 4; i++) {
    a[14 + i] = std::uint8_t(spa >> (24 - 8 * i));
    a[24 + i] = std::uint8_t(target >> (24 - 8 * i));
  }
  return frame(a, dst_mac, 0x0806);
}

struct RxCompletion {
  std::uint32_t cookie;
  std::uint16_t idx, len;
  std::uint8_t vm, verdict, reason;
};

// A minimal RX driver: per-VM guest memory with an RX ring of posted buffers, one RX
// completion ring, VM addresses in the table.
class RxBench {
 public:
  explicit RxBench(unsigned vms = 2, SimConfig cfg = {}) : dev(cfg), table_(check_table_geometry(dev)) {
    wait_table_ready(dev);  // the table clears itself after reset
    dev.write32(reg::MAC_SRC_LO, std::uint32_t(kNicMac));
    dev.write32(reg::MAC_SRC_HI, std::uint32_t(kNicMac >> 32));
    cpl_ = dev.alloc_dma(4096 * 16);
    dev.write32(reg::RX_CPL_BASE_LO, std::uint32_t(cpl_->device_address()));
    dev.write32(reg::RX_CPL_BASE_HI, std::uint32_t(cpl_->device_address() >> 32));
    dev.write32(reg::RX_CPL_SIZE_LOG2, 12);
    dev.write32(reg::CPL_COALESCE, 32);
    for (unsigned v = 0; v < vms; v++) {
      auto& g = guests_.emplace_back(dev.alloc_dma(kRing * 16 + kRing * kBuf));
      const std::uint64_t base = g->device_address();
      dev.write32(regs::vm_reg(v, reg::VM_WIN_BASE_LO), std::uint32_t(base));
      dev.write32(regs::vm_reg(v, reg::VM_WIN_BASE_HI), std::uint32_t(base >> 32));
      dev.write32(regs::vm_reg(v, reg::VM_WIN_SIZE_LO), std::uint32_t(g->size()));
      dev.write32(regs::vm_reg(v, reg::VM_RX_BASE_LO), std::uint32_t(base));
      dev.write32(regs::vm_reg(v, reg::VM_RX_BASE_HI), std::uint32_t(base >> 32));
      dev.write32(regs::vm_reg(v, reg::VM_RX_SIZE_LOG2), kRingLog2);
      // Placement is the host's: the slots come from the same hash the NIC computes.
      for (const auto& w : table_.insert(Ipv4Address(vm_ip(v)), v)) {
        dev.write32(reg::TBL_SLOT, std::uint32_t(w.slot));
        dev.write32(reg::TBL_KEY, w.value.key.value());
        dev.write32(reg::TBL_VALUE, (w.value.valid ? 0x8000'0000u : 0u) | w.value.vm);
        dev.write32(reg::TBL_CMD, 1);
      }
      prod_.push_back(0);
    }
  }

  // Posts `n` buffers on VM v's RX ring (capacity `cap`), cookie = ring index.
  void post(unsigned v, unsigned n, std::uint16_t cap = kBuf, std::uint64_t addr_override = 0) {
    auto* g = guests_[v]->host().data();
    for (unsigned i = 0; i < n; i++) {
      const std::uint32_t idx = prod_[v]++;
      const std::uint32_t slot = idx % kRing;
      std::uint64_t addr = addr_override ? addr_override : buffer_addr(v, slot);
      std::byte* d = g + slot * 16;
      std::memset(d, 0, 16);
      std::memcpy(d + regs::rx_desc::ADDR_BYTE, &addr, 8);
      std::memcpy(d + regs::rx_desc::LEN_BYTE, &cap, 2);
      std::memcpy(d + regs::rx_desc::COOKIE_BYTE, &idx, 4);
    }
    dev.write32(regs::vm_reg(v, reg::VM_RX_PROD), prod_[v] & 0xFFFF);
  }
  std::uint64_t buffer_addr(unsigned v, unsigned slot) const {
    return guests_[v]->device_address() + kRing * 16 + std::uint64_t(slot) * kBuf;
  }
  Bytes buffer(unsigned v, unsigned slot, std::size_t len) const {
    auto* p = reinterpret_cast<const std::uint8_t*>(guests_[v]->host().data()) + kRing * 16 + slot * kBuf;
    return Bytes(p, p + len);
  }

  // Runs until every injected frame went in and the NIC is idle, then reaps completions.
  std::vector<RxCompletion> settle() {
    for (int i = 0; i < 100000 && !(dev.rx_idle() && (dev.read32(reg::STATUS) & 1)); i++) dev.run_cycles(64);
    dev.run_cycles(200);  // let a partly filled completion beat be written (coalescing)
    std::vector<RxCompletion> out;
    auto* ring = cpl_->host().data();
    for (;;) {
      std::byte* e = ring + (cons_ % 4096) * 16;
      const bool phase = (std::uint8_t(e[15]) >> 7) & 1;
      if (phase != (((cons_ / 4096) & 1) == 0)) break;
      RxCompletion c{};
      std::memcpy(&c.cookie, e + regs::rx_cpl::COOKIE_BYTE, 4);
      std::memcpy(&c.idx, e + regs::rx_cpl::RING_IDX_BYTE, 2);
      std::memcpy(&c.len, e + regs::rx_cpl::LEN_BYTE, 2);
      c.vm = std::uint8_t(e[regs::rx_cpl::DST_VM_BYTE]);
      c.verdict = std::uint8_t(e[regs::rx_cpl::VERDICT_BYTE]);
      c.reason = std::uint8_t(e[regs::rx_cpl::REASON_BYTE]);
      out.push_back(c);
      cons_++;
    }
    dev.write32(reg::RX_CPL_CONS, cons_ & 0xFFFF);
    return out;
  }
  std::uint32_t drops(regs::DropReason r) { return dev.read32(regs::drop_counter(unsigned(r))); }

  SimDevice dev;

 private:
  VmIpTable table_;
  std::unique_ptr<DmaBuffer> cpl_;
  std::vector<std::unique_ptr<DmaBuffer>> guests_;
  std::vector<std::uint32_t> prod_;
  std::uint32_t cons_ = 0;
};

constexpr auto DELIVER = std::uint8_t(regs::Verdict::DELIVER);
constexpr auto DROP = std::uint8_t(regs::Verdict::DROP);

TEST(RxPath, DatagramLandsInTheOwningVmsBufferWithoutItsEthernetHeader) {
  RxBench b;
  b.post(1, 4);
  auto dg = datagram(vm_ip(1), 100, 1);
  b.dev.inject_rx_frame(frame(dg));
  auto c = b.settle();
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].verdict, DELIVER);
  EXPECT_EQ(c[0].vm, 1);
  EXPECT_EQ(c[0].len, 100);
  EXPECT_EQ(c[0].cookie, 0u);
  EXPECT_EQ(b.buffer(1, 0, 100), dg);
  EXPECT_EQ(b.dev.read32(regs::vm_reg(1, reg::VM_CNT_RX)), 1u);
  EXPECT_EQ(b.dev.read32(regs::vm_reg(1, reg::VM_CNT_RX_BYTES)), 100u);
  EXPECT_EQ(b.dev.read32(regs::vm_reg(1, reg::VM_RX_FETCH)), 1u);
  EXPECT_EQ(b.dev.read32(reg::RX_FRAMES), 1u);
  EXPECT_EQ(b.dev.protocol_violation_count(), 0u) << b.dev.protocol_violation_report();
}

// Removing 14 bytes shifts every byte across the beats: every length the NIC accepts, with
// the frames back to back and the buffers recycled as the host would.
TEST(RxPath, EveryLengthFrom20To9000IsDeliveredIntact) {
  RxBench b(1);
  b.post(0, kRing);
  std::size_t len = 20, checked = 0;
  std::map<unsigned, std::size_t> in_buffer;  // ring slot -> length expected there
  while (checked < regs::MAX_DATAGRAM - 19) {
    // A burst the receive buffer can always take (512 beats, a frame admitted only with
    // room for a maximum-size one): the point here is the data, overflow is tested below.
    std::size_t beats = 0;
    for (unsigned k = 0; k < kRing / 2 && len <= regs::MAX_DATAGRAM && beats + len / 64 + 1 <= 300; k++, len++) {
      b.dev.inject_rx_frame(frame(datagram(vm_ip(0), len, unsigned(len))));
      beats += len / 64 + 1;
    }
    for (auto& c : b.settle()) {
      const std::size_t want = checked + 20;
      ASSERT_EQ(c.verdict, DELIVER) << "length " << want << " reason " << int(c.reason);
      ASSERT_EQ(c.len, want);
      ASSERT_EQ(b.buffer(0, c.idx % kRing, want), datagram(vm_ip(0), want, unsigned(want))) << "length " << want;
      checked++;
      b.post(0, 1);  // recycle
    }
  }
  EXPECT_EQ(b.dev.read32(regs::vm_reg(0, reg::VM_CNT_RX)), regs::MAX_DATAGRAM - 19);
  EXPECT_EQ(b.drops(regs::DropReason::RX_OVERFLOW), 0u);
  EXPECT_EQ(b.dev.protocol_violation_count(), 0u) << b.dev.protocol_violation_report();
}

TEST(RxPath, EachBadFrameIsDroppedWithItsReason) {
  RxBench b(2);
  using R = regs::DropReason;
  b.post(0, 2, 64);  // small buffers: a longer datagram does not fit
  auto ok = datagram(vm_ip(0), 60, 0);
  b.dev.inject_rx_frame(frame(ok, 0x02'00'00'00'00'99));               // another MAC
  b.dev.inject_rx_frame(frame(ok, kNicMac, 0x86DD));                   // IPv6
  b.dev.inject_rx_frame(arp(vm_ip(0), /*oper=*/2));                    // ARP reply: not ours to take
  b.dev.inject_rx_frame(frame(datagram(0xCB007101, 60, 0)));           // no VM owns it
  b.dev.inject_rx_frame(frame(ok), /*bad=*/true);                      // bad FCS
  Bytes runt = frame(ok);
  runt.resize(30);
  b.dev.inject_rx_frame(runt);                                         // runt
  auto v6 = ok;
  v6[0] = 0x65;
  b.dev.inject_rx_frame(frame(v6));                                    // IP version
  auto longer = ok;
  longer[3] = 200;                                                     // says 200, carries 60
  fix_checksum(longer);
  b.dev.inject_rx_frame(frame(longer));
  auto bad_sum = ok;
  bad_sum[15] ^= 0x40;                                                 // source changed in flight
  b.dev.inject_rx_frame(frame(bad_sum));
  Bytes options = datagram(vm_ip(0), 60, 0);
  options[0] = 0x4D;  // IHL 13: 52 header bytes, more than the parser sees in the first beat
  fix_checksum(options);
  b.dev.inject_rx_frame(frame(options));
  b.dev.inject_rx_frame(frame(datagram(vm_ip(1), 60, 0)));             // VM 1 posted nothing
  b.dev.inject_rx_frame(frame(datagram(vm_ip(0), 100, 0)));            // too big for 64 B
  b.dev.inject_rx_frame(frame(ok, 0xFFFF'FFFF'FFFF));                  // broadcast: accepted
  auto c = b.settle();
  EXPECT_EQ(b.drops(R::RX_NOT_FOR_US), 1u);
  EXPECT_EQ(b.drops(R::RX_ETHERTYPE), 1u);
  EXPECT_EQ(b.drops(R::ARP_UNHANDLED), 1u);
  EXPECT_EQ(b.drops(R::RX_NO_VM), 1u);
  EXPECT_EQ(b.drops(R::RX_BAD_FRAME), 2u);
  EXPECT_EQ(b.drops(R::IP_VERSION), 1u);
  EXPECT_EQ(b.drops(R::IP_LEN), 1u);
  EXPECT_EQ(b.drops(R::IP_CHECKSUM), 1u);
  EXPECT_EQ(b.drops(R::IP_IHL), 1u);
  EXPECT_EQ(b.drops(R::RX_NO_BUFFER), 1u);
  EXPECT_EQ(b.drops(R::RX_TOO_BIG), 1u);
  EXPECT_EQ(b.dev.read32(reg::RX_FRAMES), 13u);
  // The too-big datagram returned its buffer with the reason; the broadcast one used the other.
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].verdict, DROP);
  EXPECT_EQ(c[0].reason, std::uint8_t(R::RX_TOO_BIG));
  EXPECT_EQ(c[1].verdict, DELIVER);
  EXPECT_EQ(c[1].len, 60);
  EXPECT_EQ(b.buffer(0, 1, 60), ok);
  EXPECT_EQ(b.dev.read32(regs::vm_reg(0, reg::VM_CNT_RX_DROP)), 3u);  // bad FCS, IP_LEN, too big
  EXPECT_EQ(b.dev.read32(regs::vm_reg(1, reg::VM_CNT_RX_DROP)), 1u);
}

// IP mode: the VMs have no MAC on the wire, so the NIC answers ARP for their addresses
// with its own MAC, and only for their addresses.
TEST(RxPath, ArpRequestsForVmAddressesAreAnsweredWithTheNicsMac) {
  RxBench b(2);
  b.dev.inject_rx_frame(arp(vm_ip(1)));
  b.dev.inject_rx_frame(arp(0xC0000263));                  // 192.0.2.99: no VM
  b.dev.inject_rx_frame(arp(vm_ip(0), 1, kNicMac));        // unicast request: answered too
  b.settle();
  auto replies = b.dev.take_tx_frames();
  ASSERT_EQ(replies.size(), 2u);
  for (std::size_t k = 0; k < 2; k++) {
    const Bytes& r = replies[k];
    const std::uint32_t asked = k == 0 ? vm_ip(1) : vm_ip(0);
    ASSERT_EQ(r.size(), 60u);
    Bytes want(60);
    put_mac(want, 0, kPeerMac);
    put_mac(want, 6, kNicMac);
    want[12] = 0x08;
    want[13] = 0x06;
    want[15] = 1;
    want[16] = 0x08;
    want[18] = 6;
    want[19] = 4;
    want[21] = 2;                                          // reply
    put_mac(want, 22, kNicMac);                            // "asked is at" the NIC
    for (int i = 0; i < 4; i++) want[28 + i] = std::uint8_t(asked >> (24 - 8 * i));
    put_mac(want, 32, kPeerMac);
    for (int i = 0; i < 4; i++) want[38 + i] = std::uint8_t(0xC6336401u >> (24 - 8 * i));
    EXPECT_EQ(r, want) << "reply " << k;
  }
  EXPECT_EQ(b.dev.read32(reg::ARP_REPLIES), 2u);
  EXPECT_EQ(b.drops(regs::DropReason::ARP_UNHANDLED), 1u);
  EXPECT_EQ(b.dev.protocol_violation_count(), 0u) << b.dev.protocol_violation_report();
}

// A descriptor naming memory outside the VM's window is refused without writing anything.
TEST(RxPath, BufferOutsideTheWindowIsNeverWritten) {
  RxBench b(2);
  const std::uint64_t foreign = b.buffer_addr(1, 3);  // VM 1's memory, posted on VM 0's ring
  b.post(0, 1, kBuf, foreign);
  b.dev.inject_rx_frame(frame(datagram(vm_ip(0), 500, 3)));
  auto c = b.settle();
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].verdict, DROP);
  EXPECT_EQ(c[0].reason, std::uint8_t(regs::DropReason::DESC_WINDOW));
  EXPECT_EQ(b.buffer(1, 3, 500), Bytes(500, 0));
  EXPECT_EQ(b.drops(regs::DropReason::DESC_WINDOW), 1u);
}

// The NIC writes whole 64-byte beats: a buffer whose datagram ends inside the window but whose
// last beat would not is refused too, so a window that does not end on a 64-byte boundary is
// never overrun by up to 63 bytes.
TEST(RxPath, LastBeatPastAWindowEndThatIsNotBeatAlignedIsRefused) {
  RxBench b(1);
  const std::uint64_t buf = b.buffer_addr(0, 0);
  const std::uint64_t base = buf - kRing * 16;  // the window starts at the ring
  const std::uint64_t size = (buf - base) + 510;  // ends 2 bytes before the 8th beat's end
  b.dev.write32(regs::vm_reg(0, reg::VM_WIN_SIZE_LO), std::uint32_t(size));
  b.post(0, 1, kBuf, buf);
  b.dev.inject_rx_frame(frame(datagram(vm_ip(0), 500, 1)));   // 8 beats: 512 > 510
  auto c = b.settle();
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].verdict, DROP);
  EXPECT_EQ(c[0].reason, std::uint8_t(regs::DropReason::DESC_WINDOW));
  EXPECT_EQ(b.buffer(0, 0, 512), Bytes(512, 0)) << "written although refused";
  b.post(0, 1, kBuf, buf);
  b.dev.inject_rx_frame(frame(datagram(vm_ip(0), 448, 2)));   // 7 beats: 448 <= 510
  c = b.settle();
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].verdict, DELIVER);
  EXPECT_EQ(b.buffer(0, 0, 448), datagram(vm_ip(0), 448, 2));
}

// Frames arrive back to back at one beat per cycle, faster than the host can take small
// ones: the NIC never stalls the MAC; what does not fit is dropped as RX_OVERFLOW, and every
// frame is either delivered or counted.
TEST(RxPath, LineRateBurstIsDeliveredOrCountedNeverLost) {
  RxBench b(4);
  for (unsigned v = 0; v < 4; v++) b.post(v, kRing);
  std::mt19937 rng(5);
  const unsigned kFrames = 600;
  std::vector<unsigned> sent_to(4, 0);
  for (unsigned i = 0; i < kFrames; i++) {
    unsigned v = rng() % 4;
    std::size_t len = 46 + rng() % 2000;
    b.dev.inject_rx_frame(frame(datagram(vm_ip(v), len, i)));
    sent_to[v]++;
  }
  auto c = b.settle();
  std::uint64_t delivered = 0;
  for (auto& x : c) delivered += x.verdict == DELIVER;
  std::uint64_t dropped = 0;
  for (unsigned r = 0; r < regs::kNumDropReasons; r++) dropped += b.dev.read32(regs::drop_counter(r));
  EXPECT_EQ(delivered + dropped, kFrames);
  EXPECT_EQ(b.dev.read32(reg::RX_FRAMES), kFrames);
  std::uint64_t per_vm = 0;
  for (unsigned v = 0; v < 4; v++)
    per_vm += b.dev.read32(regs::vm_reg(v, reg::VM_CNT_RX)) + b.dev.read32(regs::vm_reg(v, reg::VM_CNT_RX_DROP));
  EXPECT_EQ(per_vm + b.drops(regs::DropReason::RX_OVERFLOW), kFrames);
  EXPECT_EQ(b.dev.protocol_violation_count(), 0u) << b.dev.protocol_violation_report();
}

}  // namespace
}  // namespace smartnic
