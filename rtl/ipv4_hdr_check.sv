// IPv4 header parse and sanity check on the first 20 bytes of a datagram (purely
// combinational: the verdict stage registers around it). Byte 0 of the datagram is
// hdr[7:0], as on the AXI data bus. Multi-byte fields are big-endian on the wire and are
// returned as host-order numbers (192.0.2.1 -> 32'hC0000201).
module ipv4_hdr_check (
  input  logic [159:0] hdr,
  input  logic [15:0]  buf_len,      // datagram length the VM declared in its descriptor
  output logic [3:0]   version,
  output logic [3:0]   ihl,
  output logic [15:0]  total_len,
  output logic [7:0]   ttl,
  output logic [7:0]   protocol,
  output logic [31:0]  src,
  output logic [31:0]  dst,
  output logic [smartnic_regs_pkg::REASON_W-1:0] reason        // DROP_NONE when the header is acceptable
);
  function automatic logic [7:0] b(input int i);
    b = hdr[8*i +: 8];
  endfunction

  always_comb begin
    version   = hdr[7:4];
    ihl       = hdr[3:0];
    total_len = {b(2), b(3)};
    ttl       = b(8);
    protocol  = b(9);
    src       = {b(12), b(13), b(14), b(15)};
    dst       = {b(16), b(17), b(18), b(19)};
    if (version != 4'd4)
      reason = smartnic_regs_pkg::DROP_IP_VERSION;
    else if (ihl < 4'd5 || {10'd0, ihl, 2'b00} > buf_len)
      reason = smartnic_regs_pkg::DROP_IP_IHL;
    else if (total_len != buf_len)
      reason = smartnic_regs_pkg::DROP_IP_LEN;
    else
      reason = smartnic_regs_pkg::DROP_NONE;
  end

  /* verilator lint_off UNUSEDSIGNAL */
  logic unused;   // TOS, ID, fragment, checksum: not needed for the forwarding decision
  assign unused = ^{hdr[15:8], hdr[63:32], hdr[95:80]};
  /* verilator lint_on UNUSEDSIGNAL */
endmodule
