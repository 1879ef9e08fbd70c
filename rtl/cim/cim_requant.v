// TFLite MultiplyByQuantizedMultiplier with double rounding (sim/quant/fixed_point.cpp), bit for bit:
// x << max(shift, 0) (wrapping), SaturatingRoundingDoublingHighMul by the multiplier, then
// RoundingDivideByPOT by max(-shift, 0). shift must lie in [-31, 31], as TFLite's does.
module cim_requant (
    input  wire signed [31:0] x,
    input  wire signed [31:0] mult,
    input  wire signed [ 7:0] shift,
    output wire signed [31:0] y
);
  wire [4:0] left = shift > 8'sd0 ? shift[4:0] : 5'd0;
  wire [7:0] neg = -shift;
  wire [5:0] right = shift > 8'sd0 ? 6'd0 : neg[5:0];
  wire signed [31:0] shifted = x << left;

  // SaturatingRoundingDoublingHighMul: (a*b + nudge) / 2^31, truncating toward zero.
  wire signed [63:0] ab = {{32{shifted[31]}}, shifted} * {{32{mult[31]}}, mult};
  wire signed [63:0] nudge = ab[63] ? 64'sd1 - (64'sd1 <<< 30) : (64'sd1 <<< 30);
  wire signed [63:0] v = ab + nudge;
  wire signed [63:0] q = (v[63] ? v + 64'sd2147483647 : v) >>> 31;  // round toward zero
  wire overflow = shifted == mult && shifted == 32'sh80000000;
  wire signed [31:0] high = overflow ? 32'sh7fffffff : q[31:0];

  // RoundingDivideByPOT: arithmetic shift plus 1 when the remainder exceeds half (ties away from zero).
  wire [63:0] mask = (64'd1 << right) - 64'd1;
  wire [63:0] hx = {{32{high[31]}}, high};
  wire [63:0] remainder = hx & mask;
  wire [63:0] threshold = (mask >> 1) + {63'd0, high[31]};
  wire signed [31:0] shr = high >>> right;
  assign y = shr + {31'd0, remainder > threshold};

  wire unused = &{1'b0, neg[7:6], q[63:32]};
endmodule
