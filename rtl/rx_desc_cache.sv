// RX descriptor cache: hands out, per VM, the next free input buffer the host posted on that
// VM's RX ring.
//
// Each VM has room for eight descriptors (two 64-byte beats). Whenever a VM holds four or
// fewer and the host has posted more, the cache reads the next beat in the background, the
// VM that a frame is waiting for first, the others round robin; every VM may have a read in
// flight at once. Descriptor reads share the AXI read channel with TX datagram reads and
// wait behind them, so refilling before a frame needs the buffer, for all VMs in parallel,
// is what keeps a busy TX from starving RX.
//
// A VM's ring is read only while it lies wholly inside that VM's guest-memory window (65-bit
// arithmetic, whole 64-byte beats; bits [5:0] of the ring base are ignored). Otherwise the
// VM has no buffer coming (frames for it are dropped as rx_no_buffer once its cached
// descriptors are used): closing a VM's window stops every NIC access to its memory.
module rx_desc_cache #(
  parameter int NUM_VMS   = smartnic_regs_pkg::NUM_VMS,
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
  localparam int PER_VM = 8;                    // cached descriptors per VM (two beats)

  // Two beats per VM, addressed {vm, half}: a small memory (LUT RAM) rather than one wide
  // vector, so the read is a 16-way choice of a beat instead of a barrel shift over 8 Kbit.
  logic [511:0] cache_mem [NUM_VMS*2];
  logic [NUM_VMS*4-1:0]    cnt_q;               // cached descriptors not yet used (0..8)
  logic [NUM_VMS*16-1:0]   fetch_q;             // next ring index to read from memory
  logic [NUM_VMS-1:0]      inflight_q;          // a descriptor read is in flight for the VM
  logic [VM_IDX_W-1:0]     rr_q;
  // Reads in flight, oldest first (one ID: answered in order): VM, first index, count.
  localparam int REC_W = VM_IDX_W + 16 + 3;
  logic             rec_valid, rec_in_ready;
  logic [REC_W-1:0] rec_in, rec_out;
  logic [VM_IDX_W-1:0] rvm;
  logic [15:0]      rstart;
  logic [2:0]       rwant;
  logic             issue;
  logic [$clog2(NUM_VMS < 2 ? 2 : NUM_VMS):0] rec_count;

  // ---- which VMs want a refill, and how many descriptors the next read would bring ----
  logic [NUM_VMS-1:0] need, ring_ok;
  logic [NUM_VMS*3-1:0] n_of;
  logic [NUM_VMS*64-1:0] base_al;     // ring bases, 64-byte aligned
  logic [NUM_VMS*65-1:0] win_end;     // first byte after each window (65 bits: no wrap)
  always_comb begin
    for (int v = 0; v < NUM_VMS; v++) begin
      logic [15:0] mask, pos, avail, to_end, n;
      logic [64:0] ring_end;
      mask   = 16'((17'd1 << vm_rx_size_log2[5*v +: 5]) - 17'd1);
      base_al[64*v +: 64] = {vm_rx_base[64*v+6 +: 58], 6'd0};
      ring_end = {1'b0, base_al[64*v +: 64]} + {44'd0, 15'({1'b0, mask[15:2]} + 15'd1), 6'd0};
      win_end[65*v +: 65] = {1'b0, vm_win_base[64*v +: 64]} + {1'b0, vm_win_size[64*v +: 64]};
      ring_ok[v] = base_al[64*v +: 64] >= vm_win_base[64*v +: 64] &&
                   ring_end <= win_end[65*v +: 65] + 65'(MUTANT_WINDOW_END) &&
                   ring_end <= {1'b1, 64'd0};
      pos    = fetch_q[16*v +: 16] & mask;
      avail  = vm_rx_prod[16*v +: 16] - fetch_q[16*v +: 16];
      to_end = mask - pos + 16'd1;
      n      = 16'd4 - 16'(pos[1:0]);
      if (avail < n) n = avail;
      if (to_end < n) n = to_end;
      n_of[3*v +: 3] = 3'(n);
      need[v] = n != 16'd0 && cnt_q[4*v +: 4] <= 4'(PER_VM / 2) && !inflight_q[v] && ring_ok[v];
    end
  end

  // The VM a frame waits for goes first; otherwise round robin after the last one refilled.
  logic [VM_IDX_W-1:0] pick;
  logic                pick_ok;
  always_comb begin
    pick    = rr_q;
    pick_ok = 1'b0;
    for (int k = NUM_VMS; k >= 1; k--) begin
      logic [VM_IDX_W-1:0] v;
      v = VM_IDX_W'((32'(rr_q) + k) % NUM_VMS);
      if (need[v]) begin
        pick    = v;
        pick_ok = 1'b1;
      end
    end
    if (req_valid && need[req_vm]) begin
      pick    = req_vm;
      pick_ok = 1'b1;
    end
  end

  // ---- answering a request ----
  logic have, pending;
  assign have    = cnt_q[4*req_vm +: 4] != 4'd0;
  // Buffers are coming for this VM: posted and not yet read, or being read right now.
  // A ring outside the window brings none.
  assign pending = (vm_rx_prod[16*req_vm +: 16] != fetch_q[16*req_vm +: 16] && ring_ok[req_vm]) ||
                   inflight_q[req_vm];
  assign rsp_valid  = req_valid && (have || !pending);
  assign rsp_ok     = have;
  assign rsp_reason = smartnic_regs_pkg::DROP_RX_NO_BUFFER;
  logic [2:0]   slot;
  logic [127:0] desc;
  assign slot       = vm_rx_next[16*req_vm +: 3];
  logic [511:0] beat;
  assign beat       = cache_mem[{req_vm, slot[2]}];
  assign desc       = beat[128*slot[1:0] +: 128];
  assign rsp_addr   = desc[8*smartnic_regs_pkg::RX_DESC_ADDR_BYTE +: 64];
  assign rsp_cap    = desc[8*smartnic_regs_pkg::RX_DESC_LEN_BYTE +: 16];
  assign rsp_cookie = desc[8*smartnic_regs_pkg::RX_DESC_COOKIE_BYTE +: 32];
  assign rsp_idx    = vm_rx_next[16*req_vm +: 16];

  assign issue  = !ar_valid && pick_ok && rec_in_ready;
  assign rec_in = {pick, fetch_q[16*pick +: 16], n_of[3*pick +: 3]};
  sync_fifo #(.WIDTH(REC_W), .DEPTH(NUM_VMS < 2 ? 2 : NUM_VMS)) u_reads (
    .clk, .rst, .in_valid(issue), .in_ready(rec_in_ready), .in_data(rec_in),
    .out_valid(rec_valid), .out_ready(r_valid && r_ready), .out_data(rec_out), .count(rec_count));
  assign {rvm, rstart, rwant} = rec_out;
  assign r_ready = rec_valid;

  always_ff @(posedge clk) begin
    if (rst) begin
      cnt_q      <= '0;
      fetch_q    <= '0;
      vm_rx_next <= '0;
      inflight_q <= '0;
      ar_valid   <= 1'b0;
      rr_q       <= '0;
    end else begin
      if (ar_valid && ar_ready) ar_valid <= 1'b0;
      if (issue) begin
        // Read the beat holding the VM's next descriptors (the ring is 64-byte aligned and
        // at least four entries long, so a beat never straddles the ring's end). The ring
        // index moves on now, so the next refill of this VM reads the following beat.
        ar_valid <= 1'b1;
        ar_addr  <= base_al[64*pick +: 64] +
                    {44'd0, 14'((fetch_q[16*pick +: 16] &
                                 16'((17'd1 << vm_rx_size_log2[5*pick +: 5]) - 17'd1)) >> 2), 6'd0};
        ar_len   <= 8'd0;
        fetch_q[16*pick +: 16] <= fetch_q[16*pick +: 16] + 16'(n_of[3*pick +: 3]);
        inflight_q[pick] <= 1'b1;
        rr_q     <= pick;
      end
      if (r_valid && r_ready) begin
        inflight_q[rvm] <= 1'b0;
        // A failed read gives the ring index back; the refill is simply tried again.
        if (r_resp != 2'b00) fetch_q[16*rvm +: 16] <= rstart;
      end
      for (int v = 0; v < NUM_VMS; v++) begin
        logic [3:0] c;
        // (cache_mem is written in its own block below: memories take no reset)
        c = cnt_q[4*v +: 4];
        if (r_valid && r_ready && r_resp == 2'b00 && rvm == VM_IDX_W'(v)) c = c + 4'(rwant);
        if (rsp_valid && rsp_ok && req_vm == VM_IDX_W'(v)) c = c - 4'd1;
        cnt_q[4*v +: 4] <= c;
      end
      if (rsp_valid && rsp_ok) vm_rx_next[16*req_vm +: 16] <= vm_rx_next[16*req_vm +: 16] + 16'd1;
      for (int v = 0; v < NUM_VMS; v++) begin
        if (vm_rx_reset[v]) begin
          cnt_q[4*v +: 4]        <= '0;
          fetch_q[16*v +: 16]    <= '0;
          vm_rx_next[16*v +: 16] <= '0;
        end
      end
    end
  end

  // Descriptor i lives in half i[2] of the VM's two beats; the entries still unused are in
  // the other half or are these same ones, so nothing live is overwritten.
  always_ff @(posedge clk) begin
    if (r_valid && r_ready && r_resp == 2'b00) cache_mem[{rvm, rstart[2]}] <= r_data;
  end

  /* verilator lint_off UNUSEDSIGNAL */
  logic unused;
  assign unused = ^{desc[95:80]};
  /* verilator lint_on UNUSEDSIGNAL */

  // ======================= assertions (formal + Verilator --assert) =======================
  // Property 1 (memory isolation) for RX descriptor reads and property 4 (AR rules, reads in
  // flight), proven by formal/fv_rx_desc_cache.sv and checked in every Verilated test.
  // Immediate assertions in a clocked block, as in tx_data_fetch; the fv_* registers are
  // observation only. Ghost state: the window of the VM whose ring is read, latched when the
  // read is issued (the moment the ring was checked against it).
  logic fv_live_q;
  always_ff @(posedge clk) if (rst) fv_live_q <= 1'b1;
  logic [63:0] fv_win_lo_q, fv_ar_addr_q;
  logic [64:0] fv_win_hi_q;
  logic        fv_stall_q;
  logic [7:0]  fv_ar_len_q;
  always_ff @(posedge clk) begin
    if (issue) begin
      fv_win_lo_q <= vm_win_base[64*pick +: 64];
      fv_win_hi_q <= win_end[65*pick +: 65];
    end
    fv_stall_q   <= !rst && ar_valid && !ar_ready;
    fv_ar_addr_q <= ar_addr;
    fv_ar_len_q  <= ar_len;
  end

  always_ff @(posedge clk) begin
    if (!rst && fv_live_q) begin
      if (ar_valid) begin
        // P1: the beat read lies inside the VM's window, 65 bits (no wrap); P4: one aligned
        // beat (so no 4 KB boundary is crossed).
        assert (ar_addr >= fv_win_lo_q);
        assert ({1'b0, ar_addr} + 65'd64 <= fv_win_hi_q);
        assert (ar_addr[5:0] == 6'd0 && ar_len == 8'd0);
      end
      // P4: AR held until accepted, payload stable.
      if (fv_stall_q) assert (ar_valid && ar_addr == fv_ar_addr_q && ar_len == fv_ar_len_q);
      // P4: at most one read in flight per VM.
      assert (32'(rec_count) <= NUM_VMS);
    end
  end
endmodule
