// Formal harness for vm_ip_hash_table (property 2, table atomicity; docs/verification.md).
//
// One key K is tracked (anyconst: the proof holds for every key). The harness keeps the
// host's shadow of K: which slots hold K (valid) and with which VM, updated when a write is
// issued. Lookups of K are checked at their result:
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
// Narrowed: 2 ways x 2 buckets x 1 slot + 1 stash slot, 2-bit VM ids. The lookup and write
// paths are the same code for every geometry (generate loops over ways, slot columns, stash);
// what the narrow table cannot show is a longer cuckoo path, which is a sequence of the same
// single moves (each one checked here from any table contents the writes can make).
module fv_vm_ip_hash_table #(
  parameter bit HOST        = 1'b0,
  parameter bit MUTANT_RTL  = 1'b0,
  parameter bit MUTANT_MOVE = 1'b0,
  // The tracked key: 0 = any key (anyconst), else this key. z3 4.8.12 gets stuck on the hash
  // ROMs of a symbolic key, so CI runs fixed keys (docs/verification.md).
  parameter logic [31:0] KEY = 32'd0
) (
  input logic clk
);
  localparam int WAYS    = 2;
  localparam int BUCKETS = 2;
  localparam int STASH   = 1;
  localparam int VM_W    = 2;
  localparam int IDX_W   = $clog2(BUCKETS);
  localparam int MAIN    = WAYS * BUCKETS;
  localparam int ENTRIES = MAIN + STASH;
  localparam int SLOT_W  = $clog2(ENTRIES);
  localparam int LAT     = 5;     // lookup latency (vm_ip_hash_table LATENCY)
  localparam int SAMPLE  = 2;     // shadow cycle (after the lookup) that the lookup must see

  (* anyconst *) logic [31:0] key_any;
  logic [31:0] key_k;
  assign key_k = KEY != 32'd0 ? KEY : key_any;

  logic              rst, lk_valid, wr_en, wr_entry_valid, rd_req, del;
  logic [31:0]       lk_key, wr_key;
  logic [SLOT_W-1:0] wr_slot, rd_slot;
  logic [VM_W-1:0]   wr_vm;
  assign rst            = $anyseq;
  assign lk_valid       = $anyseq;
  assign lk_key         = $anyseq;
  assign wr_en          = $anyseq;
  assign wr_slot        = $anyseq;
  assign wr_key         = $anyseq;
  assign wr_vm          = $anyseq;
  assign wr_entry_valid = $anyseq;
  assign rd_req         = $anyseq;
  assign rd_slot        = $anyseq;
  assign del            = $anyseq;   // the host marks a write as a delete of K

  // Reset only at the start: the shadow models a table that was cleared once.
  logic initial_q = 1'b1;
  always_ff @(posedge clk) initial_q <= 1'b0;
  always_comb assume (rst == initial_q);

  logic            res_valid, res_hit, rd_valid, rd_entry_valid, init_busy;
  logic [VM_W-1:0] res_vm, rd_vm;
  logic [31:0]     rd_key;
  vm_ip_hash_table #(.WAYS(WAYS), .BUCKETS(BUCKETS), .SLOTS(1), .STASH(STASH), .VM_W(VM_W),
                     .MUTANT_NO_BYPASS(MUTANT_RTL)) dut (
    .clk, .rst, .lk_valid, .lk_key, .res_valid, .res_hit, .res_vm,
    .wr_en, .wr_slot, .wr_key, .wr_vm, .wr_entry_valid,
    .rd_req, .rd_slot, .rd_valid, .rd_key, .rd_vm, .rd_entry_valid,
    .clear_req(1'b0), .init_busy);

  // K's bucket in each way (the same hash module as the table; valid 2 cycles after reset).
  logic [WAYS*IDX_W-1:0] k_idx;
  for (genvar w = 0; w < WAYS; w++) begin : g_h
    vm_ip_hash_index #(.WAY(w), .IDX_W(IDX_W)) u_idx (.clk, .key(key_k), .idx(k_idx[IDX_W*w +: IDX_W]));
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
  // Only lookups of K: the pipeline stages are independent, other keys' lookups cannot
  // change K's result, and hashing one constant key keeps the solver fast.
  always_comb assume (lk_key == key_k);

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
    p_k[0]      = lk_valid && lk_key == key_k;
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

  always_ff @(posedge clk) begin
    if (!rst && p_k[LAT]) begin
      assert (res_valid);
      // (a) the lookup saw one consistent state of every way and the stash
      if (!HOST) assert (res_hit == e_hit[LAT] && (!res_hit || res_vm == e_vm[LAT]));
      // (b) present throughout (moves included): found, with a VM K had meanwhile
      if (HOST && p_pres[LAT] && p_stable[LAT])
        assert (res_hit && p_vals[(1<<VM_W)*LAT + res_vm]);
      // (b) deleted before the lookup was issued: not found
      if (HOST && p_abs[LAT] && p_stable[LAT]) assert (!res_hit);
    end
  end

`ifdef FV_COVER
  always_ff @(posedge clk) begin
    if (!rst && p_k[LAT]) begin
      cover (!HOST && res_hit && res_vm == 2'd3);          // a hit
      cover (HOST && res_hit && copies == 2);              // found in the middle of a move
      cover (HOST && !res_hit && p_abs[LAT] && p_stable[LAT]);
    end
  end
`endif
endmodule
