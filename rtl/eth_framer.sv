// Ethernet framer: prepends the 14-byte header (next-hop MAC, NIC MAC, EtherType IPv4) to
// each datagram on a 512-bit stream.
//
// Inserting 14 bytes shifts every byte of the datagram across the 64-byte beats. The shift
// is a constant, so it is plain wiring: each output beat is the last 14 bytes of the
// previous input beat followed by the first 50 bytes of this one. A datagram whose last
// beat holds more than 50 bytes needs one extra output beat for its tail.
module eth_framer #(
  // Formal mutant (docs/verification.md), 0 in the design: 1 drops tlast on the extra tail
  // beat of a frame, which the stream-protocol proof must catch.
  parameter bit MUTANT_DROP_TLAST = 1'b0
) (
  input  logic         clk,
  input  logic         rst,
  input  logic [47:0]  mac_dst,      // byte 0 of the address in [47:40]
  input  logic [47:0]  mac_src,
  // datagram stream (tkeep contiguous from byte 0, full on all but the last beat)
  input  logic         i_valid,
  output logic         i_ready,
  input  logic [511:0] i_data,
  input  logic [63:0]  i_keep,
  input  logic         i_last,
  input  logic         i_user,
  // frame stream to the MAC
  output logic         o_valid,
  input  logic         o_ready,
  output logic [511:0] o_data,
  output logic [63:0]  o_keep,
  output logic         o_last,
  output logic         o_user
);
  localparam int HDR_BYTES  = 14;
  localparam int HDR_W      = 8 * HDR_BYTES;
  localparam int KEEP_BYTES = 64 - HDR_BYTES;          // datagram bytes per first beat
  localparam logic [15:0] ETHERTYPE_IPV4 = 16'h0800;

  logic [HDR_W-1:0] hdr;
  always_comb begin
    for (int i = 0; i < 6; i++) begin
      hdr[8*i +: 8]       = mac_dst[8*(5-i) +: 8];
      hdr[8*(6+i) +: 8]   = mac_src[8*(5-i) +: 8];
    end
    hdr[8*12 +: 8] = ETHERTYPE_IPV4[15:8];
    hdr[8*13 +: 8] = ETHERTYPE_IPV4[7:0];
  end

  logic                  first_q, tail_q, carry_user_q;
  logic [HDR_W-1:0]      carry_q;
  logic [HDR_BYTES-1:0]  carry_keep_q;
  logic                  load;

  assign load    = !o_valid || o_ready;
  assign i_ready = load && !tail_q;

  always_ff @(posedge clk) begin
    if (rst) begin
      o_valid <= 1'b0;
      first_q <= 1'b1;
      tail_q  <= 1'b0;
    end else if (load) begin
      if (tail_q) begin
        o_valid <= 1'b1;
        o_data  <= {{(512-HDR_W){1'b0}}, carry_q};
        o_keep  <= {{(64-HDR_BYTES){1'b0}}, carry_keep_q};
        o_last  <= !MUTANT_DROP_TLAST;
        o_user  <= carry_user_q;
        tail_q  <= 1'b0;
      end else if (i_valid) begin
        o_valid      <= 1'b1;
        o_data       <= {i_data[8*KEEP_BYTES-1:0], first_q ? hdr : carry_q};
        o_keep       <= {i_keep[KEEP_BYTES-1:0], first_q ? {HDR_BYTES{1'b1}} : carry_keep_q};
        carry_q      <= i_data[511:8*KEEP_BYTES];
        carry_keep_q <= i_keep[63:KEEP_BYTES];
        carry_user_q <= i_user;
        first_q      <= i_last;
        if (i_last && i_keep[KEEP_BYTES]) begin
          o_last <= 1'b0;
          o_user <= 1'b0;
          tail_q <= 1'b1;
        end else begin
          o_last <= i_last;
          o_user <= i_last && i_user;
        end
      end else begin
        o_valid <= 1'b0;
      end
    end
  end

`ifndef SMARTNIC_NO_ASSERTIONS  // the fast model leaves the checks out (docs/verification.md)
  // ======================= assertions (formal + Verilator --assert) =======================
  // Property 4 of docs/verification.md (TX stream), proven by formal/fv_eth_framer.sv and
  // checked in every Verilated test. fv_* registers are observation only.
  // Checks start at the first reset: before it (simulation time 0) the state is arbitrary.
  logic fv_live_q;
  always_ff @(posedge clk) if (rst) fv_live_q <= 1'b1;
  logic [6:0]  fv_in_n, fv_out_n, fv_carry_n;     // bytes in i_keep / o_keep / carry_keep_q
  always_comb begin
    fv_in_n = '0;
    fv_out_n = '0;
    fv_carry_n = '0;
    for (int i = 0; i < 64; i++) fv_in_n = fv_in_n + 7'(i_keep[i]);
    for (int i = 0; i < 64; i++) fv_out_n = fv_out_n + 7'(o_keep[i]);
    for (int i = 0; i < HDR_BYTES; i++) fv_carry_n = fv_carry_n + 7'(carry_keep_q[i]);
  end

  // Byte accounting: datagram bytes accepted (current datagram, or the whole length of the
  // last one while its frame is still going out) against frame bytes accepted by the MAC.
  logic        fv_pend_q;        // a whole datagram is in; its frame's tlast is not yet out
  logic [15:0] fv_in_q, fv_len_q, fv_out_q;
  logic        fv_stall_q;
  logic [511:0] fv_data_q;
  logic [63:0] fv_keep_q;
  logic        fv_last_q, fv_user_q;
  logic        fv_i_fire, fv_o_fire;
  assign fv_i_fire = i_valid && i_ready;
  assign fv_o_fire = o_valid && o_ready;
  always_ff @(posedge clk) begin
    if (rst) begin
      fv_pend_q <= 1'b0;
      fv_in_q   <= '0;
      fv_out_q  <= '0;
    end else begin
      if (fv_o_fire) fv_out_q <= o_last ? 16'd0 : fv_out_q + 16'(fv_out_n);
      if (fv_o_fire && o_last) fv_pend_q <= 1'b0;
      if (fv_i_fire) begin
        fv_in_q <= i_last ? 16'd0 : fv_in_q + 16'(fv_in_n);
        if (i_last) begin
          fv_len_q  <= fv_in_q + 16'(fv_in_n);
          fv_pend_q <= 1'b1;
        end
      end
    end
    fv_stall_q <= !rst && o_valid && !o_ready;
    // Captured only in a stalled cycle, the only case the next cycle compares them.
    if (o_valid && !o_ready) begin
      fv_data_q <= o_data;
      fv_keep_q <= o_keep;
      fv_last_q <= o_last;
      fv_user_q <= o_user;
    end
  end

  always_ff @(posedge clk) begin
    if (!rst && fv_live_q) begin
      // The datagram stream's contract (tx_verdict's output): tkeep contiguous from byte 0,
      // full on every beat but the last; datagrams of at most 9000 bytes.
      if (i_valid) begin
        assume (i_keep != '0 && (i_keep & (i_keep + 64'd1)) == '0);
        assume (i_last || i_keep == '1);
      end
      assume (32'(fv_in_q) <= smartnic_regs_pkg::MAX_DATAGRAM);
      if (o_valid) begin
        // tkeep contiguous from byte 0, full on every beat but the last.
        assert (o_keep != '0 && (o_keep & (o_keep + 64'd1)) == '0);
        assert (o_last || o_keep == '1);
      end
      // Valid held until ready, payload stable (AXI4-Stream).
      if (fv_stall_q)
        assert (o_valid && o_data == fv_data_q && o_keep == fv_keep_q && o_last == fv_last_q &&
                o_user == fv_user_q);
      // One tlast per frame: a tlast only for a datagram that is wholly in, and the next
      // datagram is not wholly in before the previous frame's tlast went out.
      if (fv_o_fire && o_last) assert (fv_pend_q);
      if (fv_i_fire && i_last) assert (!fv_pend_q || (fv_o_fire && o_last));
      // Frame length = datagram length + 14.
      if (fv_o_fire && o_last) assert (fv_out_q + 16'(fv_out_n) == fv_len_q + 16'(HDR_BYTES));
      // Inductive helper: bytes accepted + bytes held (output register, carried tail) equal
      // the datagram's bytes + 14 while a frame is in progress.
      if (fv_pend_q || fv_in_q != '0) begin
        assert (fv_out_q + (o_valid ? 16'(fv_out_n) : 16'd0) +
                ((!first_q || tail_q) ? 16'(fv_carry_n) : 16'd0) ==
                (fv_pend_q ? fv_len_q : fv_in_q) + 16'(HDR_BYTES));
      end else begin
        assert (fv_out_q == '0 && first_q && !tail_q && !o_valid);
      end
      assert (!(fv_pend_q && fv_in_q != '0));   // the next datagram waits for the tlast
      if (fv_in_q != '0) assert (!first_q && !tail_q);   // inside a datagram
      assert (!tail_q || (fv_pend_q && o_valid && !o_last));
      if (fv_pend_q) assert (first_q && o_valid && (tail_q || o_last));   // its tlast is still to go out
      if (o_valid && o_last) assert (fv_pend_q);
      if (!first_q || tail_q) assert ((carry_keep_q & (carry_keep_q + 14'd1)) == '0);
      if (!first_q && !tail_q) assert (carry_keep_q == '1);
      if (tail_q) assert (first_q && carry_keep_q[0]);   // a tail holds at least one byte
    end
  end
`endif  // SMARTNIC_NO_ASSERTIONS
endmodule
