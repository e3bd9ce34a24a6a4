// Formal harness for axi_wr_arb (property 4 on the NIC's AW/W/B channels;
// docs/verification.md).
//
// The environment is free: every writer's AW (valid, address, length) and W (valid, data,
// strobes, last), AWREADY, WREADY and the B channel (valid, ID, response) change arbitrarily
// every cycle ($anyseq), reset included. Assumed (in the RTL): the writers' AXI contract
// (valid held until ready with the payload stable, bursts inside 4 KB) and B only for IDs
// that were issued. The memory may take W beats whenever the arbiter shows them (it shows W
// only for AWs already issued). Burst lengths are not modelled: the arbiter never counts beats
// (a burst ends at the writer's WLAST), and every W beat passes unchanged, so a writer whose W
// bursts match its AWLEN gives a master whose W bursts match AWLEN. All assertions are in
// rtl/axi_wr_arb.sv.
// Narrowed: ID_W = 2 (one unused ID), W order queue W_ORDER = 4 AWs ahead instead of 8 (the
// queue and the ghost queue are the same logic at every power of two; the helpers are checked
// at 8 in every NIC simulation). N = 3 as in the NIC; data and strobes at full width.
module fv_axi_wr_arb #(
  // Mutants (axi_wr_arb's MUTANT, one test each): W beats taken from the writer of the newest
  // AW instead of the queue head (MUTANT=1: W out of AW order); the queue head popped on every
  // W beat instead of at WLAST (MUTANT=2: bursts interleave).
  parameter bit MUTANT_NEWEST_AW = 1'b0,
  parameter bit MUTANT_EARLY_POP = 1'b0,
  parameter int W_ORDER = 4
) (
  input logic clk
);
  localparam int N = 3, ID_W = 2;

  logic              rst, m_awready, m_wready, m_bvalid;
  logic [N-1:0]      aw_valid, w_valid, w_last;
  logic [N*64-1:0]   aw_addr, w_strb;
  logic [N*8-1:0]    aw_len;
  logic [N*512-1:0]  w_data;
  logic [ID_W-1:0]   m_bid;
  logic [1:0]        m_bresp;
  assign rst       = $anyseq;
  assign aw_valid  = $anyseq;
  assign aw_addr   = $anyseq;
  assign aw_len    = $anyseq;
  assign w_valid   = $anyseq;
  assign w_data    = $anyseq;
  assign w_strb    = $anyseq;
  assign w_last    = $anyseq;
  assign m_awready = $anyseq;
  assign m_wready  = $anyseq;
  assign m_bvalid  = $anyseq;
  assign m_bid     = $anyseq;
  assign m_bresp   = $anyseq;

  logic initial_q = 1'b1;
  always_ff @(posedge clk) initial_q <= 1'b0;
  always_comb if (initial_q) assume (rst);

  logic [N-1:0]    aw_ready, w_ready, b_valid;
  logic [1:0]      b_resp;
  logic            m_awvalid, m_wvalid, m_wlast, m_bready;
  logic [ID_W-1:0] m_awid;
  logic [63:0]     m_awaddr, m_wstrb;
  logic [7:0]      m_awlen;
  logic [511:0]    m_wdata;

  axi_wr_arb #(.N(N), .ID_W(ID_W), .W_ORDER(W_ORDER),
               .MUTANT(MUTANT_EARLY_POP ? 2 : MUTANT_NEWEST_AW ? 1 : 0)) dut (
    .clk, .rst, .aw_valid, .aw_ready, .aw_addr, .aw_len, .w_valid, .w_ready, .w_data, .w_strb,
    .w_last, .b_valid, .b_resp, .m_awvalid, .m_awready, .m_awid, .m_awaddr, .m_awlen,
    .m_wvalid, .m_wready, .m_wdata, .m_wstrb, .m_wlast, .m_bvalid, .m_bready, .m_bid, .m_bresp);

`ifdef FV_COVER
  logic [N-1:0] done_q;
  logic         full_q;      // W_ORDER AWs have been ahead of their W bursts
  logic [7:0]   ahead_q;     // AWs issued minus W bursts ended, on the master
  always_ff @(posedge clk) begin
    if (rst) begin
      done_q  <= '0;
      full_q  <= 1'b0;
      ahead_q <= '0;
    end else begin
      done_q  <= done_q | (w_valid & w_ready & w_last);
      ahead_q <= ahead_q + 8'(m_awvalid && m_awready) - 8'(m_wvalid && m_wready && m_wlast);
      if (32'(ahead_q) == W_ORDER) full_q <= 1'b1;
    end
  end
  always_ff @(posedge clk) begin
    if (!rst && !initial_q) begin
      cover (done_q == 3'b111);                         // a whole burst from every writer
      cover (full_q && m_wvalid && m_wready && m_wlast && m_awvalid && m_awready);  // full, then W and AW together
      cover (m_wvalid && m_wready && !m_wlast && m_awvalid && m_awready && aw_valid == 3'b111);  // a multi-beat burst while AWs go out
    end
  end
`endif
endmodule
