#pragma once
// Verilog text helpers of the FixyNN generator (verilog_gen.*): sized literals, widths and sign extension, so
// every operand in the generated modules is explicitly sized (lint clean under verilator -Wall).
#include <cstdint>
#include <string>

namespace npusim::fixynn::vlog {

// Bits to hold 0..max_value (at least 1).
int bits_for(int64_t max_value);
// An unsigned sized literal.
std::string ulit(int width, int64_t v);
// A signed sized literal; negative ones parenthesised so they can stand anywhere in an expression.
std::string slit(int width, int64_t v);
// 32-bit signed view of an unsigned counter of `width` bits.
std::string sext32_unsigned(const std::string& name, int width);
// Floor modulo (the row slot of a possibly negative row).
int64_t floor_mod(int64_t a, int64_t m);
// Sign-extends the `from`-bit signed wire `name` to `to` bits.
std::string sext(const std::string& name, int from, int to);

}  // namespace npusim::fixynn::vlog
