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
module cpl_ring_writer #(
  parameter int PHASE_BIT = 8 * smartnic_regs_pkg::TX_CPL_PHASE_BYTE + 7
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
  logic         full, accept, start_flush, phase;
  logic [1:0]   slot;
  logic [ENTRY_W-1:0] entry;

  assign ring_size = 17'd1 << cpl_size_log2;
  assign ring_mask = 16'(ring_size - 17'd1);
  assign used      = 17'(prod_q - cpl_cons);
  assign full      = used >= ring_size;
  assign pos       = prod_q & ring_mask;
  assign slot      = pos[1:0];
  assign phase     = !prod_q[cpl_size_log2[3:0]];
  // A complete beat waits for its write to start (the cycle it starts, its slots are free).
  assign c_ready   = !full && (!mask_q[PER_BEAT-1] || start_flush);
  assign accept    = c_valid && c_ready;
  assign cpl_prod  = prod_q;

  always_comb begin
    entry = c_entry;
    entry[PHASE_BIT] = phase;
  end

  // Flush when the beat is complete, or when a partial beat has waited long enough.
  assign start_flush = !flushing_q && mask_q != '0 &&
                       (mask_q[PER_BEAT-1] || timer_q >= cpl_coalesce);
  assign last_pos    = (prod_q - 16'd1) & ring_mask;

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
        aw_addr    <= cpl_base + {44'd0, last_pos[15:2], 6'd0};
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
  assign unused = ^{pos[15:2], last_pos[1:0]};
  /* verilator lint_on UNUSEDSIGNAL */

  assign idle = mask_q == '0 && !flushing_q && b_pending_q == '0;
endmodule
