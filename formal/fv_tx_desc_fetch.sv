// Formal harness for tx_desc_fetch (property 1 for TX descriptor ring reads, property 4 for
// its AR channel and credits; docs/verification.md).
//
// The environment is free: window registers and ring registers (base, log2 size, producer
// index, restart pulses, enables) of every VM, AR back-pressure, read data and responses, and
// descriptor back-pressure change arbitrarily every cycle ($anyseq), reset included. No
// assumptions; vm_cfg_wr is derived from the registers' changes (the register block's
// contract, asserted in every checked NIC test), with arbitrary extra pulses. The assertions
// are in rtl/tx_desc_fetch.sv.
// Narrowed: 2 VMs, 8 descriptors per read, 8 queued, 2 reads in flight. Addresses, ring
// indices and window arithmetic are at full width.
module fv_tx_desc_fetch #(
  parameter bit MUTANT = 1'b0
) (
  input logic clk
);
  localparam int NUM_VMS = 2;

  logic [NUM_VMS*64-1:0] win_base, win_size, tx_base;
  logic [NUM_VMS*5-1:0]  tx_size_log2;
  logic [NUM_VMS*16-1:0] tx_prod, tx_fetch;
  logic [NUM_VMS-1:0]    tx_reset, vm_enable;
  logic                  rst, enable, ar_ready, r_valid, d_ready;
  logic [511:0]          r_data;
  logic [1:0]            r_resp;
  assign win_base     = $anyseq;
  assign win_size     = $anyseq;
  assign tx_base      = $anyseq;
  assign tx_size_log2 = $anyseq;
  assign tx_prod      = $anyseq;
  assign tx_reset     = $anyseq;
  assign vm_enable    = $anyseq;
  assign rst          = $anyseq;
  assign enable       = $anyseq;
  assign ar_ready     = $anyseq;
  assign r_valid      = $anyseq;
  assign r_data       = $anyseq;
  assign r_resp       = $anyseq;
  assign d_ready      = $anyseq;

  logic initial_q = 1'b1;
  always_ff @(posedge clk) initial_q <= 1'b0;
  always_comb if (initial_q) assume (rst);

  // The register block's contract: a VM's registers change only with its vm_cfg_wr pulse (in
  // the cycle after the change, and after reset); here every change, plus arbitrary extra pulses.
  logic [NUM_VMS-1:0] ch_win_base, ch_win_size, ch_tx_base, ch_tx_size_log2;
  fv_changed #(.N(NUM_VMS), .W(64)) u_ch_win_base (.clk, .in(win_base), .changed(ch_win_base));
  fv_changed #(.N(NUM_VMS), .W(64)) u_ch_win_size (.clk, .in(win_size), .changed(ch_win_size));
  fv_changed #(.N(NUM_VMS), .W(64)) u_ch_tx_base (.clk, .in(tx_base), .changed(ch_tx_base));
  fv_changed #(.N(NUM_VMS), .W(5)) u_ch_tx_size_log2 (.clk, .in(tx_size_log2), .changed(ch_tx_size_log2));
  logic rst_q;
  always_ff @(posedge clk) rst_q <= rst;
  logic [NUM_VMS-1:0] cfg_wr, cfg_extra;
  assign cfg_extra = $anyseq;
  assign cfg_wr = {NUM_VMS{initial_q || rst_q}} | cfg_extra |
                  ch_win_base | ch_win_size | ch_tx_base |
                  ch_tx_size_log2;

  logic        ar_valid, r_ready, d_valid, d_vm, d_err, idle;
  logic [63:0] ar_addr, d_addr;
  logic [7:0]  ar_len;
  logic [15:0] d_idx, d_len;
  logic [31:0] d_cookie;

  tx_desc_fetch #(.NUM_VMS(NUM_VMS), .DESC_PER_READ(8), .FIFO_DEPTH(8), .MAX_READS(2),
                  .MUTANT_WINDOW_END(MUTANT)) dut (
    .clk, .rst, .enable, .vm_win_base(win_base), .vm_win_size(win_size), .vm_tx_base(tx_base),
    .vm_tx_size_log2(tx_size_log2), .vm_tx_prod(tx_prod), .vm_tx_reset(tx_reset), .vm_enable,
    .vm_cfg_wr(cfg_wr),
    .vm_tx_fetch(tx_fetch), .ar_valid, .ar_ready, .ar_addr, .ar_len, .r_valid, .r_ready,
    .r_data, .r_resp, .d_valid, .d_ready, .d_vm, .d_idx, .d_addr, .d_len, .d_cookie, .d_err,
    .idle);

`ifdef FV_COVER
  always_ff @(posedge clk) begin
    if (!rst) cover (ar_valid && ar_ready && ar_len != 8'd0);   // a multi-beat ring read
  end
`endif
endmodule
