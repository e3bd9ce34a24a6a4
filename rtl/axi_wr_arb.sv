// Shares the NIC's AXI4 write channels between N writers (TX completions, RX data, RX
// completions). One whole burst at a time: the granted writer's AW and all its W beats pass
// before the next grant, so W data can never interleave between bursts (AXI4 has no WID).
// The memory may take the W beats before, with or after the AW (AXI allows it): the grant
// ends when both the AW and the WLAST beat have been taken, and no W beat passes after WLAST.
// The writer's number is the AWID; write responses are routed back by BID, and AXI keeps
// responses of one ID in order, which the RX path relies on to know when its data landed.
module axi_wr_arb #(
  parameter int N    = 3,
  parameter int ID_W = 4,
  localparam int SEL_W = N > 1 ? $clog2(N) : 1
) (
  input  logic              clk,
  input  logic              rst,
  input  logic [N-1:0]      aw_valid,
  output logic [N-1:0]      aw_ready,
  input  logic [N*64-1:0]   aw_addr,
  input  logic [N*8-1:0]    aw_len,
  input  logic [N-1:0]      w_valid,
  output logic [N-1:0]      w_ready,
  input  logic [N*512-1:0]  w_data,
  input  logic [N*64-1:0]   w_strb,
  input  logic [N-1:0]      w_last,
  output logic [N-1:0]      b_valid,
  output logic [1:0]        b_resp,
  // AXI4 write channels
  output logic            m_awvalid,
  input  logic            m_awready,
  output logic [ID_W-1:0] m_awid,
  output logic [63:0]     m_awaddr,
  output logic [7:0]      m_awlen,
  output logic            m_wvalid,
  input  logic            m_wready,
  output logic [511:0]    m_wdata,
  output logic [63:0]     m_wstrb,
  output logic            m_wlast,
  input  logic            m_bvalid,
  output logic            m_bready,
  input  logic [ID_W-1:0] m_bid,
  input  logic [1:0]      m_bresp
);
  logic             busy_q, aw_done_q, w_done_q;
  logic [SEL_W-1:0] sel_q, last_q, pick;
  logic             pick_ok;

  // Round robin starting after the last writer granted.
  always_comb begin
    pick    = last_q;
    pick_ok = 1'b0;
    for (int k = N; k >= 1; k--) begin
      logic [SEL_W-1:0] s;
      // last_q < N and k <= N, so one conditional subtraction is the modulo (a '%' by a constant
      // that is not a power of two becomes a full divider in Yosys 0.23).
      s = SEL_W'(32'(last_q) + k >= N ? 32'(last_q) + k - N : 32'(last_q) + k);
      if (aw_valid[s]) begin
        pick    = s;
        pick_ok = 1'b1;
      end
    end
  end

  assign m_awvalid = busy_q && !aw_done_q;
  assign m_awid    = ID_W'(sel_q);
  assign m_wvalid  = busy_q && !w_done_q && w_valid[sel_q];
  assign m_wlast   = w_last[sel_q];
  // One-hot select written as a loop: a variable part-select over the wide flat buses would
  // become a barrel shifter in synthesis.
  always_comb begin
    m_awaddr = '0;
    m_awlen  = '0;
    m_wdata  = '0;
    m_wstrb  = '0;
    for (int i = 0; i < N; i++) begin
      if (sel_q == SEL_W'(i)) begin
        m_awaddr = aw_addr[64*i +: 64];
        m_awlen  = aw_len[8*i +: 8];
        m_wdata  = w_data[512*i +: 512];
        m_wstrb  = w_strb[64*i +: 64];
      end
    end
  end

  always_comb begin
    aw_ready = '0;
    w_ready  = '0;
    if (busy_q) begin
      aw_ready[sel_q] = !aw_done_q && m_awready;
      w_ready[sel_q]  = !w_done_q && m_wready;
    end
  end

  logic last_beat;
  assign last_beat = m_wvalid && m_wready && m_wlast;

  always_ff @(posedge clk) begin
    if (rst) begin
      busy_q    <= 1'b0;
      aw_done_q <= 1'b0;
      w_done_q  <= 1'b0;
      last_q    <= SEL_W'(N - 1);
    end else if (!busy_q) begin
      if (pick_ok) begin
        busy_q    <= 1'b1;
        aw_done_q <= 1'b0;
        w_done_q  <= 1'b0;
        sel_q     <= pick;
        last_q    <= pick;
      end
    end else begin
      // The burst ends when both its address and its last data beat have been accepted, in
      // either order or in the same cycle.
      if ((aw_done_q || m_awready) && (w_done_q || last_beat)) begin
        busy_q <= 1'b0;
      end else begin
        if (m_awvalid && m_awready) aw_done_q <= 1'b1;
        if (last_beat)              w_done_q  <= 1'b1;
      end
    end
  end

  assign m_bready = 1'b1;
  assign b_resp   = m_bresp;
  always_comb begin
    b_valid = '0;
    for (int i = 0; i < N; i++) b_valid[i] = m_bvalid && m_bid == ID_W'(i);
  end

  // ======================= assertions (Verilator --assert, Yosys -formal) ===================
  // Property 4 of docs/verification.md on the NIC's AW and W channels: VALID held until
  // READY with the payload stable (given writers that keep theirs stable, as AXI requires).
  // Checks start at the first reset: before it (simulation time 0) the state is arbitrary.
  logic fv_live_q;
  always_ff @(posedge clk) if (rst) fv_live_q <= 1'b1;
  logic            fv_aw_stall_q, fv_w_stall_q;
  logic [ID_W-1:0] fv_awid_q;
  logic [63:0]     fv_awaddr_q;
  logic [7:0]      fv_awlen_q;
  logic [511:0]    fv_wdata_q;
  logic [63:0]     fv_wstrb_q;
  logic            fv_wlast_q;
  always_ff @(posedge clk) begin
    fv_aw_stall_q <= !rst && m_awvalid && !m_awready;
    fv_w_stall_q  <= !rst && m_wvalid && !m_wready;
    fv_awid_q     <= m_awid;
    fv_awaddr_q   <= m_awaddr;
    fv_awlen_q    <= m_awlen;
    fv_wdata_q    <= m_wdata;
    fv_wstrb_q    <= m_wstrb;
    fv_wlast_q    <= m_wlast;
  end
  always_ff @(posedge clk) begin
    if (!rst && fv_live_q) begin
      if (fv_aw_stall_q)
        assert (m_awvalid && m_awid == fv_awid_q && m_awaddr == fv_awaddr_q && m_awlen == fv_awlen_q);
      if (fv_w_stall_q)
        assert (m_wvalid && m_wdata == fv_wdata_q && m_wstrb == fv_wstrb_q && m_wlast == fv_wlast_q);
    end
  end
endmodule
