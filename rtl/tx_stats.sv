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
    logic [NUM_VMS*32-1:0] desc_n, ext_n, hp_n, drop_n, bytes_n;
    if (rst) begin
      cnt_desc     <= '0;
      cnt_external <= '0;
      cnt_hairpin  <= '0;
      cnt_drop     <= '0;
      cnt_bytes    <= '0;
    end else if (fire) begin
      // Into copies written back whole: the simulator then does not copy every counter vector
      // in and out on every clock (it does for a vector whose slices are assigned with <=).
      desc_n = cnt_desc;
      ext_n  = cnt_external;
      hp_n   = cnt_hairpin;
      drop_n = cnt_drop;
      bytes_n = cnt_bytes;
      for (int v = 0; v < NUM_VMS; v++) begin
        if (src_vm == 8'(v)) begin
          desc_n[32*v +: 32] = desc_n[32*v +: 32] + 32'd1;
          case (verdict)
            smartnic_regs_pkg::VERDICT_EXTERNAL: begin
              ext_n[32*v +: 32]   = ext_n[32*v +: 32] + 32'd1;
              bytes_n[32*v +: 32] = bytes_n[32*v +: 32] + 32'(len);
            end
            smartnic_regs_pkg::VERDICT_HAIRPIN: hp_n[32*v +: 32] = hp_n[32*v +: 32] + 32'd1;
            default: drop_n[32*v +: 32] = drop_n[32*v +: 32] + 32'd1;
          endcase
        end
      end
      cnt_desc     <= desc_n;
      cnt_external <= ext_n;
      cnt_hairpin  <= hp_n;
      cnt_drop     <= drop_n;
      cnt_bytes    <= bytes_n;
    end
  end
endmodule
