#include "models/fixynn/verilog_gen.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "sim/common/error.h"
#include "sim/common/output_file.h"

namespace npusim::fixynn {

namespace {

// ---------------------------------------------------------------------------------------------------
// Literals and widths. Every operand in the generated text is explicitly sized so that the modules lint
// clean under `verilator -Wall` (no WIDTH warnings).

// Bits to hold 0..max_value (at least 1).
int bits_for(int64_t max_value) {
  int b = 1;
  while (b < 62 && (int64_t{1} << b) <= max_value) ++b;
  return b;
}

std::string ulit(int width, int64_t v) {
  return std::to_string(width) + "'d" + std::to_string(v);
}

// A signed sized literal; negative ones parenthesised so they can stand anywhere in an expression.
std::string slit(int width, int64_t v) {
  if (width == 32 && v == std::numeric_limits<int32_t>::min()) return "32'sh80000000";
  if (v >= 0) return std::to_string(width) + "'sd" + std::to_string(v);
  return "(-" + std::to_string(width) + "'sd" + std::to_string(-v) + ")";
}

// 32-bit signed view of an unsigned counter of `width` bits.
std::string sext32_unsigned(const std::string& name, int width) {
  if (width >= 32) return "$signed(" + name + ")";
  return "$signed({" + std::to_string(32 - width) + "'d0, " + name + "})";
}

// Floor modulo (the row slot of a possibly negative row).
int64_t floor_mod(int64_t a, int64_t m) {
  return ((a % m) + m) % m;
}

std::string stage_module(size_t s) {
  return "fixynn_stage" + std::to_string(s);
}

// ---------------------------------------------------------------------------------------------------
// Checks.

[[noreturn]] void fail(size_t s, const FixedStage& st, const std::string& what) {
  throw InputError("fixynn stage " + std::to_string(s) + " (" + st.name + "): " + what);
}

void check_conv(size_t s, const FixedStage& st, const FixedConv& cv, const std::string& which) {
  auto bad = [&](const std::string& what) { fail(s, st, which + " conv: " + what); };
  if (cv.R < 1 || cv.S < 1 || cv.C < 1 || cv.K < 1) bad("kernel and channel counts must be >= 1");
  if (cv.R > 64 || cv.S > 64 || cv.C > 4096 || cv.K > 4096) bad("kernel or channel count too large");
  if (cv.depthwise && cv.K != cv.C) bad("depthwise needs K == C");
  const int64_t nw = cv.K * cv.R * cv.S * (cv.depthwise ? 1 : cv.C);
  if (static_cast<int64_t>(cv.weights.size()) != nw)
    bad(std::to_string(cv.weights.size()) + " weights, expected " + std::to_string(nw));
  const auto k = static_cast<size_t>(cv.K);
  if (cv.bias.size() != k || cv.multiplier.size() != k || cv.shift.size() != k)
    bad("bias, multiplier and shift need one entry per output channel (" + std::to_string(k) + ")");
  for (int sh : cv.shift)
    if (sh < -31 || sh > 30) bad("shift " + std::to_string(sh) + " outside [-31, 30]");
  if (cv.input_zero_point < -128 || cv.input_zero_point > 127) bad("input zero point outside int8");
  if (cv.output_zero_point < -128 || cv.output_zero_point > 127) bad("output zero point outside int8");
  if (cv.act_min > cv.act_max || cv.act_min < -128 || cv.act_max > 127)
    bad("activation range [" + std::to_string(cv.act_min) + ", " + std::to_string(cv.act_max) +
        "] empty or outside int8");
}

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

// Sign-extends the `from`-bit signed wire `name` to `to` bits.
std::string sext(const std::string& name, int from, int to) {
  if (to == from) return name;
  return "$signed({{" + std::to_string(to - from) + "{" + name + "[" + std::to_string(from - 1) + "]}}, " +
         name + "})";
}

// One requantization (TFLite MultiplyByQuantizedMultiplier with double rounding, zero point, clamp) of the
// `aw`-bit signed wire `acc` into the 8-bit wire `out`, every parameter a literal. Widths follow the values:
// x = acc << left needs aw + left bits (32 and wrapping like TFLite's int32 when more), the high multiply
// |x * m / 2^31| <= |x| keeps x's width (m in [0, 2^31)), the right shift needs right + 2 bits.
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

// Accumulator wire `acc` (aw bits) = bias + sum of `w * x` terms (non-zero weights only; +-1 without a
// multiply).
struct Term {
  int w;
  std::string x;
};
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

int64_t nonzero(const std::vector<int8_t>& w) {
  int64_t n = 0;
  for (int8_t v : w) n += v != 0;
  return n;
}

// ---------------------------------------------------------------------------------------------------
// One stage module.

std::string emit_stage(const FixedStage& st, size_t s) {
  const FixedConv& a = st.first;
  const int aw = acc_width(a);  // accumulator bits of the windowed conv
  const int64_t C = st.in_channels(), KO = st.out_channels();
  const int64_t H = st.H, W = st.W, OH = st.OH, OW = st.OW, d = st.dilation;
  const int64_t BR = st.buffer_rows();
  const int64_t LB = BR * W;  // line-buffer entries (pixels)
  const int nw = bits_for(H * W), rw = bits_for(H), cw = bits_for(W - 1), slw = bits_for(BR - 1);
  const int oyw = bits_for(OH), oxw = bits_for(OW - 1), iw = bits_for(LB - 1);
  const int64_t top0_slot = floor_mod(-st.pad_top, BR);
  const int64_t step_slot = st.stride_h % BR;

  std::ostringstream o;
  o << "// " << stage_module(s) << ": FixyNN stage " << s << " '" << st.name << "' (layers:";
  for (const auto& l : st.layers) o << " " << l;
  o << ").\n// Generated by models/fixynn/verilog_gen.cpp from a FixedNet; do not edit. Cycle contract: "
       "docs/fixynn.md.\n";
  o << "// Input " << H << "x" << W << "x" << C << ", " << a.R << "x" << a.S
    << (a.depthwise ? " depthwise" : "") << " conv stride " << st.stride_h << "x" << st.stride_w
    << ", pad top/left " << st.pad_top << "/" << st.pad_left << ", dilation " << d << " -> " << OH << "x"
    << OW << "x" << a.K;
  if (st.fused) o << ", fused 1x1 -> " << KO;
  o << ".\n// Line buffer: " << BR << " rows x " << W << " pixels (" << LB * C * 8
    << " bits); weights are literals, "
    << "zero weights generate no term.\n";
  o << "module " << stage_module(s) << " (\n"
    << "    input  wire clk,\n"
    << "    input  wire rst,\n"
    << "    input  wire in_valid,\n"
    << "    output wire in_ready,\n"
    << "    input  wire [" << C * 8 - 1 << ":0] in_data,\n"
    << "    output reg  out_valid,\n"
    << "    input  wire out_ready,\n"
    << "    output reg  [" << KO * 8 - 1 << ":0] out_data\n"
    << ");\n\n";

  // State.
  o << "  // Input side: pixels received this frame (n), the row/column of the next one, its row slot.\n"
    << "  reg [" << nw - 1 << ":0] n;\n"
    << "  reg [" << rw - 1 << ":0] in_r;\n"
    << "  reg [" << cw - 1 << ":0] in_c;\n"
    << "  reg [" << slw - 1 << ":0] wr_slot;\n"
    << "  // Output side: next output (oy, ox); oy == " << OH
    << " is 'frame done'; the slot of its window's top row.\n"
    << "  reg [" << oyw - 1 << ":0] oy;\n"
    << "  reg [" << oxw - 1 << ":0] ox;\n"
    << "  reg [" << slw - 1 << ":0] top_slot;\n"
    << "  /* verilator lint_off UNUSED */  // (a stage whose weights are all zero reads nothing)\n"
    << "  // Line buffer, entry slot*" << W
    << " + column (not reset: only pixels of the current frame are read).\n"
    << "  reg [" << C * 8 - 1 << ":0] lb[0:" << LB - 1 << "];\n\n";

  // Control.
  o << "  wire signed [31:0] n_s = " << sext32_unsigned("n", nw) << ";\n"
    << "  wire signed [31:0] in_r_s = " << sext32_unsigned("in_r", rw) << ";\n"
    << "  wire signed [31:0] top = " << sext32_unsigned("oy", oyw) << " * " << slit(32, st.stride_h) << " - "
    << slit(32, st.pad_top) << ";\n"
    << "  wire signed [31:0] left = " << sext32_unsigned("ox", oxw) << " * " << slit(32, st.stride_w) << " - "
    << slit(32, st.pad_left) << ";\n"
    << "  wire signed [31:0] bottom = top + " << slit(32, (a.R - 1) * d) << ";\n"
    << "  wire signed [31:0] right = left + " << slit(32, (a.S - 1) * d) << ";\n"
    << "  wire signed [31:0] last_row = (bottom < " << slit(32, H - 1) << ") ? bottom : " << slit(32, H - 1)
    << ";\n"
    << "  wire signed [31:0] last_col = (right < " << slit(32, W - 1) << ") ? right : " << slit(32, W - 1)
    << ";\n"
    << "  wire done_out = oy == " << ulit(oyw, OH) << ";\n"
    << "  wire complete = n_s > last_row * " << slit(32, W) << " + last_col;\n"
    << "  wire out_free = !out_valid || out_ready;\n"
    << "  wire emit = !done_out && complete && out_free;\n"
    << "  // A function of the state only: room in the frame, and row in_r does not overwrite a row `next` "
       "needs.\n"
    << "  assign in_ready = (n < " << ulit(nw, H * W) << ") && (done_out || (in_r_s - " << slit(32, BR)
    << " < top));\n"
    << "  wire accept = in_valid && in_ready;\n"
    << "  wire frame_end = (n == " << ulit(nw, H * W) << ") && done_out && out_free;\n"
    << "  wire [31:0] wr_idx32 = {" << 32 - slw << "'d0, wr_slot} * 32'd" << W << " + {" << 32 - cw
    << "'d0, in_c};\n"
    << "  wire [" << iw - 1 << ":0] wr_idx = wr_idx32[" << iw - 1 << ":0];\n"
    << "  // Top-row slot of the next output row: (top_slot + " << st.stride_h << ") mod " << BR << ".\n"
    << "  wire [" << slw << ":0] top_slot_sum = {1'b0, top_slot} + " << ulit(slw + 1, step_slot) << ";\n"
    << "  wire [" << slw << ":0] top_slot_nx = (top_slot_sum >= " << ulit(slw + 1, BR)
    << ") ? top_slot_sum - " << ulit(slw + 1, BR) << " : top_slot_sum;\n\n";

  // Which taps / channels feed any non-zero weight.
  auto wa = [&](int64_t k, int64_t i, int64_t j, int64_t c) -> int {
    if (a.depthwise) return c == k ? a.weights[static_cast<size_t>((k * a.R + i) * a.S + j)] : 0;
    return a.weights[static_cast<size_t>(((k * a.R + i) * a.S + j) * a.C + c)];
  };
  auto used = [&](int64_t i, int64_t j, int64_t c) {
    for (int64_t k = 0; k < a.K; ++k)
      if (wa(k, i, j, c) != 0) return true;
    return false;
  };

  // Window taps.
  o << "  // Window taps: row slot (top_slot + i*" << d << ") mod " << BR << ", column left + j*" << d
    << "; out of the frame = padding.\n";
  for (int64_t i = 0; i < a.R; ++i) {
    bool any = false;
    for (int64_t j = 0; j < a.S; ++j)
      for (int64_t c = 0; c < C; ++c) any = any || used(i, j, c);
    if (!any) continue;
    const std::string r = "r" + std::to_string(i);
    o << "  wire signed [31:0] " << r << "_row = top + " << slit(32, i * d) << ";\n"
      << "  wire " << r << "_ok = (" << r << "_row >= 32'sd0) && (" << r << "_row < " << slit(32, H) << ");\n"
      << "  wire [31:0] " << r << "_sum = {" << 32 - slw << "'d0, top_slot} + 32'd" << i * d << ";\n"
      << "  wire [31:0] " << r << "_slot = (" << r << "_sum >= 32'd" << BR << ") ? " << r << "_sum - 32'd"
      << BR << " : " << r << "_sum;\n";
  }
  for (int64_t j = 0; j < a.S; ++j) {
    bool any = false;
    for (int64_t i = 0; i < a.R; ++i)
      for (int64_t c = 0; c < C; ++c) any = any || used(i, j, c);
    if (!any) continue;
    const std::string q = "c" + std::to_string(j);
    o << "  wire signed [31:0] " << q << "_col = left + " << slit(32, j * d) << ";\n"
      << "  wire " << q << "_ok = (" << q << "_col >= 32'sd0) && (" << q << "_col < " << slit(32, W)
      << ");\n";
  }
  for (int64_t i = 0; i < a.R; ++i) {
    for (int64_t j = 0; j < a.S; ++j) {
      bool any = false;
      for (int64_t c = 0; c < C; ++c) any = any || used(i, j, c);
      if (!any) continue;
      const std::string t = "t" + std::to_string(i) + "_" + std::to_string(j);
      const std::string r = "r" + std::to_string(i), q = "c" + std::to_string(j);
      o << "  wire " << t << "_ok = " << r << "_ok && " << q << "_ok;\n"
        << "  wire [31:0] " << t << "_idx32 = " << t << "_ok ? " << r << "_slot * 32'd" << W << " + " << q
        << "_col : 32'd0;\n"
        << "  wire [" << C * 8 - 1 << ":0] " << t << "_px = lb[" << t << "_idx32[" << iw - 1 << ":0]];\n";
      for (int64_t c = 0; c < C; ++c) {
        if (!used(i, j, c)) continue;
        o << "  wire signed [" << aw - 1 << ":0] x" << i << "_" << j << "_" << c << " = "
          << centered(t + "_px", c * 8, a.input_zero_point, t + "_ok", aw) << ";\n";
      }
    }
  }
  o << "\n  // Windowed conv: per output channel bias + sum of constant * (x - zp), zp = "
    << a.input_zero_point << " (accumulator " << aw << " bits).\n";
  for (int64_t k = 0; k < a.K; ++k) {
    std::vector<Term> terms;
    for (int64_t i = 0; i < a.R; ++i)
      for (int64_t j = 0; j < a.S; ++j)
        for (int64_t c = 0; c < C; ++c)
          if (const int w = wa(k, i, j, c); w != 0)
            terms.push_back({w, "x" + std::to_string(i) + "_" + std::to_string(j) + "_" + std::to_string(c)});
    const std::string ks = std::to_string(k);
    emit_acc(o, "acc_" + ks, aw, a.bias[static_cast<size_t>(k)], terms);
    emit_requant(o, "rq_" + ks, "acc_" + ks, aw, "y_" + ks, a.multiplier[static_cast<size_t>(k)],
                 a.shift[static_cast<size_t>(k)], a.output_zero_point, a.act_min, a.act_max,
                 a.single_rounding);
  }
  std::string result;  // the output pixel, channel 0 in the low byte
  if (st.fused) {
    const FixedConv& b = st.second;
    const int bw = acc_width(b);
    o << "\n  // Fused 1x1 conv on y in the same cycle: bias + sum of constant * (y - zp), zp = "
      << b.input_zero_point << " (accumulator " << bw << " bits).\n";
    for (int64_t c = 0; c < b.C; ++c) {
      bool any = false;
      for (int64_t k = 0; k < b.K; ++k) any = any || b.weights[static_cast<size_t>(k * b.C + c)] != 0;
      if (!any) continue;
      o << "  wire signed [" << bw - 1 << ":0] u_" << c << " = "
        << centered("y_" + std::to_string(c), 0, b.input_zero_point, "", bw) << ";\n";
    }
    for (int64_t k = 0; k < b.K; ++k) {
      std::vector<Term> terms;
      for (int64_t c = 0; c < b.C; ++c)
        if (const int w = b.weights[static_cast<size_t>(k * b.C + c)]; w != 0)
          terms.push_back({w, "u_" + std::to_string(c)});
      const std::string ks = std::to_string(k);
      emit_acc(o, "acc2_" + ks, bw, b.bias[static_cast<size_t>(k)], terms);
      emit_requant(o, "rq2_" + ks, "acc2_" + ks, bw, "z_" + ks, b.multiplier[static_cast<size_t>(k)],
                   b.shift[static_cast<size_t>(k)], b.output_zero_point, b.act_min, b.act_max,
                   b.single_rounding);
    }
    for (int64_t k = KO - 1; k >= 0; --k) result += "z_" + std::to_string(k) + (k ? ", " : "");
  } else {
    for (int64_t k = KO - 1; k >= 0; --k) result += "y_" + std::to_string(k) + (k ? ", " : "");
  }
  o << "  wire [" << KO * 8 - 1 << ":0] pixel = {" << result << "};\n";
  o << "  /* verilator lint_on UNUSED */\n\n";

  // Sequential: emit (reads the buffer as it was), accept (writes it), frame end.
  o << "  always @(posedge clk) begin\n"
    << "    if (rst) begin\n"
    << "      n <= " << ulit(nw, 0) << ";\n      in_r <= " << ulit(rw, 0)
    << ";\n      in_c <= " << ulit(cw, 0) << ";\n      wr_slot <= " << ulit(slw, 0) << ";\n"
    << "      oy <= " << ulit(oyw, 0) << ";\n      ox <= " << ulit(oxw, 0)
    << ";\n      top_slot <= " << ulit(slw, top0_slot) << ";\n"
    << "      out_valid <= 1'b0;\n      out_data <= " << KO * 8 << "'d0;\n"
    << "    end else begin\n"
    << "      if (emit) begin\n"
    << "        out_valid <= 1'b1;\n        out_data <= pixel;\n"
    << "        if (ox == " << ulit(oxw, OW - 1) << ") begin\n"
    << "          ox <= " << ulit(oxw, 0) << ";\n          oy <= oy + " << ulit(oyw, 1) << ";\n"
    << "          top_slot <= top_slot_nx[" << slw - 1 << ":0];\n"
    << "        end else begin\n          ox <= ox + " << ulit(oxw, 1) << ";\n        end\n"
    << "      end else if (out_valid && out_ready) begin\n        out_valid <= 1'b0;\n      end\n"
    << "      if (accept) begin\n"
    << "        n <= n + " << ulit(nw, 1) << ";\n"
    << "        if (in_c == " << ulit(cw, W - 1) << ") begin\n"
    << "          in_c <= " << ulit(cw, 0) << ";\n          in_r <= in_r + " << ulit(rw, 1) << ";\n"
    << "          wr_slot <= (wr_slot == " << ulit(slw, BR - 1) << ") ? " << ulit(slw, 0) << " : wr_slot + "
    << ulit(slw, 1) << ";\n"
    << "        end else begin\n          in_c <= in_c + " << ulit(cw, 1) << ";\n        end\n"
    << "      end\n"
    << "      if (frame_end) begin\n"
    << "        n <= " << ulit(nw, 0) << ";\n        in_r <= " << ulit(rw, 0)
    << ";\n        in_c <= " << ulit(cw, 0) << ";\n        wr_slot <= " << ulit(slw, 0) << ";\n"
    << "        oy <= " << ulit(oyw, 0) << ";\n        ox <= " << ulit(oxw, 0)
    << ";\n        top_slot <= " << ulit(slw, top0_slot) << ";\n"
    << "      end\n"
    << "    end\n"
    << "  end\n\n"
    << "  always @(posedge clk) begin\n"
    << "    if (!rst && accept) lb[wr_idx] <= in_data;\n"
    << "  end\n\n"
    << "endmodule\n";
  return o.str();
}

// ---------------------------------------------------------------------------------------------------
// Top and manifest.

std::string emit_top(const FixedNet& net, const std::string& top) {
  const size_t n = net.stages.size();
  std::ostringstream o;
  o << "// " << top << ": FixyNN fixed-weight front end, " << n << " stage(s) chained by valid/ready.\n"
    << "// Generated by models/fixynn/verilog_gen.cpp from a FixedNet; do not edit. Cycle contract: "
       "docs/fixynn.md.\n"
    << "// s<k>_out_valid, s<k>_out_data, s<k>_in_ready observe every stage (what the lockstep compares).\n"
    << "module " << top << " (\n"
    << "    input  wire clk,\n    input  wire rst,\n"
    << "    input  wire in_valid,\n    output wire in_ready,\n"
    << "    input  wire [" << net.stages.front().in_channels() * 8 - 1 << ":0] in_data,\n"
    << "    output wire out_valid,\n    input  wire out_ready,\n"
    << "    output wire [" << net.stages.back().out_channels() * 8 - 1 << ":0] out_data";
  for (size_t s = 0; s < n; ++s) {
    const std::string p = "s" + std::to_string(s);
    o << ",\n    output wire " << p << "_out_valid,\n    output wire ["
      << net.stages[s].out_channels() * 8 - 1 << ":0] " << p << "_out_data,\n    output wire " << p
      << "_in_ready";
  }
  o << "\n);\n\n";
  for (size_t s = 0; s < n; ++s) {
    const std::string p = "s" + std::to_string(s);
    const std::string prev = "s" + std::to_string(s - 1);
    const std::string next = "s" + std::to_string(s + 1);
    o << "  " << stage_module(s) << " u_stage" << s << " (\n"
      << "      .clk(clk),\n      .rst(rst),\n"
      << "      .in_valid(" << (s == 0 ? "in_valid" : prev + "_out_valid") << "),\n"
      << "      .in_ready(" << p << "_in_ready),\n"
      << "      .in_data(" << (s == 0 ? "in_data" : prev + "_out_data") << "),\n"
      << "      .out_valid(" << p << "_out_valid),\n"
      << "      .out_ready(" << (s + 1 == n ? "out_ready" : next + "_in_ready") << "),\n"
      << "      .out_data(" << p << "_out_data)\n  );\n\n";
  }
  const std::string last = "s" + std::to_string(n - 1);
  o << "  assign in_ready = s0_in_ready;\n"
    << "  assign out_valid = " << last << "_out_valid;\n"
    << "  assign out_data = " << last << "_out_data;\n\n"
    << "endmodule\n";
  return o.str();
}

nlohmann::ordered_json conv_json(const FixedConv& cv) {
  nlohmann::ordered_json j;
  j["R"] = cv.R;
  j["S"] = cv.S;
  j["C"] = cv.C;
  j["K"] = cv.K;
  j["depthwise"] = cv.depthwise;
  j["weights"] = cv.weights.size();
  j["nonzero_weights"] = nonzero(cv.weights);
  j["input_zero_point"] = cv.input_zero_point;
  j["output_zero_point"] = cv.output_zero_point;
  j["rounding"] = cv.single_rounding ? "single" : "double";
  j["act_min"] = cv.act_min;
  j["act_max"] = cv.act_max;
  return j;
}

std::string emit_manifest(const FixedNet& net, const std::string& top) {
  nlohmann::ordered_json m;
  m["generator"] = "models/fixynn/verilog_gen.cpp";
  m["contract"] = "docs/fixynn.md";
  m["top"] = top;
  m["top_file"] = top + ".v";
  m["a_bits"] = net.a_bits;
  m["w_bits"] = net.w_bits;
  m["adder_pipeline"] = net.adder_pipeline;
  m["stages"] = nlohmann::ordered_json::array();
  int64_t total_nz = 0, total_lb = 0;
  for (size_t s = 0; s < net.stages.size(); ++s) {
    const FixedStage& st = net.stages[s];
    nlohmann::ordered_json j;
    j["index"] = s;
    j["name"] = st.name;
    j["layers"] = st.layers;
    j["module"] = stage_module(s);
    j["file"] = stage_module(s) + ".v";
    j["H"] = st.H;
    j["W"] = st.W;
    j["in_channels"] = st.in_channels();
    j["OH"] = st.OH;
    j["OW"] = st.OW;
    j["out_channels"] = st.out_channels();
    j["stride_h"] = st.stride_h;
    j["stride_w"] = st.stride_w;
    j["pad_top"] = st.pad_top;
    j["pad_left"] = st.pad_left;
    j["dilation"] = st.dilation;
    j["fused"] = st.fused;
    j["buffer_rows"] = st.buffer_rows();
    const int64_t lb_bits = st.buffer_rows() * st.W * st.in_channels() * 8;
    j["line_buffer_bits"] = lb_bits;
    const int64_t nz = nonzero(st.first.weights) + (st.fused ? nonzero(st.second.weights) : 0);
    const int64_t nwts =
        static_cast<int64_t>(st.first.weights.size() + (st.fused ? st.second.weights.size() : 0));
    j["weight_constants"] = nwts;
    j["nonzero_weights"] = nz;
    // Literals in the module: non-zero weights + per output channel bias, multiplier, shift (per conv).
    j["constants"] = nz + 3 * (st.first.K + (st.fused ? st.second.K : 0));
    j["first"] = conv_json(st.first);
    if (st.fused) j["second"] = conv_json(st.second);
    m["stages"].push_back(j);
    total_nz += nz;
    total_lb += lb_bits;
  }
  m["total_nonzero_weights"] = total_nz;
  m["total_line_buffer_bits"] = total_lb;
  return m.dump(2) + "\n";
}

}  // namespace

void check_fixed_net(const FixedNet& net) {
  if (net.stages.empty()) throw InputError("fixynn: the net has no stages");
  if (net.a_bits != 8 || net.w_bits != 8)
    throw InputError("fixynn: the Verilog generator supports 8-bit activations and weights only (a_bits " +
                     std::to_string(net.a_bits) + ", w_bits " + std::to_string(net.w_bits) + ")");
  if (net.adder_pipeline != 0)
    throw InputError("fixynn: adder_pipeline " + std::to_string(net.adder_pipeline) +
                     " is not supported by the Verilog generator yet (only 0)");
  for (size_t s = 0; s < net.stages.size(); ++s) {
    const FixedStage& st = net.stages[s];
    if (st.H < 1 || st.W < 1 || st.OH < 1 || st.OW < 1) fail(s, st, "feature map sizes must be >= 1");
    if (st.H > 65535 || st.W > 65535 || st.OH > 65535 || st.OW > 65535) fail(s, st, "feature map too large");
    if (st.stride_h < 1 || st.stride_w < 1 || st.dilation < 1)
      fail(s, st, "strides and dilation must be >= 1");
    if (st.stride_h > 64 || st.stride_w > 64 || st.dilation > 64) fail(s, st, "stride or dilation too large");
    if (st.pad_top < 0 || st.pad_left < 0 || st.pad_top > 1024 || st.pad_left > 1024)
      fail(s, st, "padding must be in [0, 1024]");
    check_conv(s, st, st.first, "first");
    if (st.fused) {
      check_conv(s, st, st.second, "fused 1x1");
      if (st.second.R != 1 || st.second.S != 1 || st.second.depthwise)
        fail(s, st, "the fused conv must be a 1x1");
      if (st.second.C != st.first.K)
        fail(s, st, "the fused 1x1's input channels differ from the first conv's K");
    }
    if (s > 0) {
      const FixedStage& p = net.stages[s - 1];
      if (st.H != p.OH || st.W != p.OW || st.in_channels() != p.out_channels())
        fail(s, st,
             "input " + std::to_string(st.H) + "x" + std::to_string(st.W) + "x" +
                 std::to_string(st.in_channels()) + " differs from the previous stage's output " +
                 std::to_string(p.OH) + "x" + std::to_string(p.OW) + "x" + std::to_string(p.out_channels()));
    }
  }
}

GeneratedRtl generate_fixynn_rtl(const FixedNet& net, const std::string& top_name) {
  check_fixed_net(net);
  static const std::regex ident("[A-Za-z_][A-Za-z0-9_]*");
  static const std::regex stage_name("fixynn_stage[0-9]+");
  if (!std::regex_match(top_name, ident) || std::regex_match(top_name, stage_name))
    throw InputError("fixynn: top module name '" + top_name +
                     "' is not a plain Verilog identifier or collides with a stage module");
  GeneratedRtl rtl;
  rtl.top_name = top_name;
  for (size_t s = 0; s < net.stages.size(); ++s)
    rtl.files[stage_module(s) + ".v"] = emit_stage(net.stages[s], s);
  rtl.files[top_name + ".v"] = emit_top(net, top_name);
  rtl.files["manifest.json"] = emit_manifest(net, top_name);
  return rtl;
}

void GeneratedRtl::write_rtl(const std::string& dir) const {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw InputError(dir + ": cannot create directory (" + ec.message() + ")");
  check_writable_dir("fixynn rtl dir", dir);
  const auto path = [&](const std::string& name) { return (std::filesystem::path(dir) / name).string(); };
  for (const auto& [name, text] : files)
    if (name != "manifest.json") write_atomically(path(name), text);
  if (const auto it = files.find("manifest.json"); it != files.end())
    write_atomically(path(it->first), it->second);
}

}  // namespace npusim::fixynn
