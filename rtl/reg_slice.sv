// Register slice ("skid buffer") for one valid/ready channel: every output is driven from a
// flip-flop and every input goes only into flip-flops, so no combinational path crosses it in
// either direction, and it still passes one item per clock (the second register holds the
// item that arrives in the cycle the consumer stalls).
//
// The NIC puts one on each channel of its external interfaces (AXI4 master, AXI4-Lite slave,
// Ethernet TX). In the FPGA that closes timing at the shell boundary, as AXI register slices
// do in every Vitis / Corundum design; in Verilator it also means that nothing inside the NIC
// depends combinationally on a port, so the model does no input-combinational evaluation when
// the bus models change the ports between clock edges.
//
// Order is kept: the skid item is always older than anything accepted after it.
module reg_slice #(
  parameter int WIDTH = 8,
  // Formal mutant (tests/formal): refill the output from the input even when an item waits in
  // the skid register, losing it. Never set outside the proof.
  parameter bit MUTANT_SKIP_SKID = 1'b0
) (
  input  logic             clk,
  input  logic             rst,
  input  logic             s_valid,
  output logic             s_ready,
  input  logic [WIDTH-1:0] s_data,
  output logic             m_valid,
  input  logic             m_ready,
  output logic [WIDTH-1:0] m_data,
  // An item is held inside (for quiescence checks: a reset must not cut one in half).
  output logic             busy
`ifdef FORMAL
  // Formal view (formal/fv_reg_slice.sv): the parked item, for the induction's helper
  // invariants. Not in simulation or synthesis.
  , output logic             fv_skid_valid
  , output logic [WIDTH-1:0] fv_skid_data
`endif
);
  logic             out_v_q, skid_v_q;
  logic [WIDTH-1:0] out_q, skid_q;

  assign m_valid = out_v_q;
  assign m_data  = out_q;
  assign s_ready = !skid_v_q;
  assign busy    = out_v_q || skid_v_q;

  always_ff @(posedge clk) begin
    if (rst) begin
      out_v_q  <= 1'b0;
      skid_v_q <= 1'b0;
    end else if (m_ready || !out_v_q) begin
      // The output register is free next cycle: refill it from the skid register first.
      if (skid_v_q && !MUTANT_SKIP_SKID) begin
        out_v_q  <= 1'b1;
        skid_v_q <= 1'b0;
      end else begin
        out_v_q <= s_valid;
      end
    end else if (s_valid && !skid_v_q) begin
      // Consumer stalled with the output full: park the item that was already accepted.
      skid_v_q <= 1'b1;
    end
  end

  // Data registers have no reset, and load only when an item moves (wide payloads cost
  // nothing in the simulator while the channel is idle).
  always_ff @(posedge clk) begin
    if (m_ready || !out_v_q) begin
      if (skid_v_q && !MUTANT_SKIP_SKID) out_q <= skid_q;
      else if (s_valid) out_q <= s_data;
    end else if (s_valid && !skid_v_q) begin
      skid_q <= s_data;
    end
  end

`ifdef FORMAL
  assign fv_skid_valid = skid_v_q;
  assign fv_skid_data  = skid_q;

  // AXI-style source rules at the output: once valid, held with stable data until taken.
  logic f_past_valid = 1'b0;
  always_ff @(posedge clk) f_past_valid <= 1'b1;
  always_ff @(posedge clk) begin
    if (f_past_valid && !$past(rst) && !rst && $past(m_valid && !m_ready)) begin
      assert (m_valid);
      assert (m_data == $past(m_data));
    end
  end
`endif
endmodule
