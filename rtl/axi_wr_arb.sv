// Shares the NIC's AXI4 write channels between N writers (TX completions, RX data, RX
// completions). One whole burst at a time: the granted writer's AW and all its W beats pass
// before the next grant, so W data can never interleave between bursts (AXI4 has no WID).
// The memory may take the W beats before, with or after the AW (AXI allows it): the grant
// ends when both the AW and the WLAST beat have been taken, and no W beat passes after WLAST.
// The writer's number is the AWID; write responses are routed back by BID, and AXI keeps
// responses of one ID in order, which the RX path relies on to know when its data landed.
module axi_wr_arb #(
  parameter int N    = 3,
  parameter int ID_W = 4,
  // Formal only (formal/fv_axi_wr_arb.sv), 0 in the NIC; each must make the proof fail.
  // 1 = the grant ends when the AW is taken, without waiting for the burst's WLAST (the next
  // writer's W beats then go out before the first burst's last beat). 2 = the bug the proof
  // found: a WLAST taken before the AW is forgotten (W beats keep passing after it).
  parameter int MUTANT = 0,
  localparam int SEL_W = N > 1 ? $clog2(N) : 1
) (
  input  logic              clk,
  input  logic              rst,
  input  logic [N-1:0]      aw_valid,
  output logic [N-1:0]      aw_ready,
  input  logic [N*64-1:0]   aw_addr,
  input  logic [N*8-1:0]    aw_len,
  input  logic [N-1:0]      w_valid,
  output logic [N-1:0]      w_ready,
  input  logic [N*512-1:0]  w_data,
  input  logic [N*64-1:0]   w_strb,
  input  logic [N-1:0]      w_last,
  output logic [N-1:0]      b_valid,
  output logic [1:0]        b_resp,
  // AXI4 write channels
  output logic            m_awvalid,
  input  logic            m_awready,
  output logic [ID_W-1:0] m_awid,
  output logic [63:0]     m_awaddr,
  output logic [7:0]      m_awlen,
  output logic            m_wvalid,
  input  logic            m_wready,
  output logic [511:0]    m_wdata,
  output logic [63:0]     m_wstrb,
  output logic            m_wlast,
  input  logic            m_bvalid,
  output logic            m_bready,
  input  logic [ID_W-1:0] m_bid,
  input  logic [1:0]      m_bresp
);
  logic             busy_q, aw_done_q, w_done_q;
  logic [SEL_W-1:0] sel_q, last_q, pick;
  logic             pick_ok;

  // Round robin starting after the last writer granted.
  always_comb begin
    pick    = last_q;
    pick_ok = 1'b0;
    for (int k = N; k >= 1; k--) begin
      logic [SEL_W-1:0] s;
      // last_q < N and k <= N, so one conditional subtraction is the modulo (a '%' by a constant
      // that is not a power of two becomes a full divider in Yosys 0.23).
      s = SEL_W'(32'(last_q) + k >= N ? 32'(last_q) + k - N : 32'(last_q) + k);
      if (aw_valid[s]) begin
        pick    = s;
        pick_ok = 1'b1;
      end
    end
  end

  assign m_awvalid = busy_q && !aw_done_q;
  assign m_awid    = ID_W'(sel_q);
  assign m_wvalid  = busy_q && !w_done_q && w_valid[sel_q];
  assign m_wlast   = w_last[sel_q];
  // One-hot select written as a loop: a variable part-select over the wide flat buses would
  // become a barrel shifter in synthesis.
  always_comb begin
    m_awaddr = '0;
    m_awlen  = '0;
    m_wdata  = '0;
    m_wstrb  = '0;
    for (int i = 0; i < N; i++) begin
      if (sel_q == SEL_W'(i)) begin
        m_awaddr = aw_addr[64*i +: 64];
        m_awlen  = aw_len[8*i +: 8];
        m_wdata  = w_data[512*i +: 512];
        m_wstrb  = w_strb[64*i +: 64];
      end
    end
  end

  always_comb begin
    aw_ready = '0;
    w_ready  = '0;
    if (busy_q) begin
      aw_ready[sel_q] = !aw_done_q && m_awready;
      w_ready[sel_q]  = !w_done_q && m_wready;
    end
  end

  logic last_beat;
  assign last_beat = m_wvalid && m_wready && m_wlast;

  always_ff @(posedge clk) begin
    if (rst) begin
      busy_q    <= 1'b0;
      aw_done_q <= 1'b0;
      w_done_q  <= 1'b0;
      last_q    <= SEL_W'(N - 1);
    end else if (!busy_q) begin
      if (pick_ok) begin
        busy_q    <= 1'b1;
        aw_done_q <= 1'b0;
        w_done_q  <= 1'b0;
        sel_q     <= pick;
        last_q    <= pick;
      end
    end else begin
      // The burst ends when both its address and its last data beat have been accepted, in
      // either order or in the same cycle.
      if ((aw_done_q || m_awready) && (w_done_q || last_beat || MUTANT == 1)) begin
        busy_q <= 1'b0;
      end else begin
        if (m_awvalid && m_awready)     aw_done_q <= 1'b1;
        if (last_beat && MUTANT != 2)   w_done_q  <= 1'b1;
      end
    end
  end

  assign m_bready = 1'b1;
  assign b_resp   = m_bresp;
  always_comb begin
    b_valid = '0;
    for (int i = 0; i < N; i++) b_valid[i] = m_bvalid && m_bid == ID_W'(i);
  end

  // ======================= assertions (Verilator --assert, Yosys -formal) ===================
  // Property 4 of docs/verification.md on the NIC's AW, W and B channels, proven by
  // formal/fv_axi_wr_arb.sv and checked in every Verilated NIC test. The assumes are the
  // contracts of the neighbours: in simulation they are checked against the real writers
  // (cpl_ring_writer x2, rx_dma, which also assert them) and the memory model.
  // Checks start at the first reset: before it (simulation time 0) the state is arbitrary.
  logic fv_live_q;
  always_ff @(posedge clk) if (rst) fv_live_q <= 1'b1;
  logic            fv_aw_stall_q, fv_w_stall_q;
  logic [ID_W-1:0] fv_awid_q;
  logic [63:0]     fv_awaddr_q;
  logic [7:0]      fv_awlen_q;
  logic [511:0]    fv_wdata_q;
  logic [63:0]     fv_wstrb_q;
  logic            fv_wlast_q;
  // Writers' side: last cycle's AW/W shown and not taken, with their payloads.
  logic [N-1:0]     fv_waw_stall_q, fv_ww_stall_q, fv_wlast_in_q;
  logic [N*64-1:0]  fv_waddr_q, fv_wstrb_in_q;
  logic [N*8-1:0]   fv_wlen_q;
  logic [N*512-1:0] fv_wdata_in_q;
  // AW / W pairing. Per writer: AW bursts and W bursts (counted at WLAST) taken from it, mod 4;
  // its k-th W burst carries the data of its k-th AW (AXI order). A burst's tag = {writer, k}.
  // Master side: AWs issued minus W bursts completed (0, 1 = an AW ahead, 3 = a W burst ahead),
  // a W burst begun and not ended, the tag of the last AW and of the current/last W burst.
  localparam int TAG_W = SEL_W + 2;
  logic [2*N-1:0]   fv_awn_q, fv_wbn_q;
  logic [1:0]       fv_d_q;
  logic             fv_wst_q;
  logic [TAG_W-1:0] fv_awtag_q, fv_wtag_q, fv_atag, fv_wtag;
  logic [SEL_W-1:0] fv_wi, fv_ai;
  logic             fv_aw_hs, fv_w_hs;
  assign fv_aw_hs = m_awvalid && m_awready;
  assign fv_w_hs  = m_wvalid && m_wready;
  always_comb begin
    fv_wi = '0;
    fv_ai = '0;
    for (int i = 0; i < N; i++) begin
      if (w_valid[i] && w_ready[i]) fv_wi = SEL_W'(i);
      if (m_awid == ID_W'(i)) fv_ai = SEL_W'(i);
    end
    fv_atag = {fv_ai, fv_awn_q[2*fv_ai +: 2]};
    fv_wtag = {fv_wi, fv_wbn_q[2*fv_wi +: 2]};
  end
  // Fairness: per writer, the grants given to others while it has been waiting (AWVALID shown,
  // not granted).
  logic [N*8-1:0] fv_wait_cnt_q;
  always_ff @(posedge clk) begin
    fv_aw_stall_q <= !rst && m_awvalid && !m_awready;
    fv_w_stall_q  <= !rst && m_wvalid && !m_wready;
    fv_awid_q     <= m_awid;
    fv_awaddr_q   <= m_awaddr;
    fv_awlen_q    <= m_awlen;
    fv_wdata_q    <= m_wdata;
    fv_wstrb_q    <= m_wstrb;
    fv_wlast_q    <= m_wlast;
    fv_waw_stall_q <= rst ? '0 : aw_valid & ~aw_ready;
    fv_ww_stall_q  <= rst ? '0 : w_valid & ~w_ready;
    fv_waddr_q     <= aw_addr;
    fv_wlen_q      <= aw_len;
    fv_wdata_in_q  <= w_data;
    fv_wstrb_in_q  <= w_strb;
    fv_wlast_in_q  <= w_last;
    if (rst) begin
      fv_awn_q <= '0;
      fv_wbn_q <= '0;
      fv_d_q   <= 2'd0;
      fv_wst_q <= 1'b0;
    end else begin
      for (int i = 0; i < N; i++) begin
        fv_awn_q[2*i +: 2] <= fv_awn_q[2*i +: 2] + 2'(aw_valid[i] && aw_ready[i]);
        fv_wbn_q[2*i +: 2] <= fv_wbn_q[2*i +: 2] + 2'(w_valid[i] && w_ready[i] && w_last[i]);
      end
      fv_d_q <= fv_d_q + 2'(fv_aw_hs) - 2'(fv_w_hs && m_wlast);
      if (fv_w_hs) fv_wst_q <= !m_wlast;
    end
    if (fv_aw_hs) fv_awtag_q <= fv_atag;
    if (fv_w_hs && !fv_wst_q) fv_wtag_q <= fv_wtag;
    for (int i = 0; i < N; i++) begin
      if (rst || !aw_valid[i] || (busy_q && sel_q == SEL_W'(i))) fv_wait_cnt_q[8*i +: 8] <= 8'd0;
      else if (!busy_q && pick_ok && pick != SEL_W'(i)) fv_wait_cnt_q[8*i +: 8] <= fv_wait_cnt_q[8*i +: 8] + 8'd1;
    end
  end
  always_ff @(posedge clk) begin
    if (!rst && fv_live_q) begin
      // Writers (AXI rules, per writer): AWVALID and WVALID held until READY with the
      // payload stable; bursts of whole aligned 64-byte beats that do not cross 4 KB.
      for (int i = 0; i < N; i++) begin
        if (fv_waw_stall_q[i])
          assume (aw_valid[i] && aw_addr[64*i +: 64] == fv_waddr_q[64*i +: 64] &&
                  aw_len[8*i +: 8] == fv_wlen_q[8*i +: 8]);
        if (fv_ww_stall_q[i])
          assume (w_valid[i] && w_data[512*i +: 512] == fv_wdata_in_q[512*i +: 512] &&
                  w_strb[64*i +: 64] == fv_wstrb_in_q[64*i +: 64] && w_last[i] == fv_wlast_in_q[i]);
        if (aw_valid[i])
          assume (aw_addr[64*i +: 6] == 6'd0 &&
                  {3'd0, aw_addr[64*i +: 12]} + {1'b0, aw_len[8*i +: 8], 6'd0} + 15'd64 <= 15'd4096);
      end
      // Memory: write responses only for IDs that were issued.
      if (m_bvalid) assume (32'(m_bid) < N);

      // P4: AW and W held until accepted, payload stable.
      if (fv_aw_stall_q)
        assert (m_awvalid && m_awid == fv_awid_q && m_awaddr == fv_awaddr_q && m_awlen == fv_awlen_q);
      if (fv_w_stall_q)
        assert (m_wvalid && m_wdata == fv_wdata_q && m_wstrb == fv_wstrb_q && m_wlast == fv_wlast_q);
      // P4: requests pass unchanged: AWID is the writer's number, address, length and W beats
      // are the granted writer's own, and only that writer sees the handshakes.
      if (m_awvalid) begin
        assert (32'(m_awid) < N);
        assert (m_awaddr[5:0] == 6'd0 && {3'd0, m_awaddr[11:0]} + {1'b0, m_awlen, 6'd0} + 15'd64 <= 15'd4096);
      end
      for (int i = 0; i < N; i++) begin
        if (m_awvalid && m_awid == ID_W'(i))
          assert (aw_valid[i] && m_awaddr == aw_addr[64*i +: 64] && m_awlen == aw_len[8*i +: 8]);
        assert ((aw_valid[i] && aw_ready[i]) == (fv_aw_hs && m_awid == ID_W'(i)));
        if (m_wvalid && sel_q == SEL_W'(i))
          assert (w_valid[i] && m_wdata == w_data[512*i +: 512] && m_wstrb == w_strb[64*i +: 64] &&
                  m_wlast == w_last[i]);
        assert ((w_valid[i] && w_ready[i]) == (fv_w_hs && sel_q == SEL_W'(i)));
        // B routed by BID (always taken).
        assert (b_valid[i] == (m_bvalid && m_bid == ID_W'(i)));
        // Fairness: a writer holding AWVALID is granted before N grants go to others.
        assert (32'(fv_wait_cnt_q[8*i +: 8]) <= N - 1);
      end
      assert (m_bready);
      // P4 / AXI4 write ordering: the k-th W burst on the master carries the data of the k-th
      // AW (so it is written where its AW says), and the beats of one W burst all come from one
      // burst of one writer (no interleaving). At most one AW or one W burst is ahead.
      assert (fv_d_q != 2'd2);
      // (begin/end around each assert: a bare `else` after an assert would be its action.)
      if (fv_w_hs) begin
        if (fv_d_q == 2'd1) begin
          assert (fv_wtag == fv_awtag_q);              // the beat belongs to the pending AW
        end else if (fv_wst_q) begin
          assert (fv_wtag == fv_wtag_q);               // same burst as the beats before it
        end else if (fv_aw_hs && fv_d_q == 2'd0) begin
          assert (fv_wtag == fv_atag);                 // AW and first beat together
        end else begin
          assert (fv_d_q == 2'd0 || fv_aw_hs);         // a W burst begun ahead of its AW
        end
      end
      if (fv_aw_hs) begin
        if (fv_d_q == 2'd3 || (fv_d_q == 2'd0 && fv_wst_q)) begin
          assert (fv_atag == fv_wtag_q);               // the AW of the burst ahead of it
        end else begin
          assert (fv_d_q == 2'd0);                     // never two AWs ahead
        end
      end

      // Inductive helpers: the ghost state agrees with the grant state.
      assert (32'(last_q) < N);
      if (busy_q) assert (32'(sel_q) < N && sel_q == last_q && !(aw_done_q && w_done_q));
      if (!busy_q) begin
        assert (fv_d_q == 2'd0 && !fv_wst_q);
      end else begin
        assert (fv_d_q == (aw_done_q ? 2'd1 : w_done_q ? 2'd3 : 2'd0));
      end
      if (fv_wst_q) assert (busy_q && !w_done_q && fv_wtag_q == {sel_q, fv_wbn_q[2*sel_q +: 2]});
      if (busy_q && aw_done_q) assert (fv_awtag_q == {sel_q, fv_awn_q[2*sel_q +: 2] - 2'd1});
      if (busy_q && w_done_q) assert (fv_wtag_q == {sel_q, fv_wbn_q[2*sel_q +: 2] - 2'd1});
      if (fv_aw_stall_q) assert (busy_q && !aw_done_q && fv_waw_stall_q[sel_q]);
      if (fv_w_stall_q) assert (busy_q && !w_done_q && fv_ww_stall_q[sel_q]);
      for (int i = 0; i < N; i++) begin
        // Only the granted writer can have an AW or a W burst taken without its partner.
        assert (fv_awn_q[2*i +: 2] - fv_wbn_q[2*i +: 2] ==
                ((busy_q && sel_q == SEL_W'(i)) ? fv_d_q : 2'd0));
        // The round robin moves towards a waiting writer with every grant to another one.
        // Distance from the last grant forward to i: 1..N.
        if (!(busy_q && sel_q == SEL_W'(i)))
          assert (32'(fv_wait_cnt_q[8*i +: 8]) +
                  (i > 32'(last_q) ? i - 32'(last_q) : i + N - 32'(last_q)) <= N);
      end
    end
  end
endmodule
