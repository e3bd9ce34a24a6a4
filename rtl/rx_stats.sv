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
  // Per-VM counters updated only with an event, into copies written back whole (the simulator
  // then does not copy every counter vector in and out on every clock).
  always_ff @(posedge clk) begin
    logic [NUM_VMS*32-1:0] rx_n, bytes_n, drop_n;
    if (rst) begin
      cnt_rx       <= '0;
      cnt_rx_bytes <= '0;
      cnt_rx_drop  <= '0;
      rx_frames    <= '0;
    end else begin
      if (frame_seen) rx_frames <= rx_frames + 32'd1;
      if (ev_valid && ev_has_vm) begin
        rx_n    = cnt_rx;
        bytes_n = cnt_rx_bytes;
        drop_n  = cnt_rx_drop;
        for (int v = 0; v < NUM_VMS; v++) begin
          if (ev_vm == 8'(v)) begin
            if (ev_verdict == smartnic_regs_pkg::VERDICT_DELIVER) begin
              rx_n[32*v +: 32]    = rx_n[32*v +: 32] + 32'd1;
              bytes_n[32*v +: 32] = bytes_n[32*v +: 32] + 32'(ev_len);
            end else begin
              drop_n[32*v +: 32]  = drop_n[32*v +: 32] + 32'd1;
            end
          end
        end
        cnt_rx       <= rx_n;
        cnt_rx_bytes <= bytes_n;
        cnt_rx_drop  <= drop_n;
      end
    end
  end
endmodule
