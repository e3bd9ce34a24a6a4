// Shares the VM-IP table's single lookup port between the TX verdict stage (0) and the RX
// parser (1). The table answers in order with a fixed latency, so the requester of each
// answer is remembered in a small FIFO rather than sent through the table.
module lookup_arb #(
  parameter int DEPTH = 8        // lookups in flight; more than the table's latency
) (
  input  logic        clk,
  input  logic        rst,
  input  logic [1:0]  req_valid,
  output logic [1:0]  req_ready,
  input  logic [63:0] req_key,          // {key1, key0}
  output logic [1:0]  res_valid,        // per requester
  // to the table
  output logic        lk_valid,
  output logic [31:0] lk_key,
  input  logic        tbl_res_valid
);
  logic last_q, sel, tag_ready, tag_valid, tag;
  logic [$clog2(DEPTH):0] tag_count;

  // Alternate when both ask; otherwise serve whoever asks.
  assign sel       = req_valid[1] && (!req_valid[0] || !last_q);
  assign lk_valid  = |req_valid && tag_ready;
  assign lk_key    = req_key[32*sel +: 32];
  assign req_ready = tag_ready ? {sel, !sel} : 2'b00;

  always_ff @(posedge clk) begin
    if (rst) last_q <= 1'b0;
    else if (lk_valid) last_q <= sel;
  end

  sync_fifo #(.WIDTH(1), .DEPTH(DEPTH)) u_tags (
    .clk, .rst,
    .in_valid(lk_valid), .in_ready(tag_ready), .in_data(sel),
    .out_valid(tag_valid), .out_ready(tbl_res_valid), .out_data(tag), .count(tag_count));

  assign res_valid = {tbl_res_valid && tag_valid && tag, tbl_res_valid && tag_valid && !tag};

  /* verilator lint_off UNUSEDSIGNAL */
  logic unused;
  assign unused = ^tag_count;
  /* verilator lint_on UNUSEDSIGNAL */
endmodule
