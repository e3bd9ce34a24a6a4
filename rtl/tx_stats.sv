// Per-VM TX counters, counted once per completion (so they always agree with what the host
// reaps). 32-bit, wrapping; the host reads them over AXI4-Lite.
module tx_stats #(
  parameter int NUM_VMS   = smartnic_regs_pkg::NUM_VMS
) (
  input  logic       clk,
  input  logic       rst,
  input  logic       fire,            // a completion was accepted
  input  logic [7:0] src_vm,
  input  logic [1:0] verdict,
  input  logic [15:0] len,
  output logic [NUM_VMS*32-1:0]   cnt_desc,
  output logic [NUM_VMS*32-1:0]   cnt_external,
  output logic [NUM_VMS*32-1:0]   cnt_hairpin,
  output logic [NUM_VMS*32-1:0]   cnt_drop,
  output logic [NUM_VMS*32-1:0]   cnt_bytes
);
  always_ff @(posedge clk) begin
    if (rst) begin
      cnt_desc     <= '0;
      cnt_external <= '0;
      cnt_hairpin  <= '0;
      cnt_drop     <= '0;
      cnt_bytes    <= '0;
    end else if (fire) begin
      for (int v = 0; v < NUM_VMS; v++) begin
        if (src_vm == 8'(v)) begin
          cnt_desc[32*v +: 32] <= cnt_desc[32*v +: 32] + 32'd1;
          case (verdict)
            smartnic_regs_pkg::VERDICT_EXTERNAL: begin
              cnt_external[32*v +: 32] <= cnt_external[32*v +: 32] + 32'd1;
              cnt_bytes[32*v +: 32]    <= cnt_bytes[32*v +: 32] + 32'(len);
            end
            smartnic_regs_pkg::VERDICT_HAIRPIN: cnt_hairpin[32*v +: 32] <= cnt_hairpin[32*v +: 32] + 32'd1;
            default: cnt_drop[32*v +: 32] <= cnt_drop[32*v +: 32] + 32'd1;
          endcase
        end
      end
    end
  end
endmodule
