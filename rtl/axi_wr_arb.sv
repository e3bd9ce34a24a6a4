// Shares the NIC's AXI4 write channels between N writers (TX completions, RX data, RX
// completions). Addresses and data are arbitrated separately: AWs are granted round robin,
// one per clock, and each granted AW puts its writer's number on a queue; W beats are taken
// only from the writer at the head of that queue, whole bursts, so they go out in AW order
// and never interleave between bursts (AXI4 has no WID). The next AW is issued while the
// previous bursts' data is still moving, so single-beat bursts (RX datagrams of 64 B frames,
// completions) take one clock each instead of three (grant, AW, W).
// The W order queue is kept here rather than in a sync_fifo so that the proof can relate
// every entry to its ghost copy (docs/verification.md, property 4).
// The writer's number is the AWID; write responses are routed back by BID, and AXI keeps
// responses of one ID in order, which the RX path relies on to know when its data landed.
module axi_wr_arb #(
  parameter int N       = 3,
  parameter int ID_W    = 4,
  parameter int W_ORDER = 8,         // AWs issued whose W beats have not all gone (power of two, >= 2)
  // Formal mutants (formal/fv_axi_wr_arb.sv); 0 in the NIC. 1: W beats taken from the writer of
  // the newest AW instead of the queue head (W out of AW order); 2: the queue head popped on
  // every W beat instead of at WLAST (bursts interleave).
  parameter int MUTANT  = 0,
  localparam int SEL_W = N > 1 ? $clog2(N) : 1,
  localparam int WO_AW = $clog2(W_ORDER)
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
  logic [SEL_W-1:0] last_q, held_q, pick, sel;
  logic             hold_q, pick_ok;

  // Round robin starting after the last writer granted.
  rr_pick #(.N(N)) u_rr (.req(aw_valid), .last(last_q), .pick, .ok(pick_ok));

  // ---- AW: an AW shown and not taken stays selected (AWVALID and payload must hold) ----
  logic wo_in_ready, wo_valid, aw_fire, w_fire, w_pop;
  logic [SEL_W-1:0] wo_sel, w_sel;
  logic [WO_AW:0]   wo_count;
  assign sel       = hold_q ? held_q : pick;
  // An AW goes out only if its W order entry fits (room only grows while it waits).
  assign m_awvalid = (hold_q || pick_ok) && wo_in_ready;
  assign m_awid    = ID_W'(sel);
  assign aw_fire   = m_awvalid && m_awready;

  always_ff @(posedge clk) begin
    if (rst) begin
      last_q <= SEL_W'(N - 1);
      hold_q <= 1'b0;
    end else begin
      if (aw_fire) last_q <= sel;
      hold_q <= m_awvalid && !m_awready;
      held_q <= sel;
    end
  end

  // ---- W: the writers of the AWs issued, in order; the head's beats pass to its WLAST ----
  // The W order queue: one entry (the writer's number) per AW issued, removed at its WLAST.
  logic [SEL_W-1:0] wo_mem [W_ORDER];
  logic [WO_AW:0]   wo_wr_q, wo_rd_q;
  assign wo_count    = wo_wr_q - wo_rd_q;
  assign wo_in_ready = wo_count != (WO_AW+1)'(W_ORDER);
  assign wo_valid    = wo_count != '0;
  assign wo_sel      = wo_mem[wo_rd_q[WO_AW-1:0]];
  always_ff @(posedge clk) begin
    if (rst) begin
      wo_wr_q <= '0;
      wo_rd_q <= '0;
    end else begin
      if (aw_fire) wo_wr_q <= wo_wr_q + 1'b1;
      if (w_pop)   wo_rd_q <= wo_rd_q + 1'b1;
    end
  end
  always_ff @(posedge clk) if (aw_fire) wo_mem[wo_wr_q[WO_AW-1:0]] <= sel;

  assign w_sel    = MUTANT == 1 ? last_q : wo_sel;
  assign m_wvalid = wo_valid && w_valid[w_sel];
  assign m_wlast  = w_last[w_sel];
  assign w_fire   = m_wvalid && m_wready;
  assign w_pop    = w_fire && (m_wlast || MUTANT == 2);

  // One-hot selects written as loops: a variable part-select over the wide flat buses would
  // become a barrel shifter in synthesis. Each only while its channel can be valid (the
  // payloads mean nothing otherwise): the simulator skips the 512-bit select on idle clocks.
  always_comb begin
    m_awaddr = '0;
    m_awlen  = '0;
    m_wdata  = '0;
    m_wstrb  = '0;
    if (hold_q || pick_ok)
      for (int i = 0; i < N; i++)
        if (sel == SEL_W'(i)) begin
          m_awaddr = aw_addr[64*i +: 64];
          m_awlen  = aw_len[8*i +: 8];
        end
    if (wo_valid)
      for (int i = 0; i < N; i++)
        if (w_sel == SEL_W'(i)) begin
          m_wdata  = w_data[512*i +: 512];
          m_wstrb  = w_strb[64*i +: 64];
        end
  end

  always_comb begin
    aw_ready = '0;
    w_ready  = '0;
    aw_ready[sel] = m_awvalid && m_awready;
    if (wo_valid) w_ready[w_sel] = m_wready;
  end

  assign m_bready = 1'b1;
  assign b_resp   = m_bresp;
  always_comb begin
    b_valid = '0;
    for (int i = 0; i < N; i++) b_valid[i] = m_bvalid && m_bid == ID_W'(i);
  end

`ifndef SMARTNIC_NO_ASSERTIONS  // the fast model leaves the checks out (docs/verification.md)
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
  // AW / W pairing. Per writer: AW bursts and W bursts (counted at WLAST) taken from it, mod
  // 2*W_ORDER; its k-th W burst carries the data of its k-th AW (AXI order). A burst's tag =
  // {writer, k}. Master side, a ghost queue of the tags of the AWs issued (pushed at the AW
  // handshake, removed at the WLAST handshake, in order): the k-th W burst on the master must be
  // the burst of the k-th AW, so every W beat taken must be of the burst at the queue's head.
  localparam int CNT_W = WO_AW + 1;
  localparam int TAG_W = SEL_W + CNT_W;
  logic [N*CNT_W-1:0] fv_awn_q, fv_wbn_q;
  logic [TAG_W-1:0]   fv_gq_q [W_ORDER];
  logic [WO_AW:0]     fv_gq_wr_q, fv_gq_rd_q, fv_gq_n;
  logic [TAG_W-1:0]   fv_atag, fv_wtag, fv_gq_head;
  logic [SEL_W-1:0]   fv_wi, fv_ai;
  logic               fv_aw_hs, fv_w_hs;
  assign fv_aw_hs   = m_awvalid && m_awready;
  assign fv_w_hs    = m_wvalid && m_wready;
  assign fv_gq_n    = fv_gq_wr_q - fv_gq_rd_q;
  assign fv_gq_head = fv_gq_q[fv_gq_rd_q[WO_AW-1:0]];
  always_comb begin
    fv_wi = '0;
    fv_ai = '0;
    for (int i = 0; i < N; i++) begin
      if (w_valid[i] && w_ready[i]) fv_wi = SEL_W'(i);
      if (m_awid == ID_W'(i)) fv_ai = SEL_W'(i);
    end
    fv_atag = {fv_ai, fv_awn_q[CNT_W*fv_ai +: CNT_W]};
    fv_wtag = {fv_wi, fv_wbn_q[CNT_W*fv_wi +: CNT_W]};
  end
  // For the induction helpers: the W order queue's entries by position from its head, their
  // ghost tags, per entry the entries of the same writer ahead of it, per writer its entries.
  logic [W_ORDER*SEL_W-1:0] fv_pos_w;
  logic [W_ORDER*TAG_W-1:0] fv_pos_t;
  logic [W_ORDER*CNT_W-1:0] fv_ahead;
  logic [N*CNT_W-1:0]       fv_n_of;
  always_comb begin
    for (int p = 0; p < W_ORDER; p++) begin
      fv_pos_w[SEL_W*p +: SEL_W] = wo_mem[wo_rd_q[WO_AW-1:0] + WO_AW'(p)];
      fv_pos_t[TAG_W*p +: TAG_W] = fv_gq_q[wo_rd_q[WO_AW-1:0] + WO_AW'(p)];
    end
    for (int p = 0; p < W_ORDER; p++) begin
      logic [CNT_W-1:0] a;
      a = '0;
      for (int q = 0; q < p; q++)
        if (fv_pos_w[SEL_W*q +: SEL_W] == fv_pos_w[SEL_W*p +: SEL_W]) a = a + 1'b1;
      fv_ahead[CNT_W*p +: CNT_W] = a;
    end
    for (int i = 0; i < N; i++) begin
      logic [CNT_W-1:0] c;
      c = '0;
      for (int p = 0; p < W_ORDER; p++)
        if (32'(wo_count) > p && fv_pos_w[SEL_W*p +: SEL_W] == SEL_W'(i)) c = c + 1'b1;
      fv_n_of[CNT_W*i +: CNT_W] = c;
    end
  end
  // Fairness: per writer, the AWs granted to others while it has been waiting (AWVALID shown,
  // not taken).
  logic [N*8-1:0] fv_wait_cnt_q;
  always_ff @(posedge clk) begin
    fv_aw_stall_q <= !rst && m_awvalid && !m_awready;
    fv_w_stall_q  <= !rst && m_wvalid && !m_wready;
    // Payloads are captured only in a stalled cycle, the only case in which the next cycle
    // compares them (the simulator then copies the 512-bit beats only on a stall).
    if (m_awvalid && !m_awready) begin
      fv_awid_q   <= m_awid;
      fv_awaddr_q <= m_awaddr;
      fv_awlen_q  <= m_awlen;
    end
    if (m_wvalid && !m_wready) begin
      fv_wdata_q <= m_wdata;
      fv_wstrb_q <= m_wstrb;
      fv_wlast_q <= m_wlast;
    end
    fv_waw_stall_q <= rst ? '0 : aw_valid & ~aw_ready;
    fv_ww_stall_q  <= rst ? '0 : w_valid & ~w_ready;
    for (int i = 0; i < N; i++) begin
      if (aw_valid[i] && !aw_ready[i]) begin
        fv_waddr_q[64*i +: 64] <= aw_addr[64*i +: 64];
        fv_wlen_q[8*i +: 8]    <= aw_len[8*i +: 8];
      end
      if (w_valid[i] && !w_ready[i]) begin
        fv_wdata_in_q[512*i +: 512] <= w_data[512*i +: 512];
        fv_wstrb_in_q[64*i +: 64]   <= w_strb[64*i +: 64];
        fv_wlast_in_q[i]            <= w_last[i];
      end
    end
    if (rst) begin
      fv_awn_q   <= '0;
      fv_wbn_q   <= '0;
      fv_gq_wr_q <= '0;
      fv_gq_rd_q <= '0;
    end else begin
      for (int i = 0; i < N; i++) begin
        fv_awn_q[CNT_W*i +: CNT_W] <= fv_awn_q[CNT_W*i +: CNT_W] + CNT_W'(aw_valid[i] && aw_ready[i]);
        fv_wbn_q[CNT_W*i +: CNT_W] <= fv_wbn_q[CNT_W*i +: CNT_W] +
                                      CNT_W'(w_valid[i] && w_ready[i] && w_last[i]);
      end
      if (fv_aw_hs) fv_gq_wr_q <= fv_gq_wr_q + 1'b1;
      if (fv_w_hs && m_wlast) fv_gq_rd_q <= fv_gq_rd_q + 1'b1;
    end
    if (fv_aw_hs) fv_gq_q[fv_gq_wr_q[WO_AW-1:0]] <= fv_atag;
    for (int i = 0; i < N; i++) begin
      if (rst || !aw_valid[i] || aw_ready[i]) fv_wait_cnt_q[8*i +: 8] <= 8'd0;
      else if (fv_aw_hs) fv_wait_cnt_q[8*i +: 8] <= fv_wait_cnt_q[8*i +: 8] + 8'd1;
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
      // are the selected writer's own, and only that writer sees the handshakes.
      if (m_awvalid) begin
        assert (32'(m_awid) < N);
        assert (m_awaddr[5:0] == 6'd0 && {3'd0, m_awaddr[11:0]} + {1'b0, m_awlen, 6'd0} + 15'd64 <= 15'd4096);
      end
      for (int i = 0; i < N; i++) begin
        if (m_awvalid && m_awid == ID_W'(i))
          assert (aw_valid[i] && m_awaddr == aw_addr[64*i +: 64] && m_awlen == aw_len[8*i +: 8]);
        assert ((aw_valid[i] && aw_ready[i]) == (fv_aw_hs && m_awid == ID_W'(i)));
        if (m_wvalid && w_sel == SEL_W'(i))
          assert (w_valid[i] && m_wdata == w_data[512*i +: 512] && m_wstrb == w_strb[64*i +: 64] &&
                  m_wlast == w_last[i]);
        assert ((w_valid[i] && w_ready[i]) == (fv_w_hs && w_sel == SEL_W'(i)));
        // B routed by BID (always taken).
        assert (b_valid[i] == (m_bvalid && m_bid == ID_W'(i)));
        // Fairness: a writer holding AWVALID is granted before N AWs go to others (AWs go out
        // whenever the W order queue has room).
        assert (32'(fv_wait_cnt_q[8*i +: 8]) <= N - 1);
      end
      assert (m_bready);
      // P4 / AXI4 write ordering: the k-th W burst on the master carries the data of the k-th
      // AW (so it is written where its AW says), and the beats of one W burst all come from one
      // burst of one writer (no interleaving: the head changes only at WLAST). W only after its
      // AW; at most W_ORDER AWs ahead of their W bursts.
      assert (32'(fv_gq_n) <= W_ORDER);
      if (fv_aw_hs) assert (32'(fv_gq_n) < W_ORDER);
      if (fv_w_hs) assert (fv_gq_n != '0 && fv_wtag == fv_gq_head);

      // Inductive helpers. The design's W order queue is the ghost queue without the numbers:
      // same pointers, same writers; a writer's entries are numbered from its W bursts done,
      // and they are its AWs not yet matched by a W burst.
      assert (fv_gq_wr_q == wo_wr_q && fv_gq_rd_q == wo_rd_q);
      for (int p = 0; p < W_ORDER; p++) begin
        if (32'(wo_count) > p) begin
          assert (32'(fv_pos_w[SEL_W*p +: SEL_W]) < N);
          assert (fv_pos_t[TAG_W*p +: TAG_W] ==
                  {fv_pos_w[SEL_W*p +: SEL_W],
                   CNT_W'(fv_wbn_q[CNT_W*fv_pos_w[SEL_W*p +: SEL_W] +: CNT_W] + fv_ahead[CNT_W*p +: CNT_W])});
        end
      end
      // A hold is the AW shown and not taken in the last cycle (its writer must still show it).
      assert (32'(last_q) < N);
      assert (hold_q == fv_aw_stall_q);
      if (hold_q) assert (32'(held_q) < N && fv_waw_stall_q[held_q] && wo_in_ready);
      if (fv_w_stall_q) assert (fv_ww_stall_q[w_sel]);
      for (int i = 0; i < N; i++) begin
        assert (fv_awn_q[CNT_W*i +: CNT_W] - fv_wbn_q[CNT_W*i +: CNT_W] == fv_n_of[CNT_W*i +: CNT_W]);
        // The round robin moves towards a waiting writer with every grant to another one.
        // Distance from the last grant forward to i: 1..N; a held AW is nearer than a writer
        // that was waiting when it was picked.
        assert (32'(fv_wait_cnt_q[8*i +: 8]) +
                (i > 32'(last_q) ? i - 32'(last_q) : i + N - 32'(last_q)) <= N);
        if (hold_q && held_q != SEL_W'(i) && fv_wait_cnt_q[8*i +: 8] != 8'd0)
          assert ((32'(held_q) > 32'(last_q) ? 32'(held_q) - 32'(last_q) : 32'(held_q) + N - 32'(last_q)) <
                  (i > 32'(last_q) ? i - 32'(last_q) : i + N - 32'(last_q)));
      end
    end
  end
`endif  // SMARTNIC_NO_ASSERTIONS
endmodule
