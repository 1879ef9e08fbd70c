// sa_array: ROWS x COLS systolic array core, output-stationary (DATAFLOW = 0) or weight-stationary
// (DATAFLOW = 1). Exact port and timing contract: docs/sa_array.md (the C++ core
// models/systolic/sa_array_core.* implements the same contract and is compared in lockstep).
//
// Structure (both dataflows): row r's activation and tags pass through r skew registers and then flow
// east through one register per PE; column c's weight bus passes through c skew registers. In OS the
// weight then flows south PE to PE and each column's output register is selected from the PEs that
// emit (lowest row wins; out_data holds its value when nothing is emitted). In WS the skewed weight bus
// is the column's shadow-write bus and the partial sums flow south; the outputs are the bottom row.
//
// Deliberate faults for the lockstep checker's self-test. They exist ONLY when the corresponding
// preprocessor macro is defined; with neither defined this is the production RTL.
//   NPUSIM_FAULT_ACC_CLEAR  PE(ROWS-1, COLS-1) only: OS - the accumulator is not cleared on a `first`
//                           slice (it adds onto the previous fold's value); WS - the shadow->active
//                           weight swap is skipped (the PE keeps using its old active weight).
//   NPUSIM_FAULT_COL_SKEW   the last column's weight skew chain has one extra register stage, i.e.
//                           column COLS-1 sees its weights (OS: streamed weights; WS: shadow writes)
//                           one cycle late.
module sa_array #(
    parameter ROWS     = 4,
    parameter COLS     = 4,
    parameter DATAFLOW = 0   // 0 = OS, 1 = WS
) (
    input  wire                                          clk,
    input  wire                                          rst,
    input  wire                                          in_valid,
    input  wire                                          in_first,
    /* verilator lint_off UNUSED */
    input  wire                                          in_last,   // unused in WS
    /* verilator lint_on UNUSED */
    input  wire [                            ROWS*8-1:0] a_in,
    input  wire [                              ROWS-1:0] a_mask,
    input  wire [                            COLS*8-1:0] w_in,
    input  wire [                              COLS-1:0] w_mask,
    /* verilator lint_off UNUSED */
    input  wire                                          w_wr,      // unused in OS
    input  wire [((ROWS > 1) ? $clog2(ROWS) : 1) - 1:0] w_row,     // unused in OS
    /* verilator lint_on UNUSED */
    output wire [                              COLS-1:0] out_valid,
    output wire [                           COLS*32-1:0] out_data
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

  // Row bus: a (8) + three 1-bit tags. OS {last, first, av, a}; WS {v, first, av, a}.
  localparam HW = 11;
  // Column bus: OS {wv, w}; WS {w_row, w_wr, w_mask, w}.
  localparam VW = (DATAFLOW == 0) ? 9 : (10 + RW);

  genvar r, c;

  // All inter-PE links are wires local to their generate block, referenced by hierarchical name
  // (g_row[r].g_col[c].x); under Verilator this keeps every link a separate variable (no wide
  // packed buses that would be rebuilt by concatenation on every evaluation).

  // ---------------------------------------------------------------- row skew chains: r registers
  generate
    for (r = 0; r < ROWS; r = r + 1) begin : g_rsk
      wire [HW-1:0] rin;   // what enters row r at this edge
      wire [HW-1:0] rout;  // what reaches PE(r,0): rin delayed by r registers
      if (DATAFLOW == 0) begin : g_os
        assign rin = {in_last, in_first, in_valid & a_mask[r], a_in[8*r+:8]};
      end else begin : g_ws
        assign rin = {in_valid, in_first, in_valid & a_mask[r], a_in[8*r+:8]};
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
        assign cin = {in_valid & w_mask[c], w_in[8*c+:8]};
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
    for (r = 0; r < ROWS; r = r + 1) begin : g_row
      for (c = 0; c < COLS; c = c + 1) begin : g_col
        localparam FLT = (FAULT_ACC != 0 && r == ROWS - 1 && c == COLS - 1) ? 1 : 0;

        // inputs of PE(r,c)
        wire [   7:0] a_wi;
        wire          av_wi, f_wi, l_wi, v_wi;
        wire [   7:0] w_ni;
        wire          wv_ni;
        wire          wwr_i;
        wire [RW-1:0] wrow_i;
        wire [  31:0] psum_ni;
        wire          pv_ni;
        // outputs of PE(r,c); the east column's / south row's and the other dataflow's are unused
        /* verilator lint_off UNUSED */
        wire [   7:0] a_eo;
        wire          av_eo, f_eo, l_eo, v_eo;
        wire [   7:0] w_so;
        wire          wv_so;
        /* verilator lint_on UNUSED */
        wire [  31:0] res;
        wire          res_v;

        // west: the row skew chain at column 0, else PE(r,c-1)'s east outputs
        if (c == 0) begin : g_w0
          assign a_wi  = g_rsk[r].rout[7:0];
          assign av_wi = g_rsk[r].rout[8];
          assign f_wi  = g_rsk[r].rout[9];
          if (DATAFLOW == 0) begin : g_os
            assign l_wi = g_rsk[r].rout[10];
            assign v_wi = 1'b0;
          end else begin : g_ws
            assign l_wi = 1'b0;
            assign v_wi = g_rsk[r].rout[10];
          end
        end else begin : g_wn
          assign a_wi  = g_row[r].g_col[c-1].a_eo;
          assign av_wi = g_row[r].g_col[c-1].av_eo;
          assign f_wi  = g_row[r].g_col[c-1].f_eo;
          assign l_wi  = g_row[r].g_col[c-1].l_eo;
          assign v_wi  = g_row[r].g_col[c-1].v_eo;
        end

        if (DATAFLOW == 0) begin : g_os
          // OS north: the column skew chain at row 0, else PE(r-1,c)'s south outputs.
          if (r == 0) begin : g_n0
            assign w_ni  = g_csk[c].cout[7:0];
            assign wv_ni = g_csk[c].cout[8];
          end else begin : g_nn
            assign w_ni  = g_row[r-1].g_col[c].w_so;
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
            .FAULT_ACC_CLEAR(FLT)
        ) u_pe (
            .clk   (clk),
            .rst   (rst),
            .a_w   (a_wi),
            .av_w  (av_wi),
            .f_w   (f_wi),
            .l_w   (l_wi),
            .v_w   (v_wi),
            .w_wr  (wwr_i),
            .w_row (wrow_i),
            .psum_n(psum_ni),
            .pv_n  (pv_ni),
            .w_n   (w_ni),
            .wv_n  (wv_ni),
            .a_e   (a_eo),
            .av_e  (av_eo),
            .f_e   (f_eo),
            .l_e   (l_eo),
            .v_e   (v_eo),
            .w_s   (w_so),
            .wv_s  (wv_so),
            .res   (res),
            .res_v (res_v)
        );
      end
    end
  endgenerate

  // ----------------------------------------------------------------------------- outputs
  generate
    if (DATAFLOW == 0) begin : g_out_os
      // Column output register: out_valid[c] is 1 for the cycle after an edge at which some PE of
      // the column consumed a valid `last` slice, and out_data[c] then shows that PE's new
      // accumulator (lowest row wins); otherwise out_data[c] holds the value it showed before the
      // edge (`hold`). Equivalent to the contract's registered out_data/out_valid: the PE's `res_v`
      // (emit) and `res` (acc) are loaded at the same edge with exactly those values.
      for (c = 0; c < COLS; c = c + 1) begin : g_col
        reg [31:0] hold;
        // priority chain from the bottom row up: g_m[r] = first emitter among rows r..ROWS-1
        for (r = 0; r < ROWS; r = r + 1) begin : g_m
          wire [31:0] d;
          wire        v;
          if (r == ROWS - 1) begin : g_last
            assign d = g_row[r].g_col[c].res_v ? g_row[r].g_col[c].res : hold;
            assign v = g_row[r].g_col[c].res_v;
          end else begin : g_more
            assign d = g_row[r].g_col[c].res_v ? g_row[r].g_col[c].res : g_m[r+1].d;
            assign v = g_row[r].g_col[c].res_v | g_m[r+1].v;
          end
        end
        always @(posedge clk) begin
          if (rst) hold <= 32'd0;
          else hold <= g_m[0].d;
        end
        assign out_valid[c]       = g_m[0].v;
        assign out_data[32*c+:32] = g_m[0].d;
      end
    end else begin : g_out_ws
      // WS: column c's outputs are the bottom PE's psum / pv registers.
      for (c = 0; c < COLS; c = c + 1) begin : g_col
        assign out_valid[c]       = g_row[ROWS-1].g_col[c].res_v;
        assign out_data[32*c+:32] = g_row[ROWS-1].g_col[c].res;
      end
    end
  endgenerate

endmodule
