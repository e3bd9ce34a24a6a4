// Formal harness for rx_dma (property 1 for RX data writes, property 4 for its AW/W channels;
// docs/verification.md).
//
// The environment is free: window registers of every VM, frame records (length, VM, bad
// flag, ARP), lookup results, buffer answers (address, capacity, ok), stored beats and
// AW/W/B/completion back-pressure all change arbitrarily every cycle ($anyseq), reset
// included. Assumed (in the design's assertion block, checked in simulation): the stored
// datagram beats come from a FIFO, so a beat offered is held, unchanged, until taken.
// Narrowed: 2 VMs, 2 pending completions. Addresses, lengths (16-bit) and window arithmetic
// are at full width.
module fv_rx_dma #(
  parameter bit MUTANT = 1'b0
) (
  input logic clk
);
  localparam int NUM_VMS = 2;
  localparam int RW      = smartnic_regs_pkg::REASON_W;

  logic [NUM_VMS*64-1:0] win_base, win_size;
  logic          rst, i_valid, i_bad, i_arp, l_valid, l_hit, d_valid, d_last;
  logic          rsp_valid, rsp_ok, aw_ready, w_ready, b_valid, a_ready, c_ready;
  logic [RW-1:0] i_reason, rsp_reason;
  logic [15:0]   i_len, rsp_cap, rsp_idx;
  logic [47:0]   i_arp_sha;
  logic [31:0]   i_arp_spa, i_arp_tpa, rsp_cookie;
  logic [7:0]    l_vm;
  logic [511:0]  d_data;
  logic [63:0]   rsp_addr;
  assign win_base   = $anyseq;
  assign win_size   = $anyseq;
  assign rst        = $anyseq;
  assign i_valid    = $anyseq;
  assign i_bad      = $anyseq;
  assign i_arp      = $anyseq;
  assign i_reason   = $anyseq;
  assign i_len      = $anyseq;
  assign i_arp_sha  = $anyseq;
  assign i_arp_spa  = $anyseq;
  assign i_arp_tpa  = $anyseq;
  assign l_valid    = $anyseq;
  assign l_hit      = $anyseq;
  assign l_vm       = $anyseq;
  assign d_valid    = $anyseq;
  assign d_data     = $anyseq;
  assign d_last     = $anyseq;
  assign rsp_valid  = $anyseq;
  assign rsp_ok     = $anyseq;
  assign rsp_reason = $anyseq;
  assign rsp_addr   = $anyseq;
  assign rsp_cap    = $anyseq;
  assign rsp_cookie = $anyseq;
  assign rsp_idx    = $anyseq;
  assign aw_ready   = $anyseq;
  assign w_ready    = $anyseq;
  assign b_valid    = $anyseq;
  assign a_ready    = $anyseq;
  assign c_ready    = $anyseq;

  logic initial_q = 1'b1;
  always_ff @(posedge clk) initial_q <= 1'b0;
  always_comb if (initial_q) assume (rst);

  logic          i_ready, d_ready, req_valid, req_vm, aw_valid, w_valid, w_last, a_valid;
  logic          c_valid, ev_valid, ev_has_vm, idle;
  logic [63:0]   aw_addr;
  logic [7:0]    aw_len, ev_vm;
  logic [511:0]  w_data;
  logic [47:0]   a_sha;
  logic [31:0]   a_spa, a_tpa;
  logic [127:0]  c_entry;
  logic [1:0]    ev_verdict;
  logic [RW-1:0] ev_reason;
  logic [15:0]   ev_len;

  rx_dma #(.NUM_VMS(NUM_VMS), .PENDING(2), .MUTANT_WINDOW_END(MUTANT)) dut (
    .clk, .rst, .vm_win_base(win_base), .vm_win_size(win_size),
    .i_valid, .i_ready, .i_bad, .i_reason, .i_len, .i_arp, .i_arp_sha, .i_arp_spa, .i_arp_tpa,
    .l_valid, .l_hit, .l_vm, .d_valid, .d_ready, .d_data, .d_last,
    .req_valid, .req_vm, .rsp_valid, .rsp_ok, .rsp_reason, .rsp_addr, .rsp_cap, .rsp_cookie,
    .rsp_idx, .aw_valid, .aw_ready, .aw_addr, .aw_len, .w_valid, .w_ready, .w_data, .w_last,
    .b_valid, .a_valid, .a_ready, .a_sha, .a_spa, .a_tpa, .c_valid, .c_ready, .c_entry,
    .ev_valid, .ev_has_vm, .ev_vm, .ev_verdict, .ev_reason, .ev_len, .idle);

`ifdef FV_COVER
  always_ff @(posedge clk) begin
    if (!rst) begin
      cover (aw_valid && aw_ready && aw_len != 8'd0);                       // a multi-beat write
      cover (ev_valid && ev_reason == smartnic_regs_pkg::DROP_DESC_WINDOW); // a buffer refused
    end
  end
`endif
endmodule
