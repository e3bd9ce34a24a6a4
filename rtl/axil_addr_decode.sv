// Decodes a control-register byte offset into "which per-VM block and which register in
// it" or "which drop-reason counter". Used for both the read and the write channel.
module axil_addr_decode #(
  parameter int NUM_VMS   = smartnic_regs_pkg::NUM_VMS,
  parameter int NUM_DROPS = smartnic_regs_pkg::NUM_DROP_REASONS,
  localparam int VM_IDX_W   = NUM_VMS > 1 ? $clog2(NUM_VMS) : 1,
  localparam int DROP_IDX_W = $clog2(NUM_DROPS)
) (
  input  logic [15:0]           addr,
  output logic                  is_vm,
  output logic [VM_IDX_W-1:0]   vm,
  output logic [7:0]            vm_off,
  output logic                  is_drop,
  output logic [DROP_IDX_W-1:0] drop
);
  localparam int VM_BASE   = smartnic_regs_pkg::VM_BLOCK_BASE;
  localparam int VM_SHIFT  = $clog2(smartnic_regs_pkg::VM_BLOCK_STRIDE);
  localparam int DROP_BASE = smartnic_regs_pkg::DROP_CNT_BASE;

  logic [15:0] vm_rel, drop_rel;
  always_comb begin
    vm_rel   = addr - 16'(VM_BASE);
    drop_rel = addr - 16'(DROP_BASE);
    is_vm    = addr >= 16'(VM_BASE) && (vm_rel >> VM_SHIFT) < 16'(NUM_VMS);
    vm       = VM_IDX_W'(vm_rel >> VM_SHIFT);
    vm_off   = vm_rel[7:0];
    is_drop  = addr >= 16'(DROP_BASE) && drop_rel[1:0] == 2'b00 && (drop_rel >> 2) < 16'(NUM_DROPS);
    drop     = DROP_IDX_W'(drop_rel >> 2);
  end
endmodule
