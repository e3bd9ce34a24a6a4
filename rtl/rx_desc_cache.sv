// RX descriptor cache: hands out, per VM, the next free input buffer the host posted on
// that VM's RX ring. Descriptors are read four at a time (one 64-byte beat) and kept per VM,
// so most frames need no descriptor read at all.
module rx_desc_cache #(
  parameter int NUM_VMS   = smartnic_regs_pkg::NUM_VMS,
  localparam int VM_IDX_W = NUM_VMS > 1 ? $clog2(NUM_VMS) : 1
) (
  input  logic                    clk,
  input  logic                    rst,
  input  logic [NUM_VMS*64-1:0]   vm_rx_base,
  input  logic [NUM_VMS*5-1:0]    vm_rx_size_log2,
  input  logic [NUM_VMS*16-1:0]   vm_rx_prod,
  input  logic [NUM_VMS-1:0]      vm_rx_reset,
  output logic [NUM_VMS*16-1:0]   vm_rx_next,     // index of the next descriptor to be used
  // request: a buffer for this VM
  input  logic                req_valid,
  input  logic [VM_IDX_W-1:0] req_vm,
  output logic                rsp_valid,          // one cycle; the request is then consumed
  output logic                rsp_ok,             // false: the VM has no posted buffer
  output logic [smartnic_regs_pkg::REASON_W-1:0] rsp_reason,
  output logic [63:0]         rsp_addr,
  output logic [15:0]         rsp_cap,
  output logic [31:0]         rsp_cookie,
  output logic [15:0]         rsp_idx,
  // AXI read (ID assigned by the read mux)
  output logic        ar_valid,
  input  logic        ar_ready,
  output logic [63:0] ar_addr,
  output logic [7:0]  ar_len,
  input  logic        r_valid,
  output logic        r_ready,
  input  logic [511:0] r_data,
  input  logic [1:0]  r_resp
);
  logic [NUM_VMS*512-1:0] cache_q;
  logic [NUM_VMS*3-1:0]   cnt_q;       // cached descriptors left (0..4)
  logic [NUM_VMS*16-1:0]  fetch_q;     // next ring index to read from memory
  logic                   waiting_q;   // a descriptor read is in flight
  logic [2:0]             want_q;      // descriptors that read brings

  logic [15:0] mask, pos, avail, to_end, n;
  logic [1:0]  slot;
  always_comb begin
    mask   = 16'((17'd1 << vm_rx_size_log2[5*req_vm +: 5]) - 17'd1);
    pos    = fetch_q[16*req_vm +: 16] & mask;
    avail  = vm_rx_prod[16*req_vm +: 16] - fetch_q[16*req_vm +: 16];
    to_end = mask - pos + 16'd1;
    n      = 16'd4 - 16'(pos[1:0]);
    if (avail < n) n = avail;
    if (to_end < n) n = to_end;
    slot   = vm_rx_next[16*req_vm +: 2];
  end

  logic have, fetch_ok;
  assign have     = cnt_q[3*req_vm +: 3] != 3'd0;
  assign fetch_ok = n != 16'd0;

  // A response is given from the cache, or straight away when nothing is posted.
  assign rsp_valid  = req_valid && !waiting_q && !ar_valid && (have || !fetch_ok);
  assign rsp_ok     = have;
  assign rsp_reason = smartnic_regs_pkg::DROP_RX_NO_BUFFER;
  logic [127:0] desc;
  assign desc       = cache_q[512*req_vm + 128*slot +: 128];
  assign rsp_addr   = desc[8*smartnic_regs_pkg::RX_DESC_ADDR_BYTE +: 64];
  assign rsp_cap    = desc[8*smartnic_regs_pkg::RX_DESC_LEN_BYTE +: 16];
  assign rsp_cookie = desc[8*smartnic_regs_pkg::RX_DESC_COOKIE_BYTE +: 32];
  assign rsp_idx    = vm_rx_next[16*req_vm +: 16];

  assign r_ready = waiting_q;

  always_ff @(posedge clk) begin
    if (rst) begin
      cnt_q      <= '0;
      fetch_q    <= '0;
      vm_rx_next <= '0;
      waiting_q  <= 1'b0;
      ar_valid   <= 1'b0;
    end else begin
      if (ar_valid && ar_ready) begin
        ar_valid  <= 1'b0;
        waiting_q <= 1'b1;
      end
      if (req_valid && !waiting_q && !ar_valid && !have && fetch_ok) begin
        // Read the beat holding the next descriptors; the request waits for them.
        ar_valid <= 1'b1;
        ar_addr  <= vm_rx_base[64*req_vm +: 64] + {44'd0, pos[15:2], 6'd0};
        ar_len   <= 8'd0;
        want_q   <= 3'(n);
      end
      if (waiting_q && r_valid) begin
        waiting_q <= 1'b0;
        // A failed read leaves the ring untouched; the request will try again.
        if (r_resp == 2'b00) begin
          cache_q[512*req_vm +: 512] <= r_data;
          cnt_q[3*req_vm +: 3]       <= want_q;
          fetch_q[16*req_vm +: 16]   <= fetch_q[16*req_vm +: 16] + 16'(want_q);
        end
      end
      if (rsp_valid && rsp_ok) begin
        cnt_q[3*req_vm +: 3]       <= cnt_q[3*req_vm +: 3] - 3'd1;
        vm_rx_next[16*req_vm +: 16] <= vm_rx_next[16*req_vm +: 16] + 16'd1;
      end
      for (int v = 0; v < NUM_VMS; v++) begin
        if (vm_rx_reset[v]) begin
          cnt_q[3*v +: 3]       <= '0;
          fetch_q[16*v +: 16]   <= '0;
          vm_rx_next[16*v +: 16] <= '0;
        end
      end
    end
  end

  /* verilator lint_off UNUSEDSIGNAL */
  logic unused;
  assign unused = ^{desc[95:80]};
  /* verilator lint_on UNUSEDSIGNAL */
endmodule
