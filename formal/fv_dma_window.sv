// Formal check of dma_window_pkg::range_inside: the 64-bit-words-with-carries form the design
// uses equals the plain 65-bit statement of "[lo, lo + bytes) inside [base, base + size + slack)
// and not past 2^64" for every input (the isolation proofs are written in the 65-bit form).
module fv_dma_window (
  input logic clk
);
  logic [63:0] lo, bytes, base, size, slack;
  assign lo    = $anyseq;
  assign bytes = $anyseq;
  assign base  = $anyseq;
  assign size  = $anyseq;
  assign slack = $anyseq;

  logic [65:0] range_end, win_end;    // wide enough that nothing wraps
  logic        ref_inside;
  assign range_end  = 66'(lo) + 66'(bytes);
  assign win_end    = 66'(base) + 66'(size) + 66'(slack);
  assign ref_inside = lo >= base && range_end <= win_end && range_end <= {2'b01, 64'd0};

  // slack is a mutant's off-by-one (1): checked for any slack below 2^32.
  always_comb if (slack[63:32] == '0) assert (dma_window_pkg::range_inside(lo, bytes, base, size, slack) == ref_inside);

  logic unused;
  assign unused = clk;
endmodule
