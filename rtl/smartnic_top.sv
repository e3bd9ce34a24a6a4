// SmartNIC top: the TX half of the IP-mode virtual switch.
//
//   doorbell -> tx_desc_fetch -> tx_data_fetch -> tx_verdict -> eth_framer -> m_axis_tx
//                (ring reads)     (checks, reads)   (parse, VM-IP lookup)
//                                                   \-> tx_cpl_writer -> completion ring
//
// Ports follow the Vitis RTL-kernel conventions (ap_clk, ap_rst_n, s_axi_control, m_axi)
// so the same top is simulated by Verilator and packaged for Alveo. One clock domain.
module smartnic_top #(
  parameter int NUM_VMS       = smartnic_regs_pkg::NUM_VMS,
  parameter int TABLE_ENTRIES = smartnic_regs_pkg::TABLE_ENTRIES,
  parameter int AXI_ID_W      = 4,
  parameter int MAX_DATA_READS = 256
) (
  input  logic         ap_clk,
  input  logic         ap_rst_n,
  // AXI4-Lite control slave
  input  logic         s_axi_control_awvalid,
  output logic         s_axi_control_awready,
  input  logic [15:0]  s_axi_control_awaddr,
  input  logic         s_axi_control_wvalid,
  output logic         s_axi_control_wready,
  input  logic [31:0]  s_axi_control_wdata,
  input  logic [3:0]   s_axi_control_wstrb,
  output logic         s_axi_control_bvalid,
  input  logic         s_axi_control_bready,
  output logic [1:0]   s_axi_control_bresp,
  input  logic         s_axi_control_arvalid,
  output logic         s_axi_control_arready,
  input  logic [15:0]  s_axi_control_araddr,
  output logic         s_axi_control_rvalid,
  input  logic         s_axi_control_rready,
  output logic [31:0]  s_axi_control_rdata,
  output logic [1:0]   s_axi_control_rresp,
  // AXI4 master into host memory (512-bit data, 64-bit address)
  output logic                m_axi_awvalid,
  input  logic                m_axi_awready,
  output logic [AXI_ID_W-1:0] m_axi_awid,
  output logic [63:0]         m_axi_awaddr,
  output logic [7:0]          m_axi_awlen,
  output logic [2:0]          m_axi_awsize,
  output logic [1:0]          m_axi_awburst,
  output logic                m_axi_wvalid,
  input  logic                m_axi_wready,
  output logic [511:0]        m_axi_wdata,
  output logic [63:0]         m_axi_wstrb,
  output logic                m_axi_wlast,
  input  logic                m_axi_bvalid,
  output logic                m_axi_bready,
  input  logic [AXI_ID_W-1:0] m_axi_bid,
  input  logic [1:0]          m_axi_bresp,
  output logic                m_axi_arvalid,
  input  logic                m_axi_arready,
  output logic [AXI_ID_W-1:0] m_axi_arid,
  output logic [63:0]         m_axi_araddr,
  output logic [7:0]          m_axi_arlen,
  output logic [2:0]          m_axi_arsize,
  output logic [1:0]          m_axi_arburst,
  input  logic                m_axi_rvalid,
  output logic                m_axi_rready,
  input  logic [AXI_ID_W-1:0] m_axi_rid,
  input  logic [511:0]        m_axi_rdata,
  input  logic [1:0]          m_axi_rresp,
  input  logic                m_axi_rlast,
  // AXI4-Stream TX to the Ethernet MAC (tuser on the last beat: abort the frame)
  output logic         m_axis_tx_tvalid,
  input  logic         m_axis_tx_tready,
  output logic [511:0] m_axis_tx_tdata,
  output logic [63:0]  m_axis_tx_tkeep,
  output logic         m_axis_tx_tlast,
  output logic         m_axis_tx_tuser
);
  localparam int VM_IDX_W  = NUM_VMS > 1 ? $clog2(NUM_VMS) : 1;
  localparam int NUM_DROPS = smartnic_regs_pkg::NUM_DROP_REASONS;
  localparam int SLOT_W    = $clog2(TABLE_ENTRIES);
  localparam logic [2:0] AXI_SIZE_64B = 3'd6;
  localparam logic [1:0] AXI_BURST_INCR = 2'b01;

  logic clk, rst;
  assign clk = ap_clk;
  always_ff @(posedge clk) rst <= !ap_rst_n;   // registered: reset fans out from one flop

  // ---------------- control and status registers ----------------
  logic        ctrl_enable, cpl_reset, status_idle;
  logic [47:0] mac_src, mac_dst;
  logic [63:0] cpl_base;
  logic [4:0]  cpl_size_log2;
  logic [15:0] cpl_cons, cpl_coalesce, cpl_prod;
  logic [NUM_VMS*64-1:0] vm_tx_base, vm_win_base, vm_win_size;
  logic [NUM_VMS*5-1:0]  vm_tx_size_log2;
  logic [NUM_VMS-1:0]       vm_tx_reset, vm_enable;
  logic [NUM_VMS*16-1:0] vm_tx_prod, vm_tx_fetch;
  logic [NUM_VMS*32-1:0] cnt_desc, cnt_external, cnt_hairpin, cnt_drop, cnt_bytes;
  logic [NUM_DROPS*32-1:0] drop_cnt;
  logic              tbl_wr_en, tbl_entry_valid, tbl_rd_valid;
  logic [SLOT_W-1:0] tbl_slot;
  logic [31:0]       tbl_key, tbl_rd_key;
  logic [7:0]        tbl_vm, tbl_rd_vm;

  axil_regs #(.NUM_VMS(NUM_VMS), .TABLE_ENTRIES(TABLE_ENTRIES)) u_regs (
    .clk, .rst,
    .s_awvalid(s_axi_control_awvalid), .s_awready(s_axi_control_awready),
    .s_awaddr(s_axi_control_awaddr),
    .s_wvalid(s_axi_control_wvalid), .s_wready(s_axi_control_wready),
    .s_wdata(s_axi_control_wdata), .s_wstrb(s_axi_control_wstrb),
    .s_bvalid(s_axi_control_bvalid), .s_bready(s_axi_control_bready),
    .s_bresp(s_axi_control_bresp),
    .s_arvalid(s_axi_control_arvalid), .s_arready(s_axi_control_arready),
    .s_araddr(s_axi_control_araddr),
    .s_rvalid(s_axi_control_rvalid), .s_rready(s_axi_control_rready),
    .s_rdata(s_axi_control_rdata), .s_rresp(s_axi_control_rresp),
    .ctrl_enable, .mac_src, .mac_dst,
    .cpl_base, .cpl_size_log2, .cpl_reset, .cpl_cons, .cpl_coalesce, .cpl_prod,
    .status_idle,
    .vm_tx_base, .vm_tx_size_log2, .vm_tx_reset, .vm_tx_prod, .vm_enable,
    .vm_win_base, .vm_win_size, .vm_tx_fetch,
    .vm_cnt_desc(cnt_desc), .vm_cnt_external(cnt_external), .vm_cnt_hairpin(cnt_hairpin),
    .vm_cnt_drop(cnt_drop), .vm_cnt_bytes(cnt_bytes), .drop_cnt,
    .tbl_wr_en, .tbl_slot, .tbl_key, .tbl_vm, .tbl_entry_valid,
    .tbl_rd_key, .tbl_rd_vm, .tbl_rd_valid);

  // ---------------- VM-IP table ----------------
  logic       lk_valid, res_valid, res_hit;
  logic [31:0] lk_key;
  logic [7:0] res_vm;
  vm_ip_table #(.ENTRIES(TABLE_ENTRIES), .VM_W(8)) u_table (
    .clk, .rst,
    .lk_valid, .lk_key, .res_valid, .res_hit, .res_vm,
    .wr_en(tbl_wr_en), .wr_slot(tbl_slot), .wr_key(tbl_key), .wr_vm(tbl_vm),
    .wr_entry_valid(tbl_entry_valid),
    .rd_slot(tbl_slot), .rd_key(tbl_rd_key), .rd_vm(tbl_rd_vm), .rd_entry_valid(tbl_rd_valid));

  // ---------------- AXI read sharing ----------------
  logic [1:0]       rq_valid, rq_ready, rs_valid, rs_ready;
  logic [2*64-1:0] rq_addr;
  logic [2*8-1:0]  rq_len;
  logic             data_burst_done;
  axi_rd_mux #(.ID_W(AXI_ID_W)) u_rd_mux (
    .clk, .rst,
    .req_valid(rq_valid), .req_ready(rq_ready), .req_addr(rq_addr), .req_len(rq_len),
    .rsp_valid(rs_valid), .rsp_ready(rs_ready), .rsp_last_fire(data_burst_done),
    .m_arvalid(m_axi_arvalid), .m_arready(m_axi_arready), .m_arid(m_axi_arid),
    .m_araddr(m_axi_araddr), .m_arlen(m_axi_arlen),
    .m_rvalid(m_axi_rvalid), .m_rready(m_axi_rready), .m_rid(m_axi_rid),
    .m_rlast(m_axi_rlast));
  assign m_axi_arsize  = AXI_SIZE_64B;
  assign m_axi_arburst = AXI_BURST_INCR;

  // ---------------- descriptor fetch ----------------
  logic                d_valid, d_ready, d_err, desc_idle;
  logic [VM_IDX_W-1:0] d_vm;
  logic [15:0]         d_idx, d_len;
  logic [63:0]         d_addr;
  logic [31:0]         d_cookie;
  tx_desc_fetch #(.NUM_VMS(NUM_VMS)) u_desc (
    .clk, .rst, .enable(ctrl_enable),
    .vm_tx_base, .vm_tx_size_log2, .vm_tx_prod, .vm_tx_reset, .vm_enable, .vm_tx_fetch,
    .ar_valid(rq_valid[0]), .ar_ready(rq_ready[0]), .ar_addr(rq_addr[63:0]), .ar_len(rq_len[7:0]),
    .r_valid(rs_valid[0]), .r_ready(rs_ready[0]), .r_data(m_axi_rdata), .r_resp(m_axi_rresp),
    .d_valid, .d_ready, .d_vm, .d_idx, .d_addr, .d_len, .d_cookie, .d_err,
    .idle(desc_idle));

  // ---------------- datagram fetch ----------------
  logic                j_valid, j_ready, j_drop, data_idle;
  logic [VM_IDX_W-1:0] j_vm;
  logic [15:0]         j_idx, j_len;
  logic [31:0]         j_cookie;
  logic [3:0]          j_reason;
  tx_data_fetch #(.NUM_VMS(NUM_VMS), .MAX_READS(MAX_DATA_READS)) u_data (
    .clk, .rst, .vm_win_base, .vm_win_size,
    .d_valid, .d_ready, .d_vm, .d_idx, .d_addr, .d_len, .d_cookie, .d_err,
    .ar_valid(rq_valid[1]), .ar_ready(rq_ready[1]), .ar_addr(rq_addr[127:64]), .ar_len(rq_len[15:8]),
    .burst_done(data_burst_done),
    .j_valid, .j_ready, .j_vm, .j_idx, .j_len, .j_cookie, .j_drop, .j_reason,
    .idle(data_idle));

  // ---------------- verdict ----------------
  logic         f_valid, f_ready, f_last, f_user, verdict_idle;
  logic [511:0] f_data;
  logic [63:0]  f_keep;
  logic         c_valid, c_ready;
  logic [31:0]  c_cookie;
  logic [15:0]  c_idx, c_len;
  logic [7:0]   c_src_vm, c_dst_vm;
  logic [1:0]   c_verdict;
  logic [3:0]   c_reason;
  tx_verdict #(.NUM_VMS(NUM_VMS)) u_verdict (
    .clk, .rst,
    .j_valid, .j_ready, .j_vm, .j_idx, .j_len, .j_cookie, .j_drop, .j_reason,
    .r_valid(rs_valid[1]), .r_ready(rs_ready[1]), .r_data(m_axi_rdata), .r_resp(m_axi_rresp),
    .lk_valid, .lk_key, .res_valid, .res_hit, .res_vm,
    .o_valid(f_valid), .o_ready(f_ready), .o_data(f_data), .o_keep(f_keep),
    .o_last(f_last), .o_user(f_user),
    .c_valid, .c_ready, .c_cookie, .c_idx, .c_len, .c_src_vm, .c_dst_vm, .c_verdict,
    .c_reason, .idle(verdict_idle));

  // ---------------- Ethernet framing ----------------
  eth_framer u_framer (
    .clk, .rst, .mac_dst, .mac_src,
    .i_valid(f_valid), .i_ready(f_ready), .i_data(f_data), .i_keep(f_keep),
    .i_last(f_last), .i_user(f_user),
    .o_valid(m_axis_tx_tvalid), .o_ready(m_axis_tx_tready), .o_data(m_axis_tx_tdata),
    .o_keep(m_axis_tx_tkeep), .o_last(m_axis_tx_tlast), .o_user(m_axis_tx_tuser));

  // ---------------- completions and counters ----------------
  logic        cpl_idle;
  logic [31:0] cpl_write_errors;
  tx_cpl_writer u_cpl (
    .clk, .rst, .cpl_base, .cpl_size_log2, .cpl_reset, .cpl_cons, .cpl_coalesce, .cpl_prod,
    .c_valid, .c_ready, .c_cookie, .c_idx, .c_len, .c_src_vm, .c_dst_vm, .c_verdict,
    .c_reason,
    .aw_valid(m_axi_awvalid), .aw_ready(m_axi_awready), .aw_addr(m_axi_awaddr),
    .w_valid(m_axi_wvalid), .w_ready(m_axi_wready), .w_data(m_axi_wdata),
    .w_strb(m_axi_wstrb), .b_valid(m_axi_bvalid), .b_resp(m_axi_bresp),
    .write_errors(cpl_write_errors), .idle(cpl_idle));
  assign m_axi_awid    = '0;
  assign m_axi_awlen   = 8'd0;
  assign m_axi_awsize  = AXI_SIZE_64B;
  assign m_axi_awburst = AXI_BURST_INCR;
  assign m_axi_wlast   = 1'b1;
  assign m_axi_bready  = 1'b1;

  tx_stats #(.NUM_VMS(NUM_VMS)) u_stats (
    .clk, .rst, .fire(c_valid && c_ready), .src_vm(c_src_vm), .verdict(c_verdict),
    .reason(c_reason), .len(c_len),
    .cnt_desc, .cnt_external, .cnt_hairpin, .cnt_drop, .cnt_bytes, .drop_cnt);

  assign status_idle = desc_idle && data_idle && verdict_idle && !m_axis_tx_tvalid && cpl_idle;

  /* verilator lint_off UNUSEDSIGNAL */
  logic unused;   // write IDs are all 0; write errors are counted for a later status register
  assign unused = ^{m_axi_bid, cpl_write_errors};
  /* verilator lint_on UNUSEDSIGNAL */
endmodule
