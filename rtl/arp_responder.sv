// Answers ARP requests for VM addresses on the VMs' behalf. In IP mode the VMs have no MAC
// on the wire: the NIC's own MAC answers for every address in the VM-IP table, so the
// external network sends all VM traffic to the NIC (like a router doing proxy ARP).
// The reply is one 60-byte frame (one beat), built from the request's fields.
module arp_responder (
  input  logic         clk,
  input  logic         rst,
  input  logic [47:0]  mac_own,
  // a request to answer: the asker's MAC and address, and the VM address asked for
  input  logic         a_valid,
  output logic         a_ready,
  input  logic [47:0]  a_sha,
  input  logic [31:0]  a_spa,
  input  logic [31:0]  a_tpa,
  // reply frame
  output logic         o_valid,
  input  logic         o_ready,
  output logic [511:0] o_data,
  output logic [63:0]  o_keep,
  output logic         o_last,
  output logic         replies_inc
);
  localparam int FRAME_BYTES = 60;   // minimum Ethernet frame without FCS

  // Multi-byte ARP fields go on the wire big-endian; byte 0 of the frame is bits [7:0], so a
  // field's first (most significant) byte must land in its lowest bits.
  function automatic logic [47:0] be48(input logic [47:0] v);
    be48 = {v[7:0], v[15:8], v[23:16], v[31:24], v[39:32], v[47:40]};
  endfunction
  function automatic logic [31:0] be32(input logic [31:0] v);
    be32 = {v[7:0], v[15:8], v[23:16], v[31:24]};
  endfunction

  // The reply as the request's fields give it, last byte first. (One concatenation of small
  // fields: built with a helper that copied the 512-bit frame once per field, the simulator
  // cleared a dozen 512-bit temporaries on every clock.)
  function automatic logic [511:0] reply(input logic [47:0] sha, input logic [31:0] spa,
                                         input logic [31:0] tpa, input logic [47:0] own);
    reply = {176'd0,          // bytes 42..63: padding to the 60-byte minimum and beyond
             be32(spa),       // 38..41 TPA: the asker's address
             be48(sha),       // 32..37 THA: the asker
             be32(tpa),       // 28..31 SPA: the VM address asked for
             be48(own),       // 22..27 SHA: the NIC answers for the VM
             16'h0200,        // 20..21 OPER 2 (reply)
             8'h04,           // 19     PLEN
             8'h06,           // 18     HLEN
             16'h0008,        // 16..17 PTYPE 0x0800 (IPv4)
             16'h0100,        // 14..15 HTYPE 1 (Ethernet)
             16'h0608,        // 12..13 EtherType 0x0806 (ARP)
             be48(own),       // 6..11  Ethernet source: the NIC
             be48(sha)};      // 0..5   Ethernet destination: the asker
  endfunction

  assign a_ready = !o_valid || o_ready;
  assign o_keep  = 64'((65'd1 << FRAME_BYTES) - 65'd1);
  assign o_last  = 1'b1;
  assign replies_inc = a_valid && a_ready;

  always_ff @(posedge clk) begin
    if (rst) begin
      o_valid <= 1'b0;
    end else if (a_ready) begin
      o_valid <= a_valid;
      // Built only for a request: o_data means nothing while o_valid is low. (Built as a
      // continuous value it was rebuilt byte by byte on every cycle of the simulation, for the
      // few ARP requests a run sees; synthesis gets the same wiring either way.)
      if (a_valid) o_data <= reply(a_sha, a_spa, a_tpa, mac_own);
    end
  end
endmodule
