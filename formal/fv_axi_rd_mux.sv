// Formal harness for axi_rd_mux (property 4 on the NIC's AR/R channels; docs/verification.md).
//
// The environment is free: every requester's ARVALID/address/length, every requester's R
// back-pressure, ARREADY and the whole R channel (valid, ID, last) change arbitrarily every
// cycle ($anyseq), reset included. Assumed: the requesters' AXI contract (in the RTL: ARVALID
// held until ARREADY with the payload stable, bursts inside 4 KB), each requester keeps at
// most MAX_OUT bursts in flight (its own credits, proven in its own harness), and the memory
// answers only IDs that have bursts outstanding, in any order across IDs; beat counts are not
// modelled (the mux never counts beats: a burst ends at the RLAST the memory gives).
// Proven here, besides the RTL's assertions: every requester's bursts in flight (accepted
// minus last beats it took) equal the bursts in flight with its ID on the master, and IDs
// >= N never have any, so the master never has more than MAX_OUT bursts of one ID in flight.
// Narrowed: ID_W = 2 (one unused ID: 3). N = 3 as in the NIC.
module fv_axi_rd_mux #(
  parameter bit MUTANT = 1'b0
) (
  input logic clk
);
  localparam int N = 3, ID_W = 2, MAX_OUT = 3;

  logic              rst, m_arready, m_rvalid, m_rlast;
  logic [N-1:0]      req_valid, rsp_ready;
  logic [N*64-1:0]   req_addr;
  logic [N*8-1:0]    req_len;
  logic [ID_W-1:0]   m_rid;
  assign rst       = $anyseq;
  assign req_valid = $anyseq;
  assign req_addr  = $anyseq;
  assign req_len   = $anyseq;
  assign rsp_ready = $anyseq;
  assign m_arready = $anyseq;
  assign m_rvalid  = $anyseq;
  assign m_rid     = $anyseq;
  assign m_rlast   = $anyseq;

  logic initial_q = 1'b1;
  always_ff @(posedge clk) initial_q <= 1'b0;
  always_comb if (initial_q) assume (rst);

  logic [N-1:0]    req_ready, rsp_valid, rsp_last_fire;
  logic            m_arvalid, m_rready;
  logic [ID_W-1:0] m_arid;
  logic [63:0]     m_araddr;
  logic [7:0]      m_arlen;

  axi_rd_mux #(.N(N), .ID_W(ID_W), .MUTANT(MUTANT)) dut (
    .clk, .rst, .req_valid, .req_ready, .req_addr, .req_len, .rsp_valid, .rsp_ready,
    .rsp_last_fire, .m_arvalid, .m_arready, .m_arid, .m_araddr, .m_arlen, .m_rvalid, .m_rready,
    .m_rid, .m_rlast);

  // Bursts in flight: per requester as it sees them, and per ID on the master.
  logic [2*N-1:0]          req_out_q;
  logic [2*(1<<ID_W)-1:0]  mem_out_q;
  always_ff @(posedge clk) begin
    for (int i = 0; i < N; i++) begin
      if (rst) req_out_q[2*i +: 2] <= 2'd0;
      else req_out_q[2*i +: 2] <= req_out_q[2*i +: 2] + 2'(req_valid[i] && req_ready[i])
                                 - 2'(rsp_last_fire[i]);
    end
    for (int d = 0; d < (1 << ID_W); d++) begin
      if (rst) mem_out_q[2*d +: 2] <= 2'd0;
      else mem_out_q[2*d +: 2] <= mem_out_q[2*d +: 2]
                                 + 2'(m_arvalid && m_arready && m_arid == ID_W'(d))
                                 - 2'(m_rvalid && m_rready && m_rlast && m_rid == ID_W'(d));
    end
  end

  always_ff @(posedge clk) begin
    if (!rst && !initial_q) begin
      for (int i = 0; i < N; i++) begin
        // A requester shows a burst only with a credit left.
        if (req_valid[i]) assume (32'(req_out_q[2*i +: 2]) < MAX_OUT);
      end
      // The memory answers only IDs with bursts outstanding.
      for (int d = 0; d < (1 << ID_W); d++) begin
        if (m_rvalid && m_rid == ID_W'(d)) assume (mem_out_q[2*d +: 2] != 2'd0);
      end
      for (int i = 0; i < N; i++) begin
        assert (req_out_q[2*i +: 2] == mem_out_q[2*i +: 2]);
        assert (32'(mem_out_q[2*i +: 2]) <= MAX_OUT);
      end
      for (int d = N; d < (1 << ID_W); d++) assert (mem_out_q[2*d +: 2] == 2'd0);
    end
  end

`ifdef FV_COVER
  logic [N-1:0] granted_q;
  always_ff @(posedge clk) begin
    if (rst) granted_q <= '0;
    else granted_q <= granted_q | (req_valid & req_ready);
  end
  always_ff @(posedge clk) begin
    if (!rst && !initial_q) begin
      cover (granted_q == 3'b111);                                // every requester served
      cover (m_arvalid && !m_arready && req_valid == 3'b111);    // a held request, all waiting
      // Read data for requester 2 while requester 0's earlier burst is still outstanding.
      cover (rsp_last_fire[2] && req_out_q[1:0] != 2'd0 && mem_out_q[5:4] == 2'd2);
    end
  end
`endif
endmodule
