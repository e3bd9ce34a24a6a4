// TX descriptor fetch: picks a VM with posted descriptors (round robin), reads up to
// DESC_PER_READ descriptors of its ring in one AXI burst, and hands them on one at a time.
//
// Space in the output FIFO is reserved when a read is issued (credits), so descriptor
// read data is never held up by a full descriptor queue: the R channel is shared with datagram
// reads. Read beats go through a short queue and are unpacked from there (one descriptor per
// cycle), so a beat takes one cycle of the R channel, not one per descriptor in it. A read is
// only issued once there is room for every descriptor the ring offers (up to DESC_PER_READ),
// never for the one or two slots just freed. Several reads may be in flight.
//
// A VM's ring is read only while it lies wholly inside that VM's guest-memory window
// (dma_window_pkg, whole 64-byte beats; bits [5:0] of the ring base are ignored, the register map
// asks for a 64-byte aligned base). Otherwise its doorbell is not served: closing a VM's
// window stops every NIC access to its memory, the descriptor ring included.
module tx_desc_fetch #(
  parameter int NUM_VMS       = smartnic_regs_pkg::NUM_VMS,
  parameter int DESC_PER_READ = 16,        // descriptors per burst (4 per 64-byte beat)
  parameter int FIFO_DEPTH    = 64,        // descriptors buffered ahead of the data fetcher
  parameter int MAX_READS     = 8,         // descriptor reads in flight
  parameter int BEAT_Q_DEPTH  = 8,         // R beats queued ahead of the unpacker
  // Formal mutant (docs/verification.md), 0 in the design: 1 accepts a ring ending one byte
  // past the window (an off-by-one in the window end), which the isolation proof must catch.
  parameter bit MUTANT_WINDOW_END = 1'b0,
  localparam int VM_IDX_W     = NUM_VMS > 1 ? $clog2(NUM_VMS) : 1,
  localparam int DESC_W       = VM_IDX_W + 16 + 64 + 16 + 32 + 1
) (
  input  logic                     clk,
  input  logic                     rst,
  input  logic                     enable,
  input  logic [NUM_VMS*64-1:0] vm_win_base,
  input  logic [NUM_VMS*64-1:0] vm_win_size,
  input  logic [NUM_VMS*64-1:0] vm_tx_base,
  input  logic [NUM_VMS*5-1:0]  vm_tx_size_log2,
  input  logic [NUM_VMS*16-1:0] vm_tx_prod,
  input  logic [NUM_VMS-1:0]       vm_tx_reset,
  input  logic [NUM_VMS-1:0]       vm_enable,
  input  logic [NUM_VMS-1:0]       vm_cfg_wr,      // pulse: VM v's registers changed at the last edge
  output logic [NUM_VMS*16-1:0] vm_tx_fetch,
  // AXI read address (ID is assigned by the read mux)
  output logic        ar_valid,
  input  logic        ar_ready,
  output logic [63:0] ar_addr,
  output logic [7:0]  ar_len,
  // AXI read data for this requester, in order
  input  logic        r_valid,
  output logic        r_ready,
  input  logic [511:0] r_data,
  input  logic [1:0]  r_resp,
  // Descriptors out, in ring order per VM
  output logic                d_valid,
  input  logic                d_ready,
  output logic [VM_IDX_W-1:0] d_vm,
  output logic [15:0]         d_idx,      // free-running ring index
  output logic [63:0]         d_addr,
  output logic [15:0]         d_len,
  output logic [31:0]         d_cookie,
  output logic                d_err,      // the descriptor read itself failed
  output logic                idle
);
  localparam int CNT_W = $clog2(FIFO_DEPTH) + 1;
  localparam int N_W   = $clog2(DESC_PER_READ) + 1;
  localparam int REC_W = VM_IDX_W + 16 + N_W;

  // ---- pick the next VM (round robin after the last one served) ----
  // Two stages: the round-robin choice among every VM's ring checks is registered (sel_q), and
  // the read is sized and issued for sel_q in the next cycle, with sel_q's ring check and
  // enables taken again from their current values. One chain of logic through all eight ring
  // checks, the round robin, the burst sizing and the issue was the NIC's longest path. Nothing
  // is lost: a read leaves at most every other cycle anyway (ar_valid must drop first), and by
  // the time the next one can leave, the choice already starts after the VM just served.
  logic [VM_IDX_W-1:0] rr_q, pick, sel_q;
  logic                pick_ok, sel_ok_q;
  logic [NUM_VMS-1:0]  pending, ring_ok, ring_ok_q, work;
  // Whether a VM's ring lies in its window depends on its registers alone: it is evaluated
  // again only for a VM whose registers changed at the last edge (vm_cfg_wr, every VM after
  // reset) and carried over otherwise, the same value (asserted below, and proven by
  // formal/fv_tx_desc_fetch.sv). A flip-flop and a mux per VM in hardware; in the simulator,
  // eight 64-bit window checks skipped on almost every clock.
  function automatic logic ring_in_window(input logic [57:0] base_beat, input logic [4:0] size_log2,
                                          input logic [63:0] win_base, input logic [63:0] win_size);
    logic [13:0] m;                   // the ring's last beat (index of the mask's beat)
    m = 14'(((17'd1 << size_log2) - 17'd1) >> 2);
    ring_in_window = dma_window_pkg::range_inside({base_beat, 6'd0}, {43'd0, 15'({1'b0, m} + 15'd1), 6'd0},
                                                  win_base, win_size, 64'(MUTANT_WINDOW_END));
  endfunction
  always_ff @(posedge clk) ring_ok_q <= ring_ok;
  always_comb begin
    ring_ok = ring_ok_q;
    if (vm_cfg_wr != '0)
      for (int v = 0; v < NUM_VMS; v++)
        if (vm_cfg_wr[v])
          ring_ok[v] = ring_in_window(vm_tx_base[64*v+6 +: 58], vm_tx_size_log2[5*v +: 5],
                                      vm_win_base[64*v +: 64], vm_win_size[64*v +: 64]);
    for (int v = 0; v < NUM_VMS; v++) work[v] = vm_tx_prod[16*v +: 16] != vm_tx_fetch[16*v +: 16];
    pending = {NUM_VMS{enable}} & vm_enable & ring_ok & work;
  end
  rr_pick #(.N(NUM_VMS)) u_rr (.req(pending), .last(rr_q), .pick, .ok(pick_ok));

  always_ff @(posedge clk) begin
    if (rst) begin
      sel_q    <= '0;
      sel_ok_q <= 1'b0;
    end else begin
      sel_q    <= pick;
      sel_ok_q <= pick_ok;
    end
  end

  // ---- size the burst for the selected VM ----
  logic [15:0] mask, pos, avail, to_end, beat_pos;
  logic [63:0] beat_addr;
  logic [12:0] bytes_to_4k;
  logic [15:0] n, cap_4k;
  logic [CNT_W:0] credits_free;
  logic [CNT_W-1:0] fifo_count;
  logic [CNT_W:0] inflight_q;
  always_comb begin
    mask = '0;  pos = '0;  avail = '0;  to_end = '0;  beat_pos = '0;  beat_addr = '0;
    bytes_to_4k = '0;  cap_4k = '0;  credits_free = '0;  n = '0;
    // Sized only when a read may issue (every use is under issue): the simulator skips it on
    // the clocks between reads.
    if (sel_ok_q && !ar_valid) begin
      mask        = 16'((17'd1 << vm_tx_size_log2[5*sel_q +: 5]) - 17'd1);
      pos         = vm_tx_fetch[16*sel_q +: 16] & mask;
      avail       = vm_tx_prod[16*sel_q +: 16] - vm_tx_fetch[16*sel_q +: 16];
      to_end      = mask - pos + 16'd1;
      beat_pos    = {pos[15:2], 2'b00};
      beat_addr   = {vm_tx_base[64*sel_q+6 +: 58], 6'd0} + {44'd0, beat_pos, 4'd0};
      bytes_to_4k = 13'd4096 - {1'b0, beat_addr[11:0]};
      cap_4k      = 16'(bytes_to_4k[12:6]) * 16'd4 - 16'(pos[1:0]);
      credits_free = (CNT_W+1)'(FIFO_DEPTH) - (CNT_W+1)'(fifo_count) - inflight_q;
      n = avail;
      if (to_end < n) n = to_end;
      if (16'(DESC_PER_READ) - 16'(pos[1:0]) < n) n = 16'(DESC_PER_READ) - 16'(pos[1:0]);
      if (cap_4k < n) n = cap_4k;
      // Not fewer descriptors than the ring offers just because the FIFO is nearly full: wait for
      // room for all of them. Otherwise, once the FIFO is full, every freed slot would be fetched
      // alone: an AR and a whole 64-byte R beat per 16-byte descriptor, a cycle per datagram on
      // the R channel shared with the datagram reads. (Never more than the FIFO holds, so the
      // wait always ends.)
      if (16'(FIFO_DEPTH) < n) n = 16'(FIFO_DEPTH);
      if (16'(credits_free) < n) n = 16'd0;
    end
  end

  // ---- issue reads ----
  logic rec_in_ready, rec_valid, rec_pop;
  logic [REC_W-1:0] rec_in, rec_out;
  logic [$clog2(MAX_READS):0] rec_count;
  logic issue;
  // The selected VM's ring check and enables as they are now (a register write in between
  // counts): no read leaves for a ring that is not inside its window at this clock.
  assign issue  = sel_ok_q && pending[sel_q] && !ar_valid && n != 0 && rec_in_ready;
  assign rec_in = {sel_q, vm_tx_fetch[16*sel_q +: 16], N_W'(n)};

  logic [N_W-1:0] push_n;     // descriptors pushed into the FIFO this cycle (0/1)
  always_ff @(posedge clk) begin
    logic [NUM_VMS*16-1:0] fetch_n;
    if (rst) begin
      ar_valid    <= 1'b0;
      rr_q        <= '0;
      vm_tx_fetch <= '0;
      inflight_q  <= '0;
    end else begin
      if (ar_valid && ar_ready) ar_valid <= 1'b0;
      // The fetch indices, written back whole and only when one moves (a ring restart, or a
      // read issued, which wins over a restart of the same ring in the same clock).
      if (issue || vm_tx_reset != '0) begin
        fetch_n = vm_tx_fetch;
        for (int v = 0; v < NUM_VMS; v++)
          if (vm_tx_reset[v]) fetch_n[16*v +: 16] = '0;
        if (issue) fetch_n[16*sel_q +: 16] = vm_tx_fetch[16*sel_q +: 16] + n;
        vm_tx_fetch <= fetch_n;
      end
      if (issue) begin
        ar_valid          <= 1'b1;
        ar_addr           <= beat_addr;
        ar_len            <= 8'((({14'd0, pos[1:0]} + n + 16'd3) >> 2) - 16'd1);
        rr_q              <= sel_q;
      end
      inflight_q <= inflight_q + (issue ? (CNT_W+1)'(n) : '0) - (CNT_W+1)'(push_n);
    end
  end

  sync_fifo #(.WIDTH(REC_W), .DEPTH(MAX_READS)) u_records (
    .clk, .rst,
    .in_valid(issue), .in_ready(rec_in_ready), .in_data(rec_in),
    .out_valid(rec_valid), .out_ready(rec_pop), .out_data(rec_out), .count(rec_count));

  // ---- R beats into a small queue, so that unpacking never holds the shared R channel ----
  // The unpacker takes one descriptor per cycle, up to four per beat; taken straight off the R
  // channel, a beat of N descriptors held it (and every datagram beat behind it) for N cycles,
  // one cycle per datagram. The queue takes a beat in every cycle it has room.
  logic         q_valid, q_ready;
  logic [511:0] q_data;
  logic [1:0]   q_resp;
  /* verilator lint_off PINCONNECTEMPTY */
  sync_fifo #(.WIDTH(514), .DEPTH(BEAT_Q_DEPTH)) u_beat_q (
    .clk, .rst,
    .in_valid(r_valid), .in_ready(r_ready), .in_data({r_resp, r_data}),
    .out_valid(q_valid), .out_ready(q_ready), .out_data({q_resp, q_data}), .count());
  /* verilator lint_on PINCONNECTEMPTY */

  // ---- unpack read data: one descriptor per cycle, beat released after its last slot ----
  logic [VM_IDX_W-1:0] rec_vm;
  logic [15:0]         rec_idx;
  logic [N_W-1:0]      rec_n, done_q;
  logic [1:0]          slot;
  logic                last_of_rec, end_of_beat, push, f_in_ready;
  logic [127:0]        desc;
  assign {rec_vm, rec_idx, rec_n} = rec_out;
  assign slot        = rec_idx[1:0] + done_q[1:0];
  assign last_of_rec = done_q == rec_n - 1'b1;
  assign end_of_beat = slot == 2'd3 || last_of_rec;
  assign push        = q_valid && rec_valid && f_in_ready;
  assign q_ready     = push && end_of_beat;
  assign rec_pop     = push && last_of_rec;
  assign push_n      = N_W'(push);
  assign desc        = q_data[128*slot +: 128];

  always_ff @(posedge clk) begin
    if (rst)          done_q <= '0;
    else if (rec_pop) done_q <= '0;
    else if (push)    done_q <= done_q + 1'b1;
  end

  logic [DESC_W-1:0] f_in, f_out;
  assign f_in = {rec_vm, rec_idx + 16'(done_q),
                 desc[8*smartnic_regs_pkg::TX_DESC_ADDR_BYTE +: 64],
                 desc[8*smartnic_regs_pkg::TX_DESC_LEN_BYTE +: 16],
                 desc[8*smartnic_regs_pkg::TX_DESC_COOKIE_BYTE +: 32],
                 q_resp != 2'b00};
  sync_fifo #(.WIDTH(DESC_W), .DEPTH(FIFO_DEPTH)) u_descs (
    .clk, .rst,
    .in_valid(push), .in_ready(f_in_ready), .in_data(f_in),
    .out_valid(d_valid), .out_ready(d_ready), .out_data(f_out), .count(fifo_count));
  assign {d_vm, d_idx, d_addr, d_len, d_cookie, d_err} = f_out;

  assign idle = !ar_valid && rec_count == '0 && fifo_count == '0 && !q_valid;

  /* verilator lint_off UNUSEDSIGNAL */
  logic unused;
  assign unused = ^{desc[95:80], beat_addr[5:0], bytes_to_4k[5:0]};
  /* verilator lint_on UNUSEDSIGNAL */

`ifndef SMARTNIC_NO_ASSERTIONS  // the fast model leaves the checks out (docs/verification.md)
  // ======================= assertions (formal + Verilator --assert) =======================
  // Property 1 (memory isolation) for TX descriptor reads and property 4 (AR rules, credits),
  // proven by formal/fv_tx_desc_fetch.sv and checked in every Verilated test (axi_burst_check
  // and the immediate assertions below); the fv_* registers are observation only. Ghost state: the window of the VM whose ring is read, latched when the read is
  // issued (the moment the ring was checked against it).
  logic fv_live_q;
  always_ff @(posedge clk) if (rst) fv_live_q <= 1'b1;
  logic [63:0] fv_win_lo_q;
  logic [64:0] fv_win_hi_q;
  always_ff @(posedge clk) begin
    if (issue) begin
      fv_win_lo_q <= vm_win_base[64*sel_q +: 64];
      fv_win_hi_q <= {1'b0, vm_win_base[64*sel_q +: 64]} + {1'b0, vm_win_size[64*sel_q +: 64]};
    end
  end
  // P1 and P4 of the address channel (window, aligned beats, 4 KB, held until accepted).
  axi_burst_check u_ar_check (
    .clk, .rst, .live(fv_live_q), .valid(ar_valid), .ready(ar_ready), .addr(ar_addr),
    .len(ar_len), .win_lo(fv_win_lo_q), .win_hi(fv_win_hi_q));

  always_ff @(posedge clk) begin
    if (!rst && fv_live_q) begin
      // P4: reads in flight within their limit.
      assert (32'(rec_count) <= MAX_READS);
      // The ring checks carried over from the last cycle are those of the registers now.
      for (int v = 0; v < NUM_VMS; v++)
        assert (ring_ok[v] == ring_in_window(vm_tx_base[64*v+6 +: 58], vm_tx_size_log2[5*v +: 5],
                                             vm_win_base[64*v +: 64], vm_win_size[64*v +: 64]));
    end
  end
`endif  // SMARTNIC_NO_ASSERTIONS
endmodule
