#include "models/fixynn/verilog_datapath.h"

#include <algorithm>
#include <cstdlib>
#include <limits>

#include "models/fixynn/verilog_text.h"

namespace npusim::fixynn::vlog {

// ---------------------------------------------------------------------------------------------------
// Datapath text.

// Accumulator width of a conv: the exact bound |bias| + sum |w| * max|x - zp| over its output channels (x is
// int8), plus a sign bit; at least 10 bits (x - zp itself), at most 32 (TFLite's int32 accumulator wraps).
int acc_width(const FixedConv& cv) {
  const int64_t xmax = std::max<int64_t>(127 - cv.input_zero_point, cv.input_zero_point + 128);
  const int64_t per_k = cv.depthwise ? cv.R * cv.S : cv.R * cv.S * cv.C;
  int64_t bound = 0;
  for (int64_t k = 0; k < cv.K; ++k) {
    int64_t b = std::abs(static_cast<int64_t>(cv.bias[static_cast<size_t>(k)]));
    for (int64_t e = 0; e < per_k; ++e)
      b += std::abs(int{cv.weights[static_cast<size_t>(k * per_k + e)]}) * xmax;
    bound = std::max(bound, b);
  }
  return std::clamp(bits_for(bound) + 1, 10, 32);
}

// Zero point and clamp of the requantized `rw`-bit wire <p>_r into the 8-bit wire `out`.
void emit_zero_point_clamp(std::ostream& o, const std::string& p, int rw, const std::string& out,
                           int32_t zero_point, int32_t act_min, int32_t act_max) {
  // One more bit: the (saturated) product plus the zero point may exceed the range.
  const int zw = rw + 1;
  o << "  wire signed [" << zw - 1 << ":0] " << p << "_z = " << sext(p + "_r", rw, zw) << " + "
    << slit(zw, zero_point) << ";\n";
  o << "  wire [7:0] " << out << " = (" << p << "_z < " << slit(zw, act_min) << ") ? 8'd" << (act_min & 0xff)
    << " : (" << p << "_z > " << slit(zw, act_max) << ") ? 8'd" << (act_max & 0xff) << " : " << p
    << "_z[7:0];\n";
}

// TFLITE_SINGLE_ROUNDING: (acc * m + 2^(30 - shift)) >> (31 - shift) on 64 bits, saturated to int32.
void emit_requant_single(std::ostream& o, const std::string& p, const std::string& acc, int aw,
                         const std::string& out, int32_t multiplier, int shift, int32_t zero_point,
                         int32_t act_min, int32_t act_max) {
  const int total = 31 - shift;  // 1 .. 62
  // |acc * m| < 2^(aw - 1 + 31), plus the rounding term 2^(total - 1).
  const int pw = std::max(aw + 33, total + 1);
  const std::string P = std::to_string(pw - 1);
  o << "  // " << out << ": (x * " << multiplier << " + 2^" << total - 1 << ") >> " << total
    << " (single rounding), + " << zero_point << ", clamp [" << act_min << ", " << act_max << "]\n";
  o << "  wire signed [" << P << ":0] " << p << "_ab = " << sext(acc, aw, pw) << " * " << slit(pw, multiplier)
    << " + " << slit(pw, int64_t{1} << (total - 1)) << ";\n";
  o << "  wire signed [" << P << ":0] " << p << "_s = " << p << "_ab >>> " << total << ";\n";
  o << "  wire signed [31:0] " << p << "_r = (" << p << "_s > " << slit(pw, INT32_MAX)
    << ") ? 32'sh7fffffff : (" << p << "_s < " << slit(pw, INT32_MIN) << ") ? 32'sh80000000 : " << p
    << "_s[31:0];\n";
  emit_zero_point_clamp(o, p, 32, out, zero_point, act_min, act_max);
}

// One requantization (TFLite MultiplyByQuantizedMultiplier with double rounding, zero point, clamp) of the
// `aw`-bit signed wire `acc` into the 8-bit wire `out`, every parameter a literal. Widths follow the values:
// x = acc << left needs aw + left bits (32 and wrapping like TFLite's int32 when more), the high multiply
// |x * m / 2^31| <= |x| keeps x's width (m in [0, 2^31)), the right shift needs right + 2 bits.
void emit_requant(std::ostream& o, const std::string& p, const std::string& acc, int aw,
                  const std::string& out, int32_t multiplier, int shift, int32_t zero_point, int32_t act_min,
                  int32_t act_max, bool single_rounding) {
  if (single_rounding)
    return emit_requant_single(o, p, acc, aw, out, multiplier, shift, zero_point, act_min, act_max);
  const int left = shift > 0 ? shift : 0;
  const int right = shift > 0 ? 0 : -shift;
  const bool exact = aw + left <= 32 && multiplier != std::numeric_limits<int32_t>::min();
  const int xw = exact ? aw + left : 32;
  const int pw = xw + 32;
  const int rw = std::max(xw, right + 2);
  const std::string X = std::to_string(xw - 1), P = std::to_string(pw - 1), RW = std::to_string(rw - 1);
  o << "  // " << out << ": x * " << multiplier << " * 2^" << shift << " / 2^31, + " << zero_point
    << ", clamp [" << act_min << ", " << act_max << "]\n";
  // Left shift first (wraps like TFLite's int32 math when it does not fit).
  o << "  wire signed [" << X << ":0] " << p << "_x = ";
  if (exact)
    o << (left > 0 ? "$signed({" + acc + ", " + std::to_string(left) + "'d0})" : acc);
  else
    o << sext(acc, aw, 32) << (left > 0 ? " <<< " + std::to_string(left) : "");
  o << ";\n";
  // Saturating rounding doubling high multiply: (x*m + nudge) / 2^31 truncated toward zero.
  o << "  wire signed [" << P << ":0] " << p << "_ab = " << sext(p + "_x", xw, pw) << " * "
    << slit(pw, multiplier) << ";\n";
  o << "  wire signed [" << P << ":0] " << p << "_nd = " << p << "_ab + (" << p << "_ab[" << P << "] ? "
    << slit(pw, 1 - (int64_t{1} << 30)) << " : " << slit(pw, int64_t{1} << 30) << ");\n";
  o << "  wire signed [" << P << ":0] " << p << "_q = (" << p << "_nd >>> 31) + ((" << p << "_nd[" << P
    << "] && " << p << "_nd[30:0] != 31'd0) ? " << slit(pw, 1) << " : " << slit(pw, 0) << ");\n";
  if (multiplier == std::numeric_limits<int32_t>::min()) {
    // The only overflow: INT32_MIN * INT32_MIN saturates to INT32_MAX.
    o << "  wire signed [31:0] " << p << "_h = (" << p << "_x == 32'sh80000000) ? 32'sh7fffffff : " << p
      << "_q[31:0];\n";
  } else {
    o << "  wire signed [" << X << ":0] " << p << "_h = " << p << "_q[" << X << ":0];\n";
  }
  // Rounding right shift (half away from zero).
  o << "  wire signed [" << RW << ":0] " << p << "_hx = " << sext(p + "_h", xw, rw) << ";\n";
  if (right > 0) {
    const int64_t mask = (int64_t{1} << right) - 1;
    o << "  wire signed [" << RW << ":0] " << p << "_r = (" << p << "_hx >>> " << right << ") + (((" << p
      << "_hx & " << slit(rw, mask) << ") > (" << slit(rw, mask >> 1) << " + (" << p << "_hx[" << RW << "] ? "
      << slit(rw, 1) << " : " << slit(rw, 0) << "))) ? " << slit(rw, 1) << " : " << slit(rw, 0) << ");\n";
  } else {
    o << "  wire signed [" << RW << ":0] " << p << "_r = " << p << "_hx;\n";
  }
  emit_zero_point_clamp(o, p, rw, out, zero_point, act_min, act_max);
}

void emit_acc(std::ostream& o, const std::string& acc, int aw, int32_t bias, const std::vector<Term>& terms) {
  o << "  wire signed [" << aw - 1 << ":0] " << acc << " = " << slit(aw, bias);
  for (const Term& t : terms) {
    o << "\n      " << (t.w < 0 ? "- " : "+ ");
    const int mag = t.w < 0 ? -t.w : t.w;
    if (mag == 1)
      o << t.x;
    else
      o << aw << "'sd" << mag << " * " << t.x;
  }
  o << ";\n";
}

// aw-bit (x - zero_point) of the int8 at bits [lo+7:lo] of `vec`, or 0 when `ok` is false (padding).
std::string centered(const std::string& vec, int64_t lo, int32_t zero_point, const std::string& ok, int aw) {
  const std::string msb = std::to_string(lo + 7);
  const std::string v = "$signed({{" + std::to_string(aw - 8) + "{" + vec + "[" + msb + "]}}, " + vec + "[" +
                        msb + ":" + std::to_string(lo) + "]}) - " + slit(aw, zero_point);
  return ok.empty() ? v : "(" + ok + ") ? (" + v + ") : " + slit(aw, 0);
}

}  // namespace npusim::fixynn::vlog
