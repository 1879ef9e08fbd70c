#include "models/fixynn/verilog_text.h"

#include <limits>

namespace npusim::fixynn::vlog {

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

// Sign-extends the `from`-bit signed wire `name` to `to` bits.
std::string sext(const std::string& name, int from, int to) {
  if (to == from) return name;
  return "$signed({{" + std::to_string(to - from) + "{" + name + "[" + std::to_string(from - 1) + "]}}, " +
         name + "})";
}

}  // namespace npusim::fixynn::vlog
