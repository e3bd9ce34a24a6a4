// Control and status registers on an AXI4-Lite slave (the Vitis s_axi_control port).
//
// Offsets, reset values and field meanings come from smartnic_regs_pkg, generated from
// regmap/regmap.json, the same source as the host's C++ header. Unmapped offsets and
// writes to read-only registers answer SLVERR so that a host bug shows up as a bus error
// instead of a silently ignored access.
module axil_regs #(
  parameter int NUM_VMS       = smartnic_regs_pkg::NUM_VMS,
  parameter int TABLE_ENTRIES = smartnic_regs_pkg::TABLE_ENTRIES,
  // TABLE_GEOMETRY register value: [7:0] ways, [15:8] log2 buckets, [23:16] slots, [31:24] stash
  parameter logic [31:0] TABLE_GEOMETRY = 32'h0,
  parameter logic [31:0] TABLE_HASH_SEED = 32'h0,
  parameter int NUM_DROPS     = smartnic_regs_pkg::NUM_DROP_REASONS,
  localparam int SLOT_W       = $clog2(TABLE_ENTRIES),
  localparam int VM_W         = 8
) (
  input  logic        clk,
  input  logic        rst,
  // AXI4-Lite slave
  input  logic        s_awvalid,
  output logic        s_awready,
  input  logic [15:0] s_awaddr,
  input  logic        s_wvalid,
  output logic        s_wready,
  input  logic [31:0] s_wdata,
  input  logic [3:0]  s_wstrb,
  output logic        s_bvalid,
  input  logic        s_bready,
  output logic [1:0]  s_bresp,
  input  logic        s_arvalid,
  output logic        s_arready,
  input  logic [15:0] s_araddr,
  output logic        s_rvalid,
  input  logic        s_rready,
  output logic [31:0] s_rdata,
  output logic [1:0]  s_rresp,
  // Global configuration
  output logic        ctrl_enable,
  output logic [47:0] mac_src,
  output logic [47:0] mac_dst,
  output logic [63:0] cpl_base,
  output logic [4:0]  cpl_size_log2,
  output logic        cpl_reset,          // pulse: CPL_SIZE_LOG2 written
  output logic [15:0] cpl_cons,
  output logic [15:0] cpl_coalesce,
  input  logic [15:0] cpl_prod,
  output logic [63:0] rx_cpl_base,
  output logic [4:0]  rx_cpl_size_log2,
  output logic        rx_cpl_reset,       // pulse: RX_CPL_SIZE_LOG2 written
  output logic [15:0] rx_cpl_cons,
  input  logic [15:0] rx_cpl_prod,
  input  logic [31:0] rx_frames,
  input  logic [31:0] arp_replies,
  input  logic        status_idle,
  // Per-VM configuration and state
  output logic [NUM_VMS*64-1:0] vm_tx_base,
  output logic [NUM_VMS*5-1:0]  vm_tx_size_log2,
  output logic [NUM_VMS-1:0]       vm_tx_reset,    // pulse: VM_TX_SIZE_LOG2 written
  output logic [NUM_VMS*16-1:0] vm_tx_prod,
  output logic [NUM_VMS-1:0]       vm_enable,
  output logic [NUM_VMS*64-1:0] vm_win_base,
  output logic [NUM_VMS*64-1:0] vm_win_size,
  input  logic [NUM_VMS*16-1:0] vm_tx_fetch,
  output logic [NUM_VMS*64-1:0] vm_rx_base,
  output logic [NUM_VMS*5-1:0]  vm_rx_size_log2,
  output logic [NUM_VMS-1:0]       vm_rx_reset,    // pulse: VM_RX_SIZE_LOG2 written
  output logic [NUM_VMS*16-1:0] vm_rx_prod,
  input  logic [NUM_VMS*16-1:0] vm_rx_next,
  input  logic [NUM_VMS*32-1:0] vm_cnt_rx,
  input  logic [NUM_VMS*32-1:0] vm_cnt_rx_bytes,
  input  logic [NUM_VMS*32-1:0] vm_cnt_rx_drop,
  input  logic [NUM_VMS*32-1:0] vm_cnt_desc,
  input  logic [NUM_VMS*32-1:0] vm_cnt_external,
  input  logic [NUM_VMS*32-1:0] vm_cnt_hairpin,
  input  logic [NUM_VMS*32-1:0] vm_cnt_drop,
  input  logic [NUM_VMS*32-1:0] vm_cnt_bytes,
  input  logic [NUM_DROPS*32-1:0] drop_cnt,
  // VM-IP table access (vm_ip_hash_table)
  output logic              tbl_wr_en,
  output logic [SLOT_W-1:0] tbl_slot,
  output logic [31:0]       tbl_key,
  output logic [VM_W-1:0]   tbl_vm,
  output logic              tbl_entry_valid,
  output logic              tbl_rd_req,         // pulse: read slot tbl_slot (TBL_CMD=2)
  input  logic              tbl_rd_valid,       // pulse, 2-3 cycles later: tbl_rd_* hold the entry
  input  logic [31:0]       tbl_rd_key,
  input  logic [VM_W-1:0]   tbl_rd_vm,
  input  logic              tbl_rd_entry_valid,
  output logic              tbl_clear,          // pulse: clear every slot (TBL_CMD=3)
  input  logic              tbl_init_busy       // the table is being cleared: commands refused
);
  localparam logic [1:0] RESP_OKAY   = 2'b00;
  localparam logic [1:0] RESP_SLVERR = 2'b10;
  localparam int VM_IDX_W   = NUM_VMS > 1 ? $clog2(NUM_VMS) : 1;
  localparam int DROP_IDX_W = $clog2(NUM_DROPS);

  // ---- registers ----
  logic [31:0] scratch;
  logic [31:0] tbl_key_q, tbl_value_q;
  logic [SLOT_W-1:0] tbl_slot_q;
  // TBL_CMD=2 in progress: from the accepted write until the table's rd_valid (2-3 cycles).
  // While it is set, no new register read or write is accepted, so every access the host makes
  // after the TBL_CMD=2 write (in particular the reads of TBL_KEY/TBL_VALUE) sees the entry.
  logic        tbl_rd_pend;
  // STATUS.TABLE_INIT: clearing, or a clear requested at the last edge (the table raises
  // init_busy one cycle after tbl_clear).
  logic        tbl_busy;

  assign tbl_slot        = tbl_slot_q;
  assign tbl_busy        = tbl_init_busy || tbl_clear;
  assign tbl_key         = tbl_key_q;
  assign tbl_vm          = tbl_value_q[VM_W-1:0];
  assign tbl_entry_valid = tbl_value_q[31];

  // ---- write channel: take address and data together ----
  logic   wr_fire;
  logic   wd_is_vm;
  logic [VM_IDX_W-1:0] wd_vm;
  logic [7:0] wd_vm_off;
  /* verilator lint_off PINCONNECTEMPTY */  // drop counters are read-only: writes ignore them
  axil_addr_decode #(.NUM_VMS(NUM_VMS), .NUM_DROPS(NUM_DROPS)) u_wdec (
    .addr(s_awaddr), .is_vm(wd_is_vm), .vm(wd_vm), .vm_off(wd_vm_off), .is_drop(), .drop());
  /* verilator lint_on PINCONNECTEMPTY */
  assign wr_fire   = s_awvalid && s_wvalid && !s_bvalid && !tbl_rd_pend;
  assign s_awready = wr_fire;
  assign s_wready  = wr_fire;

  // Only full-word writes are meaningful for these registers; partial strobes are refused.
  always_ff @(posedge clk) begin
    logic ok;
    cpl_reset    <= 1'b0;
    rx_cpl_reset <= 1'b0;
    vm_tx_reset  <= '0;
    vm_rx_reset  <= '0;
    tbl_wr_en   <= 1'b0;
    tbl_rd_req  <= 1'b0;
    tbl_clear   <= 1'b0;
    if (rst) begin
      tbl_rd_pend   <= 1'b0;
      s_bvalid      <= 1'b0;
      s_bresp       <= RESP_OKAY;
      ctrl_enable   <= 1'b0;
      scratch       <= '0;
      mac_src       <= '0;
      mac_dst       <= '0;
      cpl_base      <= '0;
      cpl_size_log2 <= 5'd2;
      cpl_cons      <= '0;
      cpl_coalesce  <= 16'd64;
      rx_cpl_base   <= '0;
      rx_cpl_size_log2 <= 5'd2;
      rx_cpl_cons   <= '0;
      vm_rx_base    <= '0;
      vm_rx_size_log2 <= {NUM_VMS{5'd2}};
      vm_rx_prod    <= '0;
      vm_tx_base    <= '0;
      vm_tx_size_log2 <= {NUM_VMS{5'd2}};
      vm_tx_prod    <= '0;
      vm_enable     <= '0;
      vm_win_base   <= '0;
      vm_win_size   <= '0;
      tbl_slot_q    <= '0;
      tbl_key_q     <= '0;
      tbl_value_q   <= '0;
    end else begin
      if (s_bvalid && s_bready) s_bvalid <= 1'b0;
      // Read-back result (TBL_CMD=2). No write can be accepted while tbl_rd_pend, so nothing
      // else updates TBL_KEY/TBL_VALUE at this edge.
      if (tbl_rd_valid) begin
        tbl_rd_pend <= 1'b0;
        tbl_key_q   <= tbl_rd_key;
        tbl_value_q <= {tbl_rd_entry_valid, 23'd0, tbl_rd_vm};
      end
      if (wr_fire) begin
        ok = s_wstrb == 4'hF;
        if (ok && wd_is_vm) begin
          case (wd_vm_off)
            smartnic_regs_pkg::REG_VM_TX_BASE_LO: vm_tx_base[64*wd_vm +: 32]  <= s_wdata;
            smartnic_regs_pkg::REG_VM_TX_BASE_HI: vm_tx_base[64*wd_vm+32 +: 32] <= s_wdata;
            smartnic_regs_pkg::REG_VM_TX_SIZE_LOG2: begin
              ok = s_wdata >= 32'd2 && s_wdata <= 32'd15;
              if (ok) begin
                vm_tx_size_log2[5*wd_vm +: 5] <= s_wdata[4:0];
                vm_tx_prod[16*wd_vm +: 16]      <= '0;
                vm_tx_reset[wd_vm]     <= 1'b1;
              end
            end
            smartnic_regs_pkg::REG_VM_TX_PROD:    vm_tx_prod[16*wd_vm +: 16] <= s_wdata[15:0];
            smartnic_regs_pkg::REG_VM_RX_BASE_LO: vm_rx_base[64*wd_vm +: 32]  <= s_wdata;
            smartnic_regs_pkg::REG_VM_RX_BASE_HI: vm_rx_base[64*wd_vm+32 +: 32] <= s_wdata;
            smartnic_regs_pkg::REG_VM_RX_SIZE_LOG2: begin
              ok = s_wdata >= 32'd2 && s_wdata <= 32'd15;
              if (ok) begin
                vm_rx_size_log2[5*wd_vm +: 5] <= s_wdata[4:0];
                vm_rx_prod[16*wd_vm +: 16]    <= '0;
                vm_rx_reset[wd_vm]            <= 1'b1;
              end
            end
            smartnic_regs_pkg::REG_VM_RX_PROD:    vm_rx_prod[16*wd_vm +: 16] <= s_wdata[15:0];
            smartnic_regs_pkg::REG_VM_CTRL:       vm_enable[wd_vm]  <= s_wdata[0];
            smartnic_regs_pkg::REG_VM_WIN_BASE_LO: vm_win_base[64*wd_vm +: 32]  <= s_wdata;
            smartnic_regs_pkg::REG_VM_WIN_BASE_HI: vm_win_base[64*wd_vm+32 +: 32] <= s_wdata;
            smartnic_regs_pkg::REG_VM_WIN_SIZE_LO: vm_win_size[64*wd_vm +: 32]  <= s_wdata;
            smartnic_regs_pkg::REG_VM_WIN_SIZE_HI: vm_win_size[64*wd_vm+32 +: 32] <= s_wdata;
            default: ok = 1'b0;
          endcase
        end else if (ok) begin
          case (s_awaddr)
            smartnic_regs_pkg::REG_CTRL:        ctrl_enable <= s_wdata[0];
            smartnic_regs_pkg::REG_SCRATCH:     scratch <= s_wdata;
            smartnic_regs_pkg::REG_MAC_SRC_LO:  mac_src[31:0]  <= s_wdata;
            smartnic_regs_pkg::REG_MAC_SRC_HI:  mac_src[47:32] <= s_wdata[15:0];
            smartnic_regs_pkg::REG_MAC_DST_LO:  mac_dst[31:0]  <= s_wdata;
            smartnic_regs_pkg::REG_MAC_DST_HI:  mac_dst[47:32] <= s_wdata[15:0];
            smartnic_regs_pkg::REG_CPL_BASE_LO: cpl_base[31:0]  <= s_wdata;
            smartnic_regs_pkg::REG_CPL_BASE_HI: cpl_base[63:32] <= s_wdata;
            smartnic_regs_pkg::REG_CPL_SIZE_LOG2: begin
              ok = s_wdata >= 32'd2 && s_wdata <= 32'd15;
              if (ok) begin
                cpl_size_log2 <= s_wdata[4:0];
                cpl_cons      <= '0;
                cpl_reset     <= 1'b1;
              end
            end
            smartnic_regs_pkg::REG_CPL_CONS:     cpl_cons <= s_wdata[15:0];
            smartnic_regs_pkg::REG_RX_CPL_BASE_LO: rx_cpl_base[31:0]  <= s_wdata;
            smartnic_regs_pkg::REG_RX_CPL_BASE_HI: rx_cpl_base[63:32] <= s_wdata;
            smartnic_regs_pkg::REG_RX_CPL_SIZE_LOG2: begin
              ok = s_wdata >= 32'd2 && s_wdata <= 32'd15;
              if (ok) begin
                rx_cpl_size_log2 <= s_wdata[4:0];
                rx_cpl_cons      <= '0;
                rx_cpl_reset     <= 1'b1;
              end
            end
            smartnic_regs_pkg::REG_RX_CPL_CONS:  rx_cpl_cons <= s_wdata[15:0];
            smartnic_regs_pkg::REG_CPL_COALESCE: cpl_coalesce <= s_wdata[15:0];
            smartnic_regs_pkg::REG_TBL_SLOT: begin
              ok = s_wdata < 32'(TABLE_ENTRIES);
              if (ok) tbl_slot_q <= s_wdata[SLOT_W-1:0];
            end
            smartnic_regs_pkg::REG_TBL_KEY:   tbl_key_q   <= s_wdata;
            smartnic_regs_pkg::REG_TBL_VALUE: begin
              ok = s_wdata[30:VM_W] == '0 && s_wdata[VM_W-1:0] < VM_W'(NUM_VMS);
              if (ok) tbl_value_q <= s_wdata;
            end
            // Refused (SLVERR, not stalled) while the table is being cleared: the clear takes
            // TABLE_BUCKETS cycles, far longer than a bus master waits for a response.
            smartnic_regs_pkg::REG_TBL_CMD: begin
              if (tbl_busy) begin
                ok = 1'b0;
              end else if (s_wdata == 32'd1) begin
                tbl_wr_en <= 1'b1;
              end else if (s_wdata == 32'd2) begin
                tbl_rd_req  <= 1'b1;
                tbl_rd_pend <= 1'b1;
              end else if (s_wdata == 32'd3) begin
                tbl_clear <= 1'b1;
              end else begin
                ok = 1'b0;
              end
            end
            default: ok = 1'b0;
          endcase
        end
        s_bvalid <= 1'b1;
        s_bresp  <= ok ? RESP_OKAY : RESP_SLVERR;
      end
    end
  end

  // ---- read channel ----
  logic                  rd_is_vm, rd_is_drop;
  logic [VM_IDX_W-1:0]   rd_vm;
  logic [7:0]            rd_vm_off;
  logic [DROP_IDX_W-1:0] rd_drop;
  axil_addr_decode #(.NUM_VMS(NUM_VMS), .NUM_DROPS(NUM_DROPS)) u_rdec (
    .addr(s_araddr), .is_vm(rd_is_vm), .vm(rd_vm), .vm_off(rd_vm_off), .is_drop(rd_is_drop),
    .drop(rd_drop));
  assign s_arready = !s_rvalid && !tbl_rd_pend;

  always_ff @(posedge clk) begin
    logic [31:0] data;
    logic        ok;
    if (rst) begin
      s_rvalid <= 1'b0;
      s_rdata  <= '0;
      s_rresp  <= RESP_OKAY;
    end else begin
      if (s_rvalid && s_rready) s_rvalid <= 1'b0;
      if (s_arvalid && s_arready) begin
        ok   = 1'b1;
        data = '0;
        if (rd_is_vm) begin
          case (rd_vm_off)
            smartnic_regs_pkg::REG_VM_TX_BASE_LO:   data = vm_tx_base[64*rd_vm +: 32];
            smartnic_regs_pkg::REG_VM_TX_BASE_HI:   data = vm_tx_base[64*rd_vm+32 +: 32];
            smartnic_regs_pkg::REG_VM_TX_SIZE_LOG2: data = 32'(vm_tx_size_log2[5*rd_vm +: 5]);
            smartnic_regs_pkg::REG_VM_TX_PROD:      data = 32'(vm_tx_prod[16*rd_vm +: 16]);
            smartnic_regs_pkg::REG_VM_TX_FETCH:     data = 32'(vm_tx_fetch[16*rd_vm +: 16]);
            smartnic_regs_pkg::REG_VM_CTRL:         data = 32'(vm_enable[rd_vm]);
            smartnic_regs_pkg::REG_VM_WIN_BASE_LO:  data = vm_win_base[64*rd_vm +: 32];
            smartnic_regs_pkg::REG_VM_WIN_BASE_HI:  data = vm_win_base[64*rd_vm+32 +: 32];
            smartnic_regs_pkg::REG_VM_WIN_SIZE_LO:  data = vm_win_size[64*rd_vm +: 32];
            smartnic_regs_pkg::REG_VM_WIN_SIZE_HI:  data = vm_win_size[64*rd_vm+32 +: 32];
            smartnic_regs_pkg::REG_VM_CNT_DESC:     data = vm_cnt_desc[32*rd_vm +: 32];
            smartnic_regs_pkg::REG_VM_CNT_EXTERNAL: data = vm_cnt_external[32*rd_vm +: 32];
            smartnic_regs_pkg::REG_VM_CNT_HAIRPIN:  data = vm_cnt_hairpin[32*rd_vm +: 32];
            smartnic_regs_pkg::REG_VM_CNT_DROP:     data = vm_cnt_drop[32*rd_vm +: 32];
            smartnic_regs_pkg::REG_VM_CNT_BYTES:    data = vm_cnt_bytes[32*rd_vm +: 32];
            smartnic_regs_pkg::REG_VM_RX_BASE_LO:   data = vm_rx_base[64*rd_vm +: 32];
            smartnic_regs_pkg::REG_VM_RX_BASE_HI:   data = vm_rx_base[64*rd_vm+32 +: 32];
            smartnic_regs_pkg::REG_VM_RX_SIZE_LOG2: data = 32'(vm_rx_size_log2[5*rd_vm +: 5]);
            smartnic_regs_pkg::REG_VM_RX_PROD:      data = 32'(vm_rx_prod[16*rd_vm +: 16]);
            smartnic_regs_pkg::REG_VM_RX_FETCH:     data = 32'(vm_rx_next[16*rd_vm +: 16]);
            smartnic_regs_pkg::REG_VM_CNT_RX:       data = vm_cnt_rx[32*rd_vm +: 32];
            smartnic_regs_pkg::REG_VM_CNT_RX_BYTES: data = vm_cnt_rx_bytes[32*rd_vm +: 32];
            smartnic_regs_pkg::REG_VM_CNT_RX_DROP:  data = vm_cnt_rx_drop[32*rd_vm +: 32];
            default: ok = 1'b0;
          endcase
        end else if (rd_is_drop) begin
          data = drop_cnt[32*rd_drop +: 32];
        end else begin
          case (s_araddr)
            smartnic_regs_pkg::REG_ID:            data = smartnic_regs_pkg::SNIC_ID;
            smartnic_regs_pkg::REG_VERSION:       data = smartnic_regs_pkg::SNIC_VERSION;
            smartnic_regs_pkg::REG_NUM_VMS:       data = 32'(NUM_VMS);
            smartnic_regs_pkg::REG_TABLE_ENTRIES: data = 32'(TABLE_ENTRIES);
            smartnic_regs_pkg::REG_CTRL:          data = 32'(ctrl_enable);
            smartnic_regs_pkg::REG_STATUS:        data = {30'd0, tbl_busy, status_idle};
            smartnic_regs_pkg::REG_SCRATCH:       data = scratch;
            smartnic_regs_pkg::REG_MAC_SRC_LO:    data = mac_src[31:0];
            smartnic_regs_pkg::REG_MAC_SRC_HI:    data = 32'(mac_src[47:32]);
            smartnic_regs_pkg::REG_MAC_DST_LO:    data = mac_dst[31:0];
            smartnic_regs_pkg::REG_MAC_DST_HI:    data = 32'(mac_dst[47:32]);
            smartnic_regs_pkg::REG_CPL_BASE_LO:   data = cpl_base[31:0];
            smartnic_regs_pkg::REG_CPL_BASE_HI:   data = cpl_base[63:32];
            smartnic_regs_pkg::REG_CPL_SIZE_LOG2: data = 32'(cpl_size_log2);
            smartnic_regs_pkg::REG_CPL_CONS:      data = 32'(cpl_cons);
            smartnic_regs_pkg::REG_CPL_PROD:      data = 32'(cpl_prod);
            smartnic_regs_pkg::REG_CPL_COALESCE:  data = 32'(cpl_coalesce);
            smartnic_regs_pkg::REG_RX_CPL_BASE_LO:   data = rx_cpl_base[31:0];
            smartnic_regs_pkg::REG_RX_CPL_BASE_HI:   data = rx_cpl_base[63:32];
            smartnic_regs_pkg::REG_RX_CPL_SIZE_LOG2: data = 32'(rx_cpl_size_log2);
            smartnic_regs_pkg::REG_RX_CPL_CONS:      data = 32'(rx_cpl_cons);
            smartnic_regs_pkg::REG_RX_CPL_PROD:      data = 32'(rx_cpl_prod);
            smartnic_regs_pkg::REG_RX_FRAMES:        data = rx_frames;
            smartnic_regs_pkg::REG_ARP_REPLIES:      data = arp_replies;
            smartnic_regs_pkg::REG_TBL_SLOT:      data = 32'(tbl_slot_q);
            smartnic_regs_pkg::REG_TBL_KEY:       data = tbl_key_q;
            smartnic_regs_pkg::REG_TBL_VALUE:     data = tbl_value_q;
            smartnic_regs_pkg::REG_TABLE_GEOMETRY: data = TABLE_GEOMETRY;
            smartnic_regs_pkg::REG_TABLE_HASH_SEED: data = TABLE_HASH_SEED;
            default: ok = 1'b0;
          endcase
        end
        s_rvalid <= 1'b1;
        s_rdata  <= data;
        s_rresp  <= ok ? RESP_OKAY : RESP_SLVERR;
      end
    end
  end
endmodule
