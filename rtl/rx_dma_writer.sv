// RX DMA writer: moves the stored datagram beats of each frame either into the buffer rx_dma
// chose for it (AXI write bursts that never cross 4 KB) or away (frames dropped, Ethernet
// padding), in frame order.
//
// Three stages joined by queues, so that per-frame and per-burst steps overlap instead of
// adding up: a command queue (one entry per stored frame: write at addr, or discard), the
// address stage (splits a write into bursts and issues their AWs) and the data stage (moves
// the beats of the bursts whose AW was issued, from a queue of burst lengths). The address
// stage runs ahead of the data, as AXI allows (W beats of each burst follow the AWs in order),
// so a datagram of one beat costs one cycle in each stage, not four cycles in a row.
//
// The window a buffer was checked against (by rx_dma, when it accepted the buffer) travels
// with its command as ghost state, for the assertions only (synthesis removes it).
module rx_dma_writer #(
  parameter int CMDS = 4,                 // frame commands queued (power of two)
  parameter int W_BURSTS = 8              // bursts whose AW was issued and whose beats wait
) (
  input  logic          clk,
  input  logic          rst,
  // frame commands, in the order the frames' beats are stored
  input  logic          c_valid,
  output logic          c_ready,          // registered: the queue has room
  input  logic          c_discard,        // no buffer: drop the frame's beats
  input  logic [63:0]   c_addr,           // 64-byte aligned
  input  logic [10:0]   c_beats,          // beats to write (1..1024) unless discarding
  input  logic [63:0]   c_fv_win_lo,      // ghost: the window the buffer was checked against
  input  logic [64:0]   c_fv_win_hi,
  // stored datagram beats
  input  logic          d_valid,
  output logic          d_ready,
  input  logic [511:0]  d_data,
  input  logic          d_last,
  // AXI write (through the write arbiter)
  output logic          aw_valid,
  input  logic          aw_ready,
  output logic [63:0]   aw_addr,
  output logic [7:0]    aw_len,
  output logic          w_valid,
  input  logic          w_ready,
  output logic [511:0]  w_data,
  output logic          w_last,
  output logic          idle
);
  localparam int CQ_W = $clog2(CMDS);
  localparam int BEATS_4K = 4096 / 64;

  // ---- command queue (registers with a valid bit each, so the assertions can see every
  // entry) ----
  logic [CMDS-1:0]   cq_v_q, cq_dis_q;
  logic [63:0]       cq_addr_q  [CMDS];
  logic [10:0]       cq_beats_q [CMDS];
  logic [CQ_W-1:0]   cq_wr_q, cq_rd_q;
  logic              cq_pop;
  assign c_ready = !cq_v_q[cq_wr_q];

  always_ff @(posedge clk) begin
    if (rst) begin
      cq_v_q  <= '0;
      cq_wr_q <= '0;
      cq_rd_q <= '0;
    end else begin
      if (c_valid && c_ready) begin
        cq_v_q[cq_wr_q]     <= 1'b1;
        cq_dis_q[cq_wr_q]   <= c_discard;
        cq_addr_q[cq_wr_q]  <= c_addr;
        cq_beats_q[cq_wr_q] <= c_beats;
        cq_wr_q             <= cq_wr_q + 1'b1;
      end
      if (cq_pop) begin
        cq_v_q[cq_rd_q] <= 1'b0;
        cq_rd_q         <= cq_rd_q + 1'b1;
      end
    end
  end

  // ---- address stage: the frame being split into bursts ----
  logic         a_v_q;                    // a write is being split
  logic [63:0]  addr_q;
  logic [10:0]  beats_left_q;             // beats of the datagram whose AW is still to come
  logic [6:0]   to_4k, burst;
  logic         aw_fire, a_done, wq_in_ready, wq_in_valid, wq_in_dis, wq_in_end;
  always_comb begin
    to_4k = 7'(BEATS_4K) - 7'(addr_q[11:6]);
    burst = beats_left_q < 11'(to_4k) ? 7'(beats_left_q) : to_4k;
  end
  // Each AW puts its burst on the data queue in the same cycle, so the AW waits for room there
  // (room only grows while it waits: AWVALID, once shown, stays).
  assign aw_valid = a_v_q && wq_in_ready;
  assign aw_addr  = addr_q;
  assign aw_len   = 8'(burst - 7'd1);
  assign aw_fire  = aw_valid && aw_ready;
  assign a_done   = aw_fire && beats_left_q == 11'(burst);
  // A discard command becomes one entry of the data queue, in order with the bursts.
  logic head_dis;
  assign head_dis = cq_v_q[cq_rd_q] && cq_dis_q[cq_rd_q];
  assign cq_pop   = cq_v_q[cq_rd_q] && (head_dis ? !a_v_q && wq_in_ready : !a_v_q || a_done);
  assign wq_in_valid = aw_fire || (cq_pop && head_dis);
  assign wq_in_dis   = !aw_fire;
  assign wq_in_end   = !aw_fire || a_done;

  always_ff @(posedge clk) begin
    if (rst) begin
      a_v_q <= 1'b0;
    end else begin
      if (aw_fire) begin
        beats_left_q <= beats_left_q - 11'(burst);
        addr_q       <= addr_q + {51'd0, burst, 6'd0};
      end
      if (a_done) a_v_q <= 1'b0;
      if (cq_pop && !head_dis) begin
        a_v_q        <= 1'b1;
        addr_q       <= cq_addr_q[cq_rd_q];
        beats_left_q <= cq_beats_q[cq_rd_q];
      end
    end
  end

  // ---- data stage: the oldest burst (or discard) whose AW was issued ----
  // Queue of {discard, last burst of its frame, beats - 1} (beats - 1 fits every burst,
  // 1..64); registers with a valid bit each, like the command queue, so the assertions can
  // count the bursts in it.
  localparam int WQ_W = $clog2(W_BURSTS);
  logic [W_BURSTS-1:0] wq_v_q, wq_dis_q, wq_end_q;
  logic [5:0]          wq_len_q [W_BURSTS];
  logic [WQ_W-1:0]     wq_wr_q, wq_rd_q;
  logic                wq_valid, wq_dis, wq_end, wq_pop;
  logic [5:0]          wq_len;
  assign wq_in_ready = !wq_v_q[wq_wr_q];
  assign wq_valid    = wq_v_q[wq_rd_q];
  assign wq_dis      = wq_dis_q[wq_rd_q];
  assign wq_end      = wq_end_q[wq_rd_q];
  assign wq_len      = wq_len_q[wq_rd_q];
  always_ff @(posedge clk) begin
    if (rst) begin
      wq_v_q  <= '0;
      wq_wr_q <= '0;
      wq_rd_q <= '0;
    end else begin
      if (wq_in_valid && wq_in_ready) begin
        wq_v_q[wq_wr_q]   <= 1'b1;
        wq_dis_q[wq_wr_q] <= wq_in_dis;
        wq_end_q[wq_wr_q] <= wq_in_end;
        wq_len_q[wq_wr_q] <= 6'(aw_len);
        wq_wr_q           <= wq_wr_q + 1'b1;
      end
      if (wq_pop) begin
        wq_v_q[wq_rd_q] <= 1'b0;
        wq_rd_q         <= wq_rd_q + 1'b1;
      end
    end
  end

  logic       pad_q;                      // beats past a written datagram: dropped to d_last
  logic [5:0] w_done_q;                   // beats of the oldest burst already written
  logic       w_fire;
  assign w_valid   = wq_valid && !wq_dis && !pad_q && d_valid;
  assign w_data    = d_data;
  assign w_last    = w_done_q == wq_len;
  assign w_fire    = w_valid && w_ready;
  assign d_ready   = (wq_valid && !wq_dis && !pad_q && w_ready) || pad_q || (wq_valid && wq_dis);
  assign wq_pop    = !pad_q && ((w_fire && w_last) || (wq_valid && wq_dis && d_valid && d_last));

  always_ff @(posedge clk) begin
    if (rst) begin
      pad_q    <= 1'b0;
      w_done_q <= '0;
    end else begin
      if (w_fire) w_done_q <= w_last ? 6'd0 : w_done_q + 6'd1;
      // A datagram's last beat that is not the frame's last: Ethernet padding follows.
      if (w_fire && w_last && wq_end && !d_last) pad_q <= 1'b1;
      if (pad_q && d_valid && d_last) pad_q <= 1'b0;
    end
  end

  assign idle = cq_v_q == '0 && !a_v_q && !wq_valid && !pad_q;

`ifndef SMARTNIC_NO_ASSERTIONS  // the fast model leaves the checks out (docs/verification.md)
  // ======================= assertions (formal + Verilator --assert) =======================
  // Property 1 (memory isolation) for RX data writes and property 4 (AW/W rules), proven by
  // formal/fv_rx_dma.sv (through rx_dma) and checked in every Verilated test. Each write is
  // compared with the window latched when its buffer was accepted (ghost state carried with
  // the command), so a window changed meanwhile is no false alarm.
  logic fv_live_q;
  always_ff @(posedge clk) if (rst) fv_live_q <= 1'b1;
  // Ghost state: the window each queued command's buffer was checked against, and that of the
  // write being split into bursts.
  logic [63:0] cq_lo_q [CMDS];
  logic [64:0] cq_hi_q [CMDS];
  logic [63:0] fv_win_lo_q;
  logic [64:0] fv_win_hi_q;
  always_ff @(posedge clk) begin
    if (!rst && c_valid && c_ready) begin
      cq_lo_q[cq_wr_q] <= c_fv_win_lo;
      cq_hi_q[cq_wr_q] <= c_fv_win_hi;
    end
    if (!rst && cq_pop && !head_dis) begin
      fv_win_lo_q <= cq_lo_q[cq_rd_q];
      fv_win_hi_q <= cq_hi_q[cq_rd_q];
    end
  end
  logic         fv_w_stall_q, fv_w_last_q;
  logic [511:0] fv_w_data_q;
  // Bursts whose AW was issued and whose last W beat was not yet written, and beats that AW
  // announced minus beats written (both counted on the ports, not from the queue).
  logic [WQ_W:0] fv_bursts_q;
  always_ff @(posedge clk) begin
    fv_w_stall_q  <= !rst && w_valid && !w_ready;
    // Captured only in a stalled cycle, the only case the next cycle compares them (the
    // simulator then copies the 512-bit beat only on a stall).
    if (w_valid && !w_ready) begin
      fv_w_data_q <= w_data;
      fv_w_last_q <= w_last;
    end
    if (rst) fv_bursts_q <= '0;
    else fv_bursts_q <= fv_bursts_q + (WQ_W+1)'(aw_fire) - (WQ_W+1)'(w_fire && w_last);
  end
  // P1 and P4 of the AW channel (window, aligned beats, 4 KB, held until accepted).
  axi_burst_check u_aw_check (
    .clk, .rst, .live(fv_live_q), .valid(aw_valid), .ready(aw_ready), .addr(aw_addr),
    .len(aw_len), .win_lo(fv_win_lo_q), .win_hi(fv_win_hi_q));

  always_ff @(posedge clk) begin
    if (!rst && fv_live_q) begin
      // P4: W held until accepted, payload stable (AW: axi_burst_check).
      if (fv_w_stall_q)  assert (w_valid && w_data == fv_w_data_q && w_last == fv_w_last_q);
      // W beats only for a burst whose AW was issued: never more W bursts than AWs.
      begin
        logic [WQ_W:0] n;
        n = '0;
        for (int i = 0; i < W_BURSTS; i++) n = n + (WQ_W+1)'(wq_v_q[i] && !wq_dis_q[i]);
        assert (fv_bursts_q == n);
      end
      if (w_valid) assert (wq_valid && !wq_dis);
      // Inductive helpers: the rest of the buffer still to be written (queued or being split)
      // lies inside its window and below 2^64.
      if (a_v_q) begin
        assert (addr_q[5:0] == 6'd0 && beats_left_q != 11'd0);
        assert (addr_q >= fv_win_lo_q);
        assert ({1'b0, addr_q} + {48'd0, beats_left_q, 6'd0} <= fv_win_hi_q);
        assert (!(({1'b0, addr_q} + {48'd0, beats_left_q, 6'd0}) > {1'b1, 64'd0}));
      end
      for (int i = 0; i < CMDS; i++) begin
        if (cq_v_q[i] && !cq_dis_q[i]) begin
          assert (cq_addr_q[i][5:0] == 6'd0 && cq_beats_q[i] != 11'd0);
          assert (cq_addr_q[i] >= cq_lo_q[i]);
          assert ({1'b0, cq_addr_q[i]} + {48'd0, cq_beats_q[i], 6'd0} <= cq_hi_q[i]);
          assert (!(({1'b0, cq_addr_q[i]} + {48'd0, cq_beats_q[i], 6'd0}) > {1'b1, 64'd0}));
        end
      end
`ifdef FORMAL
      // Each queue's valid bits are a contiguous run from its read pointer to its write pointer.
      // An inductive helper only: implied by the proof for every input the environment
      // assumptions allow (and simulation checks those), so the Verilated model does not
      // re-check it on every clock.
      for (int i = 0; i < CMDS; i++) begin
        assert (cq_v_q[i] == (CQ_W'(CQ_W'(i) - cq_rd_q) < CQ_W'(cq_wr_q - cq_rd_q) ||
                              (cq_wr_q == cq_rd_q && cq_v_q[cq_rd_q])));
      end
      for (int i = 0; i < W_BURSTS; i++) begin
        assert (wq_v_q[i] == (WQ_W'(WQ_W'(i) - wq_rd_q) < WQ_W'(wq_wr_q - wq_rd_q) ||
                              (wq_wr_q == wq_rd_q && wq_v_q[wq_rd_q])));
      end
`endif
    end
  end

  // Environment of the data stage (assumptions for the proof, checked in simulation by the
  // receive buffer being a FIFO): a stored beat offered is held, unchanged, until taken.
  logic         fv_d_stall_q, fv_d_last_q;
  logic [511:0] fv_d_data_q;
  always_ff @(posedge clk) begin
    fv_d_stall_q <= !rst && d_valid && !d_ready;
    if (d_valid && !d_ready) begin
      fv_d_data_q <= d_data;
      fv_d_last_q <= d_last;
    end
  end
  always_ff @(posedge clk) begin
    if (!rst && fv_live_q && fv_d_stall_q) assume (d_valid && d_data == fv_d_data_q && d_last == fv_d_last_q);
  end
`else
  /* verilator lint_off UNUSEDSIGNAL */
  logic unused_ghost;   // the ghost window only feeds the checks
  assign unused_ghost = ^{c_fv_win_lo, c_fv_win_hi};
  /* verilator lint_on UNUSEDSIGNAL */
`endif  // SMARTNIC_NO_ASSERTIONS
endmodule
