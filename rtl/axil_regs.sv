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
  output logic        ctrl_quiesce,       // CTRL.QUIESCE
  output logic        reset_req,          // pulse: CTRL.RESET accepted (only while quiesced)
  input  logic        quiesced,           // STATUS.QUIESCED (nic_reset_ctrl)
  input  logic        bus_hold,           // take no new access (a reset is coming or running)
  input  logic [31:0] rx_quiesce_drops,
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
  // Pulse in the cycle after any of VM v's registers changed (a write, or reset: every VM):
  // the engines re-evaluate what depends on a VM's registers only then.
  output logic [NUM_VMS-1:0]       vm_cfg_wr,
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
  // Ring sizes (per-VM rings and completion rings) are written as log2 of the entry count; the
  // register map allows 2..15 (free-running 16-bit indices need at least one spare bit), reset 2.
  localparam logic [31:0] RING_LOG2_MIN = 32'd2;
  localparam logic [31:0] RING_LOG2_MAX = 32'd15;
  localparam int          RING_LOG2_W   = 5;
  localparam int          RING_IDX_W    = 16;
  localparam logic [RING_LOG2_W-1:0] RING_LOG2_RESET = RING_LOG2_W'(RING_LOG2_MIN);
  localparam logic [15:0] CPL_COALESCE_RESET = 16'd64;

  // ---- per-VM register layout ----
  // Each VM has two rings with the same registers: ring 0 is the TX descriptor ring, ring 1 the
  // RX (ingress) ring. Ring r of VM v is element r * NUM_VMS + v of the ring_* vectors below, so
  // the TX half and the RX half of each vector are exactly the vm_tx_* and vm_rx_* ports.
  localparam int NUM_RINGS = 2;
  localparam int RING_REGS = 5;  // registers per ring, in this order:
  localparam int R_BASE_LO = 0, R_BASE_HI = 1, R_SIZE_LOG2 = 2, R_PROD = 3, R_FETCH = 4;
  localparam logic [NUM_RINGS*RING_REGS*8-1:0] RING_OFF = {
    smartnic_regs_pkg::REG_VM_RX_FETCH,     smartnic_regs_pkg::REG_VM_RX_PROD,
    smartnic_regs_pkg::REG_VM_RX_SIZE_LOG2, smartnic_regs_pkg::REG_VM_RX_BASE_HI,
    smartnic_regs_pkg::REG_VM_RX_BASE_LO,
    smartnic_regs_pkg::REG_VM_TX_FETCH,     smartnic_regs_pkg::REG_VM_TX_PROD,
    smartnic_regs_pkg::REG_VM_TX_SIZE_LOG2, smartnic_regs_pkg::REG_VM_TX_BASE_HI,
    smartnic_regs_pkg::REG_VM_TX_BASE_LO};
  // The other readable per-VM registers, in the order of the read words below.
  localparam int OTHER_REGS = 13;
  localparam logic [OTHER_REGS*8-1:0] OTHER_OFF = {
    smartnic_regs_pkg::REG_VM_CNT_RX_DROP,  smartnic_regs_pkg::REG_VM_CNT_RX_BYTES,
    smartnic_regs_pkg::REG_VM_CNT_RX,       smartnic_regs_pkg::REG_VM_CNT_BYTES,
    smartnic_regs_pkg::REG_VM_CNT_DROP,     smartnic_regs_pkg::REG_VM_CNT_HAIRPIN,
    smartnic_regs_pkg::REG_VM_CNT_EXTERNAL, smartnic_regs_pkg::REG_VM_CNT_DESC,
    smartnic_regs_pkg::REG_VM_WIN_SIZE_HI,  smartnic_regs_pkg::REG_VM_WIN_SIZE_LO,
    smartnic_regs_pkg::REG_VM_WIN_BASE_HI,  smartnic_regs_pkg::REG_VM_WIN_BASE_LO,
    smartnic_regs_pkg::REG_VM_CTRL};
  // Every readable per-VM register: the ring registers first, then the others.
  localparam int VM_REGS = NUM_RINGS * RING_REGS + OTHER_REGS;
  localparam logic [VM_REGS*8-1:0] VM_OFF = {OTHER_OFF, RING_OFF};

  logic [NUM_RINGS*NUM_VMS-1:0]             ring_reset;
  assign {vm_rx_reset, vm_tx_reset}         = ring_reset;

  // ---- global registers ----
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
  assign wr_fire   = s_awvalid && s_wvalid && !s_bvalid && !tbl_rd_pend && !bus_hold;
  assign s_awready = wr_fire;
  assign s_wready  = wr_fire;

  // Only full-word writes are meaningful for these registers; partial strobes are refused.
  logic wr_full;
  logic size_ok;  // the write data is a legal ring size (any *SIZE_LOG2 register)
  assign wr_full = s_wstrb == 4'hF;
  assign size_ok = s_wdata >= RING_LOG2_MIN && s_wdata <= RING_LOG2_MAX;

  // Per-VM write decode, once for all VMs: which register the offset names, and whether the write
  // is accepted (a writable register, and for SIZE_LOG2 a legal size). Then only the addressed
  // VM's registers are enabled (vm_we, one-hot), each with constant bit positions.
  logic [NUM_RINGS-1:0] wv_base_lo, wv_base_hi, wv_size_log2, wv_prod;
  logic wv_ctrl, wv_win_base_lo, wv_win_base_hi, wv_win_size_lo, wv_win_size_hi;
  logic wv_ok;
  logic [NUM_VMS-1:0] vm_we;
  always_comb begin
    wv_base_lo = '0;  wv_base_hi = '0;  wv_size_log2 = '0;  wv_prod = '0;
    wv_ctrl = 1'b0;   wv_win_base_lo = 1'b0;  wv_win_base_hi = 1'b0;
    wv_win_size_lo = 1'b0;  wv_win_size_hi = 1'b0;  wv_ok = 1'b0;
    vm_we = '0;
    // Decoded only with a write (everything below is used only under vm_we, which needs one):
    // the simulator skips it on the other clocks.
    if (wr_fire) begin
      for (int r = 0; r < NUM_RINGS; r++) begin
        wv_base_lo[r]   = wd_vm_off == RING_OFF[8*(r*RING_REGS+R_BASE_LO) +: 8];
        wv_base_hi[r]   = wd_vm_off == RING_OFF[8*(r*RING_REGS+R_BASE_HI) +: 8];
        wv_size_log2[r] = wd_vm_off == RING_OFF[8*(r*RING_REGS+R_SIZE_LOG2) +: 8];
        wv_prod[r]      = wd_vm_off == RING_OFF[8*(r*RING_REGS+R_PROD) +: 8];
      end
      wv_ctrl        = wd_vm_off == smartnic_regs_pkg::REG_VM_CTRL;
      wv_win_base_lo = wd_vm_off == smartnic_regs_pkg::REG_VM_WIN_BASE_LO;
      wv_win_base_hi = wd_vm_off == smartnic_regs_pkg::REG_VM_WIN_BASE_HI;
      wv_win_size_lo = wd_vm_off == smartnic_regs_pkg::REG_VM_WIN_SIZE_LO;
      wv_win_size_hi = wd_vm_off == smartnic_regs_pkg::REG_VM_WIN_SIZE_HI;
      wv_ok = |wv_base_lo || |wv_base_hi || |wv_prod || (|wv_size_log2 && size_ok) || wv_ctrl ||
              wv_win_base_lo || wv_win_base_hi || wv_win_size_lo || wv_win_size_hi;
      for (int v = 0; v < NUM_VMS; v++)
        vm_we[v] = wr_full && wd_is_vm && wv_ok && wd_vm == VM_IDX_W'(v);
    end
  end

  // Every per-VM register below changes only under rst or its VM's vm_we.
  always_ff @(posedge clk) vm_cfg_wr <= rst ? '1 : vm_we;

  // Ring restarts: a pulse when a ring's SIZE_LOG2 is written (vm_we is only set for a legal
  // size, see wv_ok). One vector register, cleared every clock and set only with a write.
  always_ff @(posedge clk) begin
    ring_reset <= '0;
    if (!rst && wr_fire) begin
      for (int r = 0; r < NUM_RINGS; r++)
        for (int v = 0; v < NUM_VMS; v++)
          if (vm_we[v] && wv_size_log2[r]) ring_reset[r * NUM_VMS + v] <= 1'b1;
    end
  end

  // The per-VM registers are the vectors the engines read (flat: Yosys reads no 2-D packed
  // arrays), each written back whole and only with a write to a VM register. The simulator then
  // neither rebuilds the vectors from per-VM registers nor copies them on the other clocks (it
  // does both for registers kept per VM and packed by continuous assignments). Ring 0 is TX,
  // ring 1 RX: the same registers at different offsets.
  always_ff @(posedge clk) begin
    logic [NUM_VMS-1:0]             enable_n;
    logic [NUM_VMS*64-1:0]          win_base_n, win_size_n, tx_base_n, rx_base_n;
    logic [NUM_VMS*RING_LOG2_W-1:0] tx_log2_n, rx_log2_n;
    logic [NUM_VMS*RING_IDX_W-1:0]  tx_prod_n, rx_prod_n;
    if (rst) begin
      vm_enable       <= '0;
      vm_win_base     <= '0;
      vm_win_size     <= '0;
      vm_tx_base      <= '0;
      vm_rx_base      <= '0;
      vm_tx_size_log2 <= {NUM_VMS{RING_LOG2_RESET}};
      vm_rx_size_log2 <= {NUM_VMS{RING_LOG2_RESET}};
      vm_tx_prod      <= '0;
      vm_rx_prod      <= '0;
    end else if (vm_we != '0) begin
      enable_n   = vm_enable;
      win_base_n = vm_win_base;
      win_size_n = vm_win_size;
      tx_base_n  = vm_tx_base;
      rx_base_n  = vm_rx_base;
      tx_log2_n  = vm_tx_size_log2;
      rx_log2_n  = vm_rx_size_log2;
      tx_prod_n  = vm_tx_prod;
      rx_prod_n  = vm_rx_prod;
      for (int v = 0; v < NUM_VMS; v++) begin
        if (vm_we[v]) begin
          if (wv_ctrl)        enable_n[v]                = s_wdata[0];
          if (wv_win_base_lo) win_base_n[64*v +: 32]     = s_wdata;
          if (wv_win_base_hi) win_base_n[64*v+32 +: 32]  = s_wdata;
          if (wv_win_size_lo) win_size_n[64*v +: 32]     = s_wdata;
          if (wv_win_size_hi) win_size_n[64*v+32 +: 32]  = s_wdata;
          if (wv_base_lo[0])  tx_base_n[64*v +: 32]      = s_wdata;
          if (wv_base_hi[0])  tx_base_n[64*v+32 +: 32]   = s_wdata;
          if (wv_base_lo[1])  rx_base_n[64*v +: 32]      = s_wdata;
          if (wv_base_hi[1])  rx_base_n[64*v+32 +: 32]   = s_wdata;
          if (wv_prod[0])     tx_prod_n[RING_IDX_W*v +: RING_IDX_W] = s_wdata[RING_IDX_W-1:0];
          if (wv_prod[1])     rx_prod_n[RING_IDX_W*v +: RING_IDX_W] = s_wdata[RING_IDX_W-1:0];
          // A new size restarts the ring: producer index 0, and a pulse for the NIC's indices
          // (ring_reset). (vm_we is only set for a legal size, see wv_ok.)
          if (wv_size_log2[0]) begin
            tx_log2_n[RING_LOG2_W*v +: RING_LOG2_W] = s_wdata[RING_LOG2_W-1:0];
            tx_prod_n[RING_IDX_W*v +: RING_IDX_W]   = '0;
          end
          if (wv_size_log2[1]) begin
            rx_log2_n[RING_LOG2_W*v +: RING_LOG2_W] = s_wdata[RING_LOG2_W-1:0];
            rx_prod_n[RING_IDX_W*v +: RING_IDX_W]   = '0;
          end
        end
      end
      vm_enable       <= enable_n;
      vm_win_base     <= win_base_n;
      vm_win_size     <= win_size_n;
      vm_tx_base      <= tx_base_n;
      vm_rx_base      <= rx_base_n;
      vm_tx_size_log2 <= tx_log2_n;
      vm_rx_size_log2 <= rx_log2_n;
      vm_tx_prod      <= tx_prod_n;
      vm_rx_prod      <= rx_prod_n;
    end
  end

  // Global registers and the write response.
  always_ff @(posedge clk) begin
    logic ok;
    cpl_reset    <= 1'b0;
    rx_cpl_reset <= 1'b0;
    tbl_wr_en   <= 1'b0;
    tbl_rd_req  <= 1'b0;
    tbl_clear   <= 1'b0;
    reset_req   <= 1'b0;
    if (rst) begin
      tbl_rd_pend   <= 1'b0;
      s_bvalid      <= 1'b0;
      s_bresp       <= RESP_OKAY;
      ctrl_enable   <= 1'b0;
      ctrl_quiesce  <= 1'b0;
      scratch       <= '0;
      mac_src       <= '0;
      mac_dst       <= '0;
      cpl_base      <= '0;
      cpl_size_log2 <= RING_LOG2_RESET;
      cpl_cons      <= '0;
      cpl_coalesce  <= CPL_COALESCE_RESET;
      rx_cpl_base   <= '0;
      rx_cpl_size_log2 <= RING_LOG2_RESET;
      rx_cpl_cons   <= '0;
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
        ok = wr_full;
        if (wd_is_vm) begin
          ok = ok && wv_ok;  // the VM's registers are written by g_vm
        end else if (ok) begin
          case (s_awaddr)
            // RESET: only from a quiesced NIC (else refused, nothing changed); the other bits
            // of that write do not matter, the reset clears them.
            smartnic_regs_pkg::REG_CTRL: begin
              if (s_wdata[smartnic_regs_pkg::CTRL_RESET_BIT]) begin
                ok = quiesced;
                reset_req <= quiesced;
              end else begin
                ctrl_enable  <= s_wdata[smartnic_regs_pkg::CTRL_ENABLE_BIT];
                ctrl_quiesce <= s_wdata[smartnic_regs_pkg::CTRL_QUIESCE_BIT];
              end
            end
            smartnic_regs_pkg::REG_SCRATCH:     scratch <= s_wdata;
            smartnic_regs_pkg::REG_MAC_SRC_LO:  mac_src[31:0]  <= s_wdata;
            smartnic_regs_pkg::REG_MAC_SRC_HI:  mac_src[47:32] <= s_wdata[15:0];
            smartnic_regs_pkg::REG_MAC_DST_LO:  mac_dst[31:0]  <= s_wdata;
            smartnic_regs_pkg::REG_MAC_DST_HI:  mac_dst[47:32] <= s_wdata[15:0];
            smartnic_regs_pkg::REG_CPL_BASE_LO: cpl_base[31:0]  <= s_wdata;
            smartnic_regs_pkg::REG_CPL_BASE_HI: cpl_base[63:32] <= s_wdata;
            smartnic_regs_pkg::REG_CPL_SIZE_LOG2: begin
              ok = size_ok;
              if (ok) begin
                cpl_size_log2 <= s_wdata[RING_LOG2_W-1:0];
                cpl_cons      <= '0;
                cpl_reset     <= 1'b1;
              end
            end
            smartnic_regs_pkg::REG_CPL_CONS:     cpl_cons <= s_wdata[15:0];
            smartnic_regs_pkg::REG_RX_CPL_BASE_LO: rx_cpl_base[31:0]  <= s_wdata;
            smartnic_regs_pkg::REG_RX_CPL_BASE_HI: rx_cpl_base[63:32] <= s_wdata;
            smartnic_regs_pkg::REG_RX_CPL_SIZE_LOG2: begin
              ok = size_ok;
              if (ok) begin
                rx_cpl_size_log2 <= s_wdata[RING_LOG2_W-1:0];
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
  assign s_arready = !s_rvalid && !tbl_rd_pend && !bus_hold;

  // The read word is selected combinationally, but only under an accepted read (the loops
  // unroll, every part-select is constant), and registered into s_rdata. Synthesis gets an
  // AND-OR mux in front of the s_rdata register; the simulator evaluates it only on the cycle a
  // read is accepted. Built as an ungated continuous mux it was the simulator's largest single
  // cost: the per-VM counters change every cycle, so Verilator rebuilt all NUM_VMS * VM_REGS
  // words although the host reads a register perhaps once in 10^4 cycles. It is combinational
  // rather than inside the clocked block so that no other clocked process reads the registers
  // and counters it shows: Verilator then keeps their next-state copies as locals of its clock
  // function instead of members, which measured 2 % fewer instructions per cycle. (Selecting
  // with variable part-selects, vm_x[W*rd_vm +: 32], made Yosys build a wide shifter per
  // register instead.)
  function automatic logic [31:0] vm_reg(input int v, input int i);
    // VM v's register i, i indexing VM_OFF: the ring registers first, then OTHER_OFF.
    logic [31:0] w;
    w = '0;
    if (i < NUM_RINGS * RING_REGS) begin
      for (int r = 0; r < NUM_RINGS; r++) begin
        logic [63:0]             base;
        logic [RING_LOG2_W-1:0]  log2;
        logic [RING_IDX_W-1:0]   prod, fetch;     // fetch: the NIC's index, read-only
        base  = r == 0 ? vm_tx_base[64*v +: 64] : vm_rx_base[64*v +: 64];
        log2  = r == 0 ? vm_tx_size_log2[RING_LOG2_W*v +: RING_LOG2_W]
                       : vm_rx_size_log2[RING_LOG2_W*v +: RING_LOG2_W];
        prod  = r == 0 ? vm_tx_prod[RING_IDX_W*v +: RING_IDX_W] : vm_rx_prod[RING_IDX_W*v +: RING_IDX_W];
        fetch = r == 0 ? vm_tx_fetch[RING_IDX_W*v +: RING_IDX_W] : vm_rx_next[RING_IDX_W*v +: RING_IDX_W];
        if (i == RING_REGS * r + R_BASE_LO)   w = base[31:0];
        if (i == RING_REGS * r + R_BASE_HI)   w = base[63:32];
        if (i == RING_REGS * r + R_SIZE_LOG2) w = 32'(log2);
        if (i == RING_REGS * r + R_PROD)      w = 32'(prod);
        if (i == RING_REGS * r + R_FETCH)     w = 32'(fetch);
      end
    end else begin
      // OTHER_OFF order, from its lowest word: CTRL, WIN_BASE_LO/HI, WIN_SIZE_LO/HI, CNT_DESC,
      // CNT_EXTERNAL, CNT_HAIRPIN, CNT_DROP, CNT_BYTES, CNT_RX, CNT_RX_BYTES, CNT_RX_DROP.
      case (i - NUM_RINGS * RING_REGS)
        0:  w = 32'(vm_enable[v]);
        1:  w = vm_win_base[64*v +: 32];
        2:  w = vm_win_base[64*v+32 +: 32];
        3:  w = vm_win_size[64*v +: 32];
        4:  w = vm_win_size[64*v+32 +: 32];
        5:  w = vm_cnt_desc[32*v +: 32];
        6:  w = vm_cnt_external[32*v +: 32];
        7:  w = vm_cnt_hairpin[32*v +: 32];
        8:  w = vm_cnt_drop[32*v +: 32];
        9:  w = vm_cnt_bytes[32*v +: 32];
        10: w = vm_cnt_rx[32*v +: 32];
        11: w = vm_cnt_rx_bytes[32*v +: 32];
        12: w = vm_cnt_rx_drop[32*v +: 32];
        default: w = '0;
      endcase
    end
    vm_reg = w;
  endfunction

  logic [31:0] rd_word;
  logic        rd_ok;
  always_comb begin
    logic [VM_REGS*32-1:0] vm_sel;   // the addressed VM's registers, in VM_OFF order
    logic [VM_REGS*32-1:0] vm_all;   // VM v's registers, in VM_OFF order
    rd_word = '0;
    rd_ok   = 1'b0;
    vm_sel  = '0;
    vm_all  = '0;
    if (s_arvalid && s_arready) begin
      if (rd_is_vm) begin
        // Two steps, as a two-level mux: the addressed VM's words (one-hot AND-OR over the
        // VMs), then the word the offset names. One flat AND-OR over every (VM, offset) pair
        // cost ~770 LUTs more.
        for (int v = 0; v < NUM_VMS; v++) begin
          for (int i = 0; i < VM_REGS; i++) vm_all[32*i +: 32] = vm_reg(v, i);
          vm_sel = vm_sel | ({VM_REGS*32{rd_vm == VM_IDX_W'(v)}} & vm_all);
        end
        for (int i = 0; i < VM_REGS; i++)
          if (rd_vm_off == VM_OFF[8*i +: 8]) begin
            rd_word = rd_word | vm_sel[32*i +: 32];
            rd_ok   = 1'b1;
          end
      end else if (rd_is_drop) begin
        for (int k = 0; k < NUM_DROPS; k++)
          if (rd_drop == DROP_IDX_W'(k)) rd_word = rd_word | drop_cnt[32*k +: 32];
        rd_ok = 1'b1;
      end else begin
        rd_ok = 1'b1;
        case (s_araddr)
          smartnic_regs_pkg::REG_ID:            rd_word = smartnic_regs_pkg::SNIC_ID;
          smartnic_regs_pkg::REG_VERSION:       rd_word = smartnic_regs_pkg::SNIC_VERSION;
          smartnic_regs_pkg::REG_NUM_VMS:       rd_word = 32'(NUM_VMS);
          smartnic_regs_pkg::REG_TABLE_ENTRIES: rd_word = 32'(TABLE_ENTRIES);
          smartnic_regs_pkg::REG_CTRL: begin
            rd_word[smartnic_regs_pkg::CTRL_ENABLE_BIT]  = ctrl_enable;
            rd_word[smartnic_regs_pkg::CTRL_QUIESCE_BIT] = ctrl_quiesce;
          end
          smartnic_regs_pkg::REG_STATUS: begin
            rd_word[smartnic_regs_pkg::STATUS_IDLE_BIT]       = status_idle;
            rd_word[smartnic_regs_pkg::STATUS_TABLE_INIT_BIT] = tbl_busy;
            rd_word[smartnic_regs_pkg::STATUS_QUIESCED_BIT]   = quiesced;
          end
          smartnic_regs_pkg::REG_SCRATCH:       rd_word = scratch;
          smartnic_regs_pkg::REG_MAC_SRC_LO:    rd_word = mac_src[31:0];
          smartnic_regs_pkg::REG_MAC_SRC_HI:    rd_word = 32'(mac_src[47:32]);
          smartnic_regs_pkg::REG_MAC_DST_LO:    rd_word = mac_dst[31:0];
          smartnic_regs_pkg::REG_MAC_DST_HI:    rd_word = 32'(mac_dst[47:32]);
          smartnic_regs_pkg::REG_CPL_BASE_LO:   rd_word = cpl_base[31:0];
          smartnic_regs_pkg::REG_CPL_BASE_HI:   rd_word = cpl_base[63:32];
          smartnic_regs_pkg::REG_CPL_SIZE_LOG2: rd_word = 32'(cpl_size_log2);
          smartnic_regs_pkg::REG_CPL_CONS:      rd_word = 32'(cpl_cons);
          smartnic_regs_pkg::REG_CPL_PROD:      rd_word = 32'(cpl_prod);
          smartnic_regs_pkg::REG_CPL_COALESCE:  rd_word = 32'(cpl_coalesce);
          smartnic_regs_pkg::REG_RX_CPL_BASE_LO:   rd_word = rx_cpl_base[31:0];
          smartnic_regs_pkg::REG_RX_CPL_BASE_HI:   rd_word = rx_cpl_base[63:32];
          smartnic_regs_pkg::REG_RX_CPL_SIZE_LOG2: rd_word = 32'(rx_cpl_size_log2);
          smartnic_regs_pkg::REG_RX_CPL_CONS:      rd_word = 32'(rx_cpl_cons);
          smartnic_regs_pkg::REG_RX_CPL_PROD:      rd_word = 32'(rx_cpl_prod);
          smartnic_regs_pkg::REG_RX_FRAMES:        rd_word = rx_frames;
          smartnic_regs_pkg::REG_ARP_REPLIES:      rd_word = arp_replies;
          smartnic_regs_pkg::REG_RX_QUIESCE_DROPS: rd_word = rx_quiesce_drops;
          smartnic_regs_pkg::REG_TBL_SLOT:      rd_word = 32'(tbl_slot_q);
          smartnic_regs_pkg::REG_TBL_KEY:       rd_word = tbl_key_q;
          smartnic_regs_pkg::REG_TBL_VALUE:     rd_word = tbl_value_q;
          smartnic_regs_pkg::REG_TABLE_GEOMETRY:  rd_word = TABLE_GEOMETRY;
          smartnic_regs_pkg::REG_TABLE_HASH_SEED: rd_word = TABLE_HASH_SEED;
          default: rd_ok = 1'b0;
        endcase
      end
    end
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      s_rvalid <= 1'b0;
      s_rdata  <= '0;
      s_rresp  <= RESP_OKAY;
    end else begin
      if (s_rvalid && s_rready) s_rvalid <= 1'b0;
      if (s_arvalid && s_arready) begin
        s_rvalid <= 1'b1;
        s_rdata  <= rd_word;
        s_rresp  <= rd_ok ? RESP_OKAY : RESP_SLVERR;
      end
    end
  end
endmodule
