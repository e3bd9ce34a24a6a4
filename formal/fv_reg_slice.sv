// Formal harness for reg_slice (property 4, AXI channel rules; docs/verification.md).
//
// Free environment: input valid, output ready and reset change arbitrarily every cycle. Each
// item carries its own sequence number (the count of items accepted before it), so checking
// that the item at the output is numbered with the count of items taken so far proves that
// items leave in order, none lost, none duplicated. Also: the output is held stable until taken
// (the slice's own assertion), at most two items inside, and full throughput: a cycle in which
// the consumer took or could take an item is followed by one in which the input is ready.
module fv_reg_slice #(
  parameter bit MUTANT = 1'b0
) (
  input logic clk
);
  localparam int W = 8;
  logic rst, s_valid, m_ready;
  assign rst     = $anyseq;
  assign s_valid = $anyseq;
  assign m_ready = $anyseq;

  logic initial_q = 1'b1;
  always_ff @(posedge clk) initial_q <= 1'b0;
  always_comb if (initial_q) assume (rst);

  logic [W-1:0] n_in, n_out;         // items accepted / delivered since reset
  logic         s_ready, m_valid, busy;
  logic [W-1:0] m_data, skid_data;
  logic         skid_valid;
  reg_slice #(.WIDTH(W), .MUTANT_SKIP_SKID(MUTANT)) dut (
    .clk, .rst, .s_valid, .s_ready, .s_data(n_in), .m_valid, .m_ready, .m_data, .busy,
    .fv_skid_valid(skid_valid), .fv_skid_data(skid_data));

  always_ff @(posedge clk) begin
    if (rst) begin
      n_in  <= '0;
      n_out <= '0;
    end else begin
      if (s_valid && s_ready) n_in <= n_in + 1'b1;
      if (m_valid && m_ready) n_out <= n_out + 1'b1;
    end
  end

  logic [W-1:0] inside;
  assign inside = n_in - n_out;
  always_ff @(posedge clk) begin
    if (!initial_q && !rst && !$past(rst)) begin
      assert (inside <= 2);
      assert (busy == (inside != 0));
      assert (m_valid == (inside != 0));
      if (m_valid) assert (m_data == n_out);
      // Induction helpers: the skid item is the one after the output's.
      assert (inside == W'(m_valid) + W'(skid_valid));
      if (skid_valid) assert (skid_data == n_out + 1'b1);
      if ($past(m_ready)) assert (s_ready);
    end
  end

`ifdef FV_COVER
  always_ff @(posedge clk) begin
    if (!rst) begin
      cover (!s_ready);                                      // skid register in use
      cover (s_valid && s_ready && m_valid && m_ready && inside == 1);  // one per clock
    end
  end
`endif
endmodule
