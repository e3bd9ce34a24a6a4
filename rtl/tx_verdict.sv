// TX verdict: one decision per job, in job order, pipelined so that the VM-IP lookups of the
// next datagrams run while the current one streams out.
//
//   front   job + R beats -> [F register: header check done] -> lookups (destination and
//           source in the same cycle, on two lookup ports) -> decision queue (one entry per
//           job) + beat queue (the datagram's beats)
//   results each port answers in issue order -> destination queue, source queue -> pairs
//   back    head decision + its result pair -> verdict -> beats to the framer (EXTERNAL) or
//           the bit bucket (HAIRPIN: the host copies from the VM's output buffer; DROP);
//           the completion is queued with the last beat, when the NIC no longer needs the
//           output buffer.
//
// A datagram is never on the wire before its verdict is known: the back stage only moves a
// beat once the head decision has its lookup results. Verdict, first match wins:
//   descriptor drop (from the fetcher) / AXI error on the first beat / header check reason
//   -> DROP(reason); source address not registered to the sending VM -> DROP(SPOOFED_SRC);
//   destination registered to a VM -> HAIRPIN(vm); else EXTERNAL.
// A read error on a later beat turns the verdict into DROP(AXI_ERROR) and aborts an EXTERNAL
// frame already under way (o_user on its last beat).
//
// Rates: one beat per clock through both stages. A datagram costs one slot of the lookup port
// shared with RX (destination) and one of a port of its own (source, on a second copy of the
// table that takes the same writes), so single-beat datagrams can go at one per clock.
module tx_verdict #(
  parameter int NUM_VMS    = smartnic_regs_pkg::NUM_VMS,
  parameter int BEAT_DEPTH = 32,   // beats queued ahead of the back stage (covers lookup latency)
  parameter int DEC_DEPTH  = 16,   // decisions queued (one per job)
  parameter int RES_DEPTH  = 16,   // result pairs queued; lookups in flight are credited against it
  // Formal mutants (formal/fv_tx_verdict.sv), 0 in the design: 1 = the source owner is not
  // compared (a hit for any VM passes), 2 = a dropped job's decision is not popped (its
  // completion is issued again and again).
  parameter int MUTANT     = 0,
  localparam int VM_IDX_W  = NUM_VMS > 1 ? $clog2(NUM_VMS) : 1
) (
  input  logic                clk,
  input  logic                rst,
  // jobs from the data fetcher
  input  logic                j_valid,
  output logic                j_ready,
  input  logic [VM_IDX_W-1:0] j_vm,
  input  logic [15:0]         j_idx,
  input  logic [15:0]         j_len,
  input  logic [31:0]         j_cookie,
  input  logic                j_drop,
  input  logic [smartnic_regs_pkg::REASON_W-1:0] j_reason,
  // datagram data (AXI R beats of the data reads, in order)
  input  logic        r_valid,
  output logic        r_ready,
  input  logic [511:0] r_data,
  input  logic [1:0]  r_resp,
  // VM-IP table lookup: destination addresses
  output logic        lk_valid,
  input  logic        lk_ready,         // the lookup port is shared with the RX path
  output logic [31:0] lk_key,
  input  logic        res_valid,
  input  logic        res_hit,
  input  logic [7:0]  res_vm,
  // VM-IP table lookup: source addresses (a port of its own, always ready; answers in order)
  output logic        lk2_valid,
  output logic [31:0] lk2_key,
  input  logic        res2_valid,
  input  logic        res2_hit,
  input  logic [7:0]  res2_vm,
  // datagram stream to the Ethernet framer (EXTERNAL only)
  output logic         o_valid,
  input  logic         o_ready,
  output logic [511:0] o_data,
  output logic [63:0]  o_keep,
  output logic         o_last,
  output logic         o_user,      // on the last beat: abort the frame (read error mid-frame)
  // completion record
  output logic        c_valid,
  input  logic        c_ready,
  output logic [31:0] c_cookie,
  output logic [15:0] c_idx,
  output logic [15:0] c_len,
  output logic [7:0]  c_src_vm,
  output logic [7:0]  c_dst_vm,
  output logic [1:0]  c_verdict,
  output logic [smartnic_regs_pkg::REASON_W-1:0] c_reason,
  output logic        idle
);
  localparam int RW    = smartnic_regs_pkg::REASON_W;
  localparam int JOB_W = VM_IDX_W + 16 + 16 + 32;          // {vm, idx, len, cookie}
  localparam int DEC_W = JOB_W + 1 + 1 + RW;                // + {no_beats, lookup, reason}
  localparam int CPL_W = 32 + 16 + 16 + 8 + 8 + 2 + RW;
  localparam int CPL_DEPTH = 4;
  localparam int CREDIT_W  = $clog2(RES_DEPTH) + 1;

  // =====================================================================================
  // Front, stage 0: take a job (and its first beat) or the job's next beat into F.
  // =====================================================================================
  logic        in_job_q;           // beats of the current job are still arriving
  logic [8:0]  beats_left_q;       // beats after the one in F (9000 B = 141 beats)
  logic        f_adv;              // F is free this cycle (empty, or its item leaves)
  logic        take_drop, take_first, take_next;

  assign take_drop  = f_adv && !in_job_q && j_valid && j_drop;
  assign take_first = f_adv && !in_job_q && j_valid && !j_drop && r_valid;
  assign take_next  = f_adv && in_job_q && r_valid;
  assign j_ready    = take_drop || take_first;
  assign r_ready    = take_first || take_next;

  // The header check runs on the raw R beat; its result is registered into F with the beat, so
  // the checksum's adder tree and the lookup request are in different clock cycles.
  logic [RW-1:0] hdr_reason;
  logic [31:0]   hdr_src, hdr_dst;
  logic [8:0]    job_beats;
  /* verilator lint_off PINCONNECTEMPTY */  // the addresses and the verdict are what matter here
  ipv4_hdr_check #(.HDR_BYTES(60)) u_hdr (
    .en(take_first), .hdr(r_data[479:0]), .buf_len(j_len),
    .version(), .ihl(), .total_len(), .ttl(), .protocol(), .src(hdr_src), .dst(hdr_dst),
    .reason(hdr_reason));
  /* verilator lint_on PINCONNECTEMPTY */
  assign job_beats = 9'((17'(j_len) + 17'd63) >> 6);

  // F: one item, a dropped job (no beats) or a beat (the first one carries its job).
  logic              f_valid_q, f_first_q, f_nobeat_q, f_last_q, f_err_q;
  logic [511:0]      f_data_q;
  logic [JOB_W-1:0]  f_job_q;
  logic [RW-1:0]     f_reason_q;   // descriptor drop, first-beat AXI error or header reason
  logic [31:0]       f_src_q, f_dst_q;

  always_ff @(posedge clk) begin
    if (rst) begin
      f_valid_q <= 1'b0;
      in_job_q  <= 1'b0;
    end else begin
      if (f_adv) f_valid_q <= take_drop || take_first || take_next;
      if (take_first) begin
        in_job_q     <= job_beats != 9'd1;
        beats_left_q <= job_beats - 9'd1;
      end else if (take_next) begin
        in_job_q     <= beats_left_q != 9'd1;
        beats_left_q <= beats_left_q - 9'd1;
      end
    end
    if (f_adv) begin
      f_first_q  <= take_drop || take_first;
      f_nobeat_q <= take_drop;
      f_err_q    <= r_resp != 2'b00;
      // Only with a beat taken (the beat queue takes f_data_q only then): an idle stage does
      // not copy the 512-bit R data every clock in the simulator.
      if (take_first || take_next) f_data_q <= r_data;
      f_last_q   <= take_first ? job_beats == 9'd1 : beats_left_q == 9'd1;
      if (take_drop || take_first) begin
        f_job_q    <= {j_vm, j_idx, j_len, j_cookie};
        f_src_q    <= hdr_src;
        f_dst_q    <= hdr_dst;
        f_reason_q <= take_drop            ? j_reason
                    : r_resp != 2'b00      ? smartnic_regs_pkg::DROP_AXI_ERROR
                                           : hdr_reason;
      end
    end
  end

  // =====================================================================================
  // Front, stage 1: F -> decision queue, beat queue, lookups.
  // =====================================================================================
  logic             dec_in_ready, beat_in_ready, f_lookup, f_go, dst_issue;
  logic [CREDIT_W-1:0] credits_q;  // result pairs promised (in flight or queued)

  assign f_lookup = f_first_q && !f_nobeat_q && f_reason_q == smartnic_regs_pkg::DROP_NONE;

  // A first beat that needs lookups goes only when the destination lookup is accepted; its
  // source lookup goes in the same cycle on the second port, which never refuses one.
  always_comb begin
    f_go = 1'b0;
    if (f_valid_q) begin
      if (f_nobeat_q)
        f_go = dec_in_ready;
      else if (!f_first_q)
        f_go = beat_in_ready;
      else if (!f_lookup)
        f_go = dec_in_ready && beat_in_ready;
      else
        f_go = dec_in_ready && beat_in_ready && lk_ready && credits_q != CREDIT_W'(RES_DEPTH);
    end
  end
  assign f_adv     = !f_valid_q || f_go;
  assign dst_issue = f_go && f_lookup;

  assign lk_valid  = f_valid_q && f_lookup && dec_in_ready && beat_in_ready &&
                     credits_q != CREDIT_W'(RES_DEPTH);
  assign lk_key    = f_dst_q;
  assign lk2_valid = dst_issue;
  assign lk2_key   = f_src_q;

`ifdef FORMAL
  // formal views of the queues (sync_fifo fv_items), read by the helper invariants below
  logic [DEC_DEPTH*DEC_W-1:0] fv_dec_items;
  logic [RES_DEPTH*9-1:0]     fv_src_res_items;
  logic [CPL_DEPTH*CPL_W-1:0] fv_cpl_items;
`endif
  logic [DEC_W-1:0] dec_in, dec_out;
  logic             dec_valid, dec_pop;
  logic [$clog2(DEC_DEPTH):0] dec_count;
  assign dec_in = {f_job_q, f_nobeat_q, f_lookup, f_reason_q};
  sync_fifo #(.WIDTH(DEC_W), .DEPTH(DEC_DEPTH)) u_dec (
    .clk, .rst,
    .in_valid(f_go && f_first_q), .in_ready(dec_in_ready), .in_data(dec_in),
    .out_valid(dec_valid), .out_ready(dec_pop), .out_data(dec_out), .count(dec_count)
`ifdef FORMAL
    , .fv_items(fv_dec_items)
`endif
    );

  logic [513:0] beat_out;
  logic         beat_valid, beat_pop;
  logic [$clog2(BEAT_DEPTH):0] beat_count;
  sync_fifo #(.WIDTH(514), .DEPTH(BEAT_DEPTH)) u_beats (
    .clk, .rst,
    .in_valid(f_go && !f_nobeat_q), .in_ready(beat_in_ready), .in_data({f_last_q, f_err_q, f_data_q}),
    .out_valid(beat_valid), .out_ready(beat_pop), .out_data(beat_out), .count(beat_count));

  // =====================================================================================
  // Lookup results: each port answers in issue order; the n-th destination answer and the
  // n-th source answer belong to the same datagram.
  // =====================================================================================
  logic [17:0] res_out;
  logic       pair_valid, pair_pop, dst_res_valid, src_res_valid;
  logic [$clog2(RES_DEPTH):0] res_count, src_res_count;
  // Never full when an answer arrives: a pair is only looked up against a credit.
  /* verilator lint_off PINCONNECTEMPTY */
  sync_fifo #(.WIDTH(9), .DEPTH(RES_DEPTH)) u_res (
    .clk, .rst,
    .in_valid(res_valid), .in_ready(), .in_data({res_hit, res_vm}),
    .out_valid(dst_res_valid), .out_ready(pair_pop), .out_data(res_out[17:9]), .count(res_count));
  sync_fifo #(.WIDTH(9), .DEPTH(RES_DEPTH)) u_src_res (
    .clk, .rst,
    .in_valid(res2_valid), .in_ready(), .in_data({res2_hit, res2_vm}),
    .out_valid(src_res_valid), .out_ready(pair_pop), .out_data(res_out[8:0]),
    .count(src_res_count)
`ifdef FORMAL
    , .fv_items(fv_src_res_items)
`endif
    );
  /* verilator lint_on PINCONNECTEMPTY */
  assign pair_valid = dst_res_valid && src_res_valid;

  always_ff @(posedge clk) begin
    if (rst) credits_q <= '0;
    else     credits_q <= credits_q + CREDIT_W'(dst_issue) - CREDIT_W'(pair_pop);
  end

  // =====================================================================================
  // Back: verdict for the head decision, then its beats, then its completion.
  // =====================================================================================
  logic [VM_IDX_W-1:0] d_vm;
  logic [15:0]         d_idx, d_len;
  logic [31:0]         d_cookie;
  logic                d_nobeat, d_lookup;
  logic [RW-1:0]       d_reason;
  logic                p_dst_hit, p_src_hit;
  logic [7:0]          p_dst_vm, p_src_vm;
  assign {d_vm, d_idx, d_len, d_cookie, d_nobeat, d_lookup, d_reason} = dec_out;
  assign {p_dst_hit, p_dst_vm, p_src_hit, p_src_vm} = res_out;

  logic          decided, forward, b_last, b_err, err_q, cpl_in_ready, cpl_push, beat_go;
  logic [1:0]    verdict, fin_verdict;
  logic [RW-1:0] reason, fin_reason;
  logic [7:0]    dst_vm, fin_dst_vm;

  assign decided = dec_valid && (!d_lookup || pair_valid);
  always_comb begin
    verdict = smartnic_regs_pkg::VERDICT_DROP;
    reason  = d_reason;
    dst_vm  = 8'd0;
    if (d_reason == smartnic_regs_pkg::DROP_NONE) begin
      if (!p_src_hit || (MUTANT != 1 && p_src_vm != 8'(d_vm))) begin
        reason = smartnic_regs_pkg::DROP_SPOOFED_SRC;
      end else if (p_dst_hit) begin
        verdict = smartnic_regs_pkg::VERDICT_HAIRPIN;
        dst_vm  = p_dst_vm;
      end else begin
        verdict = smartnic_regs_pkg::VERDICT_EXTERNAL;
      end
    end
  end
  assign forward = verdict == smartnic_regs_pkg::VERDICT_EXTERNAL;

  assign b_last = beat_out[513];
  assign b_err  = beat_out[512];
  // The last beat waits for room in the completion queue before it is offered, so o_valid never
  // falls without a transfer (the queue only drains while we wait).
  always_comb begin
    o_valid = decided && !d_nobeat && beat_valid && forward && (!b_last || cpl_in_ready);
    o_data  = beat_out[511:0];
    o_last  = b_last;
    o_user  = b_last && (err_q || b_err);
    o_keep  = '1;
    if (b_last && d_len[5:0] != 6'd0) o_keep = (64'd1 << d_len[5:0]) - 64'd1;
  end
  assign beat_go  = decided && !d_nobeat && beat_valid && (!b_last || cpl_in_ready) &&
                    (forward ? o_ready : 1'b1);
  assign beat_pop = beat_go;
  assign cpl_push = (decided && d_nobeat && cpl_in_ready) || (beat_go && b_last);
  assign dec_pop  = cpl_push && !(MUTANT == 2 && d_nobeat);
  assign pair_pop = cpl_push && d_lookup;

  always_ff @(posedge clk) begin
    if (rst || cpl_push) err_q <= 1'b0;
    else if (beat_go && b_err) err_q <= 1'b1;
  end

  // A read error anywhere in the datagram makes it a drop (an EXTERNAL frame already on its way
  // was aborted with o_user).
  always_comb begin
    fin_verdict = verdict;
    fin_reason  = reason;
    fin_dst_vm  = dst_vm;
    if (!d_nobeat && (err_q || b_err)) begin
      fin_verdict = smartnic_regs_pkg::VERDICT_DROP;
      fin_reason  = smartnic_regs_pkg::DROP_AXI_ERROR;
      fin_dst_vm  = 8'd0;
    end
  end

  logic [CPL_W-1:0] cpl_out;
  logic [$clog2(CPL_DEPTH):0] cpl_count;
  sync_fifo #(.WIDTH(CPL_W), .DEPTH(CPL_DEPTH)) u_cpl (
    .clk, .rst,
    .in_valid(cpl_push), .in_ready(cpl_in_ready),
    .in_data({d_cookie, d_idx, d_len, 8'(d_vm), fin_dst_vm, fin_verdict, fin_reason}),
    .out_valid(c_valid), .out_ready(c_ready), .out_data(cpl_out), .count(cpl_count)
`ifdef FORMAL
    , .fv_items(fv_cpl_items)
`endif
    );
  assign {c_cookie, c_idx, c_len, c_src_vm, c_dst_vm, c_verdict, c_reason} = cpl_out;

  assign idle = !in_job_q && !f_valid_q && credits_q == '0 &&
                dec_count == '0 && beat_count == '0 && cpl_count == '0 && !j_valid;

  /* verilator lint_off UNUSEDSIGNAL */
  logic unused;
  assign unused = ^{res_count, src_res_count};
  /* verilator lint_on UNUSEDSIGNAL */

`ifndef SMARTNIC_NO_ASSERTIONS  // the fast model leaves the checks out (docs/verification.md)
  // ================ assertions (formal + Verilator --assert) ================
  // Property 3 of docs/verification.md (verdict integrity); proven by formal/fv_tx_verdict.sv
  // and checked in every Verilated test. Registers fv_* only feed these statements.
  //
  //  - Exactly one completion per job, in job order: a completion is only delivered for a job
  //    taken and not yet completed (fv_out_q), none is left when the stage is idle, and a
  //    watched job (any job in the proof; in simulation, the next job taken whenever the
  //    previous watched one has completed) gets the completion delivered right after those
  //    of the jobs taken before it, carrying its own cookie, index, length and VM.
  //  - A watched datagram is only sent (beats on o_*, verdict EXTERNAL) or hairpinned if the
  //    result of ITS source lookup (on the second port: the answer to the lk2 lookup issued
  //    with its destination lookup, counted in order on res2; keys checked against its
  //    header) hit and named the sending VM, its destination result (on res) has come too,
  //    and neither the fetcher, the AXI read of its first beat nor the header check dropped it.
  //
  // Assumed (checked in simulation against lookup_arb + table, the second table copy and
  // tx_data_fetch): on each port a lookup result arrives only for a lookup issued (port 1:
  // accepted) in an earlier cycle, results in order; a job dropped by the fetcher carries a
  // reason other than DROP_NONE.
  localparam int FV_W = 8;   // counts of items in flight (bounded by the queue depths)
  logic fv_pick;   // watch the job taken now (if none is watched)
`ifdef FORMAL
  // Free in the harness: a data bit that only ever reaches o_data, i.e. any job may be picked.
  assign fv_pick = r_data[511];
`else
  assign fv_pick = 1'b1;
`endif
  logic             fv_live_q;
  logic [FV_W-1:0]  fv_out_q;            // jobs taken whose completion was not delivered
  logic [FV_W-1:0]  fv_pend_q;           // jobs taken whose completion was not queued
  logic [FV_W-1:0]  fv_lk_q;             // destination lookups accepted, result not come
  logic [FV_W-1:0]  fv_lk2_q;            // source lookups issued, result not come
  logic             fv_w_q;              // a job is watched
  logic             fv_w_inf_q;          // ... its first item is in F
  logic             fv_w_pushed_q;       // ... its completion is in the completion queue
  logic [FV_W-1:0]  fv_w_push_ahead_q;   // completions to queue before its own
  logic [FV_W-1:0]  fv_w_cpl_ahead_q;    // completions to deliver before its own
  logic [JOB_W-1:0] fv_w_job_q;          // {vm, idx, len, cookie}
  logic             fv_w_early_q;        // dropped by the fetcher, first-beat read error or header
  logic [RW-1:0]    fv_w_jreason_q;      // the fetcher's reason when it dropped the job
  logic             fv_w_jdrop_q;
  logic [31:0]      fv_w_src_q, fv_w_dst_q;  // header addresses of its first beat
  logic [FV_W-1:0]  fv_w_res_ahead_q;    // res results to come before its destination result
  logic [FV_W-1:0]  fv_w_res2_ahead_q;   // res2 results to come before its source result
  logic             fv_w_lk_q;           // its lookups were issued
  logic [1:0]       fv_w_res_q;          // its own results received: [0] destination, [1] source
  logic             fv_w_src_hit_q;
  logic [7:0]       fv_w_src_vm_q;

  logic fv_take, fv_cpl_out, fv_lk_acc, fv_start, fv_src_ok, fv_w_head;
  assign fv_take    = j_valid && j_ready;
  assign fv_cpl_out = c_valid && c_ready;
  assign fv_lk_acc  = lk_valid && lk_ready;
  assign fv_start   = fv_take && fv_pick && !fv_w_q;
  assign fv_src_ok  = !fv_w_early_q && fv_w_res_q == 2'd3 && fv_w_src_hit_q &&
                      fv_w_src_vm_q == 8'(fv_w_job_q[JOB_W-1 -: VM_IDX_W]);
  // The watched job's decision heads the decision queue.
  assign fv_w_head  = fv_w_q && !fv_w_inf_q && !fv_w_pushed_q && fv_w_push_ahead_q == '0;

  always_ff @(posedge clk) begin
    if (rst) begin
      fv_live_q <= 1'b1;
      fv_out_q  <= '0;
      fv_pend_q <= '0;
      fv_lk_q   <= '0;
      fv_lk2_q  <= '0;
      fv_w_q    <= 1'b0;
    end else begin
      fv_out_q <= fv_out_q + FV_W'(fv_take) - FV_W'(fv_cpl_out);
      fv_pend_q <= fv_pend_q + FV_W'(fv_take) - FV_W'(cpl_push);
      fv_lk_q  <= fv_lk_q + FV_W'(fv_lk_acc) - FV_W'(res_valid);
      fv_lk2_q <= fv_lk2_q + FV_W'(lk2_valid) - FV_W'(res2_valid);
      if (fv_start) begin
        fv_w_q            <= 1'b1;
        fv_w_inf_q        <= 1'b1;
        fv_w_pushed_q     <= 1'b0;
        fv_w_push_ahead_q <= fv_pend_q - FV_W'(cpl_push);
        fv_w_cpl_ahead_q  <= fv_out_q - FV_W'(fv_cpl_out);
        fv_w_job_q        <= {j_vm, j_idx, j_len, j_cookie};
        fv_w_jdrop_q      <= j_drop;
        fv_w_jreason_q    <= j_reason;
        fv_w_early_q      <= j_drop || r_resp != 2'b00 ||
                             hdr_reason != smartnic_regs_pkg::DROP_NONE;
        fv_w_src_q        <= hdr_src;
        fv_w_dst_q        <= hdr_dst;
        fv_w_lk_q         <= 1'b0;
        fv_w_res_q        <= 2'd0;
      end else if (fv_w_q) begin
        if (fv_w_inf_q && f_go) begin
          fv_w_inf_q <= 1'b0;
          // its two lookups: destination on lk, source on lk2, in the same cycle (the
          // assertions below check that lk2 goes with it)
          if (dst_issue) begin
            fv_w_lk_q         <= 1'b1;
            fv_w_res_ahead_q  <= fv_lk_q - FV_W'(res_valid);
            fv_w_res2_ahead_q <= fv_lk2_q - FV_W'(res2_valid);
          end
        end
        // bit 0: its destination result came (res); bit 1: its source result came (res2)
        if (fv_w_lk_q && res_valid) begin
          if (fv_w_res_ahead_q != '0) fv_w_res_ahead_q <= fv_w_res_ahead_q - 1'b1;
          else fv_w_res_q[0] <= 1'b1;
        end
        if (fv_w_lk_q && res2_valid) begin
          if (fv_w_res2_ahead_q != '0) fv_w_res2_ahead_q <= fv_w_res2_ahead_q - 1'b1;
          else if (!fv_w_res_q[1]) begin
            fv_w_res_q[1]  <= 1'b1;
            fv_w_src_hit_q <= res2_hit;
            fv_w_src_vm_q  <= res2_vm;
          end
        end
        if (cpl_push) begin
          if (fv_w_push_ahead_q != '0) fv_w_push_ahead_q <= fv_w_push_ahead_q - 1'b1;
          else if (!fv_w_inf_q) fv_w_pushed_q <= 1'b1;
        end
        if (fv_cpl_out) begin
          if (fv_w_cpl_ahead_q != '0) fv_w_cpl_ahead_q <= fv_w_cpl_ahead_q - 1'b1;
          else fv_w_q <= 1'b0;
        end
      end
    end
  end

  // Interface contracts (assumed by the proof, checked in simulation): on each port, lookup
  // results only for lookups accepted (issued) in an earlier cycle; a job the fetcher drops carries its reason (tx_data_fetch sets
  // j_drop exactly when the reason is not DROP_NONE).
  always_ff @(posedge clk) begin
    if (!rst && fv_live_q) begin
      assume (!res_valid || fv_lk_q != '0);
      assume (!res2_valid || fv_lk2_q != '0);
      if (j_valid && j_drop) assume (j_reason != smartnic_regs_pkg::DROP_NONE);
    end
  end

  always_ff @(posedge clk) begin
    if (!rst && fv_live_q) begin
      // one completion per job, none when idle left over
      if (fv_cpl_out) assert (fv_out_q != '0);
      if (cpl_push) assert (fv_pend_q != '0);
      if (idle) assert (fv_out_q == '0);
      if (fv_w_q && cpl_push && fv_w_push_ahead_q == '0 && !fv_w_pushed_q)
        assert (!fv_w_inf_q && {d_vm, d_idx, d_len, d_cookie} == fv_w_job_q);
      // the watched job's completion: its own, in order, and a verdict it deserves
      if (fv_w_q && fv_cpl_out && fv_w_cpl_ahead_q == '0) begin
        assert (!fv_w_inf_q && fv_w_pushed_q);
        assert ({c_src_vm, c_idx, c_len, c_cookie} ==
                {8'(fv_w_job_q[JOB_W-1 -: VM_IDX_W]), fv_w_job_q[JOB_W-VM_IDX_W-1:0]});
        if (c_verdict != smartnic_regs_pkg::VERDICT_DROP) assert (fv_src_ok);
        if (fv_w_jdrop_q)
          assert (c_verdict == smartnic_regs_pkg::VERDICT_DROP && c_reason == fv_w_jreason_q);
      end
      // its beats reach the wire only once its own source lookup named the sending VM
      if (fv_w_head && o_valid) assert (fv_src_ok);
      // its lookups carry the addresses of its own header, source with destination
      if (fv_w_q && fv_w_inf_q && dst_issue)
        assert (lk_key == fv_w_dst_q && lk2_valid && lk2_key == fv_w_src_q);
      // a source lookup only ever goes with a destination lookup (one pair per datagram)
      if (lk2_valid) assert (fv_lk_acc);
      // the design's own view (pairing of results with decisions), kept from simulation
      if (cpl_push && fin_verdict != smartnic_regs_pkg::VERDICT_DROP)
        assert (d_lookup && p_src_hit && p_src_vm == 8'(d_vm) &&
                d_reason == smartnic_regs_pkg::DROP_NONE);
    end
  end

  // ---------------- helper invariants (the induction of property 3) ----------------
  // They tie the ghost counters and the watched job's record to the queues (jobs taken and
  // not completed = F + decision queue + completion queue; lookups in flight on each port =
  // credits - answers queued on that port; where the watched job's decision, answers and
  // completion sit, and what they hold). With them all assertions of this block together are
  // 3-inductive (docs/verification.md, property 3: ABC `ind`, two frames assumed, the third
  // checked). The ones on counters and the F register hold in simulation too (full depths)
  // and run there; the ones that read queued entries need the queues' formal view (sync_fifo
  // fv_items) and are formal-only.
  localparam int FX = FV_W + 1;   // sums of counts, wide enough not to wrap
  logic [FV_W-1:0] fv_in_f;   // a job's first item (its decision) is in F
  assign fv_in_f = FV_W'(f_valid_q && f_first_q);
  always_ff @(posedge clk) begin
    if (!rst && fv_live_q) begin
      // jobs taken, not yet completed: in F, in the decision queue, in the completion queue
      assert (FX'(fv_pend_q) == FX'(fv_in_f) + FX'(dec_count));
      assert (FX'(fv_out_q) == FX'(fv_pend_q) + FX'(cpl_count));
      // lookups in flight on each port = result pairs promised - answers queued on that port
      assert (FX'(credits_q) == FX'(fv_lk_q) + FX'(res_count));
      assert (FX'(credits_q) == FX'(fv_lk2_q) + FX'(src_res_count));
      assert (credits_q <= CREDIT_W'(RES_DEPTH));
      assert (dec_count <= ($clog2(DEC_DEPTH)+1)'(DEC_DEPTH));
      assert (cpl_count <= ($clog2(CPL_DEPTH)+1)'(CPL_DEPTH));
      assert (beat_count <= ($clog2(BEAT_DEPTH)+1)'(BEAT_DEPTH));
      // a dropped job in F is a first item with its reason
      if (f_valid_q && f_nobeat_q)
        assert (f_first_q && f_reason_q != smartnic_regs_pkg::DROP_NONE);
      // the watched job: in F (its first item), then its decision in the decision queue at
      // fv_w_push_ahead_q, then its completion in the completion queue at fv_w_cpl_ahead_q
      if (fv_w_q && fv_w_inf_q) begin
        assert (f_valid_q && f_first_q && f_job_q == fv_w_job_q &&
                f_src_q == fv_w_src_q && f_dst_q == fv_w_dst_q);
        assert (f_nobeat_q == fv_w_jdrop_q &&
                (f_reason_q != smartnic_regs_pkg::DROP_NONE) == fv_w_early_q);
        if (fv_w_jdrop_q) assert (f_reason_q == fv_w_jreason_q);
        assert (!fv_w_pushed_q && !fv_w_lk_q && fv_w_push_ahead_q == FV_W'(dec_count));
      end
      if (fv_w_q && !fv_w_inf_q && !fv_w_pushed_q)
        assert (fv_w_push_ahead_q < FV_W'(dec_count));
      if (fv_w_q && !fv_w_pushed_q)
        assert (FX'(fv_w_cpl_ahead_q) == FX'(cpl_count) + FX'(fv_w_push_ahead_q));
      if (fv_w_q && fv_w_pushed_q)
        assert (fv_w_push_ahead_q == '0 && fv_w_cpl_ahead_q < FV_W'(cpl_count));
      // its answers: none before its lookups; both before its completion is queued
      if (fv_w_q && !fv_w_lk_q) assert (fv_w_res_q == 2'd0);
      if (fv_w_q && fv_w_lk_q) assert (!fv_w_early_q && !fv_w_jdrop_q);
      if (fv_w_q && fv_w_lk_q && fv_w_pushed_q) assert (fv_w_res_q == 2'd3);
    end
  end

`ifdef FORMAL
  // Queued entries: decisions {job, nobeat, lookup, reason}; completions {cookie, idx, len,
  // src_vm, dst_vm, verdict, reason}; source answers {hit, vm}.
  logic [FV_W-1:0]  fv_dec_lk;        // queued decisions with lookups (= result pairs promised)
  logic [FV_W-1:0]  fv_dec_lk_ahead;  // ... ahead of the watched job's decision
  logic             fv_dec_ok;        // every queued decision: lookup iff no reason, drop has one
  logic [DEC_W-1:0] fv_dec_w;         // the watched job's decision (valid when it is queued)
  logic [CPL_W-1:0] fv_cpl_w;         // its completion (valid when queued)
  logic [8:0]       fv_src_res_w;     // its source answer (valid when queued)
  always_comb begin
    fv_dec_lk       = '0;
    fv_dec_lk_ahead = '0;
    fv_dec_ok       = 1'b1;
    fv_dec_w        = fv_dec_items[DEC_W-1:0];
    fv_cpl_w        = fv_cpl_items[CPL_W-1:0];
    fv_src_res_w    = fv_src_res_items[8:0];
    for (int i = 0; i < DEC_DEPTH; i++) begin
      if (($clog2(DEC_DEPTH)+1)'(i) < dec_count) begin
        if (fv_dec_items[DEC_W*i + RW]) fv_dec_lk = fv_dec_lk + 1'b1;
        if (fv_dec_items[DEC_W*i + RW] !=
            (fv_dec_items[DEC_W*i +: RW] == smartnic_regs_pkg::DROP_NONE))
          fv_dec_ok = 1'b0;
        if (fv_dec_items[DEC_W*i + RW + 1] &&
            fv_dec_items[DEC_W*i +: RW] == smartnic_regs_pkg::DROP_NONE)
          fv_dec_ok = 1'b0;
      end
      if (FV_W'(i) < fv_w_push_ahead_q && fv_dec_items[DEC_W*i + RW])
        fv_dec_lk_ahead = fv_dec_lk_ahead + 1'b1;
      if (FV_W'(i) == fv_w_push_ahead_q) fv_dec_w = fv_dec_items[DEC_W*i +: DEC_W];
    end
    for (int i = 0; i < CPL_DEPTH; i++)
      if (FV_W'(i) == fv_w_cpl_ahead_q) fv_cpl_w = fv_cpl_items[CPL_W*i +: CPL_W];
    for (int i = 0; i < RES_DEPTH; i++)
      if (FV_W'(i) == fv_dec_lk_ahead) fv_src_res_w = fv_src_res_items[9*i +: 9];
  end

  always_ff @(posedge clk) begin
    if (!rst && fv_live_q) begin
      assert (fv_dec_ok);
      assert (FV_W'(credits_q) == fv_dec_lk);
      if (fv_w_q && !fv_w_inf_q && !fv_w_pushed_q) begin
        assert (fv_dec_w[DEC_W-1 -: JOB_W] == fv_w_job_q);
        assert (fv_dec_w[RW+1] == fv_w_jdrop_q && fv_dec_w[RW] == fv_w_lk_q &&
                (fv_dec_w[RW-1:0] != smartnic_regs_pkg::DROP_NONE) == fv_w_early_q);
        if (fv_w_jdrop_q) assert (fv_dec_w[RW-1:0] == fv_w_jreason_q);
        // its answers on each port: still to come (after fv_w_res*_ahead_q others), or
        // queued behind the answers of the decisions ahead of it
        if (fv_w_lk_q) begin
          if (fv_w_res_q[0])
            assert (fv_w_res_ahead_q == '0 && FV_W'(res_count) > fv_dec_lk_ahead);
          else
            assert (FX'(res_count) + FX'(fv_w_res_ahead_q) == FX'(fv_dec_lk_ahead));
          if (fv_w_res_q[1])
            assert (fv_w_res2_ahead_q == '0 && FV_W'(src_res_count) > fv_dec_lk_ahead &&
                    fv_src_res_w == {fv_w_src_hit_q, fv_w_src_vm_q});
          else
            assert (FX'(src_res_count) + FX'(fv_w_res2_ahead_q) == FX'(fv_dec_lk_ahead));
        end
      end
      if (fv_w_q && fv_w_pushed_q) begin
        // {cookie, idx, len, src_vm} of its completion are its own
        assert ({fv_cpl_w[CPL_W-1 -: 32], fv_cpl_w[CPL_W-33 -: 32], fv_cpl_w[RW+17 -: 8]} ==
                {fv_w_job_q[31:0], fv_w_job_q[63:32], 8'(fv_w_job_q[JOB_W-1 -: VM_IDX_W])});
        if (fv_cpl_w[RW+1 -: 2] != smartnic_regs_pkg::VERDICT_DROP) assert (fv_src_ok);
        if (fv_w_jdrop_q)
          assert (fv_cpl_w[RW+1 -: 2] == smartnic_regs_pkg::VERDICT_DROP &&
                  fv_cpl_w[RW-1:0] == fv_w_jreason_q);
      end
    end
  end
`endif
`endif  // SMARTNIC_NO_ASSERTIONS
endmodule
