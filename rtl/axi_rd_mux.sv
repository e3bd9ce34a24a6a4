// Shares the NIC's AXI4 read channels between N requesters (0: TX descriptor fetch,
// 1: TX datagram fetch, 2: RX descriptor fetch). The requester number is the ARID, so read
// data is routed back by RID: AXI lets responses with different IDs come back in any order,
// and each requester sees its own in order. Address requests are granted round robin; a
// request shown on AR stays selected until accepted (ARVALID and payload must stay stable).
module axi_rd_mux #(
  parameter int N    = 3,
  parameter int ID_W = 4,
  localparam int SEL_W = N > 1 ? $clog2(N) : 1
) (
  input  logic              clk,
  input  logic              rst,
  input  logic [N-1:0]      req_valid,
  output logic [N-1:0]      req_ready,
  input  logic [N*64-1:0]   req_addr,
  input  logic [N*8-1:0]    req_len,
  output logic [N-1:0]      rsp_valid,
  input  logic [N-1:0]      rsp_ready,
  output logic [N-1:0]      rsp_last_fire,   // last beat of a burst accepted, per requester
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
  logic [SEL_W-1:0] last_q, held_q, pick, sel;
  logic             hold_q;

  always_comb begin
    pick = last_q;
    for (int k = N; k >= 1; k--) begin
      logic [SEL_W-1:0] s;
      // last_q < N and k <= N, so one conditional subtraction is the modulo (a '%' by a constant
      // that is not a power of two becomes a full divider in Yosys 0.23).
      s = SEL_W'(32'(last_q) + k >= N ? 32'(last_q) + k - N : 32'(last_q) + k);
      if (req_valid[s]) pick = s;
    end
  end
  assign sel       = hold_q ? held_q : pick;
  assign m_arvalid = |req_valid;
  assign m_arid    = ID_W'(sel);
  assign m_araddr  = req_addr[64*sel +: 64];
  assign m_arlen   = req_len[8*sel +: 8];
  always_comb begin
    req_ready      = '0;
    req_ready[sel] = m_arready;
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      last_q <= SEL_W'(N - 1);
      hold_q <= 1'b0;
    end else begin
      if (m_arvalid && m_arready) last_q <= sel;
      hold_q <= m_arvalid && !m_arready;
      held_q <= sel;
    end
  end

  logic [SEL_W-1:0] rsel;
  assign rsel     = SEL_W'(m_rid);
  assign m_rready = rsp_ready[rsel];
  always_comb begin
    rsp_valid     = '0;
    rsp_last_fire = '0;
    rsp_valid[rsel]     = m_rvalid;
    rsp_last_fire[rsel] = m_rvalid && m_rready && m_rlast;
  end

  /* verilator lint_off UNUSEDSIGNAL */
  logic unused;   // only IDs 0..N-1 are ever issued
  assign unused = ^m_rid;
  /* verilator lint_on UNUSEDSIGNAL */

  // ======================= assertions (Verilator --assert, Yosys -formal) ===================
  // Property 4 of docs/verification.md on the NIC's AR channel: ARVALID held until ARREADY,
  // with ARID/ARADDR/ARLEN stable. Holds when every requester keeps its own request stable,
  // which each requester asserts itself (tx_data_fetch proves it formally).
  // Checks start at the first reset: before it (simulation time 0) the state is arbitrary.
  logic fv_live_q;
  always_ff @(posedge clk) if (rst) fv_live_q <= 1'b1;
  logic            fv_stall_q;
  logic [ID_W-1:0] fv_id_q;
  logic [63:0]     fv_addr_q;
  logic [7:0]      fv_len_q;
  always_ff @(posedge clk) begin
    fv_stall_q <= !rst && m_arvalid && !m_arready;
    fv_id_q    <= m_arid;
    fv_addr_q  <= m_araddr;
    fv_len_q   <= m_arlen;
  end
  always_ff @(posedge clk) begin
    if (!rst && fv_live_q && fv_stall_q)
      assert (m_arvalid && m_arid == fv_id_q && m_araddr == fv_addr_q && m_arlen == fv_len_q);
  end
endmodule
