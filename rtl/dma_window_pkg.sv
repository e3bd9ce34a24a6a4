// The guest-memory window check shared by every DMA master (TX descriptor and datagram reads,
// RX descriptor reads, RX buffer writes): one definition of "this access stays inside the VM's
// window", which the isolation proofs (formal/fv_*.sv) hold each master to.
package dma_window_pkg;
  // [lo, lo + bytes) lies inside the window [base, base + size) and does not reach past 2^64
  // (where a burst would wrap to address 0). Callers pass whole 64-byte beats in `bytes`,
  // since that is what moves on the bus.
  //
  // 65-bit sums, so nothing wraps. The isolation proofs state the property the same way (the
  // access's end against base + size, 65 bits); an equivalent 64-bit form with subtractions
  // (lo - base <= size - bytes) would be cheaper to simulate, but the solver then has to prove
  // two different arithmetic forms equal over 64 bits: the TX descriptor proof went from 12 s
  // to minutes and the RX data proof did not finish.
  //
  // `slack` is for formal mutants only (0 in the design): the range may end that many bytes
  // past the window, the off-by-one the isolation proofs must catch.
  function automatic logic range_inside(input logic [63:0] lo, input logic [63:0] bytes,
                                        input logic [63:0] base, input logic [63:0] size,
                                        input logic [63:0] slack);
    logic [64:0] range_end, win_end;
    range_end = {1'b0, lo} + {1'b0, bytes};
    win_end   = {1'b0, base} + {1'b0, size};
    range_inside = lo >= base && range_end <= win_end + {1'b0, slack} &&
                   range_end <= {1'b1, 64'd0};
  endfunction
endpackage
