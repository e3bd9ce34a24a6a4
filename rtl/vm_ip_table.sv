// VM-IP table: IPv4 address -> VM id.
//
// This version is a parallel-compare table (every slot compared every clock), fine for a
// few dozen entries. Its interface is the one a block-RAM hash table needs as well:
//   * placement is the host's job: the host names the slot of every write;
//   * every update is ONE single-slot write, so a lookup in flight sees either the old or
//     the new entry, never a half-written one (the atomicity the runtime relies on);
//   * lookups are pipelined with a fixed latency of LATENCY cycles, one per clock, no stall.
module vm_ip_table #(
  parameter int ENTRIES = 64,
  parameter int VM_W    = 8,
  localparam int SLOT_W = $clog2(ENTRIES)
) (
  input  logic              clk,
  input  logic              rst,
  // Lookup: the result appears 2 cycles after lk_valid. Consumers wait for res_valid
  // instead of counting cycles, so a deeper block-RAM hash table can replace this one.
  input  logic              lk_valid,
  input  logic [31:0]       lk_key,
  output logic              res_valid,
  output logic              res_hit,
  output logic [VM_W-1:0]   res_vm,
  // Single-slot write from the host (through the CSR block).
  input  logic              wr_en,
  input  logic [SLOT_W-1:0] wr_slot,
  input  logic [31:0]       wr_key,
  input  logic [VM_W-1:0]   wr_vm,
  input  logic              wr_entry_valid,
  // Slot read-back for table dumps.
  input  logic [SLOT_W-1:0] rd_slot,
  output logic [31:0]       rd_key,
  output logic [VM_W-1:0]   rd_vm,
  output logic              rd_entry_valid
);
  // Flat vectors, one field each: Yosys 0.23 reads neither multi-dimensional packed
  // arrays nor member access on arrays of structs.
  logic [ENTRIES*32-1:0]   key_q;
  logic [ENTRIES*VM_W-1:0] vm_q;
  logic [ENTRIES-1:0]           valid_q;

  always_ff @(posedge clk) begin
    if (rst) begin
      valid_q <= '0;
    end else if (wr_en) begin
      valid_q[wr_slot] <= wr_entry_valid;
    end
  end
  always_ff @(posedge clk) begin
    if (wr_en) begin
      key_q[32*wr_slot +: 32] <= wr_key;
      vm_q[VM_W*wr_slot +: VM_W] <= wr_vm;
    end
  end

  assign rd_key         = key_q[32*rd_slot +: 32];
  assign rd_vm          = vm_q[VM_W*rd_slot +: VM_W];
  assign rd_entry_valid = valid_q[rd_slot];

  // Stage 1: compare against every slot and reduce to a VM id, all from the table state of
  // ONE clock edge, so a single-slot write is seen entirely or not at all. The reduction is
  // an OR tree: the host never stores a key twice, except transiently during a move, and
  // then both copies carry the same VM. Stage 2 is an output register (timing).
  logic            s1_valid, s1_hit;
  logic [VM_W-1:0] s1_vm;
  always_ff @(posedge clk) begin
    logic            hit;
    logic [VM_W-1:0] vm;
    hit = 1'b0;
    vm  = '0;
    for (int i = 0; i < ENTRIES; i++) begin
      if (valid_q[i] && key_q[32*i +: 32] == lk_key) begin
        hit = 1'b1;
        vm  = vm | vm_q[VM_W*i +: VM_W];
      end
    end
    s1_hit <= hit;
    s1_vm  <= vm;
    if (rst) s1_valid <= 1'b0;
    else     s1_valid <= lk_valid;
  end

  always_ff @(posedge clk) begin
    if (rst) res_valid <= 1'b0;
    else     res_valid <= s1_valid;
    res_hit <= s1_hit;
    res_vm  <= s1_vm;
  end
endmodule
