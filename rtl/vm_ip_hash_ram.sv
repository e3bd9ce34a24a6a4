// One way (or one slot column of a multi-slot way) of vm_ip_hash_table: DEPTH words of W bits
// with a read-only lookup port A and a host port B that either writes or reads in a cycle.
// Both reads are registered (one cycle), each port with an enable (the RAMB36E2's ENARDEN /
// ENBWREN: a port idles without a lookup or a host access). Written in the template Yosys maps
// to a true dual-port RAMB36E2 (port B's read and write share the address signal). The value read on
// port A in the cycle port B writes the same address is NOT used by vm_ip_hash_table (it
// bypasses that case explicitly), so the RAM's write mode and cross-port collision behaviour
// do not matter.
module vm_ip_hash_ram #(
  parameter int DEPTH = 1024,
  parameter int W     = 41,
  localparam int AW   = $clog2(DEPTH)
) (
  input  logic          clk,
  input  logic          en_a,
  input  logic [AW-1:0] addr_a,
  output logic [W-1:0]  dout_a,
  input  logic          en_b,   // we_b implies en_b
  input  logic          we_b,
  input  logic [AW-1:0] addr_b,
  input  logic [W-1:0]  din_b,
  output logic [W-1:0]  dout_b
`ifdef FORMAL
  // Formal view of the contents (read by formal/fv_vm_ip_hash_table.sv's induction
  // invariant, which relates them to the host's shadow). Not in simulation or synthesis.
  , output logic [DEPTH*W-1:0] fv_mem
`endif
);
  logic [W-1:0] mem [DEPTH];
`ifdef FORMAL
  for (genvar i = 0; i < DEPTH; i++) begin : g_fv
    assign fv_mem[W*i +: W] = mem[i];
  end
`endif

  always_ff @(posedge clk) if (en_a) dout_a <= mem[addr_a];

  always_ff @(posedge clk) begin
    if (en_b) begin
      if (we_b) mem[addr_b] <= din_b;
      dout_b <= mem[addr_b];
    end
  end
endmodule
