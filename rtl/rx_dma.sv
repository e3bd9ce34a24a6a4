// RX DMA: delivers each stored frame's datagram into an input buffer of the VM that owns
// its destination address, and produces one RX completion per input buffer used.
//
// Per frame: take its info record and lookup result; drop it (counted, with its reason) if
// it is bad, for no VM, or the VM has no buffer; otherwise get the VM's next buffer, check
// it against the VM's guest-memory window and capacity, and hand the datagram to the writer
// (rx_dma_writer: bursts that never cross 4 KB). The completion is released only when every
// burst of the datagram has been acknowledged (B responses of one AXI ID come back in order),
// so the host never sees a completion before its data.
//
// Frames are pipelined: this decision stage takes one frame per clock (its buffer answer
// comes in the same clock) and runs ahead of the writes, which the writer queues. With one
// frame at a time (decide, write, wait) the engine took ~17 cycles per frame whatever its
// size; 64 B frames at 100 GbE arrive every 1.68 cycles. Completions wait for their write
// responses in a queue deep enough for a write-response latency of 125 cycles at that rate.
module rx_dma #(
  parameter int NUM_VMS      = smartnic_regs_pkg::NUM_VMS,
  parameter int PENDING      = 128,      // completions waiting for their write responses
  // Formal mutant (docs/verification.md), 0 in the design: 1 lets a buffer end one byte past
  // its window (an off-by-one in the window end), which the memory-isolation proof must catch.
  parameter bit MUTANT_WINDOW_END = 1'b0,
  localparam int VM_IDX_W    = NUM_VMS > 1 ? $clog2(NUM_VMS) : 1,
  localparam int RW          = smartnic_regs_pkg::REASON_W
) (
  input  logic                    clk,
  input  logic                    rst,
  input  logic [NUM_VMS*64-1:0]   vm_win_base,
  input  logic [NUM_VMS*64-1:0]   vm_win_size,
  // frame info + lookup result (same order)
  input  logic          i_valid,
  output logic          i_ready,
  input  logic          i_bad,
  input  logic [RW-1:0] i_reason,
  input  logic [15:0]   i_len,
  input  logic          i_arp,
  input  logic [47:0]   i_arp_sha,
  input  logic [31:0]   i_arp_spa,
  input  logic [31:0]   i_arp_tpa,
  input  logic          l_valid,
  input  logic          l_hit,
  input  logic [7:0]    l_vm,
  // stored datagram beats
  input  logic          d_valid,
  output logic          d_ready,
  input  logic [511:0]  d_data,
  input  logic          d_last,
  // input buffers
  output logic                req_valid,
  output logic [VM_IDX_W-1:0] req_vm,
  input  logic                rsp_valid,
  input  logic                rsp_ok,
  input  logic [RW-1:0]       rsp_reason,
  input  logic [63:0]         rsp_addr,
  input  logic [15:0]         rsp_cap,
  input  logic [31:0]         rsp_cookie,
  input  logic [15:0]         rsp_idx,
  // AXI write (through the write arbiter)
  output logic         aw_valid,
  input  logic         aw_ready,
  output logic [63:0]  aw_addr,
  output logic [7:0]   aw_len,
  output logic         w_valid,
  input  logic         w_ready,
  output logic [511:0] w_data,
  output logic         w_last,
  input  logic         b_valid,
  // ARP requests for a VM address, to be answered
  output logic          a_valid,
  input  logic          a_ready,
  output logic [47:0]   a_sha,
  output logic [31:0]   a_spa,
  output logic [31:0]   a_tpa,
  // RX completion entries
  output logic         c_valid,
  input  logic         c_ready,
  output logic [127:0] c_entry,
  // events for the counters
  output logic          ev_valid,       // a frame was delivered or dropped here
  output logic          ev_has_vm,      // ev_vm is meaningful
  output logic [7:0]    ev_vm,
  output logic [1:0]    ev_verdict,     // DELIVER or DROP
  output logic [RW-1:0] ev_reason,
  output logic [15:0]   ev_len,
  output logic          idle
);
  // ---- decision stage: one frame, its info record and lookup result ----
  logic          f_v_q;
  logic          f_bad_q, f_arp_q, f_hit_q;
  logic [RW-1:0] f_reason_q;
  logic [15:0]   f_len_q;
  logic [7:0]    f_vm_q;
  logic [47:0]   f_sha_q;
  logic [31:0]   f_spa_q, f_tpa_q;
  logic          f_done;                  // the frame leaves the stage this cycle

  // The writer's command queue and the completion queue must have room before a buffer is
  // taken: a buffer answer is final (the cache hands the buffer out in that cycle).
  logic        c_room, p_in_ready;
  logic        f_dropped, f_answer, f_deliver;
  assign f_dropped = f_bad_q || !f_hit_q;                   // dropped before asking for a buffer
  assign f_answer  = !f_arp_q && !f_dropped;                // asks for a buffer

  // ---- decisions ----
  // Data is written in whole 64-byte beats with every strobe set, so the end checked is the end
  // of the last beat written, not addr + len: a window whose end is not a multiple of 64 must not
  // let the last beat write past it. A buffer reaching past 2^64 is refused (dma_window_pkg).
  logic [64:0] win_end;            // observation only: the window the writer's assertions hold to
  logic [16:0] len_beats;          // f_len_q rounded up to whole beats, in bytes
  logic [63:0] win_lo;
  logic        in_window;
  always_comb begin
    len_beats = (17'(f_len_q) + 17'd63) & ~17'd63;
    win_lo    = '0;
    win_end   = '0;
    in_window = 1'b0;
    // Only with a frame in the stage (every use is): the simulator skips the 64-bit check on
    // the clocks without one.
    if (f_v_q) begin
      win_lo    = vm_win_base[64*f_vm_q[VM_IDX_W-1:0] +: 64];
      win_end   = {1'b0, win_lo} + {1'b0, vm_win_size[64*f_vm_q[VM_IDX_W-1:0] +: 64]};
      in_window = dma_window_pkg::range_inside(rsp_addr, 64'(len_beats), win_lo,
                                               vm_win_size[64*f_vm_q[VM_IDX_W-1:0] +: 64],
                                               64'(MUTANT_WINDOW_END)) && rsp_addr[5:0] == 6'd0;
    end
  end
  assign f_deliver = rsp_ok && in_window && f_len_q <= rsp_cap;

  function automatic logic [127:0] make_entry(input logic [31:0] cookie, input logic [15:0] idx,
                                              input logic [15:0] len, input logic [7:0] vm,
                                              input logic [1:0] verdict, input logic [RW-1:0] reason);
    logic [127:0] e;
    e = '0;
    e[8*smartnic_regs_pkg::RX_CPL_COOKIE_BYTE   +: 32] = cookie;
    e[8*smartnic_regs_pkg::RX_CPL_RING_IDX_BYTE +: 16] = idx;
    e[8*smartnic_regs_pkg::RX_CPL_LEN_BYTE      +: 16] = len;
    e[8*smartnic_regs_pkg::RX_CPL_DST_VM_BYTE   +: 8]  = vm;
    e[8*smartnic_regs_pkg::RX_CPL_VERDICT_BYTE  +: 8]  = 8'(verdict);
    e[8*smartnic_regs_pkg::RX_CPL_REASON_BYTE   +: 8]  = 8'(reason);
    make_entry = e;
  endfunction

  // Bursts of the datagram = 4 KB pages it touches (the writer splits at every 4 KB boundary):
  // counted here so that its completion can be queued before the writes are issued.
  logic [10:0] f_beats;
  logic [7:0]  f_bursts;
  always_comb begin
    f_beats  = 11'(len_beats >> 6);
    f_bursts = 8'((12'(rsp_addr[11:6]) + 12'(f_beats) - 12'd1) >> 6) + 8'd1;
  end

  assign req_valid = f_v_q && f_answer && c_room && p_in_ready;
  assign req_vm    = VM_IDX_W'(f_vm_q);
  assign a_valid   = f_v_q && f_arp_q && !f_dropped;
  assign a_sha     = f_sha_q;
  assign a_spa     = f_spa_q;
  assign a_tpa     = f_tpa_q;
  // An ARP request stored no data; every other frame stored beats that the writer must take.
  always_comb begin
    if (!f_v_q)          f_done = 1'b0;
    else if (f_arp_q)    f_done = f_dropped || a_ready;
    else if (f_dropped)  f_done = c_room;
    else                 f_done = req_valid && rsp_valid;
  end
  assign i_ready = i_valid && l_valid && (!f_v_q || f_done);

  always_ff @(posedge clk) begin
    if (rst) begin
      f_v_q <= 1'b0;
    end else begin
      if (f_done) f_v_q <= 1'b0;
      if (i_ready) begin
        f_v_q      <= 1'b1;
        f_bad_q    <= i_bad;
        f_reason_q <= i_reason;
        f_len_q    <= i_len;
        f_arp_q    <= i_arp;
        f_hit_q    <= l_hit;
        f_vm_q     <= l_vm;
        f_sha_q    <= i_arp_sha;
        f_spa_q    <= i_arp_spa;
        f_tpa_q    <= i_arp_tpa;
      end
    end
  end

  // ---- the writer: a command per frame with stored data ----
  logic wr_idle;
  rx_dma_writer u_writer (
    .clk, .rst,
    .c_valid(f_v_q && !f_arp_q && (f_dropped || (req_valid && rsp_valid))), .c_ready(c_room),
    .c_discard(f_dropped || !f_deliver), .c_addr(rsp_addr), .c_beats(f_beats),
    .c_fv_win_lo(win_lo), .c_fv_win_hi(win_end),
    .d_valid, .d_ready, .d_data, .d_last,
    .aw_valid, .aw_ready, .aw_addr, .aw_len, .w_valid, .w_ready, .w_data, .w_last,
    .idle(wr_idle));

  // ---- pending completions: released when all their bursts are acknowledged ----
  // Every buffer taken gives one entry, with the bursts written into it (0 if refused).
  logic         p_in_valid, p_valid, p_pop;
  logic [135:0] p_in, p_out;
  logic [$clog2(PENDING):0] p_count;
  logic [15:0]  acked_q;
  assign p_in_valid = f_done && f_answer && rsp_ok;
  // Built only in the cycle it is queued (the FIFO takes it only then): the simulator skips
  // both candidate entries on the other clocks.
  always_comb begin
    p_in = '0;
    if (p_in_valid)
      p_in = f_deliver
          ? {f_bursts, make_entry(rsp_cookie, rsp_idx, f_len_q, f_vm_q,
                                  smartnic_regs_pkg::VERDICT_DELIVER, smartnic_regs_pkg::DROP_NONE)}
          // The buffer goes back to the host unused, with the reason.
          : {8'd0, make_entry(rsp_cookie, rsp_idx, 16'd0, f_vm_q, smartnic_regs_pkg::VERDICT_DROP,
                              !in_window ? smartnic_regs_pkg::DROP_DESC_WINDOW
                                         : smartnic_regs_pkg::DROP_RX_TOO_BIG)};
  end
  sync_fifo #(.WIDTH(136), .DEPTH(PENDING)) u_pending (
    .clk, .rst,
    .in_valid(p_in_valid), .in_ready(p_in_ready), .in_data(p_in),
    .out_valid(p_valid), .out_ready(p_pop), .out_data(p_out), .count(p_count));
  assign c_valid = p_valid && acked_q >= 16'(p_out[135:128]);
  assign c_entry = p_out[127:0];
  assign p_pop   = c_valid && c_ready;

  always_ff @(posedge clk) begin
    if (rst) acked_q <= '0;
    else acked_q <= acked_q + 16'(b_valid) - (p_pop ? 16'(p_out[135:128]) : 16'd0);
  end

  // ---- events for the counters: one per frame, when it leaves the decision stage ----
  always_comb begin
    ev_valid   = 1'b0;
    ev_has_vm  = 1'b0;
    ev_vm      = f_vm_q;
    ev_verdict = smartnic_regs_pkg::VERDICT_DROP;
    ev_reason  = smartnic_regs_pkg::DROP_NONE;
    ev_len     = f_len_q;
    if (f_done) begin
      if (f_bad_q) begin
        ev_valid  = 1'b1;
        ev_has_vm = f_hit_q && !f_arp_q;
        ev_reason = f_reason_q;
      end else if (!f_hit_q) begin
        ev_valid  = 1'b1;
        ev_reason = f_arp_q ? smartnic_regs_pkg::DROP_ARP_UNHANDLED : smartnic_regs_pkg::DROP_RX_NO_VM;
      end else if (!f_arp_q) begin
        ev_valid  = 1'b1;
        ev_has_vm = 1'b1;
        if (!rsp_ok)          ev_reason = rsp_reason;
        else if (!in_window)  ev_reason = smartnic_regs_pkg::DROP_DESC_WINDOW;
        else if (f_len_q > rsp_cap) ev_reason = smartnic_regs_pkg::DROP_RX_TOO_BIG;
        else                  ev_verdict = smartnic_regs_pkg::VERDICT_DELIVER;
      end
    end
  end

  assign idle = !f_v_q && !i_valid && wr_idle && p_count == '0;

  /* verilator lint_off UNUSEDSIGNAL */
  logic unused;
  assign unused = ^{f_vm_q[7:VM_IDX_W]};
  /* verilator lint_on UNUSEDSIGNAL */

`ifndef SMARTNIC_NO_ASSERTIONS  // the fast model leaves the checks out (docs/verification.md)
  // ======================= assertions (formal + Verilator --assert) =======================
  // Property 1 (memory isolation) for RX data writes and property 4 (AW/W rules) are asserted
  // in rx_dma_writer, against the window passed with each command: the window the buffer was
  // checked against here (without the mutant's slack). Proven by formal/fv_rx_dma.sv.
  logic fv_live_q;
  always_ff @(posedge clk) if (rst) fv_live_q <= 1'b1;
  always_ff @(posedge clk) begin
    if (!rst && fv_live_q) begin
      // rx_parse stores only IPv4 datagrams of at least 20 bytes (shorter: dropped as ip_len).
      if (i_ready && !i_arp && !i_bad) assume (i_len >= 16'(smartnic_regs_pkg::MIN_DATAGRAM));
      if (f_v_q && f_answer) assert (f_len_q >= 16'(smartnic_regs_pkg::MIN_DATAGRAM));
      // A buffer is taken only when its command and its completion have room.
      if (req_valid && rsp_valid) assert (c_room && p_in_ready);
    end
  end
`endif  // SMARTNIC_NO_ASSERTIONS
endmodule
