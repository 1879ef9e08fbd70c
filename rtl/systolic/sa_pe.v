// sa_pe: one processing element of sa_array (contract: docs/sa_array.md).
//
// DATAFLOW = 0 (output-stationary):
//   Registers its west operand (a, av, first, last) and its north operand (w, wv) on every edge and
//   forwards them east / south. At the next edge it consumes them:
//     if (av & wv): acc <= (first ? 0 : acc) + a * w
//   emit <= av & wv & last, so after that edge `res` (= acc) is the value the column output register
//   must show and `res_v` (= emit) says so. sa_array does the per-column priority selection.
// DATAFLOW = 1 (weight-stationary):
//   Registers its west operand (a, v, av, first) and forwards it east. The column's skewed weight-write
//   bus (w_n = data, wv_n = mask bit, w_wr, w_row) is decoded against ROW into the shadow weight.
//     swap = v & first; w_eff/e_eff = swap ? shadow : active; if (swap) active <= shadow
//     psum <= psum_in + ((av & e_eff) ? a * w_eff : 0)   (psum_in = 0 in row 0)
//     pv   <= (ROW == 0) ? v : pv_n
//   res = psum, res_v = pv.
// Outputs that a dataflow does not use are driven 0. All arithmetic is inside the clocked block.
// FAULT_ACC_CLEAR = 1 (only ever set by sa_array under `NPUSIM_FAULT_ACC_CLEAR`): OS ignores `first`
// (the accumulator is not cleared); WS never swaps the shadow weights in.
module sa_pe #(
    parameter DATAFLOW        = 0,
    parameter ROW             = 0,  // row index (WS: shadow-write address, row 0 starts the psum chain)
    parameter RW              = 1,  // width of w_row
    parameter FAULT_ACC_CLEAR = 0
) (
    input  wire              clk,
    input  wire              rst,
    // west operand (both dataflows)
    input  wire       [ 7:0] a_w,
    input  wire              av_w,
    input  wire              f_w,
    // Dataflow-specific inputs: unused in the other dataflow.
    /* verilator lint_off UNUSED */
    input  wire              l_w,     // OS: last tag
    input  wire              v_w,     // WS: slice-valid tag
    input  wire              w_wr,    // WS: shadow-write strobe (column-skewed)
    input  wire [RW-1:0]     w_row,   // WS: shadow-write row address (column-skewed)
    input  wire       [31:0] psum_n,  // WS: partial sum from PE(r-1,c)
    input  wire              pv_n,    // WS: partial-sum valid from PE(r-1,c)
    /* verilator lint_on UNUSED */
    // north operand: OS streamed weight + valid; WS shadow-write data + mask bit
    input  wire       [ 7:0] w_n,
    input  wire              wv_n,
    // east (registered west operand)
    output wire       [ 7:0] a_e,
    output wire              av_e,
    output wire              f_e,
    output wire              l_e,     // OS only (0 in WS)
    output wire              v_e,     // WS only (0 in OS)
    // south (registered north operand), OS only (0 in WS)
    output wire       [ 7:0] w_s,
    output wire              wv_s,
    // result: OS acc / emit; WS psum / pv
    output wire       [31:0] res,
    output wire              res_v
);

  generate
    if (DATAFLOW == 0) begin : g_os
      reg signed [ 7:0] a_r;
      reg               av_r;
      reg               f_r;
      reg               l_r;
      reg signed [ 7:0] w_r;
      reg               wv_r;
      reg signed [31:0] acc;
      reg               emit;
      // `first` clears the accumulator (never in the FAULT_ACC_CLEAR PE).
      wire              clr = f_r & (FAULT_ACC_CLEAR == 0);

      always @(posedge clk) begin
        if (rst) begin
          a_r  <= 8'd0;
          av_r <= 1'b0;
          f_r  <= 1'b0;
          l_r  <= 1'b0;
          w_r  <= 8'd0;
          wv_r <= 1'b0;
          acc  <= 32'd0;
          emit <= 1'b0;
        end else begin
          a_r  <= a_w;
          av_r <= av_w;
          f_r  <= f_w;
          l_r  <= l_w;
          w_r  <= w_n;
          wv_r <= wv_n;
          emit <= av_r & wv_r & l_r;
          // All operands signed: the 8x8 product is sign-extended to 32 bits; wraps on overflow.
          if (av_r & wv_r) acc <= (clr ? 32'sd0 : acc) + a_r * w_r;
        end
      end

      assign a_e   = a_r;
      assign av_e  = av_r;
      assign f_e   = f_r;
      assign l_e   = l_r;
      assign v_e   = 1'b0;
      assign w_s   = w_r;
      assign wv_s  = wv_r;
      assign res   = acc;
      assign res_v = emit;
    end else begin : g_ws
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
          a_r  <= a_w;
          v_r  <= v_w;
          av_r <= av_w;
          f_r  <= f_w;
          if (wr_me) begin
            wsh    <= w_n;
            wsh_en <= wv_n;
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
      assign av_e  = av_r;
      assign f_e   = f_r;
      assign l_e   = 1'b0;
      assign v_e   = v_r;
      assign w_s   = 8'd0;
      assign wv_s  = 1'b0;
      assign res   = psum;
      assign res_v = pv;
    end
  endgenerate

endmodule
