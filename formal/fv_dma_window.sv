// Formal check of dma_window_pkg: the two forms of the window check, range_inside_carry (what
// the Verilated model runs) and range_inside_sum65 (what synthesis builds and the isolation
// proofs check), both equal a plain, wider statement of "[lo, lo + bytes) inside
// [base, base + size + slack) and not past 2^64", for every input.
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

  // slack is a mutant's off-by-one (1): the carry form is checked for any slack below 2^32.
  // (The 65-bit form's window end wraps for a slack of 2 or more when base + size is near
  // 2^65; the design passes 0 and the mutants 1.)
  always_comb begin
    if (slack[63:32] == '0)
      assert (dma_window_pkg::range_inside_carry(lo, bytes, base, size, slack) == ref_inside);
    if (slack[63:1] == '0)
      assert (dma_window_pkg::range_inside_sum65(lo, bytes, base, size, slack) == ref_inside);
  end

  logic unused;
  assign unused = clk;
endmodule
