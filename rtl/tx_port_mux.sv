// Puts two frame streams on the one TX port to the MAC: datagrams from the framer (0) and
// ARP replies (1). Switches only between frames; alternates when both have one waiting.
module tx_port_mux (
  input  logic         clk,
  input  logic         rst,
  input  logic [1:0]   i_valid,
  output logic [1:0]   i_ready,
  // The two data buses apart rather than one packed vector: the simulator would concatenate
  // them into a 1024-bit temporary on every clock before selecting one.
  input  logic [511:0] i_data0,
  input  logic [511:0] i_data1,
  input  logic [127:0] i_keep,
  input  logic [1:0]   i_last,
  input  logic [1:0]   i_user,
  output logic         o_valid,
  input  logic         o_ready,
  output logic [511:0] o_data,
  output logic [63:0]  o_keep,
  output logic         o_last,
  output logic         o_user
);
  logic in_frame_q, cur_q, last_q, sel, hold_q;

  // Mid-frame, or while a beat waits for TREADY (AXI4-Stream: it must stay as shown), the
  // current input keeps the port; between frames alternate on contention.
  assign sel = (in_frame_q || hold_q) ? cur_q : (i_valid[1] && (!i_valid[0] || !last_q));

  assign o_valid = i_valid[sel];
  assign o_data  = sel ? i_data1 : i_data0;
  assign o_keep  = i_keep[64*sel +: 64];
  assign o_last  = i_last[sel];
  assign o_user  = i_user[sel];
  always_comb begin
    i_ready      = '0;
    i_ready[sel] = o_ready;
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      in_frame_q <= 1'b0;
      last_q     <= 1'b0;
      hold_q     <= 1'b0;
    end else begin
      hold_q <= o_valid && !o_ready;
      cur_q  <= sel;
      if (o_valid && o_ready) begin
        in_frame_q <= !o_last;
        if (o_last) last_q <= sel;
      end
    end
  end
endmodule
