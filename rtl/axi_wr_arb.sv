// Shares the NIC's AXI4 write channels between N writers (TX completions, RX data, RX
// completions). Addresses and data are arbitrated separately: AWs are granted round robin,
// one per clock, and each granted AW puts its writer's number on a queue; W beats are taken
// only from the writer at the head of that queue, whole bursts, so they go out in AW order
// and never interleave between bursts (AXI4 has no WID). The next AW is issued while the
// previous bursts' data is still moving, so single-beat bursts (RX datagrams of 64 B frames,
// completions) take one clock each instead of three (grant, AW, W).
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
  localparam int W_ORDER = 8;            // AWs issued whose W beats have not all gone (power of two)

  logic [SEL_W-1:0] last_q, held_q, pick, sel;
  logic             hold_q, pick_ok;

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

  // ---- AW: an AW shown and not taken stays selected (AWVALID and payload must hold) ----
  logic wo_in_ready, wo_valid, aw_fire, w_last_fire;
  logic [SEL_W-1:0] wo_sel;
  logic [$clog2(W_ORDER):0] wo_count;
  assign sel       = hold_q ? held_q : pick;
  // An AW goes out only if its W order entry fits (room only grows while it waits).
  assign m_awvalid = (hold_q || pick_ok) && wo_in_ready;
  assign m_awid    = ID_W'(sel);
  assign aw_fire   = m_awvalid && m_awready;

  always_ff @(posedge clk) begin
    if (rst) begin
      last_q <= SEL_W'(N - 1);
      hold_q <= 1'b0;
    end else begin
      if (aw_fire) last_q <= sel;
      hold_q <= m_awvalid && !m_awready;
      held_q <= sel;
    end
  end

  // ---- W: the writers of the AWs issued, in order; the head's beats pass to its WLAST ----
  sync_fifo #(.WIDTH(SEL_W), .DEPTH(W_ORDER)) u_w_order (
    .clk, .rst, .in_valid(aw_fire), .in_ready(wo_in_ready), .in_data(sel),
    .out_valid(wo_valid), .out_ready(w_last_fire), .out_data(wo_sel), .count(wo_count));
  assign m_wvalid    = wo_valid && w_valid[wo_sel];
  assign m_wlast     = w_last[wo_sel];
  assign w_last_fire = m_wvalid && m_wready && m_wlast;

  // One-hot selects written as loops: a variable part-select over the wide flat buses would
  // become a barrel shifter in synthesis.
  always_comb begin
    m_awaddr = '0;
    m_awlen  = '0;
    m_wdata  = '0;
    m_wstrb  = '0;
    for (int i = 0; i < N; i++) begin
      if (sel == SEL_W'(i)) begin
        m_awaddr = aw_addr[64*i +: 64];
        m_awlen  = aw_len[8*i +: 8];
      end
      if (wo_sel == SEL_W'(i)) begin
        m_wdata  = w_data[512*i +: 512];
        m_wstrb  = w_strb[64*i +: 64];
      end
    end
  end

  always_comb begin
    aw_ready = '0;
    w_ready  = '0;
    aw_ready[sel] = m_awvalid && m_awready;
    if (wo_valid) w_ready[wo_sel] = m_wready;
  end

  assign m_bready = 1'b1;
  assign b_resp   = m_bresp;
  always_comb begin
    b_valid = '0;
    for (int i = 0; i < N; i++) b_valid[i] = m_bvalid && m_bid == ID_W'(i);
  end

  // ======================= assertions (Verilator --assert, Yosys -formal) ===================
  // Property 4 of docs/verification.md on the NIC's AW and W channels: VALID held until
  // READY with the payload stable (given writers that keep theirs stable, as AXI requires),
  // W beats only after their AW.
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
      // W beats only for a burst whose AW was issued; at most W_ORDER of them waiting.
      if (m_wvalid) assert (wo_valid);
      assert (32'(wo_count) <= W_ORDER);
    end
  end
endmodule
