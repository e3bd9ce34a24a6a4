// Assertions only (formal + Verilator --assert; synthesis removes them with chformal): the
// rules every DMA master's address channel (AR or AW) keeps, stated once for all of them:
//   property 1, memory isolation: the burst's first and last byte lie inside the window the
//     master checked the access against (65-bit sums, so nothing wraps);
//   property 4, AXI: whole aligned 64-byte beats, no burst crossing a 4 KB boundary, and the
//     request held with the same address and length until it is accepted.
// The window is the master's ghost state (latched when it checked the access), so a window the
// host changes meanwhile is no false alarm. Instantiated by tx_desc_fetch, tx_data_fetch,
// rx_desc_cache and rx_dma_writer; their proofs are in formal/ (docs/verification.md).
module axi_burst_check (
  input  logic        clk,
  input  logic        rst,
  input  logic        live,     // the master's first reset has been seen
  input  logic        valid,
  input  logic        ready,
  input  logic [63:0] addr,
  input  logic [7:0]  len,      // beats - 1
  input  logic [63:0] win_lo,   // the window: [win_lo, win_hi)
  input  logic [64:0] win_hi
);
  logic        stall_q;         // the request was shown and not taken at the last edge
  logic [63:0] addr_q;
  logic [7:0]  len_q;
  always_ff @(posedge clk) begin
    stall_q <= !rst && valid && !ready;
    addr_q  <= addr;
    len_q   <= len;
  end

  always_ff @(posedge clk) begin
    if (!rst && live) begin
      if (valid) begin
        assert (addr >= win_lo);
        assert ({1'b0, addr} + {50'd0, len, 6'd0} + 65'd64 <= win_hi);
        assert (addr[5:0] == 6'd0);
        assert ({3'd0, addr[11:0]} + {1'b0, len, 6'd0} + 15'd64 <= 15'd4096);
      end
      if (stall_q) assert (valid && addr == addr_q && len == len_q);
    end
  end
endmodule
