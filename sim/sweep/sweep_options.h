#pragma once
// The run options of a sweep's points (the `npusim run` flags they map to); part of every point's key.
#include <cstdint>
#include <optional>
#include <string>

#include "sim/sweep/sweep_expr.h"

namespace npusim {

// Run options of a point (the `npusim run` flags); axes named options.<key> vary them per point.
struct SweepOptions {
  bool fast = false;
  bool values = false;       // --fast --values: fast but with tensor values
  bool independent = false;  // --independent
  int w_nnz = 0;             // --w-nnz (0: the workload's own)
  int a_nnz = 0;             // --a-nnz (0: none)
  uint64_t seed = 1;
  std::string backend = "model";  // model | rtl | lockstep
  // Every option, sorted by name: "a_nnz=0,backend=model,fast=1,independent=0,seed=1,values=0,w_nnz=4".
  std::string canonical() const;
  // Sets one option from its YAML text; returns an error message ("" if fine).
  std::string set(const std::string& key, const std::string& text);
  // The option's value for constraints (options.<key>; booleans are 1 and 0), nullopt if unknown.
  std::optional<ExprValue> value(const std::string& key) const;
  // An invalid combination of options ("" if fine): values without fast.
  std::string check() const;
  static bool known(const std::string& key) { return SweepOptions().value(key).has_value(); }
};

}  // namespace npusim
