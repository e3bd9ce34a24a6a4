// Host hairpin against memcpy, on one core, in one run (see bench.hpp).
//
// Both loops go through the same three phases per batch of datagrams, and only the middle one
// is timed, so both see the same cache state:
//   1. the sender writes its output buffers       hairpin: Switch::send + flush (the loopback
//                                                  NIC writes the completions here)
//                                                  memcpy: memcpy into the same kind of buffers
//   2. delivery                          (timed)   hairpin: Switch::poll: reap the completions,
//                                                  owner check, copy into the receiver's input
//                                                  ring, recycle the sender's buffers
//                                                  memcpy: memcpy of the same bytes between
//                                                  buffers at the same places
//   3. the receiver takes the datagrams out        Switch::receive / the same copy-out
// Repetitions alternate between the two loops and the best of each is kept, so a burst of load
// from other processes on the shared machine hits both alike and rarely the best.
#include <algorithm>
#include <chrono>
#include <cstring>
#include <string>
#include <vector>

#include "loopback_nic.hpp"
#include "smartnic/bench/bench.hpp"
#include "smartnic/errors.hpp"
#include "smartnic/guest_memory.hpp"
#include "smartnic/ipv4.hpp"
#include "smartnic/switch.hpp"

namespace smartnic::bench {

namespace {

using Clock = std::chrono::steady_clock;

constexpr unsigned kRingLog2 = 8;     // the runtime's default TX and input rings
constexpr std::size_t kBatch = 64;    // datagrams per doorbell / poll (the CLI scenario uses 32)

// Median batch time x batches (every batch but the last is full; see HairpinResult).
double seconds(std::vector<Clock::duration> batches) {
  if (batches.empty()) return 0;
  auto mid = batches.begin() + static_cast<std::ptrdiff_t>(batches.size() / 2);
  std::nth_element(batches.begin(), mid, batches.end());
  return std::chrono::duration<double>(*mid).count() * static_cast<double>(batches.size());
}

class HairpinLoop {
 public:
  explicit HairpinLoop(std::size_t datagram) : sw_(nic_) {
    VmConfig a{"sender", {Ipv4Address(192, 0, 2, 10)}, kRingLog2, kRingLog2, 2};
    VmConfig b{"receiver", {Ipv4Address(192, 0, 2, 11)}, kRingLog2, kRingLog2, 2};
    src_ = sw_.add_vm(a);
    dst_ = sw_.add_vm(b);
    UdpDatagramSpec spec;
    spec.src = a.addresses.front();
    spec.dst = b.addresses.front();
    datagram_ = build_udp_datagram(spec, datagram - kIpv4HeaderBytes - kUdpHeaderBytes);
  }

  // Returns the time of delivery (phase 2) of each batch of `n` datagrams.
  std::vector<Clock::duration> run(std::uint64_t n) {
    std::vector<Clock::duration> timed;
    for (std::uint64_t done = 0; done < n;) {
      const std::size_t batch = static_cast<std::size_t>(std::min<std::uint64_t>(kBatch, n - done));
      for (std::size_t i = 0; i < batch; ++i) {
        if (!sw_.send(src_, datagram_)) throw Error("hairpin bench: the sender ran out of output buffers");
      }
      sw_.flush();
      const auto t0 = Clock::now();
      const std::size_t reaped = sw_.poll();
      timed.push_back(Clock::now() - t0);
      if (reaped != batch) {
        throw Error("hairpin bench: reaped " + std::to_string(reaped) + " completions for a batch of " +
                    std::to_string(batch));
      }
      std::size_t got = 0;
      while (auto r = sw_.receive(dst_)) {
        if (!r->data.empty()) sink_ += std::to_integer<unsigned>(r->data.back());
        ++got;
      }
      if (got != batch) {
        throw Error("hairpin bench: " + std::to_string(got) + " of " + std::to_string(batch) +
                    " hairpin datagrams arrived (stats: " + std::to_string(sw_.stats(src_).hairpin_out) +
                    " delivered, accounting " + (sw_.check_accounting().empty() ? "ok" : "broken") + ")");
      }
      done += batch;
    }
    return timed;
  }

  LoopbackNic& nic() { return nic_; }
  unsigned sink() const { return sink_; }

 private:
  LoopbackNic nic_;
  Switch sw_;
  VmId src_ = 0, dst_ = 0;
  std::vector<std::byte> datagram_;
  unsigned sink_ = 0;  // consumes the received bytes so the copies cannot be optimised away
};

// The same bytes between buffers laid out exactly as the runtime's: the sender's free-buffer
// stack hands out buffers 0..batch-1 again and again, the receiver's input ring cycles through
// all its slots.
class MemcpyLoop {
 public:
  MemcpyLoop(LoopbackNic& nic, std::size_t datagram)
      : layout_(GuestMemoryLayout::compute(kRingLog2, kRingLog2, 2)),
        src_(nic, layout_),
        dst_(nic, layout_),
        datagram_(datagram, std::byte{0x45}) {}

  std::vector<Clock::duration> run(std::uint64_t n) {
    std::vector<Clock::duration> timed;
    const std::size_t len = datagram_.size();
    for (std::uint64_t done = 0; done < n;) {
      const std::size_t batch = static_cast<std::size_t>(std::min<std::uint64_t>(kBatch, n - done));
      for (std::size_t i = 0; i < batch; ++i) std::memcpy(src_.output_buffer(i).data(), datagram_.data(), len);
      const std::size_t first = slot_;
      const auto t0 = Clock::now();
      for (std::size_t i = 0; i < batch; ++i) {
        std::memcpy(dst_.input_buffer(slot_).data(), src_.output_buffer(i).data(), len);
        slot_ = (slot_ + 1) % layout_.input_entries;
      }
      timed.push_back(Clock::now() - t0);
      for (std::size_t i = 0; i < batch; ++i) {
        const auto in = dst_.input_buffer((first + i) % layout_.input_entries).first(len);
        const std::vector<std::byte> out(in.begin(), in.end());
        if (!out.empty()) sink_ += std::to_integer<unsigned>(out.back());
      }
      done += batch;
    }
    return timed;
  }
  unsigned sink() const { return sink_; }

 private:
  GuestMemoryLayout layout_;
  GuestMemory src_, dst_;
  std::vector<std::byte> datagram_;
  std::size_t slot_ = 0;
  unsigned sink_ = 0;
};

}  // namespace

HairpinResult hairpin_vs_memcpy(std::size_t frame_bytes, bool quick) {
  HairpinResult r;
  r.frame_bytes = frame_bytes;
  r.datagram_bytes = datagram_bytes(frame_bytes);
  if (r.datagram_bytes < kIpv4HeaderBytes + kUdpHeaderBytes || r.datagram_bytes > GuestMemoryLayout::kBufferBytes) {
    throw ConfigError("hairpin bench: frame size " + std::to_string(frame_bytes) + " B gives a " +
                      std::to_string(r.datagram_bytes) + " B datagram; the runtime's buffers take 28..9216 B (frames of 46..9234 B)");
  }
  // About 100 MB (quick: 10 MB) per repetition, at least 20,000 datagrams.
  const std::uint64_t bytes = quick ? 10'000'000 : 100'000'000;
  r.datagrams = std::max<std::uint64_t>(quick ? 5'000 : 20'000, bytes / r.datagram_bytes);
  r.datagrams = (r.datagrams + kBatch - 1) / kBatch * kBatch;
  const int reps = quick ? 2 : 5;

  HairpinLoop hairpin(r.datagram_bytes);
  MemcpyLoop copy(hairpin.nic(), r.datagram_bytes);
  hairpin.run(kBatch * 16);  // warm-up: pages, caches, allocator
  copy.run(kBatch * 16);
  r.hairpin_seconds = r.memcpy_seconds = 1e30;
  for (int i = 0; i < reps; ++i) {
    r.hairpin_seconds = std::min(r.hairpin_seconds, seconds(hairpin.run(r.datagrams)));
    r.memcpy_seconds = std::min(r.memcpy_seconds, seconds(copy.run(r.datagrams)));
  }
  if (hairpin.sink() == 0x7FFFFFFF && copy.sink() == 0x7FFFFFFF) r.datagrams = 0;  // keeps the sinks alive
  return r;
}

}  // namespace smartnic::bench
