#pragma once
// Datapath text of a FixyNN stage (verilog_gen.*): accumulator widths, the constant-weight adder expression,
// TFLite requantization (double or single rounding) with zero point and clamp, all with literal parameters.
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "models/fixynn/fixed_net.h"

namespace npusim::fixynn::vlog {

// Accumulator width of a conv: the exact bound |bias| + sum |w| * max|x - zp| over its output channels, plus
// a sign bit; at least 10 bits, at most 32 (TFLite's int32 accumulator wraps).
int acc_width(const FixedConv& cv);
// One requantization of the `aw`-bit signed wire `acc` into the 8-bit wire `out` (wires prefixed `p`).
void emit_requant(std::ostream& o, const std::string& p, const std::string& acc, int aw,
                  const std::string& out, int32_t multiplier, int shift, int32_t zero_point, int32_t act_min,
                  int32_t act_max, bool single_rounding);
// One product term of an accumulator: weight and the operand's wire expression.
struct Term {
  int w;
  std::string x;
};
// Accumulator wire `acc` (aw bits) = bias + sum of `w * x` terms (non-zero weights only; +-1 without a
// multiply).
void emit_acc(std::ostream& o, const std::string& acc, int aw, int32_t bias, const std::vector<Term>& terms);
// aw-bit (x - zero_point) of the int8 at bits [lo+7:lo] of `vec`, or 0 when `ok` is false (padding).
std::string centered(const std::string& vec, int64_t lo, int32_t zero_point, const std::string& ok, int aw);

}  // namespace npusim::fixynn::vlog
