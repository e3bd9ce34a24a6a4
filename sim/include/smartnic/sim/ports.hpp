// Pointer views of the NIC's bus ports inside a Verilated model.
//
// The bus models (AxiMemoryModel, AxiLiteMaster, EthTxSink) work on these structs rather than
// on a Verilated class, so that one model serves the real smartnic_top, any test fixture that
// has ports with the same names, or plain C++ variables in a unit test. Verilator stores ports
// of up to 8 bits as uint8_t (CData), up to 16 as uint16_t (SData), up to 32 as uint32_t (IData),
// up to 64 as uint64_t (QData) and wider ones as VlWide<N> (N uint32_t words, word 0 = bits 31:0).
// `const` marks the signals the model only reads (driven by the design).
#pragma once

#include <cstdint>

namespace smartnic::sim {

inline constexpr unsigned kDataBytes = 64;  // 512-bit data buses
inline constexpr unsigned kDataWords = kDataBytes / 4;

// AXI4 master of the design (m_axi_*); the memory model is the slave.
struct AxiMasterPorts {
  const std::uint8_t* awvalid;
  std::uint8_t* awready;
  const std::uint8_t* awid;
  const std::uint64_t* awaddr;
  const std::uint8_t* awlen;
  const std::uint8_t* awsize;
  const std::uint8_t* awburst;
  const std::uint8_t* wvalid;
  std::uint8_t* wready;
  const std::uint32_t* wdata;  // kDataWords words
  const std::uint64_t* wstrb;
  const std::uint8_t* wlast;
  std::uint8_t* bvalid;
  const std::uint8_t* bready;
  std::uint8_t* bid;
  std::uint8_t* bresp;
  const std::uint8_t* arvalid;
  std::uint8_t* arready;
  const std::uint8_t* arid;
  const std::uint64_t* araddr;
  const std::uint8_t* arlen;
  const std::uint8_t* arsize;
  const std::uint8_t* arburst;
  std::uint8_t* rvalid;
  const std::uint8_t* rready;
  std::uint8_t* rid;
  std::uint32_t* rdata;  // kDataWords words
  std::uint8_t* rresp;
  std::uint8_t* rlast;
};

// AXI4-Lite slave of the design (s_axi_control_*); AxiLiteMaster drives it.
struct AxiLitePorts {
  std::uint8_t* awvalid;
  const std::uint8_t* awready;
  std::uint16_t* awaddr;
  std::uint8_t* wvalid;
  const std::uint8_t* wready;
  std::uint32_t* wdata;
  std::uint8_t* wstrb;
  const std::uint8_t* bvalid;
  std::uint8_t* bready;
  const std::uint8_t* bresp;
  std::uint8_t* arvalid;
  const std::uint8_t* arready;
  std::uint16_t* araddr;
  const std::uint8_t* rvalid;
  std::uint8_t* rready;
  const std::uint32_t* rdata;
  const std::uint8_t* rresp;
};

// AXI4-Stream master of the design (m_axis_tx_*); EthTxSink is the receiver.
struct AxisPorts {
  const std::uint8_t* tvalid;
  std::uint8_t* tready;
  const std::uint32_t* tdata;  // kDataWords words, byte 0 of the beat in bits 7:0
  const std::uint64_t* tkeep;
  const std::uint8_t* tlast;
  // TUSER on the last beat = abort: the MAC ends the frame with a bad FCS and the wire peer
  // discards it (how the NIC gives up on a frame whose data read failed part way through).
  // Null for a top without TUSER.
  const std::uint8_t* tuser = nullptr;
};

// AXI4-Stream slave of the design (s_axis_rx_*); EthRxSource is the sender.
struct AxisRxPorts {
  std::uint8_t* tvalid;
  const std::uint8_t* tready;
  std::uint32_t* tdata;  // kDataWords words, byte 0 of the beat in bits 7:0
  std::uint64_t* tkeep;
  std::uint8_t* tlast;
  std::uint8_t* tuser;   // on the last beat: frame error (bad FCS)
};

// Binders for any Verilated top (or fixture) that uses the NIC's port names. Templates only
// because the Verilated classes share no base; the models themselves are not templated.
template <class Top>
AxiMasterPorts bind_axi_master(Top& t) {
  return AxiMasterPorts{
      &t.m_axi_awvalid, &t.m_axi_awready, &t.m_axi_awid,    &t.m_axi_awaddr,      &t.m_axi_awlen,
      &t.m_axi_awsize,  &t.m_axi_awburst, &t.m_axi_wvalid,  &t.m_axi_wready,      t.m_axi_wdata.data(),
      &t.m_axi_wstrb,   &t.m_axi_wlast,   &t.m_axi_bvalid,  &t.m_axi_bready,      &t.m_axi_bid,
      &t.m_axi_bresp,   &t.m_axi_arvalid, &t.m_axi_arready, &t.m_axi_arid,        &t.m_axi_araddr,
      &t.m_axi_arlen,   &t.m_axi_arsize,  &t.m_axi_arburst, &t.m_axi_rvalid,      &t.m_axi_rready,
      &t.m_axi_rid,     t.m_axi_rdata.data(), &t.m_axi_rresp, &t.m_axi_rlast,
  };
}

template <class Top>
AxiLitePorts bind_axi_lite(Top& t) {
  return AxiLitePorts{
      &t.s_axi_control_awvalid, &t.s_axi_control_awready, &t.s_axi_control_awaddr,
      &t.s_axi_control_wvalid,  &t.s_axi_control_wready,  &t.s_axi_control_wdata,
      &t.s_axi_control_wstrb,   &t.s_axi_control_bvalid,  &t.s_axi_control_bready,
      &t.s_axi_control_bresp,   &t.s_axi_control_arvalid, &t.s_axi_control_arready,
      &t.s_axi_control_araddr,  &t.s_axi_control_rvalid,  &t.s_axi_control_rready,
      &t.s_axi_control_rdata,   &t.s_axi_control_rresp,
  };
}

template <class Top>
AxisPorts bind_axis_tx(Top& t) {
  AxisPorts p{&t.m_axis_tx_tvalid, &t.m_axis_tx_tready, t.m_axis_tx_tdata.data(),
              &t.m_axis_tx_tkeep, &t.m_axis_tx_tlast};
  if constexpr (requires { t.m_axis_tx_tuser; }) p.tuser = &t.m_axis_tx_tuser;
  return p;
}

template <class Top>
AxisRxPorts bind_axis_rx(Top& t) {
  return AxisRxPorts{&t.s_axis_rx_tvalid, &t.s_axis_rx_tready, t.s_axis_rx_tdata.data(),
                     &t.s_axis_rx_tkeep,  &t.s_axis_rx_tlast,  &t.s_axis_rx_tuser};
}

}  // namespace smartnic::sim
