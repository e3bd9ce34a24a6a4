// Formal harness for tx_data_fetch (properties 1 and 4, docs/verification.md).
//
// The environment is free: window registers of every VM are arbitrary constants (anyconst);
// descriptors (VM, address, length, error flag), AR back-pressure, read completions and job
// back-pressure change arbitrarily every cycle ($anyseq), reset included. The only
// assumptions are in the design's own assertion block: read responses come only for reads
// that were asked for. The assertions themselves are in rtl/tx_data_fetch.sv.
//
// Narrowed: 2 VMs, 4 bursts / 128 beats outstanding, 4 jobs queued. The window arithmetic
// is at full width (64-bit addresses, 65-bit ends); the limits only size counters and FIFOs,
// which the proof covers for the narrow values exactly as for the wide ones (the code is
// the same, parameterised).
module fv_tx_data_fetch #(
  parameter bit MUTANT = 1'b0
) (
  input logic clk
);
  localparam int NUM_VMS   = 2;
  localparam int MAX_READS = 4;
  localparam int MAX_BEATS = 128;
  localparam int JOB_DEPTH = 4;
  localparam int RW        = smartnic_regs_pkg::REASON_W;

  (* anyconst *) logic [NUM_VMS*64-1:0] win_base;
  (* anyconst *) logic [NUM_VMS*64-1:0] win_size;

  logic        rst;
  logic        d_valid, d_err, d_vm, ar_ready, burst_done, beat_done, j_ready;
  logic [15:0] d_idx, d_len;
  logic [63:0] d_addr;
  logic [31:0] d_cookie;
  assign rst        = $anyseq;
  assign d_valid    = $anyseq;
  assign d_err      = $anyseq;
  assign d_vm       = $anyseq;
  assign d_idx      = $anyseq;
  assign d_len      = $anyseq;
  assign d_addr     = $anyseq;
  assign d_cookie   = $anyseq;
  assign ar_ready   = $anyseq;
  assign burst_done = $anyseq;
  assign beat_done  = $anyseq;
  assign j_ready    = $anyseq;

  logic initial_q = 1'b1;
  always_ff @(posedge clk) initial_q <= 1'b0;
  always_comb if (initial_q) assume (rst);

  logic          d_ready, ar_valid, j_valid, j_vm, j_drop, idle;
  logic [63:0]   ar_addr;
  logic [7:0]    ar_len;
  logic [15:0]   j_idx, j_len;
  logic [31:0]   j_cookie;
  logic [RW-1:0] j_reason;

  tx_data_fetch #(.NUM_VMS(NUM_VMS), .MAX_READS(MAX_READS), .MAX_BEATS(MAX_BEATS),
                  .JOB_DEPTH(JOB_DEPTH), .MUTANT_WINDOW_END(MUTANT)) dut (
    .clk, .rst, .vm_win_base(win_base), .vm_win_size(win_size),
    .d_valid, .d_ready, .d_vm, .d_idx, .d_addr, .d_len, .d_cookie, .d_err,
    .ar_valid, .ar_ready, .ar_addr, .ar_len, .burst_done, .beat_done,
    .j_valid, .j_ready, .j_vm, .j_idx, .j_len, .j_cookie, .j_drop, .j_reason, .idle);

  // Not vacuous: each must be reachable (the cover run, with FV_COVER; the bounded and
  // induction runs leave covers out, which z3 otherwise spends time on).
`ifdef FV_COVER
  always_ff @(posedge clk) begin
    if (!rst) begin
      cover (ar_valid && ar_ready && ar_len != 8'd0);                      // a multi-beat read
      cover (j_valid && j_drop && j_reason == smartnic_regs_pkg::DROP_DESC_WINDOW);
    end
  end
`endif
endmodule
