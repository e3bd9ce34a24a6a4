// Formal abstraction of rtl/ipv4_hdr_check.sv for harnesses whose properties do not depend on
// which header is accepted (fv_tx_verdict): the same ports; the addresses are the same byte
// fields as in the real module (the lookup keys are checked against them), the verdict
// `reason` is taken from byte 21 of the header, which nothing else in tx_verdict reads but
// the beat data on its way to the framer. With the harness's data free, `reason` is then any
// value in every cycle, independent of the addresses: for every run with the real check
// (reason = f(header, length)) the same run with byte 21 set to f(...) exists here and differs
// only in o_data, which no property reads. So a property proven with this module holds with
// the real one, and the solver is spared the 30-word checksum adder tree. (Taken from the data
// rather than $anyseq so that a counterexample replays in `sim` from the harness's inputs.)
// `en` is ignored: `reason` is any value in every cycle, which covers the real module's
// checksum error while `en` is low.
module ipv4_hdr_check #(
  parameter int HDR_BYTES = 60
) (
  /* verilator lint_off UNUSEDSIGNAL */
  input  logic                  en,
  /* verilator lint_on UNUSEDSIGNAL */
  input  logic [8*HDR_BYTES-1:0] hdr,
  input  logic [15:0]  buf_len,
  output logic [3:0]   version,
  output logic [3:0]   ihl,
  output logic [15:0]  total_len,
  output logic [7:0]   ttl,
  output logic [7:0]   protocol,
  output logic [31:0]  src,
  output logic [31:0]  dst,
  output logic [smartnic_regs_pkg::REASON_W-1:0] reason
);
  assign version   = hdr[7:4];
  assign ihl       = hdr[3:0];
  assign total_len = buf_len;
  assign ttl       = hdr[71:64];
  assign protocol  = hdr[79:72];
  assign src       = {hdr[103:96], hdr[111:104], hdr[119:112], hdr[127:120]};
  assign dst       = {hdr[135:128], hdr[143:136], hdr[151:144], hdr[159:152]};
  assign reason    = hdr[173:168];
endmodule
