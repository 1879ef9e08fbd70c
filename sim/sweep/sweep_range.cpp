#include "sim/sweep/sweep_range.h"

#include <cmath>
#include <cstdio>

#include "sim/common/text.h"

namespace npusim {

namespace {

std::string format(double v, bool integral) {
  if (integral) return std::to_string(static_cast<long long>(std::llround(v)));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.12g", v);
  return buf;
}

std::string num(double v) {
  return format(v, v == std::floor(v) && std::fabs(v) < 1e15);
}

}  // namespace

void RangeSpec::set(const std::string& key, double v, const std::string& text) {
  if (!parse_int(text)) integral = false;
  if (key == "from") has_from = true, from = v;
  if (key == "to") has_to = true, to = v;
  if (key == "step") has_step = true, step = v;
  if (key == "factor") has_factor = true, factor = v;
}

std::string RangeSpec::check() const {
  if (!has_from || !has_to) return "a range needs from and to";
  if (has_step == has_factor) return "a range needs either step (arithmetic) or factor (geometric)";
  if (from > to) return "range from " + num(from) + " > to " + num(to);
  if (has_step && step <= 0) return "range step must be > 0, got " + num(step);
  if (has_factor && factor <= 1) return "range factor must be > 1, got " + num(factor);
  if (has_factor && from <= 0) return "a geometric range needs from > 0, got " + num(from);
  const double n = has_step ? (to - from) / step : std::log(to / from) / std::log(factor);
  if (n + 1 > kMaxValues) return "range of more than " + std::to_string(kMaxValues) + " values";
  return "";
}

std::vector<std::string> RangeSpec::values() const {
  std::vector<std::string> out;
  const double slack = 1e-9 * std::max(1.0, std::fabs(to));  // 0.1 steps must still reach `to`
  if (has_step) {
    for (size_t i = 0;; ++i) {
      const double v = from + static_cast<double>(i) * step;  // not accumulated: no drift
      if (v > to + slack) break;
      out.push_back(format(v, integral));
    }
  } else {
    double v = from;
    for (size_t i = 0; v <= to + slack; ++i, v *= factor) out.push_back(format(v, integral));
  }
  return out;
}

}  // namespace npusim
