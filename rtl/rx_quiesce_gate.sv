// Admission of frames from the network while the NIC quiesces or resets.
//
// The MAC's RX stream has no back-pressure, so a frame cannot be held back: while `block` is
// set, a frame that begins is refused whole (every beat up to its tlast), counted in
// RX_QUIESCE_DROPS, and the rest of the NIC never sees it. A frame already half-way in when
// `block` rises is let through to its end, so that what the NIC took in it also finishes;
// `between` tells nic_reset_ctrl that no such frame is open. Frames are never cut: the core
// behind sees whole frames only, across any number of resets.
//
// Reset only by the kernel's reset input: the gate keeps track of frame boundaries (and its
// count) across the NIC's soft reset.
module rx_quiesce_gate (
  input  logic        clk,
  input  logic        hard_rst,
  input  logic        block,      // CTRL.QUIESCE set, or the core in reset
  input  logic        s_valid,    // the MAC's RX stream (no ready)
  input  logic        s_last,
  output logic        o_valid,    // s_valid for admitted frames only (data, keep, user pass as is)
  output logic        between,    // no admitted frame open
  output logic [31:0] drops       // frames refused whole
);
  logic at_start_q;  // the next beat is the first of a frame
  logic refuse_q;    // the open frame is being refused
  logic refuse;      // this beat belongs to a refused frame

  assign refuse  = at_start_q ? block : refuse_q;
  assign o_valid = s_valid && !refuse;
  assign between = at_start_q || refuse_q;

  always_ff @(posedge clk) begin
    if (hard_rst) begin
      at_start_q <= 1'b1;
      refuse_q   <= 1'b0;
      drops      <= '0;
    end else if (s_valid) begin
      at_start_q <= s_last;
      refuse_q   <= refuse && !s_last;
      if (s_last && refuse) drops <= drops + 32'd1;
    end
  end
endmodule
