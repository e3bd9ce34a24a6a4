// Round-robin choice: the first requester after `last`, wrapping, whose `req` bit is set.
// Shared by the two AXI arbiters (requesters: the NIC's engines) and the two descriptor
// engines (requesters: the VMs). Purely combinational; the caller registers `last`.
//
// `pick` is `last` and `ok` low when no bit is set. The search runs only when some bit is:
// synthesis gets the same priority logic, and the simulator skips the loop on idle clocks.
module rr_pick #(
  parameter int  N = 8,
  localparam int W = N > 1 ? $clog2(N) : 1
) (
  input  logic [N-1:0] req,
  input  logic [W-1:0] last,     // < N
  output logic [W-1:0] pick,
  output logic         ok
);
  // last < N and k <= N, so one conditional subtraction is the modulo: a '%' by a constant
  // that is not a power of two becomes a full divider in Yosys 0.23. (Written out rather than
  // as a function: Verilator clears a function's temporaries at every call site every clock.)
  always_comb begin
    pick = last;
    ok   = 1'b0;
    if (req != '0)
      for (int k = N; k >= 1; k--)    // the nearest one after `last` is assigned last
        if (req[W'(32'(last) + k >= N ? 32'(last) + k - N : 32'(last) + k)]) begin
          pick = W'(32'(last) + k >= N ? 32'(last) + k - N : 32'(last) + k);
          ok   = 1'b1;
        end
  end
endmodule
