// IPv4 header parse and sanity check on the start of a datagram (purely combinational: the
// callers register around it). Byte 0 of the datagram is hdr[7:0], as on the AXI data bus.
// Multi-byte fields are big-endian on the wire and are returned as host-order numbers
// (192.0.2.1 -> 32'hC0000201).
//
// Checks, in this order (the first failing one is the reason): version 4; IHL at least 5 and
// the header no longer than the datagram nor than the HDR_BYTES the caller can show (the TX
// path sees a whole 64-byte beat, so every IHL fits; the RX path sees the 50 header bytes left
// in the first beat after the Ethernet header); total length equal to the datagram length;
// the header checksum over IHL*4 bytes (RFC 1071: the one's-complement sum is 0xFFFF).
//
// `reason` is meaningful only with `en` high: the caller raises it in the cycle it takes the
// verdict. Without it the checksum adder tree is not evaluated (the simulator skips it on the
// many clocks without a new header) and `reason` reports a checksum error for any header that
// passes the earlier checks. Synthesis gets the same tree and one AND.
module ipv4_hdr_check #(
  parameter int HDR_BYTES = 60,        // header bytes visible in hdr, 20..60, even
  localparam int WORDS    = HDR_BYTES / 2
) (
  input  logic                  en,      // the caller takes `reason` in this cycle
  input  logic [8*HDR_BYTES-1:0] hdr,
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

  // One's-complement sum of the header's 16-bit words. Words beyond IHL*4 bytes are masked
  // rather than selected by a variable index, and the masked words are added as a balanced tree
  // (5 adder levels for 32 leaves) rather than a chain: the check sits between the AXI R data
  // and a register, and a 30-adder chain was the NIC's longest path. 30 words of 16 bits fit in
  // 21 bits; two end-around-carry folds bring the sum back to 16.
  localparam int LEAVES = 32;                     // WORDS rounded up to a power of two
  logic [LEAVES*21-1:0] tree;
  logic [20:0] sum_wide;
  logic [16:0] sum_fold1;
  logic [15:0] sum;
  logic        csum_ok;
  always_comb begin
    tree = '0;
    if (en) begin
      for (int w = 0; w < WORDS; w++)
        if (5'(w) < {hdr[3:0], 1'b0}) tree[21*w +: 21] = 21'({b(2*w), b(2*w + 1)});
      for (int stride = 1; stride < LEAVES; stride = stride * 2)
        for (int i = 0; i < LEAVES; i = i + 2 * stride)
          tree[21*i +: 21] = tree[21*i +: 21] + tree[21*(i + stride) +: 21];
    end
    sum_wide  = tree[20:0];
    sum_fold1 = 17'(sum_wide[15:0]) + 17'(sum_wide[20:16]);
    sum       = sum_fold1[15:0] + 16'(sum_fold1[16]);
    csum_ok   = en && sum == 16'hFFFF;
  end

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
    else if (ihl < 4'd5 || {10'd0, ihl, 2'b00} > buf_len || 32'({ihl, 2'b00}) > 32'(HDR_BYTES))
      reason = smartnic_regs_pkg::DROP_IP_IHL;
    else if (total_len != buf_len)
      reason = smartnic_regs_pkg::DROP_IP_LEN;
    else if (!csum_ok)
      reason = smartnic_regs_pkg::DROP_IP_CHECKSUM;
    else
      reason = smartnic_regs_pkg::DROP_NONE;
  end
endmodule
