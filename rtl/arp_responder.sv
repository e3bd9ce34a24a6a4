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

  function automatic logic [511:0] put(input logic [511:0] f, input int at, input int n,
                                       input logic [47:0] v);
    logic [511:0] r;
    r = f;
    for (int i = 0; i < n; i++) r[8*(at+i) +: 8] = v[8*(n-1-i) +: 8];   // big-endian
    put = r;
  endfunction

  // The reply as the request's fields give it (byte 0 of the frame in bits [7:0]).
  function automatic logic [511:0] reply(input logic [47:0] sha, input logic [31:0] spa,
                                         input logic [31:0] tpa, input logic [47:0] own);
    logic [511:0] frame;
    frame = '0;
    frame = put(frame, 0, 6, sha);                 // Ethernet destination: the asker
    frame = put(frame, 6, 6, own);                 // Ethernet source: the NIC
    frame = put(frame, 12, 2, 48'h0806);           // EtherType ARP
    frame = put(frame, 14, 2, 48'h0001);           // HTYPE Ethernet
    frame = put(frame, 16, 2, 48'h0800);           // PTYPE IPv4
    frame = put(frame, 18, 1, 48'h06);             // HLEN
    frame = put(frame, 19, 1, 48'h04);             // PLEN
    frame = put(frame, 20, 2, 48'h0002);           // OPER reply
    frame = put(frame, 22, 6, own);                // SHA: the NIC answers for the VM
    frame = put(frame, 28, 4, {16'd0, tpa});       // SPA: the VM address asked for
    frame = put(frame, 32, 6, sha);                // THA
    frame = put(frame, 38, 4, {16'd0, spa});       // TPA
    reply = frame;
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
