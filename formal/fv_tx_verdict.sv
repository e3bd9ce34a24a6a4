// Formal harness for tx_verdict (property 3, verdict integrity; docs/verification.md).
//
// Free environment, every cycle (the harness's inputs), reset included: jobs from the fetcher (VM, index,
// length, cookie, drop flag and reason), the datagram's R beats (data, response code, valid),
// the shared destination lookup port's ready, both tables' answers (destination port res_*
// and source port res2_*: valid, hit, VM), framer and completion back-pressure. Both table
// copies are abstracted away: their answers are arbitrary, under the contract in the design's
// assertion block, per port (an answer only for a lookup accepted/issued on that port in an
// earlier cycle; answers in order, any latency, the two ports independent of each other).
// The assertions, and the helper invariants that make them k-inductive (k = 3, ABC `ind` in
// formal/run_abc_proof.py), are in rtl/tx_verdict.sv.
//
// Narrowed: queue depths of DEPTH (beats, decisions, result pairs; CI proves 2 and 4); 2 VMs.
// Every field is at full width (the 512-bit data only reaches o_data, outside the properties'
// cone, which ABC drops). The depths only size FIFOs and the credit counter; the queues are
// the same parameterised sync_fifo and credit logic.
module fv_tx_verdict #(
  parameter int MUTANT = 0,
  parameter int DEPTH  = 2
) (
  // Free inputs: any value in every cycle (the harness's ports; a proof covers them all).
  input logic                clk,
  input logic                rst,
  input logic                j_valid,
  input logic                j_vm,
  input logic [15:0]         j_idx,
  input logic [15:0]         j_len,
  input logic [31:0]         j_cookie,
  input logic                j_drop,
  input logic [smartnic_regs_pkg::REASON_W-1:0] j_reason,
  input logic                r_valid,
  input logic [511:0]        r_data,
  input logic [1:0]          r_resp,
  input logic                lk_ready,
  input logic                res_valid,
  input logic                res_hit,
  input logic [7:0]          res_vm,
  input logic                res2_valid,
  input logic                res2_hit,
  input logic [7:0]          res2_vm,
  input logic                o_ready,
  input logic                c_ready
);
  localparam int RW = smartnic_regs_pkg::REASON_W;

  logic initial_q = 1'b1;
  always_ff @(posedge clk) initial_q <= 1'b0;
  always_comb if (initial_q) assume (rst);

  logic          j_ready, r_ready, lk_valid, lk2_valid, o_valid, o_last, o_user, c_valid, idle;
  logic [31:0]   lk_key, lk2_key, c_cookie;
  logic [511:0]  o_data;
  logic [63:0]   o_keep;
  logic [15:0]   c_idx, c_len;
  logic [7:0]    c_src_vm, c_dst_vm;
  logic [1:0]    c_verdict;
  logic [RW-1:0] c_reason;

  tx_verdict #(.NUM_VMS(2), .BEAT_DEPTH(DEPTH), .DEC_DEPTH(DEPTH), .RES_DEPTH(DEPTH), .MUTANT(MUTANT)) dut (
    .clk, .rst,
    .j_valid, .j_ready, .j_vm, .j_idx, .j_len, .j_cookie, .j_drop, .j_reason,
    .r_valid, .r_ready, .r_data, .r_resp,
    .lk_valid, .lk_ready, .lk_key, .res_valid, .res_hit, .res_vm,
    .lk2_valid, .lk2_key, .res2_valid, .res2_hit, .res2_vm,
    .o_valid, .o_ready, .o_data, .o_keep, .o_last, .o_user,
    .c_valid, .c_ready, .c_cookie, .c_idx, .c_len, .c_src_vm, .c_dst_vm, .c_verdict,
    .c_reason, .idle);

  // Reachability (run_abc_proof.py --covers 3, run in CI after the proof): with FV_COVER each
  // target is an assertion of its negation, which the cover run must see fail.
`ifdef FV_COVER
  always_ff @(posedge clk) begin
    if (!rst) begin
      assert (!(c_valid && c_ready && c_verdict == smartnic_regs_pkg::VERDICT_EXTERNAL));
      assert (!(c_valid && c_ready && c_verdict == smartnic_regs_pkg::VERDICT_HAIRPIN));
      assert (!(c_valid && c_ready && c_reason == smartnic_regs_pkg::DROP_SPOOFED_SRC));
    end
  end
`endif
endmodule
