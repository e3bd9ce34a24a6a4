// Shares the NIC's AXI4 read channels between two requesters (0: descriptor fetch,
// 1: datagram fetch). The requester number is the ARID, so read data is routed back by
// RID: AXI lets responses with different IDs come back in any order, and each requester
// sees its own in order. Address requests alternate when both are waiting.
module axi_rd_mux #(
  parameter int ID_W = 4
) (
  input  logic          clk,
  input  logic          rst,
  input  logic [1:0]       req_valid,
  output logic [1:0]       req_ready,
  input  logic [2*64-1:0] req_addr,
  input  logic [2*8-1:0]  req_len,
  output logic [1:0]       rsp_valid,
  input  logic [1:0]       rsp_ready,
  output logic             rsp_last_fire,   // last beat of a requester-1 burst accepted
  // AXI4 read channels
  output logic            m_arvalid,
  input  logic            m_arready,
  output logic [ID_W-1:0] m_arid,
  output logic [63:0]     m_araddr,
  output logic [7:0]      m_arlen,
  input  logic            m_rvalid,
  output logic            m_rready,
  input  logic [ID_W-1:0] m_rid,
  input  logic            m_rlast
);
  logic last_q, sel, hold_q, held_sel_q;

  // Alternate priority: after requester k won, the other one goes first. A request shown
  // on AR stays selected until accepted (AXI: ARVALID and its payload must stay stable).
  assign sel       = hold_q ? held_sel_q : req_valid[1] && (!req_valid[0] || !last_q);
  assign m_arvalid = |req_valid;
  assign m_arid    = ID_W'(sel);
  assign m_araddr  = req_addr[64*sel +: 64];
  assign m_arlen   = req_len[8*sel +: 8];
  assign req_ready = {m_arready && sel, m_arready && !sel};

  always_ff @(posedge clk) begin
    if (rst) begin
      last_q <= 1'b0;
      hold_q <= 1'b0;
    end else begin
      if (m_arvalid && m_arready) last_q <= sel;
      hold_q     <= m_arvalid && !m_arready;
      held_sel_q <= sel;
    end
  end

  logic rsel;
  assign rsel          = m_rid[0];
  assign rsp_valid     = {m_rvalid && rsel, m_rvalid && !rsel};
  assign m_rready      = rsp_ready[rsel];
  assign rsp_last_fire = m_rvalid && m_rready && m_rlast && rsel;

  /* verilator lint_off UNUSEDSIGNAL */
  logic unused;   // only two IDs are ever issued
  assign unused = ^m_rid[ID_W-1:1];
  /* verilator lint_on UNUSEDSIGNAL */
endmodule
