// Formal helper: which of the N W-bit slots of a vector changed since the last cycle. The
// harnesses derive the register block's vm_cfg_wr pulse from it (every change of a VM's free
// registers raises the VM's pulse).
module fv_changed #(
  parameter int N = 2,
  parameter int W = 64
) (
  input  logic         clk,
  input  logic [N*W-1:0] in,
  output logic [N-1:0] changed
);
  logic [N*W-1:0] q;
  always_ff @(posedge clk) q <= in;
  always_comb begin
    for (int i = 0; i < N; i++) changed[i] = in[W*i +: W] != q[W*i +: W];
  end
endmodule
