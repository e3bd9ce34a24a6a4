// Completion ring writer: packs 16-byte completions into a ring in host memory. Used for
// the TX (verdict) ring and the RX (ingress) ring; the caller builds the entry, this module
// adds the phase bit and owns the ring state.
//
// Four 16-byte completions share a 64-byte beat. A beat is written when it is full, or when
// it has waited `coalesce` cycles for more entries (then only the new entries are written,
// through WSTRB). So at high rates there is one memory write per four datagrams, at low
// rates a bounded delay. The beat is copied into the W register when its write starts, so
// entries keep being accepted (into the next beat) while it is written: one entry per clock
// as long as a write takes at most four clocks. Each entry carries a phase bit (1 on the
// first pass through the ring, flipped on each wrap) so the host polls memory, never a
// register. The writer never overtakes the host's consumer index: a full ring
// back-pressures whoever produces entries.
//
// The ring is the only memory this module writes: every write is one 64-byte beat inside
// [CPL_BASE, CPL_BASE + entries * 16) (rounded up to whole beats). Bits [5:0] of the base are
// ignored (the register map asks for a 64-byte aligned base), and a ring that would reach past
// 2^64 (where the writes would wrap around to address 0) takes no entries: its producer stalls.
module cpl_ring_writer #(
  parameter int PHASE_BIT = 8 * smartnic_regs_pkg::TX_CPL_PHASE_BYTE + 7,
  // Formal mutant (docs/verification.md), 0 in the design: 1 takes the beat position from the
  // producer index without the ring mask, so writes run past the ring's end after it wraps.
  parameter bit MUTANT_RING_END = 1'b0
) (
  input  logic        clk,
  input  logic        rst,
  input  logic [63:0] cpl_base,
  input  logic [4:0]  cpl_size_log2,
  input  logic        cpl_reset,
  input  logic [15:0] cpl_cons,
  input  logic [15:0] cpl_coalesce,
  output logic [15:0] cpl_prod,
  // completion entries (the phase bit is overwritten here)
  input  logic         c_valid,
  output logic         c_ready,
  input  logic [127:0] c_entry,
  // AXI write (single-beat bursts)
  output logic         aw_valid,
  input  logic         aw_ready,
  output logic [63:0]  aw_addr,
  output logic         w_valid,
  input  logic         w_ready,
  output logic [511:0] w_data,
  output logic [63:0]  w_strb,
  input  logic         b_valid,
  input  logic [1:0]   b_resp,
  output logic [31:0]  write_errors,   // B responses other than OKAY
  output logic         idle
);
  localparam int ENTRY_W = 8 * smartnic_regs_pkg::CPL_BYTES;
  localparam int PER_BEAT = 512 / ENTRY_W;

  logic [15:0]  prod_q, ring_mask, pos, last_pos;   // pos/last_pos: entry and beat positions
  logic [16:0]  ring_size, used;
  logic [511:0] beat_q;
  logic [PER_BEAT-1:0] mask_q;
  logic [15:0]  timer_q;
  logic         flushing_q;
  logic [7:0]   b_pending_q;
  logic         full, accept, start_flush, phase, ring_ok;
  logic [63:0]  base_al;          // the ring base, 64-byte aligned
  logic [64:0]  ring_end;         // first byte after the ring's last beat (65 bits: no wrap)
  logic [1:0]   slot;
  logic [ENTRY_W-1:0] entry;

  assign ring_size = 17'd1 << cpl_size_log2;
  assign ring_mask = 16'(ring_size - 17'd1);
  assign used      = 17'(prod_q - cpl_cons);
  assign full      = used >= ring_size;
  assign pos       = prod_q & ring_mask;
  assign slot      = pos[1:0];
  assign phase     = !prod_q[cpl_size_log2[3:0]];
  assign base_al   = {cpl_base[63:6], 6'd0};
  assign ring_end  = {1'b0, base_al} + {44'd0, 15'({1'b0, ring_mask[15:2]} + 15'd1), 6'd0};
  assign ring_ok   = ring_end <= {1'b1, 64'd0};
  // A complete beat waits for its write to start (the cycle it starts, its slots are free);
  // a ring past 2^64 takes nothing.
  assign c_ready   = !full && (!mask_q[PER_BEAT-1] || start_flush) && ring_ok;
  assign accept    = c_valid && c_ready;
  assign cpl_prod  = prod_q;

  always_comb begin
    entry = c_entry;
    entry[PHASE_BIT] = phase;
  end

  // Flush when the beat is complete, or when a partial beat has waited long enough.
  assign start_flush = !flushing_q && mask_q != '0 && ring_ok &&
                       (mask_q[PER_BEAT-1] || timer_q >= cpl_coalesce);
  assign last_pos    = (prod_q - 16'd1) & (MUTANT_RING_END ? 16'hFFFF : ring_mask);

  always_ff @(posedge clk) begin
    if (rst || cpl_reset) begin
      prod_q     <= '0;
      mask_q     <= '0;
      timer_q    <= '0;
      flushing_q <= 1'b0;
      aw_valid   <= 1'b0;
      w_valid    <= 1'b0;
    end else begin
      if (mask_q != '0 && !flushing_q) timer_q <= timer_q + 16'd1;
      if (start_flush) begin
        // The beat goes to the W register below; its slots are free from the next cycle.
        mask_q  <= '0;
        timer_q <= '0;
      end
      if (accept) begin
        for (int i = 0; i < PER_BEAT; i++)
          if (slot == 2'(i)) beat_q[ENTRY_W*i +: ENTRY_W] <= entry;
        mask_q[slot] <= 1'b1;
        prod_q       <= prod_q + 16'd1;
        timer_q      <= '0;
      end
      if (start_flush) begin
        flushing_q <= 1'b1;
        aw_valid   <= 1'b1;
        w_valid    <= 1'b1;
        aw_addr    <= base_al + {44'd0, last_pos[15:2], 6'd0};
        w_data     <= beat_q;
        for (int i = 0; i < PER_BEAT; i++)
          w_strb[16*i +: 16] <= {16{mask_q[i]}};
      end
      if (aw_valid && aw_ready) aw_valid <= 1'b0;
      if (w_valid && w_ready) w_valid <= 1'b0;
      if (flushing_q && (!aw_valid || aw_ready) && (!w_valid || w_ready)) flushing_q <= 1'b0;
    end
  end

  // Outstanding write responses, and errors the host can read.
  always_ff @(posedge clk) begin
    if (rst) begin
      b_pending_q  <= '0;
      write_errors <= '0;
    end else begin
      b_pending_q <= b_pending_q + 8'(start_flush) - 8'(b_valid);
      if (b_valid && b_resp != 2'b00) write_errors <= write_errors + 32'd1;
    end
  end

  /* verilator lint_off UNUSEDSIGNAL */
  logic unused;
  assign unused = ^{pos[15:2], last_pos[1:0], cpl_base[5:0]};
  /* verilator lint_on UNUSEDSIGNAL */

  assign idle = mask_q == '0 && !flushing_q && b_pending_q == '0;

`ifndef SMARTNIC_NO_ASSERTIONS  // the fast model leaves the checks out (docs/verification.md)
  // ======================= assertions (formal + Verilator --assert) =======================
  // Property 1 (memory isolation) for completion writes, proven by formal/fv_cpl_ring_writer.sv
  // and checked in every Verilated test; property 4 (AW/W held until ready, payload stable).
  // Immediate assertions in a clocked block, as in tx_data_fetch. The fv_* registers are
  // observation only. Ghost state: the ring (aligned base, end) latched when a write is
  // started, so a ring moved by the host while a write is in flight is no false alarm.
  logic fv_live_q;
  always_ff @(posedge clk) if (rst) fv_live_q <= 1'b1;
  logic [63:0]  fv_lo_q;
  logic [64:0]  fv_hi_q;
  logic         fv_aw_stall_q, fv_w_stall_q;
  logic [63:0]  fv_aw_addr_q, fv_w_strb_q;
  logic [511:0] fv_w_data_q;
  always_ff @(posedge clk) begin
    if (start_flush) begin
      fv_lo_q <= base_al;
      fv_hi_q <= ring_end;
    end
    fv_aw_stall_q <= !rst && !cpl_reset && aw_valid && !aw_ready;
    fv_w_stall_q  <= !rst && !cpl_reset && w_valid && !w_ready;
    // Captured only in a stalled cycle, the only case the next cycle compares them.
    if (aw_valid && !aw_ready) fv_aw_addr_q <= aw_addr;
    if (w_valid && !w_ready) begin
      fv_w_data_q <= w_data;
      fv_w_strb_q <= w_strb;
    end
  end

  always_ff @(posedge clk) begin
    if (!rst && fv_live_q) begin
      if (aw_valid) begin
        // P1: the written beat lies wholly inside the ring, computed in 65 bits (no wrap).
        assert (aw_addr[5:0] == 6'd0);
        assert (aw_addr >= fv_lo_q);
        assert ({1'b0, aw_addr} + 65'd64 <= fv_hi_q);
        assert (fv_hi_q <= {1'b1, 64'd0});
      end
      // P4: AW and W held until accepted, payload stable (a register write that restarts the
      // ring, cpl_reset, withdraws them: the runtime only does that while the NIC is idle).
      if (fv_aw_stall_q) assert (aw_valid && aw_addr == fv_aw_addr_q);
      if (fv_w_stall_q) assert (w_valid && w_data == fv_w_data_q && w_strb == fv_w_strb_q);
      // AW and W of a write are issued together and only while a flush is in progress.
      if (aw_valid || w_valid) assert (flushing_q);
    end
  end
`endif  // SMARTNIC_NO_ASSERTIONS
endmodule
