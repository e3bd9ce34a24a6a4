// RX descriptor cache: hands out, per VM, the next free input buffer the host posted on that
// VM's RX ring.
//
// Each VM has room for PER_VM descriptors (PER_VM / 4 beats of 64 bytes). Descriptor i of a
// VM's ring lives in slot i mod PER_VM, so the descriptors between the next one to hand out
// and the next one to read from memory (at most PER_VM) never share a slot. Whenever a VM's
// slots can take the rest of the next ring beat, the cache reads it in the background, the
// VM that a frame is waiting for first, the others round robin. A VM may have many reads in
// flight: with a 1 us read latency and a frame every 1.7 cycles, a VM receiving a quarter of
// the traffic uses ~40 descriptors per read latency, so one read of four in flight per VM
// (what the cache did before) capped RX at ~16 frames per read latency. Descriptor reads
// share the AXI read channel with TX datagram reads and wait behind them, so refilling
// before a frame needs the buffer, for all VMs in parallel, is what keeps a busy TX from
// starving RX.
//
// A VM's ring is read only while it lies wholly inside that VM's guest-memory window
// (dma_window_pkg, whole 64-byte beats; bits [5:0] of the ring base are ignored). Otherwise the
// VM has no buffer coming (frames for it are dropped as rx_no_buffer once its cached
// descriptors are used): closing a VM's window stops every NIC access to its memory.
module rx_desc_cache #(
  parameter int NUM_VMS   = smartnic_regs_pkg::NUM_VMS,
  parameter int PER_VM    = 64,       // cached or requested descriptors per VM (multiple of 4, power of two)
  parameter int MAX_READS = 64,       // descriptor reads in flight, all VMs (power of two)
  // Formal mutant (docs/verification.md), 0 in the design: 1 accepts a ring ending one byte
  // past the window (an off-by-one in the window end), which the isolation proof must catch.
  parameter bit MUTANT_WINDOW_END = 1'b0,
  localparam int VM_IDX_W = NUM_VMS > 1 ? $clog2(NUM_VMS) : 1
) (
  input  logic                    clk,
  input  logic                    rst,
  input  logic [NUM_VMS*64-1:0]   vm_win_base,
  input  logic [NUM_VMS*64-1:0]   vm_win_size,
  input  logic [NUM_VMS*64-1:0]   vm_rx_base,
  input  logic [NUM_VMS*5-1:0]    vm_rx_size_log2,
  input  logic [NUM_VMS*16-1:0]   vm_rx_prod,
  input  logic [NUM_VMS-1:0]      vm_rx_reset,
  input  logic [NUM_VMS-1:0]      vm_cfg_wr,      // pulse: VM v's registers changed at the last edge
  output logic [NUM_VMS*16-1:0]   vm_rx_next,     // index of the next descriptor to be used
  // request: a buffer for this VM
  input  logic                req_valid,
  input  logic [VM_IDX_W-1:0] req_vm,
  output logic                rsp_valid,          // one cycle; the request is then consumed
  output logic                rsp_ok,             // false: the VM has no posted buffer
  output logic [smartnic_regs_pkg::REASON_W-1:0] rsp_reason,
  output logic [63:0]         rsp_addr,
  output logic [15:0]         rsp_cap,
  output logic [31:0]         rsp_cookie,
  output logic [15:0]         rsp_idx,
  // AXI read (ID assigned by the read mux)
  output logic        ar_valid,
  input  logic        ar_ready,
  output logic [63:0] ar_addr,
  output logic [7:0]  ar_len,
  input  logic        r_valid,
  output logic        r_ready,
  input  logic [511:0] r_data,
  input  logic [1:0]  r_resp
);
  localparam int PER_BEAT = 4;                      // 16-byte descriptors per 64-byte beat
  localparam int BEATS    = PER_VM / PER_BEAT;      // cached beats per VM
  localparam int BEAT_W   = BEATS > 1 ? $clog2(BEATS) : 1;
  localparam int SLOT_W   = $clog2(PER_VM);
  localparam int CNT_W    = SLOT_W + 1;             // 0..PER_VM
  localparam int RD_W     = $clog2(MAX_READS) + 1;  // 0..MAX_READS
  // Below this many descriptors cached or coming, a VM's ring is read even if the host has
  // posted only part of the next beat (otherwise the cache waits for whole beats).
  localparam int LOW_WATER = 2 * PER_BEAT;

  logic [CNT_W*NUM_VMS-1:0] cnt_q;              // cached descriptors not yet used
  logic [CNT_W*NUM_VMS-1:0] infl_q;             // descriptors requested, not yet arrived
  logic [RD_W*NUM_VMS-1:0]  rds_q;              // reads in flight (including those to skip)
  logic [RD_W*NUM_VMS-1:0]  skip_q;             // oldest reads in flight whose data is stale
  logic [NUM_VMS*16-1:0]    fetch_q;            // next ring index to read from memory
  logic [VM_IDX_W-1:0]      rr_q;
  // Reads in flight, oldest first (one ID: answered in order): VM, first index, count.
  localparam int REC_W = VM_IDX_W + 16 + 3;
  logic             rec_valid, rec_in_ready;
  logic [REC_W-1:0] rec_in, rec_out;
  logic [VM_IDX_W-1:0] rvm;
  logic [15:0]      rstart;
  logic [2:0]       rwant;
  logic             issue, r_fire, r_skip, r_ok;
  logic [RD_W-1:0]  rec_count;

  // ---- which VMs want a refill, and how many descriptors the next read would bring ----
  // A function of one VM's own state (cached and requested counts, fetch index) and registers
  // (ring, producer index, window): {need, ring_ok, n}.
  function automatic logic [4:0] refill(input logic [CNT_W-1:0] cnt, input logic [CNT_W-1:0] infl,
                                        input logic [15:0] fetch, input logic [15:0] prod,
                                        input logic [4:0] size_log2, input logic [57:0] base_beat,
                                        input logic [63:0] win_base, input logic [63:0] win_size);
    logic [15:0] mask, pos, avail, to_end, n, rest;
    logic [CNT_W:0] held;
    logic ok, nd;
    mask   = 16'((17'd1 << size_log2) - 17'd1);
    ok     = dma_window_pkg::range_inside({base_beat, 6'd0}, {43'd0, 15'({1'b0, mask[15:2]} + 15'd1), 6'd0},
                                          win_base, win_size, 64'(MUTANT_WINDOW_END));
    pos    = fetch & mask;
    avail  = prod - fetch;
    to_end = mask - pos + 16'd1;
    rest   = 16'(PER_BEAT) - 16'(pos[1:0]);
    n      = rest;
    if (avail < n) n = avail;
    if (to_end < n) n = to_end;
    held   = (CNT_W+1)'(cnt) + (CNT_W+1)'(infl);
    nd     = n != 16'd0 && 32'(held) + 32'(n) <= PER_VM && ok &&
             (n == rest || n == to_end || 32'(held) < LOW_WATER);
    refill = {nd, ok, 3'(n)};
  endfunction

  // The decisions change only when the VM's state or registers do: at the last edge a read of
  // its ring was issued or returned, a buffer of it was used, its ring restarted, one of its
  // registers was written (vm_cfg_wr), or reset. Only those VMs (at most three a clock, and the
  // one the host writes) take a new decision; the others keep last cycle's, which is the same
  // (asserted below, and proven by formal/fv_rx_desc_cache.sv). In hardware that is a flip-flop
  // and a mux per VM; in the simulator it is one VM's window check and sizing a clock instead of
  // eight, the largest single cost of the model before.
  logic [NUM_VMS-1:0]   need, ring_ok, need_q, ring_ok_q, ev, dirty_q, dirty;
  logic [NUM_VMS*3-1:0] n_of, n_q;
  assign dirty = dirty_q | vm_cfg_wr;
  always_comb begin
    logic [4:0] r;
    need    = need_q;
    ring_ok = ring_ok_q;
    n_of    = n_q;
    r       = '0;
    if (dirty != '0)  // most clocks no VM had an event: skip the loop
      for (int v = 0; v < NUM_VMS; v++) begin
        if (dirty[v]) begin
          r = refill(cnt_q[CNT_W*v +: CNT_W], infl_q[CNT_W*v +: CNT_W], fetch_q[16*v +: 16],
                     vm_rx_prod[16*v +: 16], vm_rx_size_log2[5*v +: 5], vm_rx_base[64*v+6 +: 58],
                     vm_win_base[64*v +: 64], vm_win_size[64*v +: 64]);
          need[v]         = r[4];
          ring_ok[v]      = r[3];
          n_of[3*v +: 3]  = r[2:0];
        end
      end
  end
  always_ff @(posedge clk) begin
    need_q    <= need;
    ring_ok_q <= ring_ok;
    n_q       <= n_of;
    dirty_q   <= rst ? '1 : ev;
  end

  // The VM a frame waits for goes first; otherwise round robin after the last one refilled.
  logic [VM_IDX_W-1:0] pick, rr_pick_vm;
  logic                pick_ok, rr_ok;
  rr_pick #(.N(NUM_VMS)) u_rr (.req(need), .last(rr_q), .pick(rr_pick_vm), .ok(rr_ok));
  always_comb begin
    pick    = rr_pick_vm;
    pick_ok = rr_ok;
    if (req_valid && need[req_vm]) begin
      pick    = req_vm;
      pick_ok = 1'b1;
    end
  end

  // ---- answering a request ----
  logic have, pending;
  assign have    = cnt_q[CNT_W*req_vm +: CNT_W] != '0;
  // Buffers are coming for this VM: posted and not yet read, or being read right now.
  // A ring outside the window brings none.
  assign pending = (vm_rx_prod[16*req_vm +: 16] != fetch_q[16*req_vm +: 16] && ring_ok[req_vm]) ||
                   infl_q[CNT_W*req_vm +: CNT_W] != '0;
  assign rsp_valid  = req_valid && (have || !pending);
  assign rsp_ok     = have;
  assign rsp_reason = smartnic_regs_pkg::DROP_RX_NO_BUFFER;

  // Four lane memories (one per descriptor of a beat), addressed {vm, beat}: a read that
  // brings only part of a beat writes only its own descriptors, so a slot still waiting to
  // be used is never overwritten by a stale copy of the ring.
  logic [SLOT_W-1:0]  slot;
  logic [127:0]       lane_rd [PER_BEAT];
  logic [127:0]       desc;
  logic [SLOT_W-1:0]  wslot;
  logic [PER_BEAT-1:0] lane_we;
  assign slot  = SLOT_W'(vm_rx_next[16*req_vm +: 16]);
  assign wslot = SLOT_W'(rstart);
  always_comb begin
    for (int l = 0; l < PER_BEAT; l++)
      lane_we[l] = r_ok && 3'(l) >= 3'(rstart[1:0]) && 3'(l) < 3'(rstart[1:0]) + rwant;
  end
  for (genvar l = 0; l < PER_BEAT; l++) begin : g_lane
    logic [127:0] mem [NUM_VMS * BEATS];
    always_ff @(posedge clk) begin
      if (lane_we[l]) mem[{rvm, BEAT_W'(wslot >> 2)}] <= r_data[128*l +: 128];
    end
    assign lane_rd[l] = mem[{req_vm, BEAT_W'(slot >> 2)}];
  end
  assign desc       = lane_rd[slot[1:0]];
  assign rsp_addr   = desc[8*smartnic_regs_pkg::RX_DESC_ADDR_BYTE +: 64];
  assign rsp_cap    = desc[8*smartnic_regs_pkg::RX_DESC_LEN_BYTE +: 16];
  assign rsp_cookie = desc[8*smartnic_regs_pkg::RX_DESC_COOKIE_BYTE +: 32];
  assign rsp_idx    = vm_rx_next[16*req_vm +: 16];

  // A new read may go out in the cycle the previous one is accepted: one read per clock.
  assign issue  = (!ar_valid || ar_ready) && pick_ok && rec_in_ready;
  assign rec_in = {pick, fetch_q[16*pick +: 16], n_of[3*pick +: 3]};
  sync_fifo #(.WIDTH(REC_W), .DEPTH(MAX_READS)) u_reads (
    .clk, .rst, .in_valid(issue), .in_ready(rec_in_ready), .in_data(rec_in),
    .out_valid(rec_valid), .out_ready(r_fire), .out_data(rec_out), .count(rec_count));
  assign {rvm, rstart, rwant} = rec_out;
  assign r_ready = rec_valid;
  assign r_fire  = r_valid && r_ready;
  // The oldest reads of a VM after a failed read or a ring restart bring stale data: skipped.
  assign r_skip  = r_fire && skip_q[RD_W*rvm +: RD_W] != '0;
  assign r_ok    = r_fire && !r_skip && r_resp == 2'b00;
  // Something happens to VM v this cycle: its state is updated at the edge.
  assign ev = vm_rx_reset | (NUM_VMS'(issue) << pick) | (NUM_VMS'(r_fire) << rvm) |
              (NUM_VMS'(rsp_valid && rsp_ok) << req_vm);

  always_ff @(posedge clk) begin
    logic [CNT_W*NUM_VMS-1:0] cnt_n, infl_n;
    logic [RD_W*NUM_VMS-1:0]  rds_n, skip_n;
    logic [NUM_VMS*16-1:0]    fe_n, next_n;
    if (rst) begin
      cnt_q      <= '0;
      infl_q     <= '0;
      rds_q      <= '0;
      skip_q     <= '0;
      fetch_q    <= '0;
      vm_rx_next <= '0;
      ar_valid   <= 1'b0;
      rr_q       <= '0;
    end else begin
      if (ar_valid && ar_ready) ar_valid <= 1'b0;
      if (issue) begin
        // Read the beat holding the VM's next descriptors (the ring is 64-byte aligned and
        // at least four entries long, so a beat never straddles the ring's end).
        ar_valid <= 1'b1;
        ar_addr  <= {vm_rx_base[64*pick+6 +: 58], 6'd0} +
                    {44'd0, 14'((fetch_q[16*pick +: 16] &
                                 16'((17'd1 << vm_rx_size_log2[5*pick +: 5]) - 17'd1)) >> 2), 6'd0};
        ar_len   <= 8'd0;
        rr_q     <= pick;
      end
      // Per VM, only when something happens to it (a read issued or returned, a buffer used,
      // a ring restart): at most three VMs a clock, so the simulator skips the others. Into
      // copies written back whole, only in a clock with an event (Verilator copies a vector
      // whose slices are assigned with <= in and out on every clock).
      if (ev != '0) begin
        cnt_n  = cnt_q;
        infl_n = infl_q;
        rds_n  = rds_q;
        skip_n = skip_q;
        fe_n   = fetch_q;
        next_n = vm_rx_next;
        for (int v = 0; v < NUM_VMS; v++) begin
          logic [CNT_W-1:0] c, f;
          logic [RD_W-1:0]  r, s;
          logic [15:0]      fe;
          logic             iss, ret, used;
          if (ev[v]) begin
            iss  = issue && pick == VM_IDX_W'(v);
            ret  = r_fire && rvm == VM_IDX_W'(v);
            used = rsp_valid && rsp_ok && req_vm == VM_IDX_W'(v);
            c  = cnt_q[CNT_W*v +: CNT_W];
            f  = infl_q[CNT_W*v +: CNT_W];
            r  = rds_q[RD_W*v +: RD_W] + RD_W'(iss) - RD_W'(ret);
            s  = skip_q[RD_W*v +: RD_W];
            fe = fetch_q[16*v +: 16];
            if (iss) begin
              // The ring index moves on now, so the next refill of this VM reads what follows.
              fe = fe + 16'(n_of[3*v +: 3]);
              f  = f + CNT_W'(n_of[3*v +: 3]);
            end
            if (ret && r_skip) begin
              s = s - RD_W'(1);
            end else if (ret && r_resp != 2'b00) begin
              // A failed read gives the ring index back and the refill is tried again; the VM's
              // later reads in flight (this cycle's included) read past it: their data is skipped.
              fe = rstart;
              f  = '0;
              s  = r;
            end else if (ret) begin
              c = c + CNT_W'(rwant);
              f = f - CNT_W'(rwant);
            end
            if (used) c = c - CNT_W'(1);
            if (vm_rx_reset[v]) begin
              // A restarted ring: reads in flight (this cycle's included) bring stale descriptors.
              c  = '0;
              f  = '0;
              fe = '0;
              s  = r;
            end
            cnt_n[CNT_W*v +: CNT_W]  = c;
            infl_n[CNT_W*v +: CNT_W] = f;
            rds_n[RD_W*v +: RD_W]    = r;
            skip_n[RD_W*v +: RD_W]   = s;
            fe_n[16*v +: 16]         = fe;
            if (vm_rx_reset[v]) next_n[16*v +: 16] = '0;
            else if (used) next_n[16*v +: 16] = vm_rx_next[16*v +: 16] + 16'd1;
          end
        end
        cnt_q      <= cnt_n;
        infl_q     <= infl_n;
        rds_q      <= rds_n;
        skip_q     <= skip_n;
        fetch_q    <= fe_n;
        vm_rx_next <= next_n;
      end
    end
  end

  /* verilator lint_off UNUSEDSIGNAL */
  logic unused;
  assign unused = ^{desc[95:80]};
  /* verilator lint_on UNUSEDSIGNAL */

`ifndef SMARTNIC_NO_ASSERTIONS  // the fast model leaves the checks out (docs/verification.md)
  // ======================= assertions (formal + Verilator --assert) =======================
  // Property 1 (memory isolation) for RX descriptor reads and property 4 (AR rules, reads in
  // flight), proven by formal/fv_rx_desc_cache.sv and checked in every Verilated test
  // (axi_burst_check and the immediate assertions below); the fv_* registers are observation
  // only. Ghost state: the window of the VM whose ring is read, latched when the
  // read is issued (the moment the ring was checked against it).
  logic fv_live_q;
  always_ff @(posedge clk) if (rst) fv_live_q <= 1'b1;
  logic [63:0] fv_win_lo_q;
  logic [64:0] fv_win_hi_q;
  always_ff @(posedge clk) begin
    if (issue) begin
      fv_win_lo_q <= vm_win_base[64*pick +: 64];
      fv_win_hi_q <= {1'b0, vm_win_base[64*pick +: 64]} + {1'b0, vm_win_size[64*pick +: 64]};
    end
  end
  // P1 and P4 of the address channel (window, aligned beats, 4 KB, held until accepted).
  axi_burst_check u_ar_check (
    .clk, .rst, .live(fv_live_q), .valid(ar_valid), .ready(ar_ready), .addr(ar_addr),
    .len(ar_len), .win_lo(fv_win_lo_q), .win_hi(fv_win_hi_q));

  always_ff @(posedge clk) begin
    if (!rst && fv_live_q) begin
      // One beat per read.
      if (ar_valid) assert (ar_len == 8'd0);
      // P4: reads in flight are bounded by the record queue (MAX_READS; a VM may have several,
      // answered in order), and a response is taken only with its record (r_ready = rec_valid).
      assert (32'(rec_count) <= MAX_READS);
      if (r_ready) assert (rec_valid);
      // The decisions carried over from the last cycle are those of every VM's state now.
      for (int v = 0; v < NUM_VMS; v++)
        assert ({need[v], ring_ok[v], n_of[3*v +: 3]} ==
                refill(cnt_q[CNT_W*v +: CNT_W], infl_q[CNT_W*v +: CNT_W], fetch_q[16*v +: 16],
                       vm_rx_prod[16*v +: 16], vm_rx_size_log2[5*v +: 5], vm_rx_base[64*v+6 +: 58],
                       vm_win_base[64*v +: 64], vm_win_size[64*v +: 64]));
    end
  end
`else
  /* verilator lint_off UNUSEDSIGNAL */
  logic unused_count;   // only the checks bound the reads in flight by it
  assign unused_count = ^rec_count;
  /* verilator lint_on UNUSEDSIGNAL */
`endif  // SMARTNIC_NO_ASSERTIONS
endmodule
