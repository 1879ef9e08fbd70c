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

  // Row bus width: a (8) + three 1-bit tags. OS tags {last, first, av}; WS tags {v, first, av}.
  localparam HW = 11;
  // Column bus width: OS {wv, w}; WS {w_row, w_wr, w_mask, w}.
  localparam VW = (DATAFLOW == 0) ? 9 : (10 + RW);

  // Skewed row buses (entering PE(r,0)) and column buses (entering PE(0,c) / column c).
  wire [ROWS*HW-1:0] row_sk  /*verilator split_var*/;
  wire [COLS*VW-1:0] col_sk  /*verilator split_var*/;

  genvar r, c;

  // ---------------------------------------------------------------- row skew chains: r registers
  generate
    for (r = 0; r < ROWS; r = r + 1) begin : g_rsk
      wire [HW-1:0] rin;
      if (DATAFLOW == 0) begin : g_os
        assign rin = {in_last, in_first, in_valid & a_mask[r], a_in[8*r+:8]};
      end else begin : g_ws
        assign rin = {in_valid, in_first, in_valid & a_mask[r], a_in[8*r+:8]};
      end
      if (r == 0) begin : g_d0
        assign row_sk[0+:HW] = rin;
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
        assign row_sk[HW*r+:HW] = sk[r-1];
      end
    end
  endgenerate

  // ------------------------------------------------------------- column skew chains: c registers
  generate
    for (c = 0; c < COLS; c = c + 1) begin : g_csk
      localparam D = c + ((FAULT_SKEW != 0 && c == COLS - 1) ? 1 : 0);
      wire [VW-1:0] cin;
      if (DATAFLOW == 0) begin : g_os
        assign cin = {in_valid & w_mask[c], w_in[8*c+:8]};
      end else begin : g_ws
        assign cin = {w_row, w_wr, w_mask[c], w_in[8*c+:8]};
      end
      if (D == 0) begin : g_d0
        assign col_sk[0+:VW] = cin;
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
        assign col_sk[VW*c+:VW] = sk[D-1];
      end
    end
  endgenerate

  // ----------------------------------------------------------------------------- PE mesh
  // Horizontal links: index r*(COLS+1)+c is the west input of PE(r,c); c = COLS is the east edge.
  // Vertical links:   index c*(ROWS+1)+r is the north input of PE(r,c); r = ROWS is the south edge.
  localparam NH = ROWS * (COLS + 1);
  localparam NV = COLS * (ROWS + 1);
  localparam NP = ROWS * COLS;

  /* verilator lint_off UNUSED */  // the east / south edge links and the other dataflow's links
  wire [NH*8-1:0] h_a  /*verilator split_var*/;
  wire [  NH-1:0] h_av  /*verilator split_var*/;
  wire [  NH-1:0] h_f  /*verilator split_var*/;
  wire [  NH-1:0] h_l  /*verilator split_var*/;
  wire [  NH-1:0] h_v  /*verilator split_var*/;
  wire [NV*8-1:0] v_w  /*verilator split_var*/;
  wire [  NV-1:0] v_wv  /*verilator split_var*/;
  wire [NP*32-1:0] pe_res  /*verilator split_var*/;  // index r*COLS+c
  wire [  NP-1:0] pe_rv  /*verilator split_var*/;
  /* verilator lint_on UNUSED */

  generate
    for (r = 0; r < ROWS; r = r + 1) begin : g_row
      localparam H0 = r * (COLS + 1);
      assign h_a[8*H0+:8] = row_sk[HW*r+:8];
      assign h_av[H0]     = row_sk[HW*r+8];
      assign h_f[H0]      = row_sk[HW*r+9];
      if (DATAFLOW == 0) begin : g_os
        assign h_l[H0] = row_sk[HW*r+10];
        assign h_v[H0] = 1'b0;
      end else begin : g_ws
        assign h_l[H0] = 1'b0;
        assign h_v[H0] = row_sk[HW*r+10];
      end

      for (c = 0; c < COLS; c = c + 1) begin : g_col
        localparam HI = r * (COLS + 1) + c;  // west link of PE(r,c)
        localparam VI = c * (ROWS + 1) + r;  // north link of PE(r,c)
        localparam PI = r * COLS + c;
        localparam FLT = (FAULT_ACC != 0 && r == ROWS - 1 && c == COLS - 1) ? 1 : 0;

        wire        pe_wwr;
        wire [RW-1:0] pe_wrow;
        wire [  31:0] pe_psum_n;
        wire          pe_pv_n;
        wire [   7:0] pe_wn;
        wire          pe_wvn;
        if (DATAFLOW == 0) begin : g_os
          // OS: the weight arrives from the north neighbour (or the column skew chain at row 0).
          assign pe_wn   = v_w[8*VI+:8];
          assign pe_wvn  = v_wv[VI];
          assign pe_wwr  = 1'b0;
          assign pe_wrow = {RW{1'b0}};
        end else begin : g_ws
          // WS: the column's skewed shadow-write bus is broadcast to every row; the PE decodes w_row.
          assign pe_wn   = col_sk[VW*c+:8];
          assign pe_wvn  = col_sk[VW*c+8];
          assign pe_wwr  = col_sk[VW*c+9];
          assign pe_wrow = col_sk[VW*c+10+:RW];
        end
        if (DATAFLOW == 0 || r == 0) begin : g_top
          assign pe_psum_n = 32'd0;
          assign pe_pv_n   = 1'b0;
        end else begin : g_chain
          assign pe_psum_n = pe_res[32*(PI-COLS)+:32];
          assign pe_pv_n   = pe_rv[PI-COLS];
        end

        sa_pe #(
            .DATAFLOW       (DATAFLOW),
            .ROW            (r),
            .RW             (RW),
            .FAULT_ACC_CLEAR(FLT)
        ) u_pe (
            .clk   (clk),
            .rst   (rst),
            .a_w   (h_a[8*HI+:8]),
            .av_w  (h_av[HI]),
            .f_w   (h_f[HI]),
            .l_w   (h_l[HI]),
            .v_w   (h_v[HI]),
            .w_wr  (pe_wwr),
            .w_row (pe_wrow),
            .psum_n(pe_psum_n),
            .pv_n  (pe_pv_n),
            .w_n   (pe_wn),
            .wv_n  (pe_wvn),
            .a_e   (h_a[8*(HI+1)+:8]),
            .av_e  (h_av[HI+1]),
            .f_e   (h_f[HI+1]),
            .l_e   (h_l[HI+1]),
            .v_e   (h_v[HI+1]),
            .w_s   (v_w[8*(VI+1)+:8]),
            .wv_s  (v_wv[VI+1]),
            .res   (pe_res[32*PI+:32]),
            .res_v (pe_rv[PI])
        );
      end
    end

    // North edge of the mesh: in OS row 0 takes the skewed streamed weight (the PEs forward it
    // south); in WS the vertical weight links are unused (the PEs drive 0 onto them).
    for (c = 0; c < COLS; c = c + 1) begin : g_vtop
      if (DATAFLOW == 0) begin : g_os
        assign v_w[8*c*(ROWS+1)+:8] = col_sk[VW*c+:8];
        assign v_wv[c*(ROWS+1)]     = col_sk[VW*c+8];
      end else begin : g_ws
        assign v_w[8*c*(ROWS+1)+:8] = 8'd0;
        assign v_wv[c*(ROWS+1)]     = 1'b0;
      end
    end
  endgenerate

  // ----------------------------------------------------------------------------- outputs
  generate
    if (DATAFLOW == 0) begin : g_out_os
      // Column output register: out_valid[c] is 1 for the cycle after an edge at which some PE of the
      // column consumed a valid `last` slice, and out_data[c] then shows that PE's new accumulator
      // (lowest row wins); otherwise out_data[c] holds (hold = the value shown before the edge).
      for (c = 0; c < COLS; c = c + 1) begin : g_col
        reg [31:0] hold;
        reg [31:0] od;
        reg        ov;
        integer    k;
        always @* begin
          od = hold;
          ov = 1'b0;
          for (k = ROWS - 1; k >= 0; k = k - 1) begin
            if (pe_rv[k*COLS+c]) begin
              od = pe_res[32*(k*COLS+c)+:32];
              ov = 1'b1;
            end
          end
        end
        always @(posedge clk) begin
          if (rst) hold <= 32'd0;
          else hold <= od;
        end
        assign out_valid[c]        = ov;
        assign out_data[32*c+:32]  = od;
      end
    end else begin : g_out_ws
      // WS: column c's outputs are the bottom PE's psum / pv registers.
      for (c = 0; c < COLS; c = c + 1) begin : g_col
        localparam PB = (ROWS - 1) * COLS + c;
        assign out_valid[c]       = pe_rv[PB];
        assign out_data[32*c+:32] = pe_res[32*PB+:32];
      end
    end
  endgenerate

endmodule
