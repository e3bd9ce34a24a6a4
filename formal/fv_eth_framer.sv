// Formal harness for eth_framer (property 4, TX stream; docs/verification.md).
//
// Free environment: datagram beats (data, keep, last, user, valid) and MAC back-pressure
// (o_ready) change arbitrarily every cycle, as do the MAC addresses and reset. Assumed (in
// the design's assertion block, checked in simulation against tx_verdict): tkeep contiguous
// from byte 0 and full on all but the last beat, datagrams of at most 9000 bytes. Full widths.
module fv_eth_framer #(
  parameter bit MUTANT = 1'b0
) (
  input logic clk
);
  logic         rst, i_valid, i_last, i_user, o_ready;
  logic [47:0]  mac_dst, mac_src;
  logic [511:0] i_data;
  logic [63:0]  i_keep;
  assign rst     = $anyseq;
  assign i_valid = $anyseq;
  assign i_last  = $anyseq;
  assign i_user  = $anyseq;
  assign o_ready = $anyseq;
  assign mac_dst = $anyseq;
  assign mac_src = $anyseq;
  assign i_data  = $anyseq;
  assign i_keep  = $anyseq;

  logic initial_q = 1'b1;
  always_ff @(posedge clk) initial_q <= 1'b0;
  always_comb if (initial_q) assume (rst);

  logic         i_ready, o_valid, o_last, o_user;
  logic [511:0] o_data;
  logic [63:0]  o_keep;
  eth_framer #(.MUTANT_DROP_TLAST(MUTANT)) dut (
    .clk, .rst, .mac_dst, .mac_src,
    .i_valid, .i_ready, .i_data, .i_keep, .i_last, .i_user,
    .o_valid, .o_ready, .o_data, .o_keep, .o_last, .o_user);

`ifdef FV_COVER
  always_ff @(posedge clk) begin
    if (!rst) begin
      cover (o_valid && o_ready && o_last && o_keep == 64'h3FFF);   // a 14-byte tail beat
      cover (o_valid && o_ready && o_last && o_keep == '1);         // a frame ending on a full beat
      cover (o_valid && !o_ready && i_valid);                       // back-pressure
    end
  end
`endif
endmodule
