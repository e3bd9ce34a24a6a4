// The guest-memory window check shared by every DMA master (TX descriptor and datagram reads,
// RX descriptor reads, RX buffer writes): one definition of "this access stays inside the VM's
// window", which the isolation proofs (formal/fv_*.sv) hold each master to.
package dma_window_pkg;
  // [lo, lo + bytes) lies inside the window [base, base + size) and does not reach past 2^64
  // (where a burst would wrap to address 0). Callers pass whole 64-byte beats in `bytes`,
  // since that is what moves on the bus.
  //
  // Two forms of one function. range_inside_sum65 states it with 65-bit sums, as the isolation
  // proofs do; synthesis maps each sum onto a carry chain. range_inside_carry computes the same
  // sums as 64-bit words with their carries: in the Verilated model a 65-bit value costs three
  // words and library calls, and this check runs for every VM in every clock (13 % of the
  // model's instructions); in synthesis the carry compares would be extra comparators (+1,400
  // LUT). So the simulator uses the carry form and synthesis and the proofs the 65-bit one;
  // formal_dma_window (formal/fv_dma_window.sv) proves the two equal for every input.
  // An equivalent form with subtractions (lo - base <= size - bytes) was tried and dropped: the
  // solver then has to prove two different arithmetic forms equal over 64 bits inside every
  // isolation proof (the TX descriptor proof went from 12 s to minutes, the RX data proof did
  // not finish).
  //
  // `slack` is for formal mutants only (0 in the design): the range may end that many bytes
  // past the window, the off-by-one the isolation proofs must catch.
  function automatic logic range_inside_sum65(input logic [63:0] lo, input logic [63:0] bytes,
                                              input logic [63:0] base, input logic [63:0] size,
                                              input logic [63:0] slack);
    logic [64:0] range_end, win_end;
    range_end = {1'b0, lo} + {1'b0, bytes};
    win_end   = {1'b0, base} + {1'b0, size};
    range_inside_sum65 = lo >= base && range_end <= win_end + {1'b0, slack} &&
                         range_end <= {1'b1, 64'd0};
  endfunction

  function automatic logic range_inside_carry(input logic [63:0] lo, input logic [63:0] bytes,
                                              input logic [63:0] base, input logic [63:0] size,
                                              input logic [63:0] slack);
    logic [63:0] r_end, w_sum, w_end;
    logic        r_c, w_c;
    r_end = lo + bytes;              // range end = {r_c, r_end}
    r_c   = r_end < lo;
    w_sum = base + size;
    w_end = w_sum + slack;           // window end = {w_c, w_end}; a second carry (only with a
    w_c   = w_sum < base || w_end < w_sum;  // slack >= 2, never in the design) still means "past 2^64"
    range_inside_carry = lo >= base &&
                         (!r_c || r_end == 64'd0) &&                  // end <= 2^64
                         (r_c ? (w_c && r_end <= w_end) : (w_c || r_end <= w_end));
  endfunction

  function automatic logic range_inside(input logic [63:0] lo, input logic [63:0] bytes,
                                        input logic [63:0] base, input logic [63:0] size,
                                        input logic [63:0] slack);
`ifdef VERILATOR
    range_inside = range_inside_carry(lo, bytes, base, size, slack);
`else
    range_inside = range_inside_sum65(lo, bytes, base, size, slack);
`endif
  endfunction
endpackage
