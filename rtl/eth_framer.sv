// Ethernet framer: prepends the 14-byte header (next-hop MAC, NIC MAC, EtherType IPv4) to
// each datagram on a 512-bit stream.
//
// Inserting 14 bytes shifts every byte of the datagram across the 64-byte beats. The shift
// is a constant, so it is plain wiring: each output beat is the last 14 bytes of the
// previous input beat followed by the first 50 bytes of this one. A datagram whose last
// beat holds more than 50 bytes needs one extra output beat for its tail.
module eth_framer (
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
        o_last  <= 1'b1;
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
endmodule
