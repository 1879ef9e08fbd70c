// sa_array: ROWS x COLS systolic array core, output-stationary (DATAFLOW = 0) or weight-stationary
// (DATAFLOW = 1), of scalar PEs or (OS only) tensor PEs. Exact port and timing contract:
// docs/sa_array.md (the C++ core models/systolic/sa_array_core.* implements the same contract and is
// compared in lockstep).
//
// Tensor PEs (OS only): each PE (TPE) multiplies an A x B activation tile by a B x C weight tile with A*C
// dot-product units of P multipliers each (P-input adder tree, A*C 32-bit accumulators). SPARSE = 0:
// dense, P must equal B and multiplier p takes activation p. SPARSE = 1: multiplier p of dot product
// (a,c) takes activation act[a][w_idx[c][p]] (an index >= B selects 0). A = B = C = P = 1, SPARSE = 0
// is the scalar array. ASPARSE = 1 (S2TA time-unrolled TPE; B = 1, SPARSE = 1): row i also carries A
// 4-bit activation indices a_idx[i*A + a] with its activations, and multiplier (a,c) takes the weight
// OR over p of (w_idx[c][p] == a_idx[a] ? w[c][p] : 0) (the column's P compacted weight slots).
// WS supports only the scalar PE; other values fail elaboration ($error).
// Lane orders: a_in (i*A + a)*B + b, a_mask i*A + a, w_in / w_idx (j*C + c)*P + p, w_mask j*C + c,
// out_data (j*A + a)*C + c (i = PE row, j = PE column).
//
// Structure (both dataflows): PE row i's activation tile and tags pass through i skew registers and then
// flow east through one register per PE; PE column j's weight bus passes through j skew registers. In
// OS the weight then flows south PE to PE and each column's output register is selected from the PEs
// that emit (lowest row wins; out_data holds its value when nothing is emitted). In WS the skewed weight
// bus is the column's shadow-write bus and the partial sums flow south; the outputs are the bottom row.
//
// Deliberate faults for the lockstep checker's self-test. They exist ONLY when the corresponding
// preprocessor macro is defined; with none defined this is the production RTL.
//   NPUSIM_FAULT_ACC_CLEAR  PE(ROWS-1, COLS-1) only: OS - accumulator (0,0) (the accumulator of a scalar
//                           PE) is not cleared on a `first` slice (it adds onto the previous fold's
//                           value); WS - the shadow->active weight swap is skipped (the PE keeps using
//                           its old active weight).
//   NPUSIM_FAULT_COL_SKEW   the last PE column's weight skew chain has one extra register stage, i.e.
//                           column COLS-1 sees its weights (OS: streamed weights, indices and valids;
//                           WS: shadow writes) one cycle late.
//   NPUSIM_FAULT_MUX_IDX    OS, PE(ROWS-1, COLS-1) only: multiplier 0 of every dot product selects
//                           activation idx ^ 1 (flipped index LSB) when SPARSE = 1, activation 1 instead
//                           of 0 when SPARSE = 0 and B > 1. No effect for B = 1 dense (the scalar PE)
//                           or in WS.
module sa_array #(
    parameter ROWS     = 4,
    parameter COLS     = 4,
    parameter DATAFLOW = 0,  // 0 = OS, 1 = WS
    parameter A        = 1,  // tensor PE: activation rows
    parameter B        = 1,  // tensor PE: reduction depth
    parameter C        = 1,  // tensor PE: weight columns
    parameter P        = 1,  // tensor PE: multipliers per dot product (SPARSE = 0: P = B)
    parameter SPARSE   = 0,  // 1: B:1 activation mux per multiplier, driven by w_idx
    parameter ASPARSE  = 0   // 1 (S2TA): one activation + 4-bit a_idx per row; B = 1, SPARSE = 1
) (
    input  wire                                        clk,
    input  wire                                        rst,
    input  wire                                        in_valid,
    input  wire                                        in_first,
    /* verilator lint_off UNUSED */
    input  wire                                        in_last,      // unused in WS
    /* verilator lint_on UNUSED */
    input  wire [                      ROWS*A*B*8-1:0] a_in,
    input  wire [                          ROWS*A-1:0] a_mask,
    /* verilator lint_off UNUSED */
    input  wire [                        ROWS*A*4-1:0] a_idx,        // unused unless ASPARSE = 1
    /* verilator lint_on UNUSED */
    input  wire [                      COLS*C*P*8-1:0] w_in,
    /* verilator lint_off UNUSED */
    input  wire [                      COLS*C*P*4-1:0] w_idx,        // unused unless OS and SPARSE = 1
    /* verilator lint_on UNUSED */
    input  wire [                          COLS*C-1:0] w_mask,
    /* verilator lint_off UNUSED */
    input  wire                                        w_wr,         // unused in OS
    input  wire [ ((ROWS > 1) ? $clog2(ROWS) : 1)-1:0] w_row,        // unused in OS
    /* verilator lint_on UNUSED */
    output wire [                            COLS-1:0] out_valid,
    output wire [                     COLS*A*C*32-1:0] out_data
);

  localparam RW = (ROWS > 1) ? $clog2(ROWS) : 1;

`ifdef NPUSIM_FAULT_ACC_CLEAR
  localparam FAULT_ACC = 1;
`else
  localparam FAULT_ACC = 0;
`endif
`ifdef NPUSIM_FAULT_COL_SKEW
  localparam FAULT_SKEW = 1;
`else
  localparam FAULT_SKEW = 0;
`endif

`ifdef NPUSIM_FAULT_MUX_IDX
  localparam FAULT_MUX = 1;
`else
  localparam FAULT_MUX = 0;
`endif

  // ------------------------------------------------------------------ parameter legality checks
  generate
    if (ROWS < 1 || COLS < 1 || A < 1 || B < 1 || C < 1 || P < 1) begin : g_err_dims
      $error("sa_array: ROWS, COLS, A, B, C and P must all be >= 1");
    end
    if (DATAFLOW != 0 && DATAFLOW != 1) begin : g_err_df
      $error("sa_array: DATAFLOW must be 0 (OS) or 1 (WS)");
    end
    if (SPARSE != 0 && SPARSE != 1) begin : g_err_sp
      $error("sa_array: SPARSE must be 0 or 1");
    end
    if (DATAFLOW == 1 && (A != 1 || B != 1 || C != 1 || P != 1 || SPARSE != 0)) begin : g_err_ws
      $error("sa_array: weight-stationary (DATAFLOW = 1) requires scalar PEs: A = B = C = P = 1, SPARSE = 0");
    end
    if (SPARSE == 0 && P != B) begin : g_err_dense
      $error("sa_array: dense tensor PEs (SPARSE = 0) require P == B");
    end
    if (ASPARSE != 0 && (ASPARSE != 1 || DATAFLOW != 0 || B != 1 || SPARSE != 1)) begin : g_err_asp
      $error("sa_array: ASPARSE = 1 requires DATAFLOW = 0, B = 1 and SPARSE = 1");
    end
  endgenerate

  // Row bus: the A x B activation tile + A row-valid bits + two 1-bit tags.
  // OS {last, first, av[A], a[A*B]}; WS (A = B = 1) {v, first, av, a}.
  localparam AW = A * B * 8;
  localparam XW = (ASPARSE != 0) ? A * 4 : 0;  // ASPARSE: the A activation indices ride on top
  localparam HW = AW + A + 2 + XW;
  // Column bus: OS {wv[C], idx[C*P] (SPARSE = 1 only), w[C*P]}; WS {w_row, w_wr, w_mask, w}.
  localparam WW = C * P * 8;
  localparam IW = (SPARSE != 0) ? C * P * 4 : 0;
  localparam VW = (DATAFLOW == 0) ? (WW + IW + C) : (10 + RW);
  localparam OW = A * C * 32;  // one PE column's output tile

  // Illegal parameter combinations build no PE mesh (only the $error above and constant outputs).
  localparam LEGAL = (ROWS >= 1 && COLS >= 1 && A >= 1 && B >= 1 && C >= 1 && P >= 1 &&
                      (DATAFLOW == 0 || DATAFLOW == 1) && (SPARSE == 0 || SPARSE == 1) &&
                      (DATAFLOW == 0 || (A == 1 && B == 1 && C == 1 && P == 1 && SPARSE == 0)) &&
                      (SPARSE != 0 || P == B) &&
                      (ASPARSE == 0 || (ASPARSE == 1 && DATAFLOW == 0 && B == 1 && SPARSE == 1))) ? 1 : 0;

  genvar r, c;

  // All inter-PE links are wires local to their generate block, referenced by hierarchical name
  // (g_row[r].g_col[c].x); under Verilator this keeps every link a separate variable (no wide
  // packed buses that would be rebuilt by concatenation on every evaluation).

  // ---------------------------------------------------------------- row skew chains: r registers
  generate
    for (r = 0; r < ROWS; r = r + 1) begin : g_rsk
      wire [HW-1:0] rin;   // what enters row r at this edge
      wire [HW-1:0] rout;  // what reaches PE(r,0): rin delayed by r registers
      if (DATAFLOW == 0 && ASPARSE != 0) begin : g_osx
        assign rin = {a_idx[4*A*r+:4*A], in_last, in_first, {A{in_valid}} & a_mask[A*r+:A], a_in[AW*r+:AW]};
      end else if (DATAFLOW == 0) begin : g_os
        assign rin = {in_last, in_first, {A{in_valid}} & a_mask[A*r+:A], a_in[AW*r+:AW]};
      end else begin : g_ws
        assign rin = {in_valid, in_first, {A{in_valid}} & a_mask[A*r+:A], a_in[AW*r+:AW]};
      end
      if (r == 0) begin : g_d0
        assign rout = rin;
      end else begin : g_dn
        (* mem2reg *) reg [HW-1:0] sk[0:r-1];
        integer k;
        always @(posedge clk) begin
          if (rst) begin
            for (k = 0; k < r; k = k + 1) sk[k] <= {HW{1'b0}};
          end else begin
            sk[0] <= rin;
            for (k = 1; k < r; k = k + 1) sk[k] <= sk[k-1];
          end
        end
        assign rout = sk[r-1];
      end
    end
  endgenerate

  // ------------------------------------------------------------- column skew chains: c registers
  generate
    for (c = 0; c < COLS; c = c + 1) begin : g_csk
      localparam D = c + ((FAULT_SKEW != 0 && c == COLS - 1) ? 1 : 0);
      wire [VW-1:0] cin;   // what enters column c at this edge
      wire [VW-1:0] cout;  // what reaches PE(0,c) (OS) / the column's write bus (WS)
      if (DATAFLOW == 0) begin : g_os
        if (SPARSE != 0) begin : g_sp
          assign cin = {{C{in_valid}} & w_mask[C*c+:C], w_idx[IW*c+:IW], w_in[WW*c+:WW]};
        end else begin : g_dn
          assign cin = {{C{in_valid}} & w_mask[C*c+:C], w_in[WW*c+:WW]};
        end
      end else begin : g_ws
        assign cin = {w_row, w_wr, w_mask[c], w_in[8*c+:8]};
      end
      if (D == 0) begin : g_d0
        assign cout = cin;
      end else begin : g_dn
        (* mem2reg *) reg [VW-1:0] sk[0:D-1];
        integer k;
        always @(posedge clk) begin
          if (rst) begin
            for (k = 0; k < D; k = k + 1) sk[k] <= {VW{1'b0}};
          end else begin
            sk[0] <= cin;
            for (k = 1; k < D; k = k + 1) sk[k] <= sk[k-1];
          end
        end
        assign cout = sk[D-1];
      end
    end
  endgenerate

  // ----------------------------------------------------------------------------- PE mesh
  generate
    for (r = 0; r < (LEGAL != 0 ? ROWS : 0); r = r + 1) begin : g_row
      for (c = 0; c < COLS; c = c + 1) begin : g_col
        localparam LASTPE = (r == ROWS - 1 && c == COLS - 1) ? 1 : 0;
        localparam FLT = (FAULT_ACC != 0 && LASTPE != 0) ? 1 : 0;
        localparam FLT_MUX = (FAULT_MUX != 0 && LASTPE != 0 && DATAFLOW == 0) ? 1 : 0;

        // inputs of PE(r,c)
        wire [    AW-1:0] a_wi;
        wire [   A*4-1:0] ai_wi;
        wire [     A-1:0] av_wi;
        wire              f_wi, l_wi, v_wi;
        wire [    WW-1:0] w_ni;
        wire [C*P*4-1:0]  wi_ni;
        wire [     C-1:0] wv_ni;
        wire              wwr_i;
        wire [    RW-1:0] wrow_i;
        wire [      31:0] psum_ni;
        wire              pv_ni;
        // outputs of PE(r,c); the east column's / south row's and the other dataflow's are unused
        /* verilator lint_off UNUSED */
        wire [    AW-1:0] a_eo;
        wire [   A*4-1:0] ai_eo;
        wire [     A-1:0] av_eo;
        wire              f_eo, l_eo, v_eo;
        wire [    WW-1:0] w_so;
        wire [C*P*4-1:0]  wi_so;
        wire [     C-1:0] wv_so;
        /* verilator lint_on UNUSED */
        wire [    OW-1:0] res;
        wire              res_v;

        // west: the row skew chain at column 0, else PE(r,c-1)'s east outputs
        if (c == 0) begin : g_w0
          assign a_wi  = g_rsk[r].rout[AW-1:0];
          assign av_wi = g_rsk[r].rout[AW+:A];
          assign f_wi  = g_rsk[r].rout[AW+A];
          if (ASPARSE != 0) begin : g_ai
            assign ai_wi = g_rsk[r].rout[AW+A+2+:XW];
          end else begin : g_noai
            assign ai_wi = {(A * 4) {1'b0}};
          end
          if (DATAFLOW == 0) begin : g_os
            assign l_wi = g_rsk[r].rout[AW+A+1];
            assign v_wi = 1'b0;
          end else begin : g_ws
            assign l_wi = 1'b0;
            assign v_wi = g_rsk[r].rout[AW+A+1];
          end
        end else begin : g_wn
          assign a_wi  = g_row[r].g_col[c-1].a_eo;
          assign ai_wi = g_row[r].g_col[c-1].ai_eo;
          assign av_wi = g_row[r].g_col[c-1].av_eo;
          assign f_wi  = g_row[r].g_col[c-1].f_eo;
          assign l_wi  = g_row[r].g_col[c-1].l_eo;
          assign v_wi  = g_row[r].g_col[c-1].v_eo;
        end

        if (DATAFLOW == 0) begin : g_os
          // OS north: the column skew chain at row 0, else PE(r-1,c)'s south outputs.
          if (r == 0) begin : g_n0
            assign w_ni  = g_csk[c].cout[WW-1:0];
            assign wv_ni = g_csk[c].cout[WW+IW+:C];
            if (SPARSE != 0) begin : g_sp
              assign wi_ni = g_csk[c].cout[WW+:IW];
            end else begin : g_dn
              assign wi_ni = {(C * P * 4) {1'b0}};
            end
          end else begin : g_nn
            assign w_ni  = g_row[r-1].g_col[c].w_so;
            assign wi_ni = g_row[r-1].g_col[c].wi_so;
            assign wv_ni = g_row[r-1].g_col[c].wv_so;
          end
          assign wwr_i   = 1'b0;
          assign wrow_i  = {RW{1'b0}};
          assign psum_ni = 32'd0;
          assign pv_ni   = 1'b0;
        end else begin : g_ws
          // WS: the column's skewed shadow-write bus is broadcast to every row (the PE decodes
          // w_row); the partial sum comes from PE(r-1,c) (row 0: the PE starts the chain itself).
          assign w_ni   = g_csk[c].cout[7:0];
          assign wv_ni  = g_csk[c].cout[8];
          assign wi_ni  = {(C * P * 4) {1'b0}};
          assign wwr_i  = g_csk[c].cout[9];
          assign wrow_i = g_csk[c].cout[10+:RW];
          if (r == 0) begin : g_n0
            assign psum_ni = 32'd0;
            assign pv_ni   = 1'b0;
          end else begin : g_nn
            assign psum_ni = g_row[r-1].g_col[c].res;
            assign pv_ni   = g_row[r-1].g_col[c].res_v;
          end
        end

        sa_pe #(
            .DATAFLOW       (DATAFLOW),
            .ROW            (r),
            .RW             (RW),
            .A              (A),
            .B              (B),
            .C              (C),
            .P              (P),
            .SPARSE         (SPARSE),
            .ASPARSE        (ASPARSE),
            .FAULT_ACC_CLEAR(FLT),
            .FAULT_MUX_IDX  (FLT_MUX)
        ) u_pe (
            .clk   (clk),
            .rst   (rst),
            .a_w   (a_wi),
            .ai_w  (ai_wi),
            .av_w  (av_wi),
            .f_w   (f_wi),
            .l_w   (l_wi),
            .v_w   (v_wi),
            .w_wr  (wwr_i),
            .w_row (wrow_i),
            .psum_n(psum_ni),
            .pv_n  (pv_ni),
            .wi_n  (wi_ni),
            .w_n   (w_ni),
            .wv_n  (wv_ni),
            .a_e   (a_eo),
            .ai_e  (ai_eo),
            .av_e  (av_eo),
            .f_e   (f_eo),
            .l_e   (l_eo),
            .v_e   (v_eo),
            .w_s   (w_so),
            .wi_s  (wi_so),
            .wv_s  (wv_so),
            .res   (res),
            .res_v (res_v)
        );
      end
    end
  endgenerate

  // ----------------------------------------------------------------------------- outputs
  generate
    if (LEGAL == 0) begin : g_out_illegal
      assign out_valid = {COLS{1'b0}};
      assign out_data  = {(COLS * OW) {1'b0}};
    end else if (DATAFLOW == 0) begin : g_out_os
      // Column output register: out_valid[c] is 1 for the cycle after an edge at which some PE of
      // the column consumed a `last` slice with at least one valid activation row and one valid
      // weight column, and out_data[c] then shows that PE's whole accumulator tile after the edge
      // (lowest row wins); otherwise out_data[c] holds the value it showed before the edge (`hold`).
      // Equivalent to the contract's registered out_data/out_valid: the PE's `res_v` (emit) and
      // `res` (acc tile) are loaded at the same edge with exactly those values.
      for (c = 0; c < COLS; c = c + 1) begin : g_col
        reg [OW-1:0] hold;
        // priority chain from the bottom row up: g_m[r] = first emitter among rows r..ROWS-1
        for (r = 0; r < ROWS; r = r + 1) begin : g_m
          wire [OW-1:0] d;
          wire          v;
          if (r == ROWS - 1) begin : g_last
            assign d = g_row[r].g_col[c].res_v ? g_row[r].g_col[c].res : hold;
            assign v = g_row[r].g_col[c].res_v;
          end else begin : g_more
            assign d = g_row[r].g_col[c].res_v ? g_row[r].g_col[c].res : g_m[r+1].d;
            assign v = g_row[r].g_col[c].res_v | g_m[r+1].v;
          end
        end
        always @(posedge clk) begin
          if (rst) hold <= {OW{1'b0}};
          else hold <= g_m[0].d;
        end
        assign out_valid[c]     = g_m[0].v;
        assign out_data[OW*c+:OW] = g_m[0].d;
      end
    end else begin : g_out_ws
      // WS (scalar): column c's outputs are the bottom PE's psum / pv registers.
      for (c = 0; c < COLS; c = c + 1) begin : g_col
        assign out_valid[c]       = g_row[ROWS-1].g_col[c].res_v;
        assign out_data[32*c+:32] = g_row[ROWS-1].g_col[c].res;
      end
    end
  endgenerate

endmodule
