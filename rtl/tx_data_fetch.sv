// TX datagram fetch: checks each descriptor, then reads its datagram from host memory.
//
// Every descriptor becomes exactly one job, in order, for the verdict stage. A descriptor
// that fails a check (length, alignment, outside the VM's guest-memory window, failed
// descriptor read) becomes a job marked as dropped and causes NO memory access: the window
// check is what keeps a VM from making the NIC read memory that is not its own.
// Datagrams are read in bursts that never cross a 4 KB boundary. Up to MAX_BEATS beats may be
// outstanding: enough to cover PCIe-like latency at full bandwidth (1 us x 64 B/cycle = 250
// beats), and no more, because every read issued also delays the reads behind it, such as
// the RX path's descriptor reads.
module tx_data_fetch #(
  parameter int NUM_VMS    = smartnic_regs_pkg::NUM_VMS,
  parameter int MAX_READS  = 256,
  parameter int MAX_BEATS  = 384,
  parameter int JOB_DEPTH  = 256,
  // Formal mutant (docs/verification.md), 0 in the design: 1 lets a buffer end one byte past
  // its window (an off-by-one in the window end), which the memory-isolation proof must catch.
  parameter bit MUTANT_WINDOW_END = 1'b0,
  localparam int VM_IDX_W  = NUM_VMS > 1 ? $clog2(NUM_VMS) : 1,
  localparam int JOB_W     = VM_IDX_W + 16 + 16 + 32 + 1 + smartnic_regs_pkg::REASON_W
) (
  input  logic                     clk,
  input  logic                     rst,
  input  logic [NUM_VMS*64-1:0] vm_win_base,
  input  logic [NUM_VMS*64-1:0] vm_win_size,
  // descriptors
  input  logic                d_valid,
  output logic                d_ready,
  input  logic [VM_IDX_W-1:0] d_vm,
  input  logic [15:0]         d_idx,
  input  logic [63:0]         d_addr,
  input  logic [15:0]         d_len,
  input  logic [31:0]         d_cookie,
  input  logic                d_err,
  // AXI read address for datagram data
  output logic        ar_valid,
  input  logic        ar_ready,
  output logic [63:0] ar_addr,
  output logic [7:0]  ar_len,
  input  logic        burst_done,          // last beat of one of our bursts accepted
  input  logic        beat_done,           // a beat of our read data accepted
  // jobs, in descriptor order
  output logic                j_valid,
  input  logic                j_ready,
  output logic [VM_IDX_W-1:0] j_vm,
  output logic [15:0]         j_idx,
  output logic [15:0]         j_len,
  output logic [31:0]         j_cookie,
  output logic                j_drop,
  output logic [smartnic_regs_pkg::REASON_W-1:0] j_reason,
  output logic                idle
);
  localparam int OUT_W = $clog2(MAX_READS) + 1;
  localparam int BEAT_W = $clog2(MAX_BEATS + 64) + 1;

  // ---- descriptor checks ----
  // The reads cover whole 64-byte beats, so the end checked is the end of the last beat read
  // (the buffer starts 64-byte aligned), not addr + len: a window whose end is not a multiple
  // of 64 must not let the last beat read past it. A buffer reaching past 2^64 (where the
  // reads would wrap to address 0) is refused (dma_window_pkg).
  logic [16:0] len_beats;        // d_len rounded up to whole beats, in bytes
  logic [smartnic_regs_pkg::REASON_W-1:0] reason;
  always_comb begin
    len_beats = (17'(d_len) + 17'd63) & ~17'd63;
    reason  = smartnic_regs_pkg::DROP_NONE;
    if (d_err)
      reason = smartnic_regs_pkg::DROP_AXI_ERROR;
    else if (d_len < 16'(smartnic_regs_pkg::MIN_DATAGRAM) || d_len > 16'(smartnic_regs_pkg::MAX_DATAGRAM))
      reason = smartnic_regs_pkg::DROP_DESC_LEN;
    else if (d_addr[5:0] != 6'd0)
      reason = smartnic_regs_pkg::DROP_DESC_ALIGN;
    else if (!dma_window_pkg::range_inside(d_addr, 64'(len_beats), vm_win_base[64*d_vm +: 64],
                                           vm_win_size[64*d_vm +: 64], 64'(MUTANT_WINDOW_END)))
      reason = smartnic_regs_pkg::DROP_DESC_WINDOW;
  end

  // ---- burst splitting ----
  logic        busy_q;            // still issuing bursts for the current datagram
  logic [63:0] cur_addr_q;
  logic [8:0]  beats_left_q;      // 9000 B = 141 beats
  logic [OUT_W-1:0] outstanding_q;
  logic [BEAT_W-1:0] beats_out_q;
  logic        ar_free, can_issue, job_in_ready, take_desc, issue;
  logic [63:0] next_addr;
  logic [8:0]  next_beats, burst;

  assign ar_free   = !ar_valid || ar_ready;
  assign can_issue = ar_free && outstanding_q != OUT_W'(MAX_READS) &&
                     beats_out_q + BEAT_W'(burst) <= BEAT_W'(MAX_BEATS);

  // The burst that would be issued this cycle: continue the current datagram, or start the
  // one at the head of the descriptor queue.
  always_comb begin
    logic [6:0] to_4k;
    next_addr  = busy_q ? cur_addr_q : d_addr;
    next_beats = busy_q ? beats_left_q : 9'((17'(d_len) + 17'd63) >> 6);
    to_4k      = 7'(7'd64 - 7'(next_addr[11:6]));   // beats up to the 4 KB boundary (1..64)
    burst      = next_beats < 9'(to_4k) ? next_beats : 9'(to_4k);
  end

  assign take_desc = !busy_q && d_valid && job_in_ready &&
                     (reason != smartnic_regs_pkg::DROP_NONE || can_issue);
  assign issue     = can_issue && (busy_q || (take_desc && reason == smartnic_regs_pkg::DROP_NONE));
  assign d_ready   = take_desc;

  always_ff @(posedge clk) begin
    if (rst) begin
      ar_valid      <= 1'b0;
      busy_q        <= 1'b0;
      outstanding_q <= '0;
      beats_out_q   <= '0;
    end else begin
      if (ar_valid && ar_ready) ar_valid <= 1'b0;
      if (issue) begin
        ar_valid     <= 1'b1;
        ar_addr      <= next_addr;
        ar_len       <= 8'(burst - 9'd1);
        cur_addr_q   <= next_addr + {49'd0, burst, 6'd0};
        beats_left_q <= next_beats - burst;
        busy_q       <= next_beats != burst;
      end
      outstanding_q <= outstanding_q + OUT_W'(issue) - OUT_W'(burst_done);
      beats_out_q   <= beats_out_q + (issue ? BEAT_W'(burst) : '0) - BEAT_W'(beat_done);
    end
  end

  logic [JOB_W-1:0] j_in, j_out;
  logic [$clog2(JOB_DEPTH):0] job_count;
  assign j_in = {d_vm, d_idx, d_len, d_cookie, reason != smartnic_regs_pkg::DROP_NONE, reason};
  sync_fifo #(.WIDTH(JOB_W), .DEPTH(JOB_DEPTH)) u_jobs (
    .clk, .rst,
    .in_valid(take_desc), .in_ready(job_in_ready), .in_data(j_in),
    .out_valid(j_valid), .out_ready(j_ready), .out_data(j_out), .count(job_count));
  assign {j_vm, j_idx, j_len, j_cookie, j_drop, j_reason} = j_out;

  assign idle = !busy_q && !ar_valid && outstanding_q == '0 && job_count == '0;

`ifndef SMARTNIC_NO_ASSERTIONS  // the fast model leaves the checks out (docs/verification.md)
  // ======================= assertions (formal + Verilator --assert) =======================
  // Properties 1 and 4 of docs/verification.md, proven by formal/fv_tx_data_fetch.sv and
  // checked in every Verilated test. Immediate assertions in a clocked block: the form both
  // Yosys (-formal) and Verilator read. The fv_* registers are observation only (no fan-out
  // into the design; synthesis removes them).
  //
  // Ghost state: the window of the VM whose datagram is being read, latched when its first
  // burst is issued (the moment the window was checked). Bursts are compared with that, so a
  // window changed by the host while a datagram is in flight is not a false alarm in simulation.
  // Checks start at the first reset: before it (simulation time 0) the state is arbitrary.
  logic fv_live_q;
  always_ff @(posedge clk) if (rst) fv_live_q <= 1'b1;
  logic [63:0] fv_win_lo_q;
  logic [64:0] fv_win_hi_q;
  always_ff @(posedge clk) begin
    if (take_desc && reason == smartnic_regs_pkg::DROP_NONE) begin
      fv_win_lo_q <= vm_win_base[64*d_vm +: 64];
      fv_win_hi_q <= {1'b0, vm_win_base[64*d_vm +: 64]} + {1'b0, vm_win_size[64*d_vm +: 64]};
    end
  end
  // P1 and P4 of the address channel (window, aligned beats, 4 KB, held until accepted).
  axi_burst_check u_ar_check (
    .clk, .rst, .live(fv_live_q), .valid(ar_valid), .ready(ar_ready), .addr(ar_addr),
    .len(ar_len), .win_lo(fv_win_lo_q), .win_hi(fv_win_hi_q));

  always_ff @(posedge clk) begin
    if (!rst && fv_live_q) begin
      // The environment: responses only for bursts and beats that were asked for.
      assume (!(burst_done && outstanding_q == '0));
      assume (!(beat_done && beats_out_q == '0));
      // P4: outstanding bursts and beats never above their limits.
      assert (32'(outstanding_q) <= MAX_READS);
      assert (32'(beats_out_q) <= MAX_BEATS);
      // Inductive helper: the rest of the datagram still to be read lies inside the window.
      if (busy_q) begin
        assert (cur_addr_q[5:0] == 6'd0 && beats_left_q != 9'd0);
        assert (cur_addr_q >= fv_win_lo_q);
        assert ({1'b0, cur_addr_q} + {50'd0, beats_left_q, 6'd0} <= fv_win_hi_q);
        assert (!(({1'b0, cur_addr_q} + {50'd0, beats_left_q, 6'd0}) > {1'b1, 64'd0}));  // below 2^64
      end
    end
  end
`endif  // SMARTNIC_NO_ASSERTIONS
endmodule
