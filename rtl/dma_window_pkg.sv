// The guest-memory window check shared by every DMA master (TX descriptor and datagram reads,
// RX descriptor reads, RX buffer writes): one definition of "this access stays inside the VM's
// window", which the isolation proofs (formal/fv_*.sv) hold each master to.
package dma_window_pkg;
  // [lo, lo + bytes) lies inside the window [base, base + size) and does not reach past 2^64
  // (where a burst would wrap to address 0). Callers pass whole 64-byte beats in `bytes`,
  // since that is what moves on the bus.
  //
  // Exact 65-bit arithmetic, written as 64-bit sums with their carries: the isolation proofs
  // state the property with 65-bit sums (the access's end against base + size), and a carry is
  // the 65th bit of the same sum, so the solver sees the same adders; the simulator keeps every
  // value in one 64-bit word (a 65-bit value costs it three words and library calls, and this
  // check runs for every VM in every clock). An equivalent form with subtractions
  // (lo - base <= size - bytes) is cheaper still, but the solver then has to prove two
  // different arithmetic forms equal over 64 bits: the TX descriptor proof went from 12 s to
  // minutes and the RX data proof did not finish.
  //
  // `slack` is for formal mutants only (0 in the design): the range may end that many bytes
  // past the window, the off-by-one the isolation proofs must catch.
  function automatic logic range_inside(input logic [63:0] lo, input logic [63:0] bytes,
                                        input logic [63:0] base, input logic [63:0] size,
                                        input logic [63:0] slack);
    logic [63:0] r_end, w_sum, w_end;
    logic        r_c, w_c;
    r_end = lo + bytes;              // range end = {r_c, r_end}
    r_c   = r_end < lo;
    w_sum = base + size;
    w_end = w_sum + slack;           // window end = {w_c, w_end} (no second carry: a sum of
    w_c   = w_sum < base || w_end < w_sum;  // two 64-bit values is below 2^65 - 1)
    range_inside = lo >= base &&
                   (!r_c || r_end == 64'd0) &&                    // end <= 2^64
                   (r_c ? (w_c && r_end <= w_end) : (w_c || r_end <= w_end));
  endfunction
endpackage
