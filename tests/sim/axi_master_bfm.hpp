// Test-only AXI4 master that drives axi_mem_fixture's tb_* inputs: queues of AR, AW and W
// beats offered in order, every handshake recorded with its cycle. Deliberately permissive
// (any size, burst, WLAST position) so tests can provoke protocol violations.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <deque>
#include <vector>

#include "smartnic/sim/clocked.hpp"
#include "smartnic/sim/ports.hpp"

namespace smartnic::sim::test {

struct ReadReq {
  std::uint8_t id = 0;
  std::uint64_t addr = 0;
  std::uint8_t len = 0;  // beats - 1
  std::uint8_t size = 6;
  std::uint8_t burst = 1;
};

struct WBeat {
  std::array<std::uint8_t, kDataBytes> data{};
  std::uint64_t strb = ~std::uint64_t{0};
  bool last = false;
};

struct RBeat {
  std::uint64_t cycle;
  std::uint8_t id, resp;
  bool last;
  std::array<std::uint8_t, kDataBytes> data;
};

struct BBeat {
  std::uint64_t cycle;
  std::uint8_t id, resp;
};

template <class Top>
class AxiMasterBfm final : public ClockedModel {
 public:
  explicit AxiMasterBfm(Top& t) : t_(t) { reset(); }

  void read(const ReadReq& r) { ar_.push_back(r); }
  // AW with len = beats.size()-1 and its W beats (WLAST as given in the beats).
  void write(std::uint8_t id, std::uint64_t addr, const std::vector<WBeat>& beats,
             std::uint8_t size = 6) {
    aw_.push_back(ReadReq{id, addr, static_cast<std::uint8_t>(beats.size() - 1), size, 1});
    for (const auto& b : beats) w_.push_back(b);
  }

  void sample(std::uint64_t cycle) override {
    if (t_.m_axi_arvalid && t_.m_axi_arready) { ar_.pop_front(); ar_cycles.push_back(cycle); }
    if (t_.m_axi_awvalid && t_.m_axi_awready) { aw_.pop_front(); aw_cycles.push_back(cycle); }
    if (t_.m_axi_wvalid && t_.m_axi_wready) { w_.pop_front(); w_cycles.push_back(cycle); }
    if (t_.m_axi_rvalid && t_.m_axi_rready) {
      RBeat b{cycle, t_.m_axi_rid, t_.m_axi_rresp, t_.m_axi_rlast != 0, {}};
      std::memcpy(b.data.data(), t_.m_axi_rdata.data(), kDataBytes);
      r.push_back(b);
    }
    if (t_.m_axi_bvalid && t_.m_axi_bready) b.push_back(BBeat{cycle, t_.m_axi_bid, t_.m_axi_bresp});
  }

  void drive(std::uint64_t) override {
    t_.tb_arvalid = !ar_.empty();
    if (!ar_.empty()) {
      const auto& a = ar_.front();
      t_.tb_arid = a.id; t_.tb_araddr = a.addr; t_.tb_arlen = a.len; t_.tb_arsize = a.size; t_.tb_arburst = a.burst;
    }
    t_.tb_awvalid = !aw_.empty();
    if (!aw_.empty()) {
      const auto& a = aw_.front();
      t_.tb_awid = a.id; t_.tb_awaddr = a.addr; t_.tb_awlen = a.len; t_.tb_awsize = a.size; t_.tb_awburst = a.burst;
    }
    t_.tb_wvalid = !w_.empty();
    if (!w_.empty()) {
      std::memcpy(t_.tb_wdata.data(), w_.front().data.data(), kDataBytes);
      t_.tb_wstrb = w_.front().strb;
      t_.tb_wlast = w_.front().last;
    }
    t_.tb_rready = rready;
    t_.tb_bready = 1;
  }

  void reset() override {
    ar_.clear(); aw_.clear(); w_.clear();
    t_.tb_arvalid = t_.tb_awvalid = t_.tb_wvalid = 0;
    t_.tb_rready = t_.tb_bready = 0;
  }

  bool idle() const { return ar_.empty() && aw_.empty() && w_.empty(); }

  bool rready = true;
  std::vector<std::uint64_t> ar_cycles, aw_cycles, w_cycles;
  std::vector<RBeat> r;
  std::vector<BBeat> b;

 private:
  Top& t_;
  std::deque<ReadReq> ar_, aw_;
  std::deque<WBeat> w_;
};

}  // namespace smartnic::sim::test
