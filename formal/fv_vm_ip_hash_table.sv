// Formal harness for vm_ip_hash_table (property 2, table atomicity; docs/verification.md).
//
// One key K is tracked (parameter KEY; 0 = anyconst). The harness keeps the host's shadow of
// K: which slots hold K (valid) and with which VM, updated when a write is issued. Every other
// key is free: writes carry any key, VM and valid flag. Lookups of K are checked at their
// result:
//
//  (a) HOST = 0, writes completely free (any slot, key, VM, valid flag, every cycle), reads
//      free: the result equals the table as it stands after the writes issued up to 1 cycle
//      after the lookup (the edge E3 at which all ways and the stash are sampled): hit iff a
//      copy of K is in one of K's slots (bucket h_w(K) of a way, or the stash), VM = OR of
//      the copies' VMs. This is "a single-slot write is seen entirely or not at all".
//  (b) HOST = 1, writes follow the host's placement (host/src/cuckoo_placement.cpp): K goes
//      only to its own slots, all copies of K carry the same VM except in a single-copy
//      value change, and the last copy is removed only by a delete (a move writes the new
//      slot first, then clears the old one). Then a lookup of K issued while K is present
//      (logically: inserted and not deleted) and finished before any insert/delete finds it,
//      with a VM K had meanwhile; a lookup issued after a delete was acknowledged misses.
//
// Mutants: MUTANT_RTL drops the table's write bypass (must fail (a)); MUTANT_MOVE makes the
// host apply a move front to back: clear the old slot, then write the new one (must fail (b)).
//
// Proof: bounded check + k-induction (k = 8 > the 5-cycle lookup pipeline + the 2-cycle hash)
// with the induction invariant below (each slot of the table, through the table's formal view
// port fv_slots, holds K exactly where the shadow has it). CI runs one fixed key per
// combination of K's buckets ({h1, h0} = 0..3, checked by KEY_IDX): the table sees a key only
// through its buckets and through equality with stored keys, so the four keys stand for all
// 2^32 (z3 4.8.12 does not finish the induction with a symbolic key and its hash ROMs).
//
// Narrowed: 2 ways x 2 buckets x 1 slot + 1 stash slot, 2-bit VM ids. The lookup and write
// paths are the same code for every geometry (generate loops over ways, slot columns, stash);
// what the narrow table cannot show is a longer cuckoo path, which is a sequence of the same
// single moves (each one checked here from any table contents the writes can make).
module fv_vm_ip_hash_table #(
  parameter bit HOST        = 1'b0,
  parameter bit MUTANT_RTL  = 1'b0,
  parameter bit MUTANT_MOVE = 1'b0,
  // The tracked key: 0 = any key (anyconst), else this key (CI: fixed keys, see above).
  parameter logic [31:0] KEY = 32'd0,
  // K's bucket in way 1 and way 0 ({h1, h0}) that the test expects for KEY; -1: not checked.
  // CI proves one key per bucket combination, and this check fails if the hash ever changes
  // so that the keys no longer cover them all.
  parameter int KEY_IDX = -1,
  localparam int WAYS    = 2,
  localparam int BUCKETS = 2,
  localparam int STASH   = 1,
  localparam int VM_W    = 2,
  localparam int MAIN    = WAYS * BUCKETS,
  localparam int ENTRIES = MAIN + STASH,
  localparam int SLOT_W  = $clog2(ENTRIES)
) (
  // Free inputs: any value in every cycle (ports, so the ABC flow maps them in its traces).
  input logic                clk,
  input logic                rst,
  input logic                lk_valid,
  input logic                wr_en,
  input logic [SLOT_W-1:0]   wr_slot,
  input logic [31:0]         wr_key,
  input logic [VM_W-1:0]     wr_vm,
  input logic                wr_entry_valid,
  input logic                rd_req,
  input logic [SLOT_W-1:0]   rd_slot,
  input logic                del            // the host marks a write as a delete of K
);
  localparam int IDX_W   = $clog2(BUCKETS);
  localparam int LAT     = 5;     // lookup latency (vm_ip_hash_table LATENCY)
  localparam int SAMPLE  = 2;     // shadow cycle (after the lookup) that the lookup must see

  (* anyconst *) logic [31:0] key_any;
  logic [31:0] key_k;
  assign key_k = KEY != 32'd0 ? KEY : key_any;

  // Reset only at the start: the shadow models a table that was cleared once.
  logic initial_q = 1'b1;
  always_ff @(posedge clk) initial_q <= 1'b0;
  always_comb assume (rst == initial_q);

  localparam int EW = 33 + VM_W;              // a slot: {valid, vm, key}
  logic [ENTRIES*EW-1:0] fv_slots;           // every slot once the decoded write is applied
  logic            res_valid, res_hit, rd_valid, rd_entry_valid, init_busy;
  logic [VM_W-1:0] res_vm, rd_vm;
  logic [31:0]     rd_key;
  vm_ip_hash_table #(.WAYS(WAYS), .BUCKETS(BUCKETS), .SLOTS(1), .STASH(STASH), .VM_W(VM_W),
                     .MUTANT_NO_BYPASS(MUTANT_RTL)) dut (
    .clk, .rst, .lk_valid, .lk_key(key_k), .res_valid, .res_hit, .res_vm,
    .wr_en, .wr_slot, .wr_key, .wr_vm, .wr_entry_valid,
    .rd_req, .rd_slot, .rd_valid, .rd_key, .rd_vm, .rd_entry_valid,
    .clear_req(1'b0), .init_busy, .fv_slots);

  // K's bucket in each way (the same hash module as the table; valid 2 cycles after reset).
  logic [WAYS*IDX_W-1:0] k_idx;
  for (genvar w = 0; w < WAYS; w++) begin : g_h
    vm_ip_hash_index #(.WAY(w), .IDX_W(IDX_W)) u_idx (.clk, .key(key_k), .key_valid(1'b1), .part_valid(1'b1),
                                                    .idx(k_idx[IDX_W*w +: IDX_W]));
  end
  logic [ENTRIES-1:0] legal;                  // the slots where a lookup of K looks
  always_comb begin
    for (int s = 0; s < ENTRIES; s++)
      legal[s] = s >= MAIN || IDX_W'(s % BUCKETS) == k_idx[IDX_W*((s / BUCKETS) % WAYS) +: IDX_W];
  end

  // The table answers nothing useful while it clears itself after reset, and the register
  // block refuses writes then: start lookups and writes when init_busy has fallen.
  logic ready_q;
  always_ff @(posedge clk) ready_q <= !rst && (ready_q || (!init_busy && !initial_q));
  always_comb if (!ready_q) assume (!wr_en && !lk_valid);
  // Only lookups of K (the table's lk_key is key_k): the pipeline stages are independent,
  // other keys' lookups cannot change K's result, and hashing one constant key keeps the
  // solver fast.

  // ---- shadow of K: copies per slot, updated when a write is issued ----
  logic [ENTRIES-1:0]      has_q;
  logic [ENTRIES*VM_W-1:0] vm_q;
  logic                    wr_k, present_q;   // present_q: K logically in the table (host)
  logic [ENTRIES-1:0]      has_next;
  assign wr_k = wr_entry_valid && wr_key == key_k;
  always_comb begin
    has_next = has_q;
    if (wr_en && 32'(wr_slot) < ENTRIES) has_next[wr_slot] = wr_k;
  end
  always_ff @(posedge clk) begin
    if (rst) begin
      has_q <= '0;
    end else if (wr_en && 32'(wr_slot) < ENTRIES) begin
      has_q[wr_slot] <= wr_k;
      vm_q[VM_W*wr_slot +: VM_W] <= wr_vm;
    end
  end
  logic hit_now;                     // what a lookup sampling the shadow now must return
  logic [VM_W-1:0] vm_now;
  always_comb begin
    hit_now = 1'b0;
    vm_now  = '0;
    for (int s = 0; s < ENTRIES; s++)
      if (has_q[s] && legal[s]) begin
        hit_now = 1'b1;
        vm_now  = vm_now | vm_q[VM_W*s +: VM_W];
      end
  end

  // ---- (b) the host's placement discipline (assumed only with HOST = 1) ----
  logic changed;                     // an insert or delete of K is issued this cycle
  logic moving_q;                    // MUTANT_MOVE: old copy cleared, new one not yet written
  localparam int CW = $clog2(ENTRIES + 1);
  logic [CW-1:0] copies;
  always_comb begin
    copies = '0;
    for (int s = 0; s < ENTRIES; s++) copies = copies + CW'(has_q[s]);
  end
  assign changed = wr_en && ((!present_q && wr_k) || (present_q && del));
  always_ff @(posedge clk) begin
    if (rst) begin
      present_q <= 1'b0;
      moving_q  <= 1'b0;
    end else if (wr_en) begin
      if (!present_q && wr_k) present_q <= 1'b1;
      if (present_q && del) present_q <= 1'b0;
      moving_q <= MUTANT_MOVE && present_q && !del && has_q[wr_slot] && !wr_k && copies == 1;
    end
  end
  if (HOST) begin : g_host
    always_comb begin
      if (wr_en) begin
        assume (32'(wr_slot) < ENTRIES);
        // K only into its own slots; every copy with the same VM, except when the only copy
        // is overwritten in place (a value change).
        if (wr_k) begin
          assume (legal[wr_slot]);
          for (int s = 0; s < ENTRIES; s++)
            if (has_q[s] && s != 32'(wr_slot)) assume (vm_q[VM_W*s +: VM_W] == wr_vm);
        end
        // The last copy goes only with a delete (present -> absent); a delete removes it.
        if (has_q[wr_slot] && !wr_k && copies == 1 && !(MUTANT_MOVE && present_q))
          assume (present_q && del);
        if (del) assume (present_q && has_q[wr_slot] && !wr_k && copies == 1);
        if (!present_q) assume (!del);
        // A move's second half (MUTANT_MOVE): the next write puts K back into a slot of its own.
        if (moving_q) assume (wr_k && !del);
      end else begin
        assume (!del);
      end
      // K is present exactly when the host's shadow holds a copy (outside a mutant move).
      assume (present_q == (copies != 0) || moving_q);
    end
    // Induction invariants of the placement (kept by the write assumptions above; states
    // breaking them are unreachable): copies of K only in K's own slots, all with one VM.
    always_ff @(posedge clk) begin
      if (!rst && ready_q)
        for (int s = 0; s < ENTRIES; s++) begin
          if (has_q[s]) assert (legal[s]);
          for (int t = 0; t < ENTRIES; t++)
            if (has_q[s] && has_q[t]) assert (vm_q[VM_W*s +: VM_W] == vm_q[VM_W*t +: VM_W]);
        end
    end
  end else begin : g_free
    always_comb assume (!del);
  end

  // ---- the lookups of K in flight: what each must return ----
  logic [LAT:0]           p_k;          // stage i: a lookup of K issued i cycles ago
  logic [LAT:0]           p_pres, p_abs, p_stable;
  logic [LAT:0]           e_hit;        // expected at SAMPLE
  logic [(LAT+1)*VM_W-1:0] e_vm;
  logic [(LAT+1)*(1<<VM_W)-1:0] p_vals;  // VMs K had (any copy) while the lookup was in flight
  logic [(1<<VM_W)-1:0]   vals_now;
  always_comb begin
    vals_now = '0;
    for (int s = 0; s < ENTRIES; s++) if (has_q[s]) vals_now[vm_q[VM_W*s +: VM_W]] = 1'b1;
  end
  always_comb begin
    p_k[0]      = lk_valid;
    p_pres[0]   = present_q;
    p_abs[0]    = !present_q;
    p_stable[0] = !changed;
    p_vals[0 +: (1<<VM_W)] = vals_now;
    e_hit[0]    = hit_now;
    e_vm[0 +: VM_W] = vm_now;
  end
  for (genvar i = 1; i <= LAT; i++) begin : g_pipe
    always_ff @(posedge clk) begin
      p_k[i]      <= !rst && p_k[i-1];
      p_pres[i]   <= p_pres[i-1] && present_q;
      p_abs[i]    <= p_abs[i-1] && !present_q;
      p_stable[i] <= p_stable[i-1] && !changed;
      p_vals[(1<<VM_W)*i +: (1<<VM_W)] <= p_vals[(1<<VM_W)*(i-1) +: (1<<VM_W)] | vals_now;
      // the expectation is taken from the shadow SAMPLE cycles after the lookup was issued
      e_hit[i]    <= (i - 1 == SAMPLE) ? hit_now : e_hit[i-1];
      e_vm[VM_W*i +: VM_W] <= (i - 1 == SAMPLE) ? vm_now : e_vm[VM_W*(i-1) +: VM_W];
    end
  end

  if (KEY_IDX >= 0) begin : g_key_idx
    always_ff @(posedge clk) if (ready_q) assert (k_idx == (WAYS*IDX_W)'(KEY_IDX));
  end

  // ---- induction invariant: the table holds what the shadow says ----
  // Each slot, as the next lookups will see it (fv_slots: RAM or stash, with the write in the
  // table's decode register already applied), holds K exactly where the shadow has a copy of
  // K, with the shadow's VM. Together with "no write after init" this makes the properties
  // below k-inductive: everything else (pipelines, hash registers) is a function of the last
  // LAT + 2 cycles' inputs.
  always_ff @(posedge clk) begin
    if (!rst && ready_q) begin
      assert (!init_busy);
      for (int s = 0; s < ENTRIES; s++) begin
        assert (has_q[s] == (fv_slots[EW*s + EW - 1] && fv_slots[EW*s +: 32] == key_k));
        if (has_q[s]) assert (fv_slots[EW*s + 32 +: VM_W] == vm_q[VM_W*s +: VM_W]);
      end
    end
  end

  always_ff @(posedge clk) begin
    if (!rst && p_k[LAT]) begin
      assert (res_valid);
      // (a) the lookup saw one consistent state of every way and the stash
      if (!HOST) assert (res_hit == e_hit[LAT] && (!res_hit || res_vm == e_vm[VM_W*LAT +: VM_W]));
      // (b) present throughout (moves included): found, with a VM K had meanwhile
      if (HOST && p_pres[LAT] && p_stable[LAT])
        assert (res_hit && p_vals[(1<<VM_W)*LAT + res_vm]);
      // (b) deleted before the lookup was issued: not found
      if (HOST && p_abs[LAT] && p_stable[LAT]) assert (!res_hit);
    end
  end

`ifdef FV_COVER
  // Reachability (non-vacuity): each form reaches its interesting results.
  if (HOST) begin : g_cover_host
    always_ff @(posedge clk) begin
      if (!rst && p_k[LAT]) begin
        cover (res_hit && copies == 2);                      // found in the middle of a move
        cover (!res_hit && p_abs[LAT] && p_stable[LAT]);     // deleted before: missed
      end
    end
  end else begin : g_cover_free
    always_ff @(posedge clk) begin
      if (!rst && p_k[LAT]) begin
        cover (res_hit && res_vm == 2'd3);                   // a hit with the VM bits set
        cover (res_hit && e_hit[LAT] && copies == 2);        // two copies ORed
      end
    end
  end
`endif
endmodule
