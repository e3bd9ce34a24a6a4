#include "smartnic/sim/axi_memory_model.hpp"

#include <algorithm>
#include <bit>
#include <cstdio>
#include <cstring>
#include <string>

namespace smartnic::sim {

namespace {
std::string hex(std::uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}
constexpr std::uint64_t kBeat = kDataBytes;
}  // namespace

AxiMemoryModel::AxiMemoryModel(const AxiMasterPorts& ports, HostMemory& memory,
                               const AxiMemoryConfig& config)
    : p_(ports), mem_(memory), cfg_(config) {
  // A bus beat per cycle is the physical maximum; more would only inflate the bucket.
  cfg_.read_bytes_per_cycle = std::clamp(cfg_.read_bytes_per_cycle, 0.001, double(kBeat));
  cfg_.write_bytes_per_cycle = std::clamp(cfg_.write_bytes_per_cycle, 0.001, double(kBeat));
  reset();
}

void AxiMemoryModel::reset() {
  reads_.clear();
  writes_.clear();
  bresps_.clear();
  read_tokens_ = write_tokens_ = 0;
  r_presenting_ = b_presenting_ = false;
  ar_held_ = aw_held_ = AddrBeat{};
  stats_.reads_outstanding = stats_.writes_outstanding = 0;
  *p_.awready = *p_.wready = *p_.arready = 0;
  *p_.bvalid = *p_.rvalid = *p_.rlast = 0;
  *p_.bid = *p_.bresp = *p_.rid = *p_.rresp = 0;
  std::fill(p_.rdata, p_.rdata + kDataWords, 0U);
}

AxiMemoryModel::Burst AxiMemoryModel::accept(std::uint64_t cycle, const char* ch, std::uint8_t id,
                                             std::uint64_t addr, std::uint8_t len,
                                             std::uint8_t size, std::uint8_t burst) {
  Burst b{id, addr & ~(kBeat - 1), std::uint32_t{len} + 1U};
  b.accept_cycle = cycle;
  // The message prefix is built only for a violation: this runs for every burst.
  const auto where = [&] {
    return std::string(ch) + " id " + std::to_string(id) + " addr " + hex(addr) + " len " + std::to_string(len);
  };
  if (size != 6)
    violations_.record(cycle, where() + ": size " + std::to_string(size) + ", expected 6 (64 B beats)");
  if (burst != 1) violations_.record(cycle, where() + ": burst type " + std::to_string(burst) + ", expected INCR");
  const std::uint64_t last = b.addr + b.beats * kBeat - 1;
  if ((addr >> 12) != (last >> 12)) violations_.record(cycle, where() + ": burst crosses a 4 KB boundary");
  return b;
}

void AxiMemoryModel::check_stable(std::uint64_t cycle, const char* ch, AddrBeat& held, bool valid,
                                  bool ready, const AddrBeat& now) {
  // AXI: once VALID is up it must stay up, with the same payload, until READY.
  if (held.pending) {
    if (!valid)
      violations_.record(cycle, std::string(ch) + "VALID dropped before " + ch + "READY");
    else if (held.id != now.id || held.addr != now.addr || held.len != now.len ||
             held.size != now.size || held.burst != now.burst)
      violations_.record(cycle, std::string(ch) + " payload changed while " + ch + "VALID waited");
  }
  held = now;
  held.pending = valid && !ready;
}

void AxiMemoryModel::sample(std::uint64_t cycle) {
  // --- read address
  {
    const bool valid = *p_.arvalid != 0, ready = *p_.arready != 0;
    const AddrBeat now{false, *p_.arid, *p_.arlen, *p_.arsize, *p_.arburst, *p_.araddr};
    check_stable(cycle, "AR", ar_held_, valid, ready, now);
    if (valid && ready) {
      Burst b = accept(cycle, "AR", now.id, now.addr, now.len, now.size, now.burst);
      b.ready_cycle = cycle + cfg_.read_latency_cycles;
      reads_.push_back(b);
      ++stats_.ar_count;
      stats_.max_reads_outstanding = std::max(stats_.max_reads_outstanding, ++stats_.reads_outstanding);
    }
  }
  // --- read data
  if (r_presenting_ && *p_.rready) {
    r_presenting_ = false;
    Burst& b = reads_.front();
    ++stats_.r_beats;
    stats_.bytes_read += kBeat;
    if (b.done == 0) {
      const std::uint64_t lat = cycle - b.accept_cycle;
      stats_.read_latency_min = stats_.r_beats == 1 ? lat : std::min(stats_.read_latency_min, lat);
      stats_.read_latency_max = std::max(stats_.read_latency_max, lat);
      stats_.read_latency_sum += lat;
    }
    if (b.resp != AxiResp::OKAY && b.done + 1 == b.beats) {
      ++stats_.read_errors;
      if (b.resp == AxiResp::DECERR) ++stats_.out_of_range_reads;
    }
    if (++b.done == b.beats) {
      reads_.pop_front();
      --stats_.reads_outstanding;
    }
  }
  // --- write address
  {
    const bool valid = *p_.awvalid != 0, ready = *p_.awready != 0;
    const AddrBeat now{false, *p_.awid, *p_.awlen, *p_.awsize, *p_.awburst, *p_.awaddr};
    check_stable(cycle, "AW", aw_held_, valid, ready, now);
    if (valid && ready) {
      writes_.push_back(accept(cycle, "AW", now.id, now.addr, now.len, now.size, now.burst));
      ++stats_.aw_count;
      stats_.max_writes_outstanding = std::max(stats_.max_writes_outstanding, ++stats_.writes_outstanding);
    }
  }
  // --- write data (wready is only driven while an accepted AW waits for data)
  if (*p_.wvalid && *p_.wready && !writes_.empty()) {
    write_tokens_ -= kBeat;
    Burst& b = writes_.front();
    const bool last = b.done + 1 == b.beats;
    if ((*p_.wlast != 0) != last)
      violations_.record(cycle, "W beat " + std::to_string(b.done) + " of " + std::to_string(b.beats) +
                                    "-beat burst at " + hex(b.addr) + ": WLAST=" +
                                    std::to_string(*p_.wlast));
    const std::uint64_t strb = *p_.wstrb;
    const auto* bytes = reinterpret_cast<const std::byte*>(p_.wdata);  // little-endian host
    const AxiResp r = mem_.bus_write(b.addr + b.done * kBeat, {bytes, kBeat}, strb);
    if (r == AxiResp::OKAY) stats_.bytes_written += static_cast<std::uint64_t>(std::popcount(strb));
    if (static_cast<int>(r) > static_cast<int>(b.resp)) b.resp = r;  // DECERR > SLVERR > OKAY
    ++stats_.w_beats;
    if (++b.done == b.beats) {
      if (b.resp != AxiResp::OKAY) {
        ++stats_.write_errors;
        if (b.resp == AxiResp::DECERR) ++stats_.out_of_range_writes;
      }
      bresps_.push_back(BResp{b.id, b.resp, cycle + cfg_.write_latency_cycles});
      writes_.pop_front();
    }
  }
  // --- write response
  if (b_presenting_ && *p_.bready) {
    b_presenting_ = false;
    bresps_.pop_front();
    ++stats_.b_count;
    --stats_.writes_outstanding;
  }
}

void AxiMemoryModel::drive(std::uint64_t cycle) {
  const std::uint64_t next = cycle + 1;
  // Token buckets hold up to one beat beyond the rate so that fractional rates are exact
  // (e.g. 48 B/cycle gives 3 beats in 4 cycles) while idle periods buy at most one extra beat.
  read_tokens_ = std::min(read_tokens_ + cfg_.read_bytes_per_cycle, kBeat + cfg_.read_bytes_per_cycle);
  write_tokens_ = std::min(write_tokens_ + cfg_.write_bytes_per_cycle, kBeat + cfg_.write_bytes_per_cycle);

  if (!r_presenting_ && !reads_.empty() && reads_.front().ready_cycle <= next && read_tokens_ >= kBeat) {
    Burst& b = reads_.front();
    read_tokens_ -= kBeat;
    auto* bytes = reinterpret_cast<std::byte*>(p_.rdata);
    // Data is taken when the beat leaves, like a completion that reads memory late.
    const AxiResp r = mem_.bus_read(b.addr + b.done * kBeat, {bytes, kBeat});
    if (static_cast<int>(r) > static_cast<int>(b.resp)) b.resp = r;
    *p_.rresp = static_cast<std::uint8_t>(r);
    *p_.rid = b.id;
    *p_.rlast = b.done + 1 == b.beats;
    r_presenting_ = true;
  }
  *p_.rvalid = r_presenting_;

  if (!b_presenting_ && !bresps_.empty() && bresps_.front().ready_cycle <= next) {
    *p_.bid = bresps_.front().id;
    *p_.bresp = static_cast<std::uint8_t>(bresps_.front().resp);
    b_presenting_ = true;
  }
  *p_.bvalid = b_presenting_;

  *p_.arready = cfg_.max_outstanding_reads == 0 || stats_.reads_outstanding < cfg_.max_outstanding_reads;
  *p_.awready = cfg_.max_outstanding_writes == 0 || stats_.writes_outstanding < cfg_.max_outstanding_writes;
  *p_.wready = !writes_.empty() && write_tokens_ >= kBeat;
}

}  // namespace smartnic::sim
