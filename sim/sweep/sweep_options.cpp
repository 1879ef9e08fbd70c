#include "sim/sweep/sweep_options.h"

#include "sim/common/text.h"

namespace npusim {

std::string SweepOptions::canonical() const {
  return "a_nnz=" + std::to_string(a_nnz) + ",backend=" + backend + ",fast=" + (fast ? "1" : "0") +
         ",independent=" + (independent ? "1" : "0") + ",seed=" + std::to_string(seed) +
         ",values=" + (values ? "1" : "0") + ",w_nnz=" + std::to_string(w_nnz);
}

std::string SweepOptions::set(const std::string& key, const std::string& text) {
  const auto as_bool = [&](bool& out) -> std::string {
    if (text == "true" || text == "1")
      out = true;
    else if (text == "false" || text == "0")
      out = false;
    else
      return "expected true or false, got " + quote(text);
    return "";
  };
  const auto as_int = [&](int& out, int lo, int hi) -> std::string {
    const auto v = parse_int(text);
    if (!v || *v < lo || *v > hi)
      return "expected an integer in " + std::to_string(lo) + ".." + std::to_string(hi) + ", got " +
             quote(text);
    out = static_cast<int>(*v);
    return "";
  };
  if (key == "fast") return as_bool(fast);
  if (key == "values") return as_bool(values);
  if (key == "independent") return as_bool(independent);
  if (key == "w_nnz") return as_int(w_nnz, 0, 15);
  if (key == "a_nnz") return as_int(a_nnz, 0, 16);
  if (key == "seed") {
    const auto v = parse_int(text);
    if (!v || *v < 0) return "expected a non-negative integer, got " + quote(text);
    seed = static_cast<uint64_t>(*v);
    return "";
  }
  if (key == "backend") {
    if (text != "model" && text != "rtl" && text != "lockstep")
      return "expected model, rtl or lockstep, got " + quote(text);
    backend = text;
    return "";
  }
  return "unknown option " + quote(key) +
         " (expected fast, values, independent, w_nnz, a_nnz, seed, backend)";
}

std::string SweepOptions::check() const {
  if (values && !fast) return "options.values: only with fast (a cycle-model run computes every tensor)";
  return "";
}

std::optional<ExprValue> SweepOptions::value(const std::string& name) const {
  if (name == "fast") return ExprValue::number(fast);
  if (name == "values") return ExprValue::number(values);
  if (name == "independent") return ExprValue::number(independent);
  if (name == "w_nnz") return ExprValue::number(w_nnz);
  if (name == "a_nnz") return ExprValue::number(a_nnz);
  if (name == "seed") return ExprValue::number(static_cast<double>(seed));
  if (name == "backend") return ExprValue::string(backend);
  return std::nullopt;
}

}  // namespace npusim
