// RX DMA: delivers each stored frame's datagram into an input buffer of the VM that owns
// its destination address, and produces one RX completion per input buffer used.
//
// Per frame: take its info record and lookup result; drop it (counted, with its reason) if
// it is bad, for no VM, or the VM has no buffer; otherwise get the VM's next buffer, check
// it against the VM's guest-memory window and capacity, and write the datagram in bursts
// that never cross 4 KB. The completion is released only when every burst of the datagram
// has been acknowledged (B responses of one AXI ID come back in order), so the host never
// sees a completion before its data.
module rx_dma #(
  parameter int NUM_VMS      = smartnic_regs_pkg::NUM_VMS,
  parameter int PENDING      = 16,       // completions waiting for their write responses
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
  typedef enum logic [2:0] {S_IDLE, S_DESC, S_AW, S_W, S_DISCARD, S_PUSH, S_ARP} state_t;
  state_t state_q;

  logic [15:0]  len_q;
  logic [7:0]   vm_q;
  logic [63:0]  addr_q;
  logic [10:0]  beats_left_q;     // beats of the datagram still to write (up to 1024)
  logic [6:0]   burst_left_q;     // beats of the current burst still to write
  logic [7:0]   bursts_q;         // bursts issued for this datagram
  logic [127:0] entry_q;
  logic         cpl_q;            // this frame produces a completion (a buffer was used)
  logic [47:0]  sha_q;
  logic [31:0]  spa_q, tpa_q;

  // ---- decisions ----
  // Data is written in whole 64-byte beats with every strobe set, so the end checked is the end
  // of the last beat written, not addr + len: a window whose end is not a multiple of 64 must not
  // let the last beat write past it. 65-bit sums: a buffer reaching past 2^64 is refused.
  logic [64:0] buf_end, win_end;
  logic [16:0] len_beats;          // len_q rounded up to whole beats, in bytes
  logic        in_window;
  always_comb begin
    len_beats = (17'(len_q) + 17'd63) & ~17'd63;
    buf_end   = {1'b0, rsp_addr} + {48'd0, len_beats};
    win_end   = {1'b0, vm_win_base[64*vm_q[VM_IDX_W-1:0] +: 64]} +
                {1'b0, vm_win_size[64*vm_q[VM_IDX_W-1:0] +: 64]};
    in_window = rsp_addr >= vm_win_base[64*vm_q[VM_IDX_W-1:0] +: 64] && !buf_end[64] &&
                buf_end <= win_end + 65'(MUTANT_WINDOW_END) && rsp_addr[5:0] == 6'd0;
  end

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

  // ---- burst sizing ----
  logic [6:0] to_4k, burst;
  always_comb begin
    to_4k = 7'(7'd64 - 7'(addr_q[11:6]));
    burst = beats_left_q < 11'(to_4k) ? 7'(beats_left_q) : to_4k;
  end

  assign i_ready   = state_q == S_IDLE && i_valid && l_valid;
  assign a_valid   = state_q == S_ARP;
  assign a_sha     = sha_q;
  assign a_spa     = spa_q;
  assign a_tpa     = tpa_q;
  assign req_valid = state_q == S_DESC;
  assign req_vm    = VM_IDX_W'(vm_q);

  assign aw_valid = state_q == S_AW;
  assign aw_len   = 8'(burst - 7'd1);
  assign aw_addr  = addr_q;

  assign w_valid  = state_q == S_W && d_valid;
  assign w_data   = d_data;
  assign w_last   = burst_left_q == 7'd1;
  // Datagram beats go to memory; beats past the datagram (Ethernet padding) are dropped.
  assign d_ready  = (state_q == S_W && w_ready) || state_q == S_DISCARD;

  // ---- pending completions: released when all their bursts are acknowledged ----
  logic         p_in_valid, p_in_ready, p_valid, p_pop;
  logic [135:0] p_in, p_out;
  logic [$clog2(PENDING):0] p_count;
  logic [15:0]  acked_q;
  assign p_in_valid = state_q == S_PUSH;
  assign p_in       = {bursts_q, entry_q};
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

  // ---- the frame state machine ----
  always_comb begin
    ev_valid   = 1'b0;
    ev_has_vm  = 1'b0;
    ev_vm      = vm_q;
    ev_verdict = smartnic_regs_pkg::VERDICT_DROP;
    ev_reason  = smartnic_regs_pkg::DROP_NONE;
    ev_len     = len_q;
    if (i_ready) begin
      ev_vm = l_vm;
      ev_len = i_len;
      if (i_bad) begin
        ev_valid  = 1'b1;
        ev_has_vm = l_hit && !i_arp;
        ev_reason = i_reason;
      end else if (!l_hit) begin
        ev_valid  = 1'b1;
        ev_reason = i_arp ? smartnic_regs_pkg::DROP_ARP_UNHANDLED : smartnic_regs_pkg::DROP_RX_NO_VM;
      end
    end else if (state_q == S_DESC && rsp_valid) begin
      ev_has_vm = 1'b1;
      if (!rsp_ok) begin
        ev_valid  = 1'b1;
        ev_reason = rsp_reason;
      end else if (!in_window) begin
        ev_valid  = 1'b1;
        ev_reason = smartnic_regs_pkg::DROP_DESC_WINDOW;
      end else if (len_q > rsp_cap) begin
        ev_valid  = 1'b1;
        ev_reason = smartnic_regs_pkg::DROP_RX_TOO_BIG;
      end
    end else if (state_q == S_PUSH && p_in_ready && bursts_q != 8'd0) begin
      ev_valid   = 1'b1;
      ev_has_vm  = 1'b1;
      ev_verdict = smartnic_regs_pkg::VERDICT_DELIVER;
    end
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      state_q <= S_IDLE;
    end else begin
      case (state_q)
        S_IDLE: if (i_ready) begin
          len_q    <= i_len;
          vm_q     <= l_vm;
          bursts_q <= '0;
          cpl_q    <= 1'b0;
          sha_q    <= i_arp_sha;
          spa_q    <= i_arp_spa;
          tpa_q    <= i_arp_tpa;
          // An ARP request stored no data: answer it (address of a VM) or forget it.
          if (i_arp)                 state_q <= (i_bad || !l_hit) ? S_IDLE : S_ARP;
          else if (i_bad || !l_hit)  state_q <= S_DISCARD;
          else                       state_q <= S_DESC;
        end
        S_ARP: if (a_ready) state_q <= S_IDLE;
        S_DESC: if (rsp_valid) begin
          if (!rsp_ok) begin
            state_q <= S_DISCARD;
          end else if (!in_window || len_q > rsp_cap) begin
            // The buffer goes back to the host unused, with the reason.
            entry_q <= make_entry(rsp_cookie, rsp_idx, 16'd0, vm_q, smartnic_regs_pkg::VERDICT_DROP,
                                  !in_window ? smartnic_regs_pkg::DROP_DESC_WINDOW
                                             : smartnic_regs_pkg::DROP_RX_TOO_BIG);
            cpl_q   <= 1'b1;
            state_q <= S_DISCARD;
          end else begin
            entry_q <= make_entry(rsp_cookie, rsp_idx, len_q, vm_q,
                                  smartnic_regs_pkg::VERDICT_DELIVER, smartnic_regs_pkg::DROP_NONE);
            cpl_q        <= 1'b1;
            addr_q       <= rsp_addr;
            beats_left_q <= 11'((17'(len_q) + 17'd63) >> 6);
            state_q      <= S_AW;
          end
        end
        S_AW: if (aw_ready) begin
          burst_left_q <= burst;
          beats_left_q <= beats_left_q - 11'(burst);
          addr_q       <= addr_q + {51'd0, burst, 6'd0};
          bursts_q     <= bursts_q + 8'd1;
          state_q      <= S_W;
        end
        S_W: if (w_valid && w_ready) begin
          burst_left_q <= burst_left_q - 7'd1;
          if (burst_left_q == 7'd1) begin
            if (beats_left_q != 11'd0) state_q <= S_AW;
            else if (d_last)          state_q <= cpl_q ? S_PUSH : S_IDLE;
            else                      state_q <= S_DISCARD;   // padding beats follow
          end
        end
        S_DISCARD: if (d_valid && d_last) state_q <= cpl_q ? S_PUSH : S_IDLE;
        S_PUSH: if (p_in_ready) state_q <= S_IDLE;
        default: state_q <= S_IDLE;
      endcase
    end
  end

  assign idle = state_q == S_IDLE && !i_valid && p_count == '0;

  /* verilator lint_off UNUSEDSIGNAL */
  logic unused;
  assign unused = ^{vm_q[7:VM_IDX_W], buf_end[5:0]};
  /* verilator lint_on UNUSEDSIGNAL */

  // ======================= assertions (formal + Verilator --assert) =======================
  // Property 1 (memory isolation) for RX data writes and property 4 (AW/W rules), proven by
  // formal/fv_rx_dma.sv and checked in every Verilated test. Immediate assertions in a clocked
  // block, as in tx_data_fetch; the fv_* registers are observation only.
  // Ghost state: the window of the VM whose buffer is being written, latched when the buffer
  // was accepted (the moment it was checked), so a window changed meanwhile is no false alarm.
  logic fv_live_q;
  always_ff @(posedge clk) if (rst) fv_live_q <= 1'b1;
  logic [63:0]  fv_win_lo_q;
  logic [64:0]  fv_win_hi_q;
  logic         fv_aw_stall_q, fv_w_stall_q, fv_d_stall_q, fv_w_last_q, fv_d_last_q;
  logic [63:0]  fv_aw_addr_q;
  logic [7:0]   fv_aw_len_q;
  logic [511:0] fv_w_data_q, fv_d_data_q;
  always_ff @(posedge clk) begin
    if (state_q == S_DESC && rsp_valid && rsp_ok && in_window && len_q <= rsp_cap) begin
      fv_win_lo_q <= vm_win_base[64*vm_q[VM_IDX_W-1:0] +: 64];
      fv_win_hi_q <= win_end;
    end
    fv_aw_stall_q <= !rst && aw_valid && !aw_ready;
    fv_w_stall_q  <= !rst && w_valid && !w_ready;
    fv_d_stall_q  <= !rst && d_valid && !d_ready;
    fv_aw_addr_q  <= aw_addr;
    fv_aw_len_q   <= aw_len;
    fv_w_data_q   <= w_data;
    fv_w_last_q   <= w_last;
    fv_d_data_q   <= d_data;
    fv_d_last_q   <= d_last;
  end

  always_ff @(posedge clk) begin
    if (!rst && fv_live_q) begin
      // The environment: stored datagram beats come from a FIFO (held until taken, stable).
      if (fv_d_stall_q) assume (d_valid && d_data == fv_d_data_q && d_last == fv_d_last_q);
      // rx_parse stores only IPv4 datagrams of at least 20 bytes (shorter: dropped as ip_len).
      if (i_ready && !i_arp && !i_bad) assume (i_len >= 16'(smartnic_regs_pkg::MIN_DATAGRAM));
      if (aw_valid) begin
        // P1: first and last byte of the burst inside the VM's window, 65 bits (no wrap).
        assert (aw_addr >= fv_win_lo_q);
        assert ({1'b0, aw_addr} + {50'd0, aw_len, 6'd0} + 65'd64 <= fv_win_hi_q);
        // P4: whole aligned beats, no burst crosses a 4 KB boundary.
        assert (aw_addr[5:0] == 6'd0);
        assert ({3'd0, aw_addr[11:0]} + {1'b0, aw_len, 6'd0} + 15'd64 <= 15'd4096);
      end
      // P4: AW and W held until accepted, payload stable.
      if (fv_aw_stall_q) assert (aw_valid && aw_addr == fv_aw_addr_q && aw_len == fv_aw_len_q);
      if (fv_w_stall_q)  assert (w_valid && w_data == fv_w_data_q && w_last == fv_w_last_q);
      // W beats only for a burst whose AW was issued: no more beats than the burst has.
      if (state_q == S_W) assert (burst_left_q != 7'd0);
      // Inductive helpers: the rest of the buffer still to be written lies inside the window
      // and below 2^64, and each burst's beats are all within it.
      if (state_q == S_AW || state_q == S_W) begin
        assert (addr_q[5:0] == 6'd0);
        // (after the last burst addr_q may have wrapped to 0 when the window ends at 2^64)
        if (beats_left_q != 11'd0) assert (addr_q >= fv_win_lo_q);
        assert ({1'b0, addr_q} + {48'd0, beats_left_q, 6'd0} <= fv_win_hi_q);
        assert (!(({1'b0, addr_q} + {48'd0, beats_left_q, 6'd0}) > {1'b1, 64'd0}));
      end
      if (state_q == S_AW) assert (beats_left_q != 11'd0);
      if (state_q == S_DESC) assert (len_q >= 16'(smartnic_regs_pkg::MIN_DATAGRAM));
    end
  end
endmodule
