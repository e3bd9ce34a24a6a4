// Single-clock FIFO with valid/ready on both sides and an occupancy count.
// The count lets producers reserve space ahead of time (credit flow control), which is how
// the descriptor and data fetchers keep many AXI reads in flight without ever having to
// stall the shared R channel.
module sync_fifo #(
  parameter int WIDTH = 8,
  parameter int DEPTH = 16,                  // power of two
  localparam int AW = $clog2(DEPTH)
) (
  input  logic             clk,
  input  logic             rst,
  input  logic             in_valid,
  output logic             in_ready,
  input  logic [WIDTH-1:0] in_data,
  output logic             out_valid,
  input  logic             out_ready,
  output logic [WIDTH-1:0] out_data,
  output logic [AW:0]      count
`ifdef FORMAL
  // Formal view (formal/fv_tx_verdict.sv, property 3): the queued items in queue order, item
  // i (0 = head) at [WIDTH*i +: WIDTH]; entries at i >= count are stale. Helper invariants of
  // an induction tie them to ghost state. Not in simulation or synthesis.
  , output logic [DEPTH*WIDTH-1:0] fv_items
`endif
);
  logic [WIDTH-1:0] mem [DEPTH];
  logic [AW:0] wr_ptr, rd_ptr;

  assign count     = wr_ptr - rd_ptr;
  assign in_ready  = count != (AW+1)'(DEPTH);
  assign out_valid = count != '0;
  assign out_data  = mem[rd_ptr[AW-1:0]];

  always_ff @(posedge clk) begin
    if (rst) begin
      wr_ptr <= '0;
      rd_ptr <= '0;
    end else begin
      if (in_valid && in_ready) wr_ptr <= wr_ptr + 1'b1;
      if (out_valid && out_ready) rd_ptr <= rd_ptr + 1'b1;
    end
  end

`ifdef FORMAL
  for (genvar i = 0; i < DEPTH; i++) begin : g_fv
    logic [AW-1:0] fv_at;
    assign fv_at = rd_ptr[AW-1:0] + AW'(i);
    assign fv_items[WIDTH*i +: WIDTH] = mem[fv_at];
  end
`endif

  always_ff @(posedge clk) begin
    if (in_valid && in_ready) mem[wr_ptr[AW-1:0]] <= in_data;
  end
endmodule
