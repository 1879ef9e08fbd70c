// sa_pe: one processing element of sa_array (contract: docs/sa_array.md), scalar or tensor PE (TPE).
//
// DATAFLOW = 0 (output-stationary), any A, B, C, P, SPARSE:
//   Registers its west operand (the A x B activation tile a[a][b], the A row-valid bits av[a], first,
//   last) and its north operand (the C x P weights w[c][p], their 4-bit indices idx[c][p] when
//   SPARSE = 1, the C column-valid bits wv[c]) on every edge and forwards them east / south. At the
//   next edge it consumes them, for every a < A, c < C:
//     dot = sum over p < P of act[a][sel(c,p)] * w[c][p]      (P-input adder tree)
//           sel(c,p) = SPARSE ? idx[c][p] : p;  sel >= B selects the activation 0
//     if (av[a] & wv[c]): acc[a][c] <= (first ? 0 : acc[a][c]) + dot
//   emit <= last & (|av) & (|wv), so after that edge `res` (= the whole acc tile, lane a*C + c) is the
//   tile the column output register must show and `res_v` (= emit) says so. sa_array does the
//   per-column priority selection. Signed 8-bit operands; products and sums wrap at 32 bits.
//   With A = B = C = P = 1, SPARSE = 0 this is exactly the scalar MAC PE.
//   ASPARSE = 1 (S2TA, B = 1, SPARSE = 1): the west operand also carries A 4-bit activation indices
//   ai[a]; dot = act[a][0] * (OR over p of (idx[c][p] == ai[a] ? w[c][p] : 0)): one multiplier per
//   (a,c) selecting among the column's P compacted weight slots.
// DATAFLOW = 1 (weight-stationary, scalar only: sa_array rejects other A, B, C, P, SPARSE):
//   Registers its west operand (a, v, av, first) and forwards it east. The column's skewed weight-write
//   bus (w_n = data, wv_n = mask bit, w_wr, w_row) is decoded against ROW into the shadow weight.
//     swap = v & first; w_eff/e_eff = swap ? shadow : active; if (swap) active <= shadow
//     psum <= psum_in + ((av & e_eff) ? a * w_eff : 0)   (psum_in = 0 in row 0)
//     pv   <= (ROW == 0) ? v : pv_n
//   res = psum, res_v = pv.
// Outputs that a dataflow does not use are driven 0. All arithmetic is inside the clocked blocks.
// Deliberate faults (only ever set by sa_array, under its NPUSIM_FAULT_* defines):
//   FAULT_ACC_CLEAR = 1: OS - accumulator (0,0) ignores `first` (is not cleared); WS - never swaps the
//                        shadow weights in.
//   FAULT_MUX_IDX   = 1: OS - multiplier 0 of every dot product selects activation idx ^ 1 (SPARSE = 1)
//                        or 1 instead of 0 (SPARSE = 0, B > 1; no effect when B = 1).
module sa_pe #(
    parameter DATAFLOW        = 0,
    parameter ROW             = 0,  // row index (WS: shadow-write address, row 0 starts the psum chain)
    parameter RW              = 1,  // width of w_row
    parameter A               = 1,  // activation rows of the tile
    parameter B               = 1,  // reduction depth of the tile (activations per row)
    parameter C               = 1,  // weight columns of the tile
    parameter P               = 1,  // multipliers per dot product
    parameter SPARSE          = 0,  // 1: per-multiplier B:1 activation mux driven by the weight index
    parameter ASPARSE         = 0,  // 1: activation-indexed weight select (S2TA; B = 1, SPARSE = 1)
    parameter FAULT_ACC_CLEAR = 0,
    parameter FAULT_MUX_IDX   = 0
) (
    input  wire                  clk,
    input  wire                  rst,
    // west operand (both dataflows)
    input  wire [   A*B*8-1:0]   a_w,     // act[a][b] at lane a*B + b
    input  wire [       A-1:0]   av_w,
    input  wire                  f_w,
    // Dataflow-/SPARSE-specific inputs: unused in the other configuration.
    /* verilator lint_off UNUSED */
    input  wire                  l_w,     // OS: last tag
    input  wire                  v_w,     // WS: slice-valid tag
    input  wire                  w_wr,    // WS: shadow-write strobe (column-skewed)
    input  wire [      RW-1:0]   w_row,   // WS: shadow-write row address (column-skewed)
    input  wire [        31:0]   psum_n,  // WS: partial sum from PE(r-1,c)
    input  wire [       A*4-1:0] ai_w,    // OS, ASPARSE = 1: activation indices ai[a] at lane a
    input  wire                  pv_n,    // WS: partial-sum valid from PE(r-1,c)
    input  wire [   C*P*4-1:0]   wi_n,    // OS, SPARSE = 1: weight indices idx[c][p] at lane c*P + p
    /* verilator lint_on UNUSED */
    // north operand: OS streamed weights + valids; WS shadow-write data + mask bit
    input  wire [   C*P*8-1:0]   w_n,     // w[c][p] at lane c*P + p
    input  wire [       C-1:0]   wv_n,
    // east (registered west operand)
    output wire [   A*B*8-1:0]   a_e,
    output wire [       A*4-1:0] ai_e,    // 0 unless OS and ASPARSE = 1
    output wire [       A-1:0]   av_e,
    output wire                  f_e,
    output wire                  l_e,     // OS only (0 in WS)
    output wire                  v_e,     // WS only (0 in OS)
    // south (registered north operand), OS only (0 in WS; wi_s is 0 unless SPARSE = 1)
    output wire [   C*P*8-1:0]   w_s,
    output wire [   C*P*4-1:0]   wi_s,
    output wire [       C-1:0]   wv_s,
    // result: OS acc tile (acc[a][c] at lane a*C + c) / emit; WS psum / pv
    output wire [  A*C*32-1:0]   res,
    output wire                  res_v
);

  generate
    if (DATAFLOW == 0) begin : g_os
      reg  [ A*B*8-1:0] a_r;
      reg  [     A-1:0] av_r;
      reg               f_r;
      reg               l_r;
      reg  [ C*P*8-1:0] w_r;
      reg  [     C-1:0] wv_r;
      reg  [A*C*32-1:0] acc;
      reg               emit;
      wire [ C*P*4-1:0] wi_q;  // registered weight indices (0 when dense)
      wire [   A*4-1:0] ai_q;  // registered activation indices (0 unless ASPARSE)

      if (ASPARSE != 0) begin : g_aidx
        reg [A*4-1:0] ai_r;
        always @(posedge clk) begin
          if (rst) ai_r <= {(A * 4) {1'b0}};
          else ai_r <= ai_w;
        end
        assign ai_q = ai_r;
      end else begin : g_noaidx
        assign ai_q = {(A * 4) {1'b0}};
      end

      if (SPARSE != 0) begin : g_idx
        reg [C*P*4-1:0] wi_r;
        always @(posedge clk) begin
          if (rst) wi_r <= {(C * P * 4) {1'b0}};
          else wi_r <= wi_n;
        end
        assign wi_q = wi_r;
      end else begin : g_noidx
        assign wi_q = {(C * P * 4) {1'b0}};
      end

      // One dot product: activation row `act` (act[b] at lane b) times weight column `wt` (w[p] at
      // lane p) with indices `ix`. Products are 8x8 signed, extended to 32 bits; a P-input adder tree
      // sums them (wrapping at 32 bits).
      function automatic [31:0] dot;
        input [B*8-1:0] act;
        input [P*8-1:0] wt;
        input [P*4-1:0] ix;
        input [3:0] aix;  // ASPARSE: the activation's index
        reg   [P*32-1:0] s;
        reg   [7:0] wsel;
        integer p, sel, st, k;
        begin
          wsel = 8'd0;
          if (ASPARSE != 0) begin
            // S2TA: the weight slot whose index matches the activation's (OR of matching slots)
            for (p = 0; p < P; p = p + 1) if (ix[4*p+:4] == aix) wsel = wsel | wt[8*p+:8];
            s[31:0] = $signed(act[7:0]) * $signed(wsel);
          end else begin
          for (p = 0; p < P; p = p + 1) begin
            if (SPARSE == 0 && !(FAULT_MUX_IDX != 0 && p == 0 && B > 1)) begin
              // dense: multiplier p takes activation p (P == B), a constant select
              s[32*p+:32] = $signed(act[8*p+:8]) * $signed(wt[8*p+:8]);
            end else begin
              sel = (SPARSE != 0) ? {28'd0, ix[4*p+:4]} : p;
              if (FAULT_MUX_IDX != 0 && p == 0) sel = sel ^ 1;
              if (sel < B) s[32*p+:32] = $signed(act[8*sel+:8]) * $signed(wt[8*p+:8]);
              else s[32*p+:32] = 32'd0;
            end
          end
          for (st = 1; st < P; st = st * 2)
            for (k = 0; k + st < P; k = k + 2 * st) s[32*k+:32] = s[32*k+:32] + s[32*(k+st)+:32];
          end
          dot = s[31:0];
        end
      endfunction

      integer ia, ic;
      always @(posedge clk) begin
        if (rst) begin
          a_r  <= {(A * B * 8) {1'b0}};
          av_r <= {A{1'b0}};
          f_r  <= 1'b0;
          l_r  <= 1'b0;
          w_r  <= {(C * P * 8) {1'b0}};
          wv_r <= {C{1'b0}};
          acc  <= {(A * C * 32) {1'b0}};
          emit <= 1'b0;
        end else begin
          a_r  <= a_w;
          av_r <= av_w;
          f_r  <= f_w;
          l_r  <= l_w;
          w_r  <= w_n;
          wv_r <= wv_n;
          emit <= l_r & (|av_r) & (|wv_r);
          // `first` clears the accumulator (never accumulator (0,0) of the FAULT_ACC_CLEAR PE).
          for (ia = 0; ia < A; ia = ia + 1)
            for (ic = 0; ic < C; ic = ic + 1)
              if (av_r[ia] & wv_r[ic])
                acc[32*(ia*C+ic)+:32] <=
                    ((f_r && !(FAULT_ACC_CLEAR != 0 && ia == 0 && ic == 0)) ? 32'd0 : acc[32*(ia*C+ic)+:32])
                    + dot(a_r[8*B*ia+:8*B], w_r[8*P*ic+:8*P], wi_q[4*P*ic+:4*P], ai_q[4*ia+:4]);
        end
      end

      assign a_e   = a_r;
      assign ai_e  = ai_q;
      assign av_e  = av_r;
      assign f_e   = f_r;
      assign l_e   = l_r;
      assign v_e   = 1'b0;
      assign w_s   = w_r;
      assign wi_s  = wi_q;
      assign wv_s  = wv_r;
      assign res   = acc;
      assign res_v = emit;
    end else begin : g_ws
      // Scalar only (A = B = C = P = 1): the buses are one lane wide.
      reg signed [ 7:0] a_r;
      reg               v_r;
      reg               av_r;
      reg               f_r;
      reg signed [ 7:0] wsh;
      reg               wsh_en;
      reg signed [ 7:0] wact;
      reg               act_en;
      reg signed [31:0] psum;
      reg               pv;
      // Swap in the shadow weights on a valid `first` slice (never in the FAULT_ACC_CLEAR PE).
      wire              swap = v_r & f_r & (FAULT_ACC_CLEAR == 0);
      wire signed [ 7:0] w_eff = swap ? wsh : wact;
      wire               e_eff = swap ? wsh_en : act_en;
      wire               wr_me = w_wr && ({{(32 - RW) {1'b0}}, w_row} == ROW);
      wire signed [31:0] psum_in = (ROW == 0) ? 32'd0 : psum_n;
      wire               pv_in = (ROW == 0) ? v_r : pv_n;

      always @(posedge clk) begin
        if (rst) begin
          a_r    <= 8'd0;
          v_r    <= 1'b0;
          av_r   <= 1'b0;
          f_r    <= 1'b0;
          wsh    <= 8'd0;
          wsh_en <= 1'b0;
          wact   <= 8'd0;
          act_en <= 1'b0;
          psum   <= 32'd0;
          pv     <= 1'b0;
        end else begin
          a_r  <= a_w[7:0];
          v_r  <= v_w;
          av_r <= av_w[0];
          f_r  <= f_w;
          if (wr_me) begin
            wsh    <= w_n[7:0];
            wsh_en <= wv_n[0];
          end
          if (swap) begin
            wact   <= wsh;
            act_en <= wsh_en;
          end
          // All operands signed: the 8x8 product is sign-extended to 32 bits; wraps on overflow.
          psum <= psum_in + ((av_r & e_eff) ? a_r * w_eff : 32'sd0);
          pv   <= pv_in;
        end
      end

      assign a_e   = a_r;
      assign ai_e  = {(A * 4) {1'b0}};
      assign av_e  = av_r;
      assign f_e   = f_r;
      assign l_e   = 1'b0;
      assign v_e   = v_r;
      assign w_s   = {(C * P * 8) {1'b0}};
      assign wi_s  = {(C * P * 4) {1'b0}};
      assign wv_s  = {C{1'b0}};
      assign res   = psum;
      assign res_v = pv;
    end
  endgenerate

endmodule
