// SmartNIC top: the IP-mode virtual switch in hardware.
//
// TX: doorbell -> tx_desc_fetch -> tx_data_fetch -> tx_verdict -> eth_framer -> m_axis_tx
//                  (ring reads)     (checks, reads)   (parse, VM-IP lookup)
//                                                     \-> cpl_ring_writer -> TX completions
// RX: s_axis_rx -> rx_parse -> receive buffer -> rx_dma -> VM input buffer
//                  (classify, strip header,       (rx_desc_cache: posted buffers)
//                   VM-IP lookup)                 \-> cpl_ring_writer -> RX completions
//                                                 \-> arp_responder -> tx_port_mux (ARP
//                                                      requests for VM addresses)
//
// Ports follow the Vitis RTL-kernel conventions (ap_clk, ap_rst_n, s_axi_control, m_axi)
// so the same top is simulated by Verilator and packaged for Alveo. One clock domain.
module smartnic_top #(
  parameter int NUM_VMS       = smartnic_regs_pkg::NUM_VMS,
  // VM-IP hash table geometry (docs/vm-ip-table.md): TABLE_WAYS x TABLE_BUCKETS x TABLE_SLOTS
  // block-RAM slots plus TABLE_STASH register slots.
  parameter int TABLE_WAYS    = smartnic_regs_pkg::TABLE_WAYS,
  parameter int TABLE_BUCKETS = smartnic_regs_pkg::TABLE_BUCKETS,
  parameter int TABLE_SLOTS   = smartnic_regs_pkg::TABLE_SLOTS,
  parameter int TABLE_STASH   = smartnic_regs_pkg::TABLE_STASH,
  parameter int AXI_ID_W      = 4,
  parameter int MAX_DATA_READS = 256,
  parameter int TX_DESC_AHEAD  = 256    // TX descriptors read ahead (buffered or in flight)
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
  output logic         m_axis_tx_tuser,
  // AXI4-Stream RX from the Ethernet MAC (tuser on the last beat: bad frame). A MAC cannot
  // be back-pressured; tready is always 1 and a frame with no room is dropped and counted.
  input  logic         s_axis_rx_tvalid,
  output logic         s_axis_rx_tready,
  input  logic [511:0] s_axis_rx_tdata,
  input  logic [63:0]  s_axis_rx_tkeep,
  input  logic         s_axis_rx_tlast,
  input  logic         s_axis_rx_tuser
);
  localparam int VM_IDX_W  = NUM_VMS > 1 ? $clog2(NUM_VMS) : 1;
  localparam int RW        = smartnic_regs_pkg::REASON_W;
  localparam int RX_BUF_BEATS = 1024;    // receive buffer (64 KB): seven maximum-size frames
  // Frames waiting for the RX DMA engine. Small frames run out of frame records long before
  // the buffer runs out of beats: 256 records hold ~1.7 us of 64 B frames at 100 GbE, more
  // than a descriptor read (1 us) that a frame may wait for when a VM's buffers were just
  // posted (64 records overflowed then).
  localparam int RX_FRAMES_Q  = 256;
  localparam int NUM_DROPS = smartnic_regs_pkg::NUM_DROP_REASONS;
  localparam int TABLE_ENTRIES = TABLE_WAYS * TABLE_BUCKETS * TABLE_SLOTS + TABLE_STASH;
  localparam int SLOT_W    = $clog2(TABLE_ENTRIES);
  localparam logic [31:0] TABLE_GEOMETRY = {8'(TABLE_STASH), 8'(TABLE_SLOTS),
                                            8'($clog2(TABLE_BUCKETS)), 8'(TABLE_WAYS)};
  localparam logic [2:0] AXI_SIZE_64B = 3'd6;
  localparam logic [1:0] AXI_BURST_INCR = 2'b01;

  // Two resets: hard_rst from the kernel's reset input, and rst for the core, which also
  // follows the soft reset (CTRL.RESET, nic_reset_ctrl). Both registered: each fans out from
  // one flop.
  logic clk, hard_rst, rst, soft_rst;
  assign clk = ap_clk;
  always_ff @(posedge clk) begin
    hard_rst <= !ap_rst_n;
    rst      <= !ap_rst_n || soft_rst;
  end

  // ---------------- register slices at the external channels ----------------
  // Every channel of the AXI4 master, the AXI4-Lite slave and the TX stream passes a reg_slice,
  // so the core sees its ports only through flip-flops: the shell boundary is a clean timing
  // cut, and the Verilated model has no logic that reacts to a port between clock edges (its
  // input-evaluation region, which runs on both edges, is then empty). They cost one clock of
  // latency each way, which the read and write queues cover. Reset only by the kernel reset: a
  // soft reset waits until the core's side is quiet (nic_reset_ctrl counts bursts where they
  // enter and leave the slices), and a register access the slices took from the host waits in
  // them for the core instead of being lost.
  // AXI4-Lite: AW, W and AR come in through slices; B and R leave from axil_regs' registers.
  logic        l_awvalid, l_awready, l_wvalid, l_wready, l_arvalid, l_arready;
  logic [15:0] l_awaddr, l_araddr;
  logic [31:0] l_wdata;
  logic [3:0]  l_wstrb;
  /* verilator lint_off PINCONNECTEMPTY */
  reg_slice #(.WIDTH(16)) u_lite_aw (
    .clk, .rst(hard_rst), .s_valid(s_axi_control_awvalid), .s_ready(s_axi_control_awready),
    .s_data(s_axi_control_awaddr), .m_valid(l_awvalid), .m_ready(l_awready), .m_data(l_awaddr),
    .busy());
  reg_slice #(.WIDTH(36)) u_lite_w (
    .clk, .rst(hard_rst), .s_valid(s_axi_control_wvalid), .s_ready(s_axi_control_wready),
    .s_data({s_axi_control_wstrb, s_axi_control_wdata}), .m_valid(l_wvalid), .m_ready(l_wready),
    .m_data({l_wstrb, l_wdata}), .busy());
  reg_slice #(.WIDTH(16)) u_lite_ar (
    .clk, .rst(hard_rst), .s_valid(s_axi_control_arvalid), .s_ready(s_axi_control_arready),
    .s_data(s_axi_control_araddr), .m_valid(l_arvalid), .m_ready(l_arready), .m_data(l_araddr),
    .busy());

  // AXI4 master: the core's side of each channel is ar_* / r_* / aw_* / w_* / b_*.
  logic                ar_valid, ar_ready, r_valid, r_ready, r_last;
  logic [AXI_ID_W-1:0] ar_id, r_id;
  logic [63:0]         ar_addr;
  logic [7:0]          ar_len;
  logic [511:0]        r_data;
  logic [1:0]          r_resp;
  reg_slice #(.WIDTH(AXI_ID_W + 64 + 8)) u_ar_slice (
    .clk, .rst(hard_rst), .s_valid(ar_valid), .s_ready(ar_ready), .s_data({ar_id, ar_addr, ar_len}),
    .m_valid(m_axi_arvalid), .m_ready(m_axi_arready), .m_data({m_axi_arid, m_axi_araddr, m_axi_arlen}),
    .busy());
  // The R, W and TX channels each have two slices driven by the same handshake: one for the
  // 512-bit data, one for the side fields. Both hold the same control state on every clock
  // (two flip-flops each; Yosys keeps both copies, 6 FF in all). Connected whole, the data
  // bus is one variable on either side of its slice in the simulator; packed with the side
  // fields into one slice word it was copied into and out of that word on every clock. The
  // side slices' own handshake outputs are only compared with the data slices' (assertions
  // below): the pairs must never differ.
  logic r_side_ready, r_side_valid, w_side_ready, w_side_valid, tx_side_ready, tx_side_valid;
  reg_slice #(.WIDTH(512)) u_r_slice (
    .clk, .rst(hard_rst), .s_valid(m_axi_rvalid), .s_ready(m_axi_rready), .s_data(m_axi_rdata),
    .m_valid(r_valid), .m_ready(r_ready), .m_data(r_data), .busy());
  reg_slice #(.WIDTH(AXI_ID_W + 2 + 1)) u_r_side (
    .clk, .rst(hard_rst), .s_valid(m_axi_rvalid), .s_ready(r_side_ready), .s_data({m_axi_rid, m_axi_rresp, m_axi_rlast}),
    .m_valid(r_side_valid), .m_ready(r_ready), .m_data({r_id, r_resp, r_last}), .busy());

  logic                aw_valid, aw_ready, w_valid, w_ready, w_last, b_valid, b_ready;
  logic [AXI_ID_W-1:0] aw_id, b_id;
  logic [63:0]         aw_addr;
  logic [7:0]          aw_len;
  logic [511:0]        w_data;
  logic [63:0]         w_strb;
  logic [1:0]          b_resp;
  reg_slice #(.WIDTH(AXI_ID_W + 64 + 8)) u_aw_slice (
    .clk, .rst(hard_rst), .s_valid(aw_valid), .s_ready(aw_ready), .s_data({aw_id, aw_addr, aw_len}),
    .m_valid(m_axi_awvalid), .m_ready(m_axi_awready), .m_data({m_axi_awid, m_axi_awaddr, m_axi_awlen}),
    .busy());
  reg_slice #(.WIDTH(512)) u_w_slice (
    .clk, .rst(hard_rst), .s_valid(w_valid), .s_ready(w_ready), .s_data(w_data),
    .m_valid(m_axi_wvalid), .m_ready(m_axi_wready), .m_data(m_axi_wdata), .busy());
  reg_slice #(.WIDTH(64 + 1)) u_w_side (
    .clk, .rst(hard_rst), .s_valid(w_valid), .s_ready(w_side_ready), .s_data({w_last, w_strb}),
    .m_valid(w_side_valid), .m_ready(m_axi_wready), .m_data({m_axi_wlast, m_axi_wstrb}), .busy());
  reg_slice #(.WIDTH(AXI_ID_W + 2)) u_b_slice (
    .clk, .rst(hard_rst), .s_valid(m_axi_bvalid), .s_ready(m_axi_bready), .s_data({m_axi_bid, m_axi_bresp}),
    .m_valid(b_valid), .m_ready(b_ready), .m_data({b_id, b_resp}), .busy());
  /* verilator lint_on PINCONNECTEMPTY */

  // ---------------- control and status registers ----------------
  logic        ctrl_enable, cpl_reset, status_idle;
  logic        ctrl_quiesce, reset_req, quiesced, bus_hold;
  logic [31:0] rx_quiesce_drops;
  logic [47:0] mac_src, mac_dst;
  logic [63:0] cpl_base;
  logic [4:0]  cpl_size_log2;
  logic [15:0] cpl_cons, cpl_coalesce, cpl_prod;
  logic [NUM_VMS*64-1:0] vm_tx_base, vm_win_base, vm_win_size;
  logic [NUM_VMS*5-1:0]  vm_tx_size_log2;
  logic [NUM_VMS-1:0]       vm_tx_reset, vm_enable, vm_cfg_wr;
  logic [NUM_VMS*16-1:0] vm_tx_prod, vm_tx_fetch;
  logic [NUM_VMS*32-1:0] cnt_desc, cnt_external, cnt_hairpin, cnt_drop, cnt_bytes;
  logic [NUM_VMS*32-1:0] cnt_rx, cnt_rx_bytes, cnt_rx_drop;
  logic [NUM_VMS*64-1:0] vm_rx_base;
  logic [NUM_VMS*5-1:0]  vm_rx_size_log2;
  logic [NUM_VMS-1:0]    vm_rx_reset;
  logic [NUM_VMS*16-1:0] vm_rx_prod, vm_rx_next;
  logic [63:0] rx_cpl_base;
  logic [4:0]  rx_cpl_size_log2;
  logic        rx_cpl_reset;
  logic [15:0] rx_cpl_cons, rx_cpl_prod;
  logic [31:0] rx_frames, arp_replies;
  logic [NUM_DROPS*32-1:0] drop_cnt;
  logic              tbl_wr_en, tbl_entry_valid, tbl_rd_req, tbl_rd_valid, tbl_rd_entry_valid;
  logic              tbl_clear, tbl_init_busy;
  logic [SLOT_W-1:0] tbl_slot;
  logic [31:0]       tbl_key, tbl_rd_key;
  logic [7:0]        tbl_vm, tbl_rd_vm;

  axil_regs #(.NUM_VMS(NUM_VMS), .TABLE_ENTRIES(TABLE_ENTRIES), .TABLE_GEOMETRY(TABLE_GEOMETRY),
              .TABLE_HASH_SEED(vm_ip_hash_pkg::VMIP_HASH_SEED[31:0])) u_regs (
    .clk, .rst,
    .s_awvalid(l_awvalid), .s_awready(l_awready), .s_awaddr(l_awaddr),
    .s_wvalid(l_wvalid), .s_wready(l_wready), .s_wdata(l_wdata), .s_wstrb(l_wstrb),
    .s_bvalid(s_axi_control_bvalid), .s_bready(s_axi_control_bready),
    .s_bresp(s_axi_control_bresp),
    .s_arvalid(l_arvalid), .s_arready(l_arready), .s_araddr(l_araddr),
    .s_rvalid(s_axi_control_rvalid), .s_rready(s_axi_control_rready),
    .s_rdata(s_axi_control_rdata), .s_rresp(s_axi_control_rresp),
    // No register access is taken while the core is in reset (nor in the cycle after the soft
    // reset ends, when the registered rst still holds the port's response logic in reset).
    .ctrl_enable, .ctrl_quiesce, .reset_req, .quiesced, .bus_hold(bus_hold || rst), .rx_quiesce_drops,
    .mac_src, .mac_dst,
    .cpl_base, .cpl_size_log2, .cpl_reset, .cpl_cons, .cpl_coalesce, .cpl_prod,
    .rx_cpl_base, .rx_cpl_size_log2, .rx_cpl_reset, .rx_cpl_cons, .rx_cpl_prod,
    .rx_frames, .arp_replies,
    .status_idle,
    .vm_tx_base, .vm_tx_size_log2, .vm_tx_reset, .vm_tx_prod, .vm_enable, .vm_cfg_wr,
    .vm_win_base, .vm_win_size, .vm_tx_fetch,
    .vm_rx_base, .vm_rx_size_log2, .vm_rx_reset, .vm_rx_prod, .vm_rx_next,
    .vm_cnt_rx(cnt_rx), .vm_cnt_rx_bytes(cnt_rx_bytes), .vm_cnt_rx_drop(cnt_rx_drop),
    .vm_cnt_desc(cnt_desc), .vm_cnt_external(cnt_external), .vm_cnt_hairpin(cnt_hairpin),
    .vm_cnt_drop(cnt_drop), .vm_cnt_bytes(cnt_bytes), .drop_cnt,
    .tbl_wr_en, .tbl_slot, .tbl_key, .tbl_vm, .tbl_entry_valid,
    .tbl_rd_req, .tbl_rd_valid, .tbl_rd_key, .tbl_rd_vm, .tbl_rd_entry_valid,
    .tbl_clear, .tbl_init_busy);

  // ---------------- VM-IP table ----------------
  logic       lk_valid, res_valid, res_hit;
  logic [31:0] lk_key;
  logic [7:0] res_vm;
  logic [1:0] lka_valid, lka_ready, lka_res;
  logic [63:0] lka_key;
  lookup_arb u_lookup_arb (
    .clk, .rst, .req_valid(lka_valid), .req_ready(lka_ready), .req_key(lka_key),
    .res_valid(lka_res), .lk_valid, .lk_key, .tbl_res_valid(res_valid));
  // Cuckoo hash table in block RAM (docs/vm-ip-table.md): one lookup per clock, LATENCY 5; the
  // lookup arbiter waits for res_valid, so the latency is not built in anywhere else. While it
  // clears (after reset, TBL_CMD=3) lookups miss: RX datagrams count as RX_NO_VM, TX ones go
  // EXTERNAL; the runtime waits for STATUS.TABLE_INIT = 0 before it enables anything.
  vm_ip_hash_table #(.WAYS(TABLE_WAYS), .BUCKETS(TABLE_BUCKETS), .SLOTS(TABLE_SLOTS),
                     .STASH(TABLE_STASH), .VM_W(8)) u_table (
    .clk, .rst,
    .lk_valid, .lk_key, .res_valid, .res_hit, .res_vm,
    .wr_en(tbl_wr_en), .wr_slot(tbl_slot), .wr_key(tbl_key), .wr_vm(tbl_vm),
    .wr_entry_valid(tbl_entry_valid),
    .rd_req(tbl_rd_req), .rd_slot(tbl_slot), .rd_valid(tbl_rd_valid), .rd_key(tbl_rd_key),
    .rd_vm(tbl_rd_vm), .rd_entry_valid(tbl_rd_entry_valid),
    .clear_req(tbl_clear), .init_busy(tbl_init_busy));

  // A second copy of the table, for the TX source (anti-spoofing) lookups: a lookup port of
  // their own, so each datagram's two lookups go in the same clock. It takes every write in
  // the same cycle as the first copy (and clears with it), so both copies apply each
  // single-slot write at the same edge and hold the same entries at every edge: a lookup on
  // either sees the table as the host wrote it, atomically. Read-back uses the first copy.
  logic       lk2_valid, res2_valid, res2_hit;
  logic [31:0] lk2_key;
  logic [7:0] res2_vm;
  /* verilator lint_off PINCONNECTEMPTY */
  vm_ip_hash_table #(.WAYS(TABLE_WAYS), .BUCKETS(TABLE_BUCKETS), .SLOTS(TABLE_SLOTS),
                     .STASH(TABLE_STASH), .VM_W(8)) u_table_src (
    .clk, .rst,
    .lk_valid(lk2_valid), .lk_key(lk2_key), .res_valid(res2_valid), .res_hit(res2_hit),
    .res_vm(res2_vm),
    .wr_en(tbl_wr_en), .wr_slot(tbl_slot), .wr_key(tbl_key), .wr_vm(tbl_vm),
    .wr_entry_valid(tbl_entry_valid),
    .rd_req(1'b0), .rd_slot(tbl_slot), .rd_valid(), .rd_key(), .rd_vm(), .rd_entry_valid(),
    .clear_req(tbl_clear), .init_busy());
  /* verilator lint_on PINCONNECTEMPTY */

  // ---------------- AXI read sharing ----------------
  logic [2:0]      rq_valid, rq_ready, rs_valid, rs_ready, rs_last;
  logic [3*64-1:0] rq_addr;
  logic [3*8-1:0]  rq_len;
  logic            data_burst_done;
  assign data_burst_done = rs_last[1];
  axi_rd_mux #(.N(3), .ID_W(AXI_ID_W)) u_rd_mux (
    .clk, .rst,
    .req_valid(rq_valid), .req_ready(rq_ready), .req_addr(rq_addr), .req_len(rq_len),
    .rsp_valid(rs_valid), .rsp_ready(rs_ready), .rsp_last_fire(rs_last),
    .m_arvalid(ar_valid), .m_arready(ar_ready), .m_arid(ar_id),
    .m_araddr(ar_addr), .m_arlen(ar_len),
    .m_rvalid(r_valid), .m_rready(r_ready), .m_rid(r_id),
    .m_rlast(r_last));
  assign m_axi_arsize  = AXI_SIZE_64B;
  assign m_axi_arburst = AXI_BURST_INCR;

  // ---------------- descriptor fetch ----------------
  logic                d_valid, d_ready, d_err, desc_idle;
  logic [VM_IDX_W-1:0] d_vm;
  logic [15:0]         d_idx, d_len;
  logic [63:0]         d_addr;
  logic [31:0]         d_cookie;
  // Descriptors in flight must cover the memory latency at the smallest frame's rate:
  // ~265 cycles / 1.68 cycles per frame = ~160 descriptors; 256 leaves room for jitter.
  tx_desc_fetch #(.NUM_VMS(NUM_VMS), .FIFO_DEPTH(TX_DESC_AHEAD), .MAX_READS(TX_DESC_AHEAD / 8)) u_desc (
    .clk, .rst, .enable(ctrl_enable && !ctrl_quiesce),
    .vm_win_base, .vm_win_size, .vm_tx_base, .vm_tx_size_log2, .vm_tx_prod, .vm_tx_reset, .vm_enable, .vm_cfg_wr, .vm_tx_fetch,
    .ar_valid(rq_valid[0]), .ar_ready(rq_ready[0]), .ar_addr(rq_addr[63:0]), .ar_len(rq_len[7:0]),
    .r_valid(rs_valid[0]), .r_ready(rs_ready[0]), .r_data(r_data), .r_resp(r_resp),
    .d_valid, .d_ready, .d_vm, .d_idx, .d_addr, .d_len, .d_cookie, .d_err,
    .idle(desc_idle));

  // ---------------- datagram fetch ----------------
  logic                j_valid, j_ready, j_drop, data_idle;
  logic [VM_IDX_W-1:0] j_vm;
  logic [15:0]         j_idx, j_len;
  logic [31:0]         j_cookie;
  logic [smartnic_regs_pkg::REASON_W-1:0] j_reason;
  tx_data_fetch #(.NUM_VMS(NUM_VMS), .MAX_READS(MAX_DATA_READS)) u_data (
    .clk, .rst, .vm_win_base, .vm_win_size,
    .d_valid, .d_ready, .d_vm, .d_idx, .d_addr, .d_len, .d_cookie, .d_err,
    .ar_valid(rq_valid[1]), .ar_ready(rq_ready[1]), .ar_addr(rq_addr[127:64]), .ar_len(rq_len[15:8]),
    .burst_done(data_burst_done), .beat_done(rs_valid[1] && rs_ready[1]),
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
  logic [smartnic_regs_pkg::REASON_W-1:0] c_reason;
  tx_verdict #(.NUM_VMS(NUM_VMS)) u_verdict (
    .clk, .rst,
    .j_valid, .j_ready, .j_vm, .j_idx, .j_len, .j_cookie, .j_drop, .j_reason,
    .r_valid(rs_valid[1]), .r_ready(rs_ready[1]), .r_data(r_data), .r_resp(r_resp),
    .lk_valid(lka_valid[0]), .lk_ready(lka_ready[0]), .lk_key(lka_key[31:0]),
    .res_valid(lka_res[0]), .res_hit, .res_vm,
    .lk2_valid, .lk2_key, .res2_valid, .res2_hit, .res2_vm,
    .o_valid(f_valid), .o_ready(f_ready), .o_data(f_data), .o_keep(f_keep),
    .o_last(f_last), .o_user(f_user),
    .c_valid, .c_ready, .c_cookie, .c_idx, .c_len, .c_src_vm, .c_dst_vm, .c_verdict,
    .c_reason, .idle(verdict_idle));

  // ---------------- Ethernet framing ----------------
  logic         fr_valid, fr_ready, fr_last, fr_user;
  logic [511:0] fr_data;
  logic [63:0]  fr_keep;
  eth_framer u_framer (
    .clk, .rst, .mac_dst, .mac_src,
    .i_valid(f_valid), .i_ready(f_ready), .i_data(f_data), .i_keep(f_keep),
    .i_last(f_last), .i_user(f_user),
    .o_valid(fr_valid), .o_ready(fr_ready), .o_data(fr_data),
    .o_keep(fr_keep), .o_last(fr_last), .o_user(fr_user));

  // ---------------- completions and counters ----------------
  logic        cpl_idle;
  logic [31:0] cpl_write_errors;
  logic [127:0] c_entry;
  always_comb begin
    c_entry = '0;
    c_entry[8*smartnic_regs_pkg::TX_CPL_COOKIE_BYTE   +: 32] = c_cookie;
    c_entry[8*smartnic_regs_pkg::TX_CPL_RING_IDX_BYTE +: 16] = c_idx;
    c_entry[8*smartnic_regs_pkg::TX_CPL_LEN_BYTE      +: 16] = c_len;
    c_entry[8*smartnic_regs_pkg::TX_CPL_SRC_VM_BYTE   +: 8]  = c_src_vm;
    c_entry[8*smartnic_regs_pkg::TX_CPL_DST_VM_BYTE   +: 8]  = c_dst_vm;
    c_entry[8*smartnic_regs_pkg::TX_CPL_VERDICT_BYTE  +: 8]  = 8'(c_verdict);
    c_entry[8*smartnic_regs_pkg::TX_CPL_REASON_BYTE   +: 8]  = 8'(c_reason);
  end

  // AXI writers: 0 = TX completions, 1 = RX datagram data, 2 = RX completions (= AWID).
  logic [2:0]       wa_aw_valid, wa_aw_ready, wa_w_valid, wa_w_ready, wa_w_last, wa_b_valid;
  logic [3*64-1:0]  wa_aw_addr, wa_w_strb;
  logic [3*8-1:0]   wa_aw_len;
  logic [3*512-1:0] wa_w_data;
  logic [1:0]       wa_b_resp;

  cpl_ring_writer #(.PHASE_BIT(8*smartnic_regs_pkg::TX_CPL_PHASE_BYTE + 7)) u_cpl (
    .clk, .rst, .cpl_base, .cpl_size_log2, .cpl_reset, .cpl_cons, .cpl_coalesce, .cpl_prod,
    .c_valid, .c_ready, .c_entry,
    .aw_valid(wa_aw_valid[0]), .aw_ready(wa_aw_ready[0]), .aw_addr(wa_aw_addr[0 +: 64]),
    .w_valid(wa_w_valid[0]), .w_ready(wa_w_ready[0]), .w_data(wa_w_data[0 +: 512]),
    .w_strb(wa_w_strb[0 +: 64]), .b_valid(wa_b_valid[0]), .b_resp(wa_b_resp),
    .write_errors(cpl_write_errors), .idle(cpl_idle));
  assign wa_aw_len[0 +: 8] = 8'd0;
  assign wa_w_last[0]      = 1'b1;

  axi_wr_arb #(.N(3), .ID_W(AXI_ID_W)) u_wr_arb (
    .clk, .rst,
    .aw_valid(wa_aw_valid), .aw_ready(wa_aw_ready), .aw_addr(wa_aw_addr), .aw_len(wa_aw_len),
    .w_valid(wa_w_valid), .w_ready(wa_w_ready), .w_data(wa_w_data), .w_strb(wa_w_strb),
    .w_last(wa_w_last), .b_valid(wa_b_valid), .b_resp(wa_b_resp),
    .m_awvalid(aw_valid), .m_awready(aw_ready), .m_awid(aw_id),
    .m_awaddr(aw_addr), .m_awlen(aw_len),
    .m_wvalid(w_valid), .m_wready(w_ready), .m_wdata(w_data),
    .m_wstrb(w_strb), .m_wlast(w_last),
    .m_bvalid(b_valid), .m_bready(b_ready), .m_bid(b_id), .m_bresp(b_resp));
  assign m_axi_awsize  = AXI_SIZE_64B;
  assign m_axi_awburst = AXI_BURST_INCR;

  tx_stats #(.NUM_VMS(NUM_VMS)) u_stats (
    .clk, .rst, .fire(c_valid && c_ready), .src_vm(c_src_vm), .verdict(c_verdict),
    .len(c_len),
    .cnt_desc, .cnt_external, .cnt_hairpin, .cnt_drop, .cnt_bytes);

  // ================= RX =================
  // The MAC cannot be held (tready is constant 1), so the port is registered with a plain
  // register, no skid buffer: the parser's header checks then start from flip-flops instead of
  // the input pins (timing), and in the Verilated model they leave the input-evaluation region,
  // which runs on both clock edges. Only the kernel reset clears it, so a beat arriving during
  // a core reset still reaches the quiesce gate and is counted there.
  assign s_axis_rx_tready = 1'b1;
  logic         rx_in_valid, rx_in_last, rx_in_user;
  logic [511:0] rx_in_data;
  logic [63:0]  rx_in_keep;
  always_ff @(posedge clk) begin
    rx_in_valid <= !hard_rst && s_axis_rx_tvalid;
    if (s_axis_rx_tvalid) begin
      rx_in_data <= s_axis_rx_tdata;
      rx_in_keep <= s_axis_rx_tkeep;
      rx_in_last <= s_axis_rx_tlast;
      rx_in_user <= s_axis_rx_tuser;
    end
  end

  logic         rxd_in_valid, rxd_in_last, rxd_valid, rxd_ready, rxd_last;
  logic [511:0] rxd_in_data, rxd_data;
  logic [$clog2(RX_BUF_BEATS):0] rxd_count;
  logic         rxi_in_valid, rxi_in_bad, rxi_valid, rxi_ready, rxi_bad;
  logic         rxi_in_arp, rxi_arp;
  logic [47:0]  rxi_in_sha, rxi_sha;
  logic [31:0]  rxi_in_spa, rxi_spa, rxi_in_tpa, rxi_tpa;
  logic [RW-1:0] rxi_in_reason, rxi_reason;
  logic [15:0]  rxi_in_len, rxi_len;
  logic [$clog2(RX_FRAMES_Q):0] rxi_count, rxk_count;
  logic         rxk_in_valid, rxk_valid, rxl_valid, rxl_hit;
  logic [31:0]  rxk_in_key, rxk_key;
  logic [7:0]   rxl_vm;
  logic         rxp_drop_valid, rx_frame_seen;
  logic [RW-1:0] rxp_drop_reason;

  // Frames that begin while quiescing or in reset are refused whole, before anything sees them.
  logic rx_admit_valid, rx_between;
  rx_quiesce_gate u_rx_gate (
    .clk, .hard_rst, .block(ctrl_quiesce || rst), .s_valid(rx_in_valid), .s_last(rx_in_last),
    .o_valid(rx_admit_valid), .between(rx_between), .drops(rx_quiesce_drops));

  rx_parse u_rx_parse (
    .clk, .rst, .mac_own(mac_src),
    .s_valid(rx_admit_valid), .s_data(rx_in_data), .s_keep(rx_in_keep),
    .s_last(rx_in_last), .s_user(rx_in_user),
    .data_space(16'(RX_BUF_BEATS) - 16'(rxd_count)),
    .info_space(32'(rxi_count) < RX_FRAMES_Q - 1 && 32'(rxk_count) < RX_FRAMES_Q - 1),
    .d_valid(rxd_in_valid), .d_data(rxd_in_data), .d_last(rxd_in_last),
    .i_valid(rxi_in_valid), .i_bad(rxi_in_bad), .i_reason(rxi_in_reason), .i_len(rxi_in_len),
    .i_arp(rxi_in_arp), .i_arp_sha(rxi_in_sha), .i_arp_spa(rxi_in_spa), .i_arp_tpa(rxi_in_tpa),
    .k_valid(rxk_in_valid), .k_key(rxk_in_key),
    .drop_valid(rxp_drop_valid), .drop_reason(rxp_drop_reason), .frame_seen(rx_frame_seen));

  // Space is reserved at admission, so these queues always accept (in_ready unused).
  /* verilator lint_off PINCONNECTEMPTY */
  sync_fifo #(.WIDTH(513), .DEPTH(RX_BUF_BEATS)) u_rx_buf (
    .clk, .rst, .in_valid(rxd_in_valid), .in_ready(), .in_data({rxd_in_last, rxd_in_data}),
    .out_valid(rxd_valid), .out_ready(rxd_ready), .out_data({rxd_last, rxd_data}),
    .count(rxd_count));
  sync_fifo #(.WIDTH(1 + RW + 16 + 1 + 48 + 32 + 32), .DEPTH(RX_FRAMES_Q)) u_rx_info (
    .clk, .rst, .in_valid(rxi_in_valid), .in_ready(),
    .in_data({rxi_in_bad, rxi_in_reason, rxi_in_len, rxi_in_arp, rxi_in_sha, rxi_in_spa, rxi_in_tpa}),
    .out_valid(rxi_valid), .out_ready(rxi_ready),
    .out_data({rxi_bad, rxi_reason, rxi_len, rxi_arp, rxi_sha, rxi_spa, rxi_tpa}),
    .count(rxi_count));
  sync_fifo #(.WIDTH(32), .DEPTH(RX_FRAMES_Q)) u_rx_keys (
    .clk, .rst, .in_valid(rxk_in_valid), .in_ready(), .in_data(rxk_in_key),
    .out_valid(rxk_valid), .out_ready(lka_ready[1]), .out_data(rxk_key), .count(rxk_count));
  // One result per stored frame: never more outstanding than frames queued + lookups in flight.
  sync_fifo #(.WIDTH(9), .DEPTH(2 * RX_FRAMES_Q)) u_rx_results (
    .clk, .rst, .in_valid(lka_res[1]), .in_ready(), .in_data({res_hit, res_vm}),
    .out_valid(rxl_valid), .out_ready(rxi_ready), .out_data({rxl_hit, rxl_vm}), .count());
  /* verilator lint_on PINCONNECTEMPTY */
  assign lka_valid[1]     = rxk_valid;
  assign lka_key[63:32]   = rxk_key;

  logic                rxq_valid;
  logic [VM_IDX_W-1:0] rxq_vm;
  logic                rxr_valid, rxr_ok;
  logic [RW-1:0]       rxr_reason;
  logic [63:0]         rxr_addr;
  logic [15:0]         rxr_cap, rxr_idx;
  logic [31:0]         rxr_cookie;
  rx_desc_cache #(.NUM_VMS(NUM_VMS)) u_rx_desc (
    .clk, .rst, .vm_win_base, .vm_win_size, .vm_rx_base, .vm_rx_size_log2, .vm_rx_prod, .vm_rx_reset, .vm_cfg_wr,
    .vm_rx_next, .req_valid(rxq_valid), .req_vm(rxq_vm),
    .rsp_valid(rxr_valid), .rsp_ok(rxr_ok), .rsp_reason(rxr_reason), .rsp_addr(rxr_addr),
    .rsp_cap(rxr_cap), .rsp_cookie(rxr_cookie), .rsp_idx(rxr_idx),
    .ar_valid(rq_valid[2]), .ar_ready(rq_ready[2]), .ar_addr(rq_addr[128 +: 64]),
    .ar_len(rq_len[16 +: 8]), .r_valid(rs_valid[2]), .r_ready(rs_ready[2]),
    .r_data(r_data), .r_resp(r_resp));

  logic         rxc_valid, rxc_ready, rx_ev_valid, rx_ev_has_vm, rx_dma_idle;
  logic         arp_valid, arp_ready;
  logic [47:0]  arp_sha;
  logic [31:0]  arp_spa, arp_tpa;
  logic [127:0] rxc_entry;
  logic [7:0]   rx_ev_vm;
  logic [1:0]   rx_ev_verdict;
  logic [RW-1:0] rx_ev_reason;
  logic [15:0]  rx_ev_len;
  rx_dma #(.NUM_VMS(NUM_VMS)) u_rx_dma (
    .clk, .rst, .vm_win_base, .vm_win_size,
    .i_valid(rxi_valid), .i_ready(rxi_ready), .i_bad(rxi_bad), .i_reason(rxi_reason),
    .i_len(rxi_len), .i_arp(rxi_arp), .i_arp_sha(rxi_sha), .i_arp_spa(rxi_spa),
    .i_arp_tpa(rxi_tpa), .l_valid(rxl_valid), .l_hit(rxl_hit), .l_vm(rxl_vm),
    .d_valid(rxd_valid), .d_ready(rxd_ready), .d_data(rxd_data), .d_last(rxd_last),
    .req_valid(rxq_valid), .req_vm(rxq_vm),
    .rsp_valid(rxr_valid), .rsp_ok(rxr_ok), .rsp_reason(rxr_reason), .rsp_addr(rxr_addr),
    .rsp_cap(rxr_cap), .rsp_cookie(rxr_cookie), .rsp_idx(rxr_idx),
    .aw_valid(wa_aw_valid[1]), .aw_ready(wa_aw_ready[1]), .aw_addr(wa_aw_addr[64 +: 64]),
    .aw_len(wa_aw_len[8 +: 8]), .w_valid(wa_w_valid[1]), .w_ready(wa_w_ready[1]),
    .w_data(wa_w_data[512 +: 512]), .w_last(wa_w_last[1]), .b_valid(wa_b_valid[1]),
    .a_valid(arp_valid), .a_ready(arp_ready), .a_sha(arp_sha), .a_spa(arp_spa), .a_tpa(arp_tpa),
    .c_valid(rxc_valid), .c_ready(rxc_ready), .c_entry(rxc_entry),
    .ev_valid(rx_ev_valid), .ev_has_vm(rx_ev_has_vm), .ev_vm(rx_ev_vm),
    .ev_verdict(rx_ev_verdict), .ev_reason(rx_ev_reason), .ev_len(rx_ev_len),
    .idle(rx_dma_idle));
  assign wa_w_strb[64 +: 64] = '1;

  logic        rx_cpl_idle;
  logic [31:0] rx_cpl_write_errors;
  cpl_ring_writer #(.PHASE_BIT(8*smartnic_regs_pkg::RX_CPL_PHASE_BYTE + 7)) u_rx_cpl (
    .clk, .rst, .cpl_base(rx_cpl_base), .cpl_size_log2(rx_cpl_size_log2),
    .cpl_reset(rx_cpl_reset), .cpl_cons(rx_cpl_cons), .cpl_coalesce, .cpl_prod(rx_cpl_prod),
    .c_valid(rxc_valid), .c_ready(rxc_ready), .c_entry(rxc_entry),
    .aw_valid(wa_aw_valid[2]), .aw_ready(wa_aw_ready[2]), .aw_addr(wa_aw_addr[128 +: 64]),
    .w_valid(wa_w_valid[2]), .w_ready(wa_w_ready[2]), .w_data(wa_w_data[1024 +: 512]),
    .w_strb(wa_w_strb[128 +: 64]), .b_valid(wa_b_valid[2]), .b_resp(wa_b_resp),
    .write_errors(rx_cpl_write_errors), .idle(rx_cpl_idle));
  assign wa_aw_len[16 +: 8] = 8'd0;
  assign wa_w_last[2]       = 1'b1;

  rx_stats #(.NUM_VMS(NUM_VMS)) u_rx_stats (
    .clk, .rst, .ev_valid(rx_ev_valid), .ev_has_vm(rx_ev_has_vm), .ev_vm(rx_ev_vm),
    .ev_verdict(rx_ev_verdict), .ev_len(rx_ev_len), .frame_seen(rx_frame_seen),
    .cnt_rx, .cnt_rx_bytes, .cnt_rx_drop, .rx_frames);
  // ---------------- ARP replies and the TX port ----------------
  logic         ar_o_valid, ar_o_ready, ar_o_last, arp_reply_sent;
  logic [511:0] ar_o_data;
  logic [63:0]  ar_o_keep;
  arp_responder u_arp (
    .clk, .rst, .mac_own(mac_src),
    .a_valid(arp_valid), .a_ready(arp_ready), .a_sha(arp_sha), .a_spa(arp_spa), .a_tpa(arp_tpa),
    .o_valid(ar_o_valid), .o_ready(ar_o_ready), .o_data(ar_o_data), .o_keep(ar_o_keep),
    .o_last(ar_o_last), .replies_inc(arp_reply_sent));
  always_ff @(posedge clk) begin
    if (rst) arp_replies <= '0;
    else if (arp_reply_sent) arp_replies <= arp_replies + 32'd1;
  end

  logic [1:0] txp_ready;
  assign {ar_o_ready, fr_ready} = txp_ready;
  logic         tx_valid, tx_ready, tx_last, tx_user, tx_slice_busy;
  logic [511:0] tx_data;
  logic [63:0]  tx_keep;
  tx_port_mux u_tx_port (
    .clk, .rst,
    .i_valid({ar_o_valid, fr_valid}), .i_ready(txp_ready), .i_data0(fr_data), .i_data1(ar_o_data),
    .i_keep({ar_o_keep, fr_keep}), .i_last({ar_o_last, fr_last}), .i_user({1'b0, fr_user}),
    .o_valid(tx_valid), .o_ready(tx_ready), .o_data(tx_data),
    .o_keep(tx_keep), .o_last(tx_last), .o_user(tx_user));
  // The TX stream's register slice (see the top of this module).
  // Data and side fields in two slices with one handshake, as on the AXI R and W channels.
  reg_slice #(.WIDTH(512)) u_tx_slice (
    .clk, .rst(hard_rst), .s_valid(tx_valid), .s_ready(tx_ready), .s_data(tx_data),
    .m_valid(m_axis_tx_tvalid), .m_ready(m_axis_tx_tready), .m_data(m_axis_tx_tdata),
    .busy(tx_slice_busy));
  /* verilator lint_off PINCONNECTEMPTY */
  reg_slice #(.WIDTH(64 + 2)) u_tx_side (
    .clk, .rst(hard_rst), .s_valid(tx_valid), .s_ready(tx_side_ready), .s_data({tx_user, tx_last, tx_keep}),
    .m_valid(tx_side_valid), .m_ready(m_axis_tx_tready), .m_data({m_axis_tx_tuser, m_axis_tx_tlast, m_axis_tx_tkeep}),
    .busy());
  /* verilator lint_on PINCONNECTEMPTY */

  drop_counters #(.EVENTS(3)) u_drops (
    .clk, .rst,
    .ev_valid({rx_ev_valid && rx_ev_verdict == smartnic_regs_pkg::VERDICT_DROP, rxp_drop_valid,
               c_valid && c_ready && c_verdict == smartnic_regs_pkg::VERDICT_DROP}),
    .ev_reason({rx_ev_reason, rxp_drop_reason, c_reason}),
    .drop_cnt);

  // Read only while quiescing (nic_reset_ctrl) and by a register read (STATUS): evaluated only
  // then, 0 otherwise, so the simulator skips the engines' idle checks on the other clocks.
  always_comb begin
    status_idle = 1'b0;
    if (ctrl_quiesce || l_arvalid)
      status_idle = desc_idle && data_idle && verdict_idle && !fr_valid && !ar_o_valid && cpl_idle &&
                    rx_dma_idle && rx_cpl_idle && rxd_count == '0 && !tx_slice_busy;
  end

  // ---------------- quiesce and soft reset ----------------
  nic_reset_ctrl u_reset_ctrl (
    .clk, .hard_rst, .quiesce(ctrl_quiesce), .reset_req,
    .engines_idle(status_idle && rxi_count == '0 && rxk_count == '0),
    .rx_between, .lite_busy(s_axi_control_bvalid || s_axi_control_rvalid),
    // Counted on the core's side of the slices: a burst is outstanding from the moment the core
    // hands its address to the slice until its last R beat or its B leaves the slice.
    .ar_fire(ar_valid && ar_ready), .r_last_fire(r_valid && r_ready && r_last),
    .aw_fire(aw_valid && aw_ready), .b_fire(b_valid && b_ready),
    .quiesced, .core_rst(soft_rst), .bus_hold);

`ifndef SMARTNIC_NO_ASSERTIONS  // the fast model leaves the checks out (docs/verification.md)
  // ---------------- assertions (Verilator --assert): ring indices within bounds ----------------
  // The NIC's indices into the host's rings never pass what the host has given it: a TX or
  // ingress ring's fetch index advances by at most the descriptors posted (producer - fetch,
  // 16-bit wrap), and a completion ring's producer stays within one ring of the host's consumer
  // (it never overwrites an entry the host has not reaped). Checked against the runtime in every
  // Verilated test; a ring restart (SIZE_LOG2 written) or a reset starts them over.
  logic [NUM_VMS*16-1:0] fv_tx_fetch_q, fv_tx_prod_q, fv_rx_next_q, fv_rx_prod_q;
  logic [NUM_VMS-1:0]    fv_tx_restart_q, fv_rx_restart_q;
  logic                  fv_cpl_restart_q, fv_rx_cpl_restart_q, fv_live_q;
  localparam int FV_CFG_W = 4 * 64 + 2 * 5 + 2 * 16 + 1;
  function automatic logic [FV_CFG_W-1:0] fv_vm_cfg(input int v);
    fv_vm_cfg = {vm_win_base[64*v +: 64], vm_win_size[64*v +: 64], vm_tx_base[64*v +: 64],
                 vm_rx_base[64*v +: 64], vm_tx_size_log2[5*v +: 5], vm_rx_size_log2[5*v +: 5],
                 vm_tx_prod[16*v +: 16], vm_rx_prod[16*v +: 16], vm_enable[v]};
  endfunction
  logic [NUM_VMS*FV_CFG_W-1:0] fv_vm_cfg_q;
  always_ff @(posedge clk) begin
    for (int v = 0; v < NUM_VMS; v++) fv_vm_cfg_q[FV_CFG_W*v +: FV_CFG_W] <= fv_vm_cfg(v);
  end
  always_ff @(posedge clk) begin
    fv_tx_fetch_q <= vm_tx_fetch;
    fv_tx_prod_q  <= vm_tx_prod;
    fv_rx_next_q  <= vm_rx_next;
    fv_rx_prod_q  <= vm_rx_prod;
    fv_tx_restart_q     <= vm_tx_reset;
    fv_rx_restart_q     <= vm_rx_reset;
    fv_cpl_restart_q    <= cpl_reset;
    fv_rx_cpl_restart_q <= rx_cpl_reset;
    fv_live_q <= !rst;
    if (fv_live_q && !rst) begin
      for (int v = 0; v < NUM_VMS; v++) begin
        if (!fv_tx_restart_q[v] && !vm_tx_reset[v])
          assert (16'(vm_tx_fetch[16*v +: 16] - fv_tx_fetch_q[16*v +: 16]) <=
                  16'(fv_tx_prod_q[16*v +: 16] - fv_tx_fetch_q[16*v +: 16]));
        if (!fv_rx_restart_q[v] && !vm_rx_reset[v])
          assert (16'(vm_rx_next[16*v +: 16] - fv_rx_next_q[16*v +: 16]) <=
                  16'(fv_rx_prod_q[16*v +: 16] - fv_rx_next_q[16*v +: 16]));
      end
      // The register block's contract with the engines that re-evaluate a VM's ring checks
      // only on vm_cfg_wr: no VM register changes without it.
      for (int v = 0; v < NUM_VMS; v++) begin
        if (fv_vm_cfg_q[FV_CFG_W*v +: FV_CFG_W] != fv_vm_cfg(v)) assert (vm_cfg_wr[v]);
      end
      if (!fv_cpl_restart_q && !cpl_reset)
        assert (17'(16'(cpl_prod - cpl_cons)) <= 17'd1 << cpl_size_log2);
      if (!fv_rx_cpl_restart_q && !rx_cpl_reset)
        assert (17'(16'(rx_cpl_prod - rx_cpl_cons)) <= 17'd1 << rx_cpl_size_log2);
    end
  end

  // The split register slices move in lockstep: each side-field slice holds the same control
  // state as its data slice (ready and valid are that state), so its fields travel with the data.
  // Checked from the first kernel reset on (before it the slices' state is arbitrary).
  logic fv_slices_live_q;
  always_ff @(posedge clk) if (hard_rst) fv_slices_live_q <= 1'b1;
  always_ff @(posedge clk) begin
    if (fv_slices_live_q && !hard_rst) begin
      assert (r_side_ready == m_axi_rready && r_side_valid == r_valid);
      assert (w_side_ready == w_ready && w_side_valid == m_axi_wvalid);
      assert (tx_side_ready == tx_ready && tx_side_valid == m_axis_tx_tvalid);
    end
  end
`else
  /* verilator lint_off UNUSEDSIGNAL */
  logic unused_side;   // the side slices' handshake only feeds the lockstep checks
  assign unused_side = ^{r_side_ready, r_side_valid, w_side_ready, w_side_valid, tx_side_ready,
                         tx_side_valid};
  /* verilator lint_on UNUSEDSIGNAL */
`endif  // SMARTNIC_NO_ASSERTIONS
  /* verilator lint_off UNUSEDSIGNAL */
  logic unused;   // write errors are counted for a later status register
  assign unused = ^{cpl_write_errors, rx_cpl_write_errors, rs_last[2], rs_last[0]};
  /* verilator lint_on UNUSEDSIGNAL */
endmodule
