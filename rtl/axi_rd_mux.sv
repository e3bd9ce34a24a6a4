// Shares the NIC's AXI4 read channels between N requesters (0: TX descriptor fetch,
// 1: TX datagram fetch, 2: RX descriptor fetch). The requester number is the ARID, so read
// data is routed back by RID: AXI lets responses with different IDs come back in any order,
// and each requester sees its own in order. Address requests are granted round robin; a
// request shown on AR stays selected until accepted (ARVALID and payload must stay stable).
module axi_rd_mux #(
  parameter int N    = 3,
  parameter int ID_W = 4,
  // Formal only (formal/fv_axi_rd_mux.sv): 1 = the grant may switch while an AR is shown and
  // not yet accepted (the hold is ignored). Must make the proof fail. 0 in the NIC.
  parameter bit MUTANT = 1'b0,
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

  // Round robin starting after the last requester granted (pick is used only with a request).
  /* verilator lint_off PINCONNECTEMPTY */
  rr_pick #(.N(N)) u_rr (.req(req_valid), .last(last_q), .pick, .ok());
  /* verilator lint_on PINCONNECTEMPTY */
  assign sel       = (hold_q && !MUTANT) ? held_q : pick;
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

`ifndef SMARTNIC_NO_ASSERTIONS  // the fast model leaves the checks out (docs/verification.md)
  // ======================= assertions (Verilator --assert, Yosys -formal) ===================
  // Property 4 of docs/verification.md on the NIC's AR and R channels, proven by
  // formal/fv_axi_rd_mux.sv and checked in every Verilated NIC test. The assumes are the
  // contracts of the neighbours: in simulation they are checked against the real requesters
  // (tx_desc_fetch, tx_data_fetch, rx_desc_cache, which also assert them) and the memory model.
  // Checks start at the first reset: before it (simulation time 0) the state is arbitrary.
  logic fv_live_q;
  always_ff @(posedge clk) if (rst) fv_live_q <= 1'b1;
  logic            fv_stall_q;
  logic [ID_W-1:0] fv_id_q;
  logic [63:0]     fv_addr_q;
  logic [7:0]      fv_len_q;
  logic [N-1:0]    fv_req_stall_q;
  logic [N*64-1:0] fv_req_addr_q;
  logic [N*8-1:0]  fv_req_len_q;
  // Fairness: per requester, the AR grants given to others while it has been waiting.
  logic [N*8-1:0]  fv_wait_cnt_q;
  always_ff @(posedge clk) begin
    fv_stall_q     <= !rst && m_arvalid && !m_arready;
    fv_id_q        <= m_arid;
    fv_addr_q      <= m_araddr;
    fv_len_q       <= m_arlen;
    fv_req_stall_q <= rst ? '0 : req_valid & ~req_ready;
    fv_req_addr_q  <= req_addr;
    fv_req_len_q   <= req_len;
    for (int i = 0; i < N; i++) begin
      if (rst || !req_valid[i] || req_ready[i]) fv_wait_cnt_q[8*i +: 8] <= 8'd0;
      else if (m_arvalid && m_arready && m_arid != ID_W'(i))
        fv_wait_cnt_q[8*i +: 8] <= fv_wait_cnt_q[8*i +: 8] + 8'd1;
    end
  end
  always_ff @(posedge clk) begin
    if (!rst && fv_live_q) begin
      // Requesters (AXI rules, per requester): ARVALID held until ARREADY with the payload
      // stable; bursts of whole aligned 64-byte beats that do not cross 4 KB.
      for (int i = 0; i < N; i++) begin
        if (fv_req_stall_q[i])
          assume (req_valid[i] && req_addr[64*i +: 64] == fv_req_addr_q[64*i +: 64] &&
                  req_len[8*i +: 8] == fv_req_len_q[8*i +: 8]);
        if (req_valid[i])
          assume (req_addr[64*i +: 6] == 6'd0 &&
                  {3'd0, req_addr[64*i +: 12]} + {1'b0, req_len[8*i +: 8], 6'd0} + 15'd64 <= 15'd4096);
      end
      // Memory: read data only for IDs that were issued (the harness narrows it further to
      // IDs with bursts outstanding).
      if (m_rvalid) assume (32'(m_rid) < N);

      // P4: AR held until accepted, payload stable.
      if (fv_stall_q) assert (m_arvalid && m_arid == fv_id_q && m_araddr == fv_addr_q && m_arlen == fv_len_q);
      // P4: the request passes unchanged: ARID is the requester's number, the payload is its
      // own, and exactly that requester sees the handshake (so its 4 KB rule carries over).
      if (m_arvalid) begin
        assert (32'(m_arid) < N);
        assert (m_araddr[5:0] == 6'd0 && {3'd0, m_araddr[11:0]} + {1'b0, m_arlen, 6'd0} + 15'd64 <= 15'd4096);
      end
      for (int i = 0; i < N; i++) begin
        if (m_arvalid && m_arid == ID_W'(i))
          assert (req_valid[i] && m_araddr == req_addr[64*i +: 64] && m_arlen == req_len[8*i +: 8]);
        assert ((req_valid[i] && req_ready[i]) == (m_arvalid && m_arready && m_arid == ID_W'(i)));
        // R routed by RID: valid, last-beat handshake and ready of requester RID only.
        assert (rsp_valid[i] == (m_rvalid && m_rid == ID_W'(i)));
        assert (rsp_last_fire[i] == (m_rvalid && m_rready && m_rlast && m_rid == ID_W'(i)));
        if (m_rvalid && m_rid == ID_W'(i)) assert (m_rready == rsp_ready[i]);
        // Fairness: a requester holding ARVALID is granted before N grants go to others.
        assert (32'(fv_wait_cnt_q[8*i +: 8]) <= N - 1);
        // Inductive helper: the round robin moves towards a waiting requester with every
        // grant to another one (a held request is granted first). Distance from the last
        // grant g forward to i: 1..N.
        if (hold_q && 32'(held_q) != i) begin
          assert (32'(fv_wait_cnt_q[8*i +: 8]) + 1 +
                  (i > 32'(held_q) ? i - 32'(held_q) : i + N - 32'(held_q)) <= N);
        end else begin
          assert (32'(fv_wait_cnt_q[8*i +: 8]) +
                  (i > 32'(last_q) ? i - 32'(last_q) : i + N - 32'(last_q)) <= N);
        end
      end
      // Inductive helpers: the held grant is the request shown, unaccepted, in the last cycle.
      assert (32'(last_q) < N);
      assert (hold_q == fv_stall_q);
      if (hold_q) assert (32'(held_q) < N && ID_W'(held_q) == fv_id_q && fv_req_stall_q[held_q]);
    end
  end
`endif  // SMARTNIC_NO_ASSERTIONS
endmodule
