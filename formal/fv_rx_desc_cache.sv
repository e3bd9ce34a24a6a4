// Formal harness for rx_desc_cache (property 1 for RX descriptor ring reads, property 4 for
// its AR channel; docs/verification.md).
//
// The environment is free: window registers and ring registers (base, log2 size, producer
// index, restart pulses) of every VM, buffer requests, AR back-pressure, read data and
// responses change arbitrarily every cycle ($anyseq), reset included. No assumptions (read
// data is taken only while a read is recorded as in flight); vm_cfg_wr is derived from the
// registers' changes (the register block's contract, asserted in every checked NIC test), with
// arbitrary extra pulses. The assertions are in
// rtl/rx_desc_cache.sv. Narrowed: 2 VMs. Addresses and window arithmetic at full width.
module fv_rx_desc_cache #(
  parameter bit MUTANT = 1'b0
) (
  input logic clk
);
  localparam int NUM_VMS = 2;
  localparam int RW      = smartnic_regs_pkg::REASON_W;

  logic [NUM_VMS*64-1:0] win_base, win_size, rx_base;
  logic [NUM_VMS*5-1:0]  rx_size_log2;
  logic [NUM_VMS*16-1:0] rx_prod, rx_next;
  logic [NUM_VMS-1:0]    rx_reset;
  logic                  rst, req_valid, req_vm, ar_ready, r_valid;
  logic [511:0]          r_data;
  logic [1:0]            r_resp;
  assign win_base     = $anyseq;
  assign win_size     = $anyseq;
  assign rx_base      = $anyseq;
  assign rx_size_log2 = $anyseq;
  assign rx_prod      = $anyseq;
  assign rx_reset     = $anyseq;
  assign rst          = $anyseq;
  assign req_valid    = $anyseq;
  assign req_vm       = $anyseq;
  assign ar_ready     = $anyseq;
  assign r_valid      = $anyseq;
  assign r_data       = $anyseq;
  assign r_resp       = $anyseq;

  logic initial_q = 1'b1;
  always_ff @(posedge clk) initial_q <= 1'b0;
  always_comb if (initial_q) assume (rst);

  // The register block's contract: a VM's registers change only with its vm_cfg_wr pulse (in
  // the cycle after the change, and after reset); here every change, plus arbitrary extra pulses.
  logic [NUM_VMS-1:0] ch_win_base, ch_win_size, ch_rx_base, ch_rx_size_log2, ch_rx_prod;
  fv_changed #(.N(NUM_VMS), .W(64)) u_ch_win_base (.clk, .in(win_base), .changed(ch_win_base));
  fv_changed #(.N(NUM_VMS), .W(64)) u_ch_win_size (.clk, .in(win_size), .changed(ch_win_size));
  fv_changed #(.N(NUM_VMS), .W(64)) u_ch_rx_base (.clk, .in(rx_base), .changed(ch_rx_base));
  fv_changed #(.N(NUM_VMS), .W(5)) u_ch_rx_size_log2 (.clk, .in(rx_size_log2), .changed(ch_rx_size_log2));
  fv_changed #(.N(NUM_VMS), .W(16)) u_ch_rx_prod (.clk, .in(rx_prod), .changed(ch_rx_prod));
  logic rst_q;
  always_ff @(posedge clk) rst_q <= rst;
  logic [NUM_VMS-1:0] cfg_wr, cfg_extra;
  assign cfg_extra = $anyseq;
  assign cfg_wr = {NUM_VMS{initial_q || rst_q}} | cfg_extra |
                  ch_win_base | ch_win_size | ch_rx_base |
                  ch_rx_size_log2 | ch_rx_prod;

  logic          rsp_valid, rsp_ok, ar_valid, r_ready;
  logic [RW-1:0] rsp_reason;
  logic [63:0]   rsp_addr, ar_addr;
  logic [15:0]   rsp_cap, rsp_idx;
  logic [31:0]   rsp_cookie;
  logic [7:0]    ar_len;

  rx_desc_cache #(.NUM_VMS(NUM_VMS), .MUTANT_WINDOW_END(MUTANT)) dut (
    .clk, .rst, .vm_win_base(win_base), .vm_win_size(win_size), .vm_rx_base(rx_base),
    .vm_rx_size_log2(rx_size_log2), .vm_rx_prod(rx_prod), .vm_rx_reset(rx_reset),
    .vm_cfg_wr(cfg_wr),
    .vm_rx_next(rx_next), .req_valid, .req_vm, .rsp_valid, .rsp_ok, .rsp_reason, .rsp_addr,
    .rsp_cap, .rsp_cookie, .rsp_idx, .ar_valid, .ar_ready, .ar_addr, .ar_len, .r_valid,
    .r_ready, .r_data, .r_resp);

`ifdef FV_COVER
  always_ff @(posedge clk) begin
    if (!rst) cover (ar_valid && ar_ready && ar_addr[6]);   // a read past the ring's first beat
  end
`endif
endmodule
