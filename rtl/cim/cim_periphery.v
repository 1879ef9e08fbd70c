// One output channel's periphery of the cim layer engine (models/cim/periphery.cpp, bit for bit): the
// code sum scaled by the Q16 factor m with round-half-up (an arithmetic shift of the biased product),
// saturated to int32, plus the bias (saturated), requantized (cim_requant.v), plus the output zero point,
// clamped to [act_min, act_max]. Combinational.
// Fault NPUSIM_FAULT_CIM_PERIPH_SHIFT: the Q16 rounding constant is 2^14 instead of 2^15.
module cim_periphery (
    input  wire signed [31:0] code_sum,
    input  wire signed [31:0] m,
    input  wire signed [31:0] bias,
    input  wire signed [31:0] qmult,
    input  wire signed [ 7:0] qshift,
    input  wire signed [ 7:0] out_zp,
    input  wire signed [ 7:0] act_min,
    input  wire signed [ 7:0] act_max,
    output wire signed [ 7:0] out
);
`ifdef NPUSIM_FAULT_CIM_PERIPH_SHIFT
  localparam signed [63:0] ROUND = 64'sd1 <<< 14;
`else
  localparam signed [63:0] ROUND = 64'sd1 <<< 15;
`endif
  localparam signed [63:0] MAX32 = 64'sh7fffffff;
  localparam signed [63:0] MIN32 = -64'sh80000000;

  wire signed [63:0] prod = {{32{code_sum[31]}}, code_sum} * {{32{m[31]}}, m};
  wire signed [63:0] scaled = (prod + ROUND) >>> 16;
  wire signed [63:0] sat1 = scaled > MAX32 ? MAX32 : (scaled < MIN32 ? MIN32 : scaled);
  wire signed [63:0] biased = sat1 + {{32{bias[31]}}, bias};
  wire signed [63:0] sat2 = biased > MAX32 ? MAX32 : (biased < MIN32 ? MIN32 : biased);

  wire signed [31:0] acc = sat2[31:0];
  wire signed [31:0] req;
  cim_requant u_requant (
      .x(acc),
      .mult(qmult),
      .shift(qshift),
      .y(req)
  );

  wire signed [32:0] y = {req[31], req} + {{25{out_zp[7]}}, out_zp};
  wire signed [32:0] lo = {{25{act_min[7]}}, act_min};
  wire signed [32:0] hi = {{25{act_max[7]}}, act_max};
  wire signed [32:0] c = y < lo ? lo : (y > hi ? hi : y);
  assign out = c[7:0];

  wire unused = &{1'b0, sat1[63:32], sat2[63:32], c[32:8]};
endmodule
