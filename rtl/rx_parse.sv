// RX parse: classifies each frame from the MAC on its first beat, strips the 14-byte
// Ethernet header of the frames it keeps and stores their datagrams, realigned to start at
// byte 0 of a beat, for the RX DMA engine.
//
// The MAC cannot be back-pressured (a real CMAC has no TREADY), so a frame is admitted only
// if the receive buffer, the lookup queue and the frame-info queue all have room for a whole
// maximum-size frame when its first beat arrives; otherwise it is dropped as RX_OVERFLOW.
// Frames dropped on their first beat (wrong MAC, EtherType, bad IPv4 header) are counted
// through `drop_*` and never stored. Whether a stored frame is finally delivered is decided
// by the DMA engine, from the info record (MAC error flag, length) and the table lookup.
//
// Removing 14 bytes shifts every byte across the beats; the shift is constant, so each
// stored beat is bytes 14..63 of one input beat followed by bytes 0..13 of the next.
module rx_parse #(
  parameter int MAX_FRAME_BEATS = 143       // 9000 + 14 bytes, plus slack for FCS-less padding
) (
  input  logic         clk,
  input  logic         rst,
  input  logic [47:0]  mac_own,
  // frames from the MAC (no back-pressure)
  input  logic         s_valid,
  input  logic [511:0] s_data,
  input  logic [63:0]  s_keep,
  input  logic         s_last,
  input  logic         s_user,              // on the last beat: frame error (bad FCS)
  // space available downstream, checked at each first beat
  input  logic [15:0]  data_space,          // free beats in the receive buffer
  input  logic         info_space,          // frame-info and lookup queues can take one more
  // stored datagram beats
  output logic         d_valid,
  output logic [511:0] d_data,
  output logic         d_last,
  // frame-info record, at the end of each stored frame
  output logic         i_valid,
  output logic         i_bad,               // MAC error flag or truncated datagram
  output logic [smartnic_regs_pkg::REASON_W-1:0] i_reason,
  output logic [15:0]  i_len,               // IPv4 total length = bytes to deliver
  output logic         i_arp,               // an ARP request: no data stored, key = asked address
  output logic [47:0]  i_arp_sha,           // the asker's MAC and address
  output logic [31:0]  i_arp_spa,
  output logic [31:0]  i_arp_tpa,           // the address asked for
  // lookup of the destination address, one per stored frame, issued at its first beat
  output logic         k_valid,
  output logic [31:0]  k_key,
  // frames dropped on their first beat
  output logic         drop_valid,
  output logic [smartnic_regs_pkg::REASON_W-1:0] drop_reason,
  output logic         frame_seen           // a frame ended (any outcome)
);
  localparam int HDR = 14;
  localparam int TAIL = 64 - HDR;            // datagram bytes carried by each input beat's tail
  localparam logic [15:0] ETHERTYPE_IPV4 = 16'h0800;
  localparam logic [15:0] ETHERTYPE_ARP  = 16'h0806;
  localparam logic [47:0] BROADCAST = 48'hFFFF_FFFF_FFFF;

  // ---- first-beat classification ----
  logic [47:0] dst_mac;
  logic [15:0] ethertype;
  logic [smartnic_regs_pkg::REASON_W-1:0] ip_reason, first_reason;
  logic [31:0] ip_dst;
  logic [15:0] ip_total;
  logic        hdr_en;         // a first beat: the header check's verdict is taken
  logic [6:0]  beat_bytes;
  logic        arp_request;
  logic [47:0] arp_sha;
  logic [31:0] arp_spa, arp_tpa;
  always_comb begin
    arp_request = 1'b0;  arp_sha = '0;  arp_spa = '0;  arp_tpa = '0;
    dst_mac = '0;  ethertype = '0;  beat_bytes = '0;
    // Only with a beat on the input (every use is): the simulator skips it on idle clocks.
    if (s_valid) begin
      // ARP for IPv4 over Ethernet, operation 1 (request): HTYPE 1, PTYPE 0x0800, HLEN 6, PLEN 4.
      arp_request = {s_data[8*14 +: 8], s_data[8*15 +: 8]} == 16'h0001 &&
                    {s_data[8*16 +: 8], s_data[8*17 +: 8]} == 16'h0800 &&
                    s_data[8*18 +: 8] == 8'd6 && s_data[8*19 +: 8] == 8'd4 &&
                    {s_data[8*20 +: 8], s_data[8*21 +: 8]} == 16'h0001;
      for (int i = 0; i < 6; i++) arp_sha[8*(5-i) +: 8] = s_data[8*(22+i) +: 8];
      for (int i = 0; i < 4; i++) begin
        arp_spa[8*(3-i) +: 8] = s_data[8*(28+i) +: 8];
        arp_tpa[8*(3-i) +: 8] = s_data[8*(38+i) +: 8];
      end
      for (int i = 0; i < 6; i++) dst_mac[8*(5-i) +: 8] = s_data[8*i +: 8];
      ethertype = {s_data[8*12 +: 8], s_data[8*13 +: 8]};
      beat_bytes = 7'($countones(s_keep));   // as a 64-step sum it cost the simulator ~75 instructions a clock
    end
  end

  /* verilator lint_off PINCONNECTEMPTY */
  // The IPv4 header bytes in the first beat, after the Ethernet header: IHL up to 12 (48 bytes);
  // a longer header (over 28 bytes of options, rare in practice) is refused as IP_IHL.
  ipv4_hdr_check #(.HDR_BYTES(TAIL)) u_hdr (
    .en(hdr_en), .hdr(s_data[8*HDR +: 8*TAIL]), .buf_len(ip_total),
    .version(), .ihl(), .total_len(ip_total), .ttl(), .protocol(), .src(), .dst(ip_dst),
    .reason(ip_reason));
  /* verilator lint_on PINCONNECTEMPTY */

  logic first_arp;
  assign first_arp = ethertype == ETHERTYPE_ARP;
  always_comb begin
    // The IPv4 total length is checked against the frame at its end (padding is legal);
    // here the header must be IPv4, sane, and the frame must hold at least the header.
    // ARP requests are kept (as a record, without data) for the DMA engine to answer.
    // (Used only for a first beat; evaluated only with a beat on the input.)
    if (!s_valid)
      first_reason = smartnic_regs_pkg::DROP_NONE;
    else if (s_last && beat_bytes < 7'(HDR + (first_arp ? 28 : 20)))
      first_reason = smartnic_regs_pkg::DROP_RX_BAD_FRAME;
    else if (dst_mac != mac_own && dst_mac != BROADCAST)
      first_reason = smartnic_regs_pkg::DROP_RX_NOT_FOR_US;
    else if (first_arp)
      first_reason = !arp_request ? smartnic_regs_pkg::DROP_ARP_UNHANDLED
                   : !info_space  ? smartnic_regs_pkg::DROP_RX_OVERFLOW
                                  : smartnic_regs_pkg::DROP_NONE;
    else if (ethertype != ETHERTYPE_IPV4)
      first_reason = smartnic_regs_pkg::DROP_RX_ETHERTYPE;
    else if (ip_reason != smartnic_regs_pkg::DROP_NONE)
      first_reason = ip_reason;
    else if (ip_total < 16'd20)
      first_reason = smartnic_regs_pkg::DROP_IP_LEN;
    else if (data_space < 16'(MAX_FRAME_BEATS) || !info_space)
      first_reason = smartnic_regs_pkg::DROP_RX_OVERFLOW;
    else
      first_reason = smartnic_regs_pkg::DROP_NONE;
  end

  // ---- per-frame state ----
  logic        in_frame_q;     // beats after the first one of a frame are arriving
  logic        keep_q;         // the current frame is being stored (IPv4) or answered (ARP)
  logic        arp_q;          // ... and it is an ARP request (record only, no data)
  logic [47:0] sha_q;
  logic [31:0] spa_q, tpa_q;
  logic [15:0] bytes_q;        // frame bytes so far
  logic [15:0] total_q;        // IPv4 total length of the stored frame
  logic [8*TAIL-1:0] prev_q;   // bytes 14..63 of the previous input beat
  logic        tail_q;         // a stored frame's last 1..50 bytes still to be written
  logic        first;
  logic [15:0] frame_bytes;

  assign first       = s_valid && !in_frame_q;
  assign hdr_en      = first;
  assign frame_bytes = (first ? 16'd0 : bytes_q) + 16'(beat_bytes);

  always_comb begin
    d_valid = 1'b0;
    d_data  = '0;
    d_last  = 1'b0;
    if (tail_q) begin
      // The previous frame ended with more than 14 bytes in its last beat: write them now.
      // (This cycle's input, if any, is a first beat, which writes nothing.)
      d_valid = 1'b1;
      d_data  = {{(512-8*TAIL){1'b0}}, prev_q};
      d_last  = 1'b1;
    end else if (s_valid && !first && keep_q && !arp_q) begin
      d_valid = 1'b1;
      d_data  = {s_data[8*HDR-1:0], prev_q};
      d_last  = s_last && !s_keep[HDR];
    end
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      in_frame_q <= 1'b0;
      keep_q     <= 1'b0;
      tail_q     <= 1'b0;
    end else begin
      tail_q <= 1'b0;
      if (s_valid) begin
        in_frame_q <= !s_last;
        bytes_q    <= frame_bytes;
        prev_q     <= s_data[511:8*HDR];
        if (first) begin
          keep_q  <= first_reason == smartnic_regs_pkg::DROP_NONE;
          arp_q   <= first_arp;
          sha_q   <= arp_sha;
          spa_q   <= arp_spa;
          tpa_q   <= arp_tpa;
          total_q <= ip_total;
          if (s_last && first_reason == smartnic_regs_pkg::DROP_NONE && !first_arp) tail_q <= 1'b1;
        end else if (s_last && keep_q && !arp_q && s_keep[HDR]) begin
          tail_q <= 1'b1;
        end
      end
    end
  end

  // ---- outputs at the frame's first and last beats ----
  logic store_first;
  assign store_first = first && first_reason == smartnic_regs_pkg::DROP_NONE;

  assign k_valid = store_first;
  assign k_key   = first_arp ? arp_tpa : ip_dst;

  assign drop_valid  = first && first_reason != smartnic_regs_pkg::DROP_NONE;
  assign drop_reason = first_reason;
  assign frame_seen  = s_valid && s_last;

  // The record goes out with the frame's last beat. A frame may be stored and end on its
  // first beat; its total length then comes from this beat rather than total_q.
  logic [15:0] total;
  assign total   = first ? ip_total : total_q;
  assign i_valid = s_valid && s_last && (first ? store_first : keep_q);
  assign i_len   = total;
  assign i_arp     = first ? first_arp : arp_q;
  assign i_arp_sha = first ? arp_sha : sha_q;
  assign i_arp_spa = first ? arp_spa : spa_q;
  assign i_arp_tpa = first ? arp_tpa : tpa_q;
  always_comb begin
    i_bad    = 1'b0;
    i_reason = smartnic_regs_pkg::DROP_NONE;
    if (s_user) begin
      i_bad    = 1'b1;
      i_reason = smartnic_regs_pkg::DROP_RX_BAD_FRAME;
    end else if (!i_arp && total > frame_bytes - 16'(HDR)) begin
      i_bad    = 1'b1;
      i_reason = smartnic_regs_pkg::DROP_IP_LEN;
    end
  end

endmodule
