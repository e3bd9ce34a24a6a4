// Per-VM RX counters and global RX counters, from the RX DMA engine's events.
module rx_stats #(
  parameter int NUM_VMS = smartnic_regs_pkg::NUM_VMS
) (
  input  logic        clk,
  input  logic        rst,
  input  logic        ev_valid,
  input  logic        ev_has_vm,
  input  logic [7:0]  ev_vm,
  input  logic [1:0]  ev_verdict,
  input  logic [15:0] ev_len,
  input  logic        frame_seen,
  output logic [NUM_VMS*32-1:0] cnt_rx,
  output logic [NUM_VMS*32-1:0] cnt_rx_bytes,
  output logic [NUM_VMS*32-1:0] cnt_rx_drop,
  output logic [31:0]           rx_frames
);
  always_ff @(posedge clk) begin
    if (rst) begin
      cnt_rx       <= '0;
      cnt_rx_bytes <= '0;
      cnt_rx_drop  <= '0;
      rx_frames    <= '0;
    end else begin
      if (frame_seen) rx_frames <= rx_frames + 32'd1;
      for (int v = 0; v < NUM_VMS; v++) begin
        if (ev_valid && ev_has_vm && ev_vm == 8'(v)) begin
          if (ev_verdict == smartnic_regs_pkg::VERDICT_DELIVER) begin
            cnt_rx[32*v +: 32]       <= cnt_rx[32*v +: 32] + 32'd1;
            cnt_rx_bytes[32*v +: 32] <= cnt_rx_bytes[32*v +: 32] + 32'(ev_len);
          end else begin
            cnt_rx_drop[32*v +: 32]  <= cnt_rx_drop[32*v +: 32] + 32'd1;
          end
        end
      end
    end
  end
endmodule
