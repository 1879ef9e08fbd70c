// dap_unit: dynamic activation pruning (S2TA's DAP). Per lane, one block of BZ signed INT8 channels per
// cycle: the min(nnz, BZ) largest magnitudes are kept (ties to the lower channel index) and compacted, in
// ascending channel order, into value and channel-index slots. Exact port and timing contract:
// docs/dap_unit.md (the C++ core models/systolic/dap_unit_core.* implements the same contract and is
// compared in lockstep).
//
// Two stages, both registered on every edge whatever the valids (a valid bit only travels alongside):
//   stage 1 (edge n):   rank comparator matrix -> keep mask, registered with the values;
//   stage 2 (edge n+1): prefix counts of the mask -> compacted slots on out_data / out_idx.
//
// Lane orders: in_data lane i channel b at byte i*BZ + b; out_data lane i slot k at byte i*BZ + k;
// out_idx lane i slot k at bits [IW*(i*BZ + k) +: IW].
//
// Deliberate fault for the lockstep checker's self-test. It exists ONLY when the macro is defined; with
// none defined this is the production RTL.
//   NPUSIM_FAULT_DAP_TIE       equal magnitudes go to the HIGHER channel index.
//   NPUSIM_FAULT_DAP_NO_RESET  out_idx has no reset: it powers up to whatever the flops hold (invisible
//                              with all-zero power-up values, caught with random ones).
module dap_unit #(
    parameter LANES = 4,  // pixel blocks per cycle
    parameter BZ    = 8,  // channels per block, 1..16
    localparam IW   = (BZ > 1) ? $clog2(BZ) : 1,
    localparam NB   = LANES * BZ
) (
    input  wire             clk,
    input  wire             rst,
    input  wire             in_valid,
    input  wire [      4:0] nnz,
    input  wire [ NB*8-1:0] in_data,
    output reg              out_valid,
    output reg  [ NB*8-1:0] out_data,
    output reg  [NB*IW-1:0] out_idx
);

  // Elements kept per block: min(nnz, BZ). Ranks and counts are 5 bits (at most 16).
  localparam [4:0] BZ5 = BZ[4:0];
  wire [4:0] keep_n = (nnz > BZ5) ? BZ5 : nnz;

  // Stage 1 registers.
  reg            s1_valid;
  reg [NB*8-1:0] s1_data;
  reg [  NB-1:0] s1_keep;

  wire [  NB-1:0] keep;      // keep mask of this edge's input blocks
  wire [NB*8-1:0] cmp_data;  // compacted stage-1 blocks
  wire [NB*IW-1:0] cmp_idx;

  genvar l, i, j, k;
  generate
    for (l = 0; l < LANES; l = l + 1) begin : g_lane
      // |a| as unsigned 8 bits (|-128| = 128: the two's complement of 8'h80 is 8'h80).
      /* verilator lint_off UNUSED */
      wire [BZ*8-1:0] mag;  // no comparators read it when BZ = 1
      /* verilator lint_on UNUSED */
      for (i = 0; i < BZ; i = i + 1) begin : g_mag
        wire [7:0] a = in_data[(l*BZ+i)*8+:8];
        assign mag[i*8+:8] = a[7] ? (~a + 8'd1) : a;
      end

      // Pairwise order: lo_wins[i*BZ + j] (j < i) is 1 iff element j beats element i. Ties make it a strict
      // total order, so i beats j iff !lo_wins[i*BZ + j]: one comparator per pair.
      wire [BZ*BZ-1:0] lo_wins;
      for (i = 0; i < BZ; i = i + 1) begin : g_row
        for (j = 0; j < BZ; j = j + 1) begin : g_cmp
          if (j < i) begin : g_pair
`ifdef NPUSIM_FAULT_DAP_TIE
            assign lo_wins[i*BZ+j] = mag[j*8+:8] > mag[i*8+:8];
`else
            assign lo_wins[i*BZ+j] = mag[j*8+:8] >= mag[i*8+:8];  // ties go to the lower index
`endif
          end else begin : g_none
            assign lo_wins[i*BZ+j] = 1'b0;  // not a pair (read through the other triangle)
          end
        end
      end

      // Rank of element i = number of elements beating it; kept iff rank < min(nnz, BZ).
      for (i = 0; i < BZ; i = i + 1) begin : g_rank
        reg     [4:0] rank;
        integer       q;
        always @* begin
          rank = 5'd0;
          for (q = 0; q < BZ; q = q + 1)
            if (q < i) rank = rank + {4'd0, lo_wins[i*BZ+q]};
            else if (q > i) rank = rank + {4'd0, ~lo_wins[q*BZ+i]};
        end
        assign keep[l*BZ+i] = rank < keep_n;
      end

      // Stage 2: slot of kept element i = number of kept elements below it (prefix count).
      wire [BZ-1:0] kp = s1_keep[l*BZ+:BZ];
      reg  [BZ*5-1:0] pos;
      reg  [     4:0] run;
      integer         p;
      always @* begin
        run = 5'd0;
        pos = {(BZ * 5) {1'b0}};
        for (p = 0; p < BZ; p = p + 1) begin
          pos[p*5+:5] = run;
          run = run + {4'd0, kp[p]};
        end
      end

      // Slot k collects the one kept element whose prefix count is k (only channels >= k can land there);
      // empty slots stay 0.
      for (k = 0; k < BZ; k = k + 1) begin : g_slot
        localparam [4:0] K5 = k;
        reg     [   7:0] d;
        reg     [IW-1:0] x;
        integer          e;
        always @* begin
          d = 8'd0;
          x = {IW{1'b0}};
          for (e = k; e < BZ; e = e + 1) begin
            if (kp[e] && pos[e*5+:5] == K5) begin
              d = d | s1_data[(l*BZ+e)*8+:8];
              x = x | e[IW-1:0];
            end
          end
        end
        assign cmp_data[(l*BZ+k)*8+:8] = d;
        assign cmp_idx[(l*BZ+k)*IW+:IW]  = x;
      end
    end
  endgenerate

  always @(posedge clk) begin
    if (rst) begin
      s1_valid  <= 1'b0;
      s1_data   <= {(NB * 8) {1'b0}};
      s1_keep   <= {NB{1'b0}};
      out_valid <= 1'b0;
      out_data  <= {(NB * 8) {1'b0}};
    end else begin
      s1_valid  <= in_valid;
      s1_data   <= in_data;
      s1_keep   <= keep;
      out_valid <= s1_valid;
      out_data  <= cmp_data;
    end
  end

`ifdef NPUSIM_FAULT_DAP_NO_RESET
  always @(posedge clk) if (!rst) out_idx <= cmp_idx;
`else
  always @(posedge clk) out_idx <= rst ? {(NB * IW) {1'b0}} : cmp_idx;
`endif

endmodule
