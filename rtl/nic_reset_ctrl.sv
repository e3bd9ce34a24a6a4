// Quiesce and soft reset of the NIC core (CTRL.QUIESCE, CTRL.RESET, STATUS.QUIESCED).
//
// A reset that cut the NIC off in the middle of its work would leave an AXI burst half
// written, a read whose beats arrive after the engine that wanted them is gone, a frame half
// on the wire, or a completion never written. So the host first sets CTRL.QUIESCE: the NIC
// takes no new work (no TX descriptor fetch, no new frame from the network: rx_quiesce_gate)
// and finishes what it has. QUIESCED is reported only when nothing at all is in flight: every
// engine idle, no AXI read or write outstanding on the master port (counted here, from the
// port's own handshakes, so a request any engine forgot to report still holds it), no frame
// half-way in from the network. Only then is CTRL.RESET accepted (axil_regs answers SLVERR
// otherwise). The reset waits for the AXI4-Lite write response to be taken, holds the control
// port (no new register access is accepted: none could be answered by a port in reset), and
// holds the core in reset for RESET_CYCLES cycles.
//
// This module and rx_quiesce_gate are reset only by the kernel's reset input (hard_rst): they
// carry the NIC through its own reset.
module nic_reset_ctrl #(
  parameter int RESET_CYCLES  = 16,   // long enough for every registered reset fan-out
  parameter int OUTSTANDING_W = 12    // counts AXI reads and writes in flight (AXI IDs bound them)
) (
  input  logic clk,
  input  logic hard_rst,
  input  logic quiesce,         // CTRL.QUIESCE
  input  logic reset_req,       // pulse: CTRL.RESET accepted (axil_regs accepts it only when quiesced)
  input  logic engines_idle,    // every TX/RX engine and queue empty (STATUS.IDLE and more)
  input  logic rx_between,      // no admitted frame half-way in from the network
  input  logic lite_busy,       // an AXI4-Lite response (B or R) not yet taken by the host
  // Handshakes on the NIC's AXI4 master port
  input  logic ar_fire,
  input  logic r_last_fire,
  input  logic aw_fire,
  input  logic b_fire,
  output logic quiesced,        // STATUS.QUIESCED
  output logic core_rst,        // to the core's reset (registered in smartnic_top)
  output logic bus_hold         // the control port takes no new access
);
  typedef enum logic [1:0] {RUN, ARMED, RESET} state_t;
  state_t state_q;
  logic [$clog2(RESET_CYCLES+1)-1:0] left_q;
  logic [OUTSTANDING_W-1:0] rd_out_q, wr_out_q;

  always_ff @(posedge clk) begin
    if (hard_rst) begin
      rd_out_q <= '0;
      wr_out_q <= '0;
    end else begin
      rd_out_q <= rd_out_q + OUTSTANDING_W'(ar_fire) - OUTSTANDING_W'(r_last_fire);
      wr_out_q <= wr_out_q + OUTSTANDING_W'(aw_fire) - OUTSTANDING_W'(b_fire);
    end
  end

  assign quiesced = quiesce && state_q == RUN && engines_idle && rx_between &&
                    rd_out_q == '0 && wr_out_q == '0;
  assign core_rst = state_q == RESET;
  assign bus_hold = state_q != RUN;

  always_ff @(posedge clk) begin
    if (hard_rst) begin
      state_q <= RUN;
      left_q  <= '0;
    end else begin
      case (state_q)
        RUN:   if (reset_req) state_q <= ARMED;
        // The write that asked for the reset is answered before the port goes into reset.
        ARMED: if (!lite_busy) begin
          state_q <= RESET;
          left_q  <= ($bits(left_q))'(RESET_CYCLES);
        end
        RESET: begin
          left_q <= left_q - 1'b1;
          if (left_q == 1) state_q <= RUN;
        end
        default: state_q <= RUN;
      endcase
    end
  end

endmodule
