// Formal harness for cpl_ring_writer (property 1 for completion writes, and property 4 for
// its AW/W channels; docs/verification.md).
//
// The environment is free: the ring registers (base, log2 size, consumer index, coalescing
// delay, the restart pulse), the completion entries and AW/W/B back-pressure change
// arbitrarily every cycle ($anyseq), reset included. No assumptions. The assertions are in
// rtl/cpl_ring_writer.sv. Full widths: nothing is narrowed (the module has no parameters that
// size state; the ring is up to 2^15 entries and the indices are 16-bit as in the NIC).
module fv_cpl_ring_writer #(
  parameter bit MUTANT = 1'b0
) (
  input logic clk
);
  logic         rst, cpl_reset, c_valid, aw_ready, w_ready, b_valid;
  logic [63:0]  cpl_base;
  logic [4:0]   cpl_size_log2;
  logic [15:0]  cpl_cons, cpl_coalesce;
  logic [127:0] c_entry;
  logic [1:0]   b_resp;
  assign rst           = $anyseq;
  assign cpl_reset     = $anyseq;
  assign c_valid       = $anyseq;
  assign aw_ready      = $anyseq;
  assign w_ready       = $anyseq;
  assign b_valid       = $anyseq;
  assign cpl_base      = $anyseq;
  assign cpl_size_log2 = $anyseq;
  assign cpl_cons      = $anyseq;
  assign cpl_coalesce  = $anyseq;
  assign c_entry       = $anyseq;
  assign b_resp        = $anyseq;

  logic initial_q = 1'b1;
  always_ff @(posedge clk) initial_q <= 1'b0;
  always_comb if (initial_q) assume (rst);

  logic         c_ready, aw_valid, w_valid, idle;
  logic [15:0]  cpl_prod;
  logic [63:0]  aw_addr, w_strb;
  logic [511:0] w_data;
  logic [31:0]  write_errors;

  cpl_ring_writer #(.MUTANT_RING_END(MUTANT)) dut (
    .clk, .rst, .cpl_base, .cpl_size_log2, .cpl_reset, .cpl_cons, .cpl_coalesce, .cpl_prod,
    .c_valid, .c_ready, .c_entry, .aw_valid, .aw_ready, .aw_addr, .w_valid, .w_ready, .w_data,
    .w_strb, .b_valid, .b_resp, .write_errors, .idle);

`ifdef FV_COVER
  always_ff @(posedge clk) begin
    if (!rst) begin
      cover (aw_valid && aw_ready && aw_addr != {cpl_base[63:6], 6'd0});  // a write past beat 0
    end
  end
`endif
endmodule
