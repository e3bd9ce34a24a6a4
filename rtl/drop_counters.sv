// One counter per drop reason, fed by every place that drops: TX completions, the RX
// parser (frames refused on their first beat) and the RX DMA engine. Several events may
// land in one cycle, on the same reason or not.
module drop_counters #(
  parameter int NUM_DROPS = smartnic_regs_pkg::NUM_DROP_REASONS,
  parameter int EVENTS    = 3,
  localparam int RW       = smartnic_regs_pkg::REASON_W
) (
  input  logic                    clk,
  input  logic                    rst,
  input  logic [EVENTS-1:0]       ev_valid,
  input  logic [EVENTS*RW-1:0]    ev_reason,
  output logic [NUM_DROPS*32-1:0] drop_cnt
);
  // Counted only in a cycle with a drop, into a copy written back whole: the simulator then
  // neither walks the reasons on the other clocks nor copies the vector in and out every clock
  // (Verilator does that for a vector whose slices are assigned with <= in a loop).
  always_ff @(posedge clk) begin
    logic [NUM_DROPS*32-1:0] next;
    if (rst) begin
      drop_cnt <= '0;
    end else if (ev_valid != '0) begin
      next = drop_cnt;
      for (int r = 0; r < NUM_DROPS; r++) begin
        logic [1:0] inc;
        inc = '0;
        for (int e = 0; e < EVENTS; e++)
          inc = inc + 2'(ev_valid[e] && ev_reason[RW*e +: RW] == RW'(r));
        next[32*r +: 32] = next[32*r +: 32] + 32'(inc);
      end
      drop_cnt <= next;
    end
  end
endmodule
