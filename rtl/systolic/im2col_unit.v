// im2col_unit: hardware IM2COL register banks. Two banks of DEPTH slots, each slot one pixel block of B
// signed INT8 values; one bank is loaded (LW blocks per cycle from the activation SRAM) while the other
// feeds LANES output pixels per cycle. Exact port and timing contract: docs/im2col_unit.md (the C++ core
// models/systolic/im2col_unit_core.* implements the same contract and is compared in lockstep).
//
// Lane orders: ld_data block l channel b at byte l*B + b; rd_addr lane i at bits [i*AW +: AW];
// out_data lane i channel b at byte i*B + b.
//
// Deliberate fault for the lockstep checker's self-test. It exists ONLY when the macro is defined; with
// none defined this is the production RTL.
//   NPUSIM_FAULT_IM2COL_BANK  reads of lane LANES-1 use the other bank (!rd_bank).
module im2col_unit #(
    parameter LANES = 4,  // output pixels per slice
    parameter B     = 8,  // channels per pixel block
    parameter DEPTH = 16, // register slots per bank
    parameter LW    = 1,  // pixel blocks written per load cycle
    localparam AW   = (DEPTH > 1) ? $clog2(DEPTH) : 1,
    localparam BW   = B * 8
) (
    input  wire                clk,
    input  wire                rst,
    input  wire                ld_valid,
    input  wire                ld_bank,
    input  wire [      AW-1:0] ld_addr,
    input  wire [   LW*BW-1:0] ld_data,
    input  wire [      LW-1:0] ld_mask,
    input  wire                rd_valid,
    input  wire                rd_bank,
    input  wire [LANES*AW-1:0] rd_addr,
    input  wire [   LANES-1:0] rd_mask,
    output reg                 out_valid,
    output reg  [LANES*BW-1:0] out_data
);

  // ld_addr and the lane addresses zero-extended to 32 bits, so `addr + l` and `addr < DEPTH` are exact.
  wire [31:0] ld_base = {{(32 - AW) {1'b0}}, ld_addr};

  // All slots of both banks, bank g slot s at bits [(g*DEPTH + s)*BW +: BW].
  wire [2*DEPTH*BW-1:0] slots;

  genvar g, s, i;
  generate
    for (s = 0; s < DEPTH; s = s + 1) begin : g_wr
      // Block of this load that lands in slot s (at most one l has ld_addr + l == s).
      reg          hit;
      reg [BW-1:0] wd;
      integer      l;
      always @* begin
        hit = 1'b0;
        wd  = {BW{1'b0}};
        for (l = 0; l < LW; l = l + 1) begin
          if (ld_mask[l] && (ld_base + l == s)) begin
            hit = 1'b1;
            wd  = ld_data[l*BW+:BW];
          end
        end
      end
      for (g = 0; g < 2; g = g + 1) begin : g_bank
        localparam [0:0] GB = g;
        reg [BW-1:0] q;
        always @(posedge clk) begin
          if (rst) q <= {BW{1'b0}};
          else if (ld_valid && ld_bank == GB && hit) q <= wd;
        end
        assign slots[(g*DEPTH+s)*BW+:BW] = q;
      end
    end

    // Read port of each lane (combinational; registered into out_data below).
    wire [LANES*BW-1:0] rd_word;
    for (i = 0; i < LANES; i = i + 1) begin : g_rd
      wire [31:0] ra = {{(32 - AW) {1'b0}}, rd_addr[i*AW+:AW]};
`ifdef NPUSIM_FAULT_IM2COL_BANK
      wire bk = (i == LANES - 1) ? ~rd_bank : rd_bank;
`else
      wire bk = rd_bank;
`endif
      wire ok = rd_mask[i] && (ra < DEPTH);
      // Slot mux as a compare per slot (synthesizes far smaller and faster than slots[idx*BW +: BW]).
      reg [BW-1:0] v;
      integer k;
      always @* begin
        v = {BW{1'b0}};
        for (k = 0; k < DEPTH; k = k + 1)
          if (ra == k) v = bk ? slots[(DEPTH+k)*BW+:BW] : slots[k*BW+:BW];
      end
      assign rd_word[i*BW+:BW] = ok ? v : {BW{1'b0}};
    end
  endgenerate

  always @(posedge clk) begin
    if (rst) begin
      out_valid <= 1'b0;
      out_data  <= {(LANES * BW) {1'b0}};
    end else begin
      out_valid <= rd_valid;
      if (rd_valid) out_data <= rd_word;
    end
  end

endmodule
