// VM-IP table as a cuckoo hash table in block RAM: IPv4 address -> VM id, for tens of
// thousands of entries, one lookup per clock, no stall. Drop-in successor of vm_ip_table
// (same lookup and write ports; see docs/vm-ip-table.md for what changed).
//
// Layout. WAYS ways of BUCKETS buckets of SLOTS slots, plus STASH slots in registers. A key K
// may sit in bucket h_w(K) of any way w (simple tabulation hashing, vm_ip_hash_index.sv) or in
// any stash slot. Every (way, slot column) is one block RAM of BUCKETS words {valid, vm, key}.
// The host (CuckooPlacement) decides where every key goes; this module only looks up and
// applies single-slot writes. Slot numbers, as wr_slot / rd_slot and the host see them:
//     slot = (way * BUCKETS + bucket) * SLOTS + s        for the main table,
//     slot = WAYS * BUCKETS * SLOTS + i                  for stash entry i.
//
// Lookup pipeline (LATENCY = 5: lk_valid in cycle 0, res_valid in cycle 5):
//   E1  per-byte hash table outputs       E2  bucket index per way (XOR)
//   E3  every way's RAM read at its bucket, and the stash compared, at this ONE edge
//   E4  key compare per candidate         E5  OR of the candidates -> res_*
// Atomicity: a lookup sees the table exactly as it is after the write (if any) applied at its
// edge E3, in every way and in the stash alike. A write issued in the same cycle as the RAM
// read (same way, same bucket) is bypassed explicitly (registered write data replaces the RAM
// output), so the RAM's write mode and cross-port collision behaviour never matter. Hence a
// single-slot write is seen entirely or not at all, and a move applied back to front (write the
// new slot, then clear the old one) is never missed: every lookup samples a moment at which the
// key is in at least one of the two slots. The host never stores a key twice except during such
// a move, and then both copies carry the same VM, so the candidates are simply ORed.
//
// Read-back (table dumps) shares each RAM's host port with the writes, so it is a handshake:
// pulse rd_req with rd_slot; rd_valid pulses with rd_key/rd_vm/rd_entry_valid 2 cycles later
// (later if a write occupies the host port in the request cycle). The outputs hold until the
// next read. rd_slot is sampled with rd_req.
//
// Reset and clear. With CLEAR_ON_RESET the RAMs are cleared after rst by a sweep of BUCKETS
// cycles, during which init_busy is high, lookups miss and writes are IGNORED (the register block
// must hold table writes off while init_busy; a simulation assertion checks it). The stash is
// cleared by rst directly. clear_req (a one-cycle pulse, any time) does the same at run time:
// the stash is cleared and the sweep restarts at the next edge. Every write presented up to and
// including the clear_req cycle is wiped; a read requested then waits until the sweep is done.
module vm_ip_hash_table #(
  parameter int WAYS           = 4,      // 1..vm_ip_hash_pkg::VMIP_HASH_MAX_WAYS
  parameter int BUCKETS        = 16384,  // per way, power of two, 2..65536
  parameter int SLOTS          = 1,      // per bucket, power of two
  parameter int STASH          = 8,      // >= 1
  parameter int VM_W           = 8,
  parameter bit CLEAR_ON_RESET = 1'b1,
  // Formal mutant (docs/verification.md), 0 in the design: 1 drops the write bypass, so a
  // lookup sees the ways before and the stash after the write at its sampling edge.
  parameter bit MUTANT_NO_BYPASS = 1'b0,
  localparam int MAIN    = WAYS * BUCKETS * SLOTS,
  localparam int ENTRIES = MAIN + STASH,
  localparam int SLOT_W  = $clog2(ENTRIES),
  /* verilator lint_off UNUSEDPARAM */  // documents the pipeline for parents and tests
  localparam int LATENCY = 5
  /* verilator lint_on UNUSEDPARAM */
) (
  input  logic              clk,
  input  logic              rst,
  // Lookup: one per clock, result LATENCY cycles later with res_valid.
  input  logic              lk_valid,
  input  logic [31:0]       lk_key,
  output logic              res_valid,
  output logic              res_hit,
  output logic [VM_W-1:0]   res_vm,
  // Single-slot write from the host: registered (decoded) at the next edge, applied to the
  // table at the edge after that. wr_slot outside the table is ignored.
  input  logic              wr_en,
  input  logic [SLOT_W-1:0] wr_slot,
  input  logic [31:0]       wr_key,
  input  logic [VM_W-1:0]   wr_vm,
  input  logic              wr_entry_valid,
  // Slot read-back: rd_req + rd_slot -> rd_valid pulse with the entry.
  input  logic              rd_req,
  input  logic [SLOT_W-1:0] rd_slot,
  output logic              rd_valid,
  output logic [31:0]       rd_key,
  output logic [VM_W-1:0]   rd_vm,
  output logic              rd_entry_valid,
  // Clear every slot (pulse); init_busy is high from the next cycle for BUCKETS cycles.
  input  logic              clear_req,
  // High while the RAMs are cleared after reset or clear_req (BUCKETS cycles).
  output logic              init_busy
`ifdef FORMAL
  // Formal view (formal/fv_vm_ip_hash_table.sv, property 2): every slot as the lookups will
  // see it once the write now in the decode register is applied, in slot order {valid, vm,
  // key}. The harness's induction invariant ties it to the host's shadow. Not in simulation
  // or synthesis.
  , output logic [ENTRIES*(33+VM_W)-1:0] fv_slots
`endif
);
  localparam int IDX_W = $clog2(BUCKETS);
  localparam int SB    = $clog2(SLOTS);          // slot bits inside a bucket (0 for SLOTS = 1)
  localparam int NM    = WAYS * SLOTS;           // RAMs, m = way * SLOTS + s
  localparam int EW    = 33 + VM_W;              // {valid, vm, key}

  // ---------------- write decode (one register stage) ----------------
  // The write inputs are decoded into a one-hot RAM / stash select and registered; the write
  // is applied at the following edge. This keeps the slot comparators out of the lookup path.
  logic [31:0]      wslot;
  logic [NM-1:0]    w1_mem;       // RAM written at the next edge
  logic [STASH-1:0] w1_st;        // stash entry written at the next edge
  logic [IDX_W-1:0] w1_bucket;
  logic [EW-1:0]    w1_data;
  logic             w1_main;      // any RAM written (the host ports are busy)
  logic             init_q;
  logic [IDX_W-1:0] cursor_q;

  assign wslot   = 32'(wr_slot);
  assign w1_main = |w1_mem;

  always_ff @(posedge clk) begin
    // Decoded only around a write: with none now and none pending every select is 0 and stays.
    if (wr_en || w1_main || w1_st != '0) begin
      for (int m = 0; m < NM; m++)
        w1_mem[m] <= !rst && !clear_req && wr_en && !init_q && wslot < 32'(MAIN) &&
                     (((wslot >> (IDX_W + SB)) << SB) | (wslot & 32'(SLOTS - 1))) == 32'(m);
      for (int i = 0; i < STASH; i++)
        w1_st[i] <= !rst && !clear_req && wr_en && !init_q && wslot == 32'(MAIN + i);
    end
    // Loaded only with a write: they are read only where w1_mem / w1_st select them (and the
    // simulator skips the decode on the cycles without one).
    if (wr_en) begin
      w1_bucket <= IDX_W'(wslot >> SB);
      w1_data   <= {wr_entry_valid, wr_vm, wr_key};
    end
  end

  // ---------------- clear after reset / on clear_req ----------------
  always_ff @(posedge clk) begin
    if (rst) begin
      init_q   <= CLEAR_ON_RESET;
      cursor_q <= '0;
    end else if (clear_req) begin
      init_q   <= 1'b1;
      cursor_q <= '0;
    end else if (init_q) begin
      cursor_q <= cursor_q + 1'b1;
      if (cursor_q == '1) init_q <= 1'b0;
    end
  end
  assign init_busy = init_q;

  // Checked in every Verilated model (the NIC's too) and in formal/fv_vm_ip_hash_table.sv.
  // (It used to be under a define: Verilator 5.006 hung destroying NIC models that have
  // scopes in multi-model processes; ModelHarness now tears models down in their own
  // context, see sim/include/smartnic/sim/model_harness.hpp.) In the NIC, axil_regs answers
  // SLVERR to TBL_CMD while init_busy, so wr_en never comes then (tests/rtl/test_table_regs.cpp).
  always_ff @(posedge clk) begin
    if (!rst) assert (!(wr_en && init_q));  // writes during the clear sweep are lost
  end

  // ---------------- lookup key pipeline and hash ----------------
  logic             s1_valid, s2_valid, s3_valid, s4_valid, s3_init;
  logic [31:0]      s1_key, s2_key, s3_key;

  always_ff @(posedge clk) begin
    if (rst) begin
      s1_valid <= 1'b0;
      s2_valid <= 1'b0;
      s3_valid <= 1'b0;
      s4_valid <= 1'b0;
    end else begin
      s1_valid <= lk_valid;
      s2_valid <= s1_valid;
      s3_valid <= s2_valid;
      s4_valid <= s3_valid;
    end
    s1_key  <= lk_key;
    s2_key  <= s1_key;
    s3_key  <= s2_key;
    s3_init <= init_q;
  end

  // Each way's bucket index (at E2) and, below, each RAM's lookup word (at E3) stay in their
  // generate block and are read there by constant name (g_hash[W].idx), not gathered into one
  // packed vector: the simulator would repack such a vector from the pieces on every clock.
  for (genvar w = 0; w < WAYS; w++) begin : g_hash
    logic [IDX_W-1:0] idx;
    vm_ip_hash_index #(.WAY(w), .IDX_W(IDX_W)) u_idx (
      .clk, .key(lk_key), .key_valid(lk_valid), .part_valid(s1_valid), .idx);
  end

  // ---------------- read-back request ----------------
  logic             rd_pend_q, rd_go, rd_issue_q;
  logic [SLOT_W-1:0] rd_slot_q;
  logic [31:0]       rd_sel;
  logic [IDX_W-1:0] rd_bucket;

  assign rd_go     = (rd_req || rd_pend_q) && !w1_main && !init_q && !clear_req;
  assign rd_sel    = rd_req ? 32'(rd_slot) : 32'(rd_slot_q);
  assign rd_bucket = IDX_W'(rd_sel >> SB);

  always_ff @(posedge clk) begin
    if (rst) begin
      rd_pend_q  <= 1'b0;
      rd_issue_q <= 1'b0;
    end else begin
      rd_pend_q  <= (rd_req || rd_pend_q) && !rd_go;
      rd_issue_q <= rd_go;
    end
    if (rd_req) rd_slot_q <= rd_slot;
  end

  // ---------------- the ways: one RAM per (way, slot column) ----------------
  logic [NM*EW-1:0] dout_b;
  logic [NM-1:0]    coll_q;
  logic [EW-1:0]    byp_q;

  // The bypass (byp_q, coll_q) is read only with the lookup in E3: loaded only with one in E2.
  always_ff @(posedge clk) if (s2_valid) byp_q <= init_q ? '0 : w1_data;

  for (genvar m = 0; m < NM; m++) begin : g_mem
    localparam int W = m / SLOTS;
    logic             we_b;
    logic [IDX_W-1:0] addr_b;
    logic [EW-1:0]    din_b;
    logic [EW-1:0]    dout_a;     // the lookup's word, read at E4 below
    assign we_b   = init_q || w1_mem[m];
    assign addr_b = init_q ? cursor_q : (w1_mem[m] ? w1_bucket : rd_bucket);
    assign din_b  = init_q ? '0 : w1_data;

`ifdef FORMAL
    logic [BUCKETS*EW-1:0] fv_mem;
`endif
    vm_ip_hash_ram #(.DEPTH(BUCKETS), .W(EW)) u_ram (
      .clk,
      .en_a(s2_valid), .addr_a(g_hash[W].idx), .dout_a,
      .en_b(we_b || rd_go), .we_b, .addr_b, .din_b, .dout_b(dout_b[EW*m +: EW])
`ifdef FORMAL
      , .fv_mem
`endif
      );
`ifdef FORMAL
    // slot = (way * BUCKETS + bucket) * SLOTS + s, with m = way * SLOTS + s
    for (genvar b = 0; b < BUCKETS; b++) begin : g_fv
      localparam int SLOT = (W * BUCKETS + b) * SLOTS + (m % SLOTS);
      assign fv_slots[EW*SLOT +: EW] =
          (w1_mem[m] && w1_bucket == IDX_W'(b)) ? w1_data : fv_mem[EW*b +: EW];
    end
`endif

    // Explicit bypass: a write to the bucket this lookup reads at the same edge.
    // (Compared against the write address only, not the read-back mux: same result, shorter path.)
    always_ff @(posedge clk)
      if (s2_valid) coll_q[m] <= we_b && (init_q ? cursor_q : w1_bucket) == g_hash[W].idx;
  end

  // ---------------- the stash: registers, compared at the same edge E3 ----------------
  logic [STASH*EW-1:0] stash_q;
  logic [STASH-1:0]    s3_st_hit;
  logic [STASH*VM_W-1:0] s3_st_vm;
  // Entry i as a lookup or read-back sees it at this edge: a write applied at the same edge
  // included (so the stash needs no bypass).
  function automatic logic [EW-1:0] stash_now(input int i);
    stash_now = w1_st[i] ? w1_data : stash_q[EW*i +: EW];
  endfunction

  for (genvar i = 0; i < STASH; i++) begin : g_stash
`ifdef FORMAL
    assign fv_slots[EW*(MAIN + i) +: EW] = stash_now(i);
`endif
    always_ff @(posedge clk) begin
      logic [EW-1:0] e;
      if (rst || clear_req) stash_q[EW*i +: EW] <= '0;
      else if (w1_st[i]) stash_q[EW*i +: EW] <= w1_data;
      // Compared only for a lookup in flight: the result registers below are read only with
      // their valid, so an idle pipeline costs no compares in the simulator.
      if (s2_valid) begin
        e = stash_now(i);
        s3_st_hit[i] <= e[EW-1] && e[31:0] == s2_key;
        s3_st_vm[VM_W*i +: VM_W] <= e[32 +: VM_W];
      end
    end
  end

  // ---------------- E4: compare each candidate ----------------
  logic [NM-1:0]      s4_hit;
  logic [NM*VM_W-1:0] s4_vm;
  logic               s4_st_hit;
  logic [VM_W-1:0]    s4_st_vm;

  for (genvar m = 0; m < NM; m++) begin : g_cmp
    always_ff @(posedge clk) begin
      logic [EW-1:0] ent;
      if (s3_valid) begin
        ent = (coll_q[m] && !MUTANT_NO_BYPASS) ? byp_q : g_mem[m].dout_a;
        s4_hit[m]              <= ent[EW-1] && ent[31:0] == s3_key && !s3_init;
        s4_vm[VM_W*m +: VM_W]  <= ent[32 +: VM_W];
      end
    end
  end

  always_ff @(posedge clk) begin
    logic [VM_W-1:0] v;
    v = '0;
    if (s3_valid) begin
      for (int i = 0; i < STASH; i++) if (s3_st_hit[i]) v = v | s3_st_vm[VM_W*i +: VM_W];
      s4_st_hit <= |s3_st_hit;
      s4_st_vm  <= v;
    end
  end

  // ---------------- E5: result ----------------
  always_ff @(posedge clk) begin
    logic [VM_W-1:0] v;
    v = s4_st_vm;
    if (rst) res_valid <= 1'b0;
    else     res_valid <= s4_valid;
    if (s4_valid) begin
      for (int m = 0; m < NM; m++) if (s4_hit[m]) v = v | s4_vm[VM_W*m +: VM_W];
      res_hit <= (|s4_hit) || s4_st_hit;
      res_vm  <= v;
    end
  end

  // ---------------- read-back data ----------------
  // Decoded once when the read issues (which RAM, which stash entry), then plain AND-OR muxes:
  // no variable part-selects, which would cost a multiplier and a deep shifter.
  logic [NM-1:0]    rd_mem_q;
  logic [STASH-1:0] rd_st_q;
  logic [EW-1:0]    rd_stash_q;
  always_ff @(posedge clk) begin
    logic [EW-1:0] se;
    se = '0;
    if (rd_go) begin
      for (int i = 0; i < STASH; i++)
        if (rd_sel == 32'(MAIN + i)) se = se | stash_now(i);
      rd_stash_q <= se;
      for (int m = 0; m < NM; m++)
        rd_mem_q[m] <= rd_sel < 32'(MAIN) &&
                       (((rd_sel >> (IDX_W + SB)) << SB) | (rd_sel & 32'(SLOTS - 1))) == 32'(m);
      for (int i = 0; i < STASH; i++) rd_st_q[i] <= rd_sel == 32'(MAIN + i);
    end
  end

  always_ff @(posedge clk) begin
    logic [EW-1:0] e;
    e = (|rd_st_q) ? rd_stash_q : '0;
    for (int m = 0; m < NM; m++) if (rd_mem_q[m]) e = e | dout_b[EW*m +: EW];
    if (rst) rd_valid <= 1'b0;
    else     rd_valid <= rd_issue_q;
    if (rd_issue_q) begin
      rd_key         <= e[31:0];
      rd_vm          <= e[32 +: VM_W];
      rd_entry_valid <= e[EW-1];
    end
  end
endmodule
