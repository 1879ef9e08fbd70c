#pragma once
// A design-space sweep spec (configs/sweeps/*.yaml, docs/sweep_spec.md): a base arch config, axes over
// config keys (lists, ranges, zip groups), constraints, workloads, run options and sampling. Loading
// validates everything it can before a point runs: every error is a one-line InputError naming the
// spec file, the line and the key; axis values are checked through the arch loader (as --set).
#include <cstdint>
#include <string>
#include <vector>

#include "sim/config/arch_config.h"
#include "sim/sweep/sweep_expr.h"
#include "sim/sweep/sweep_options.h"

namespace npusim {

// One axis: a single key, or a zip group whose keys vary together. settings[i][k] is the i-th value of
// keys[k] as YAML text, exactly as --set key=value takes it.
struct SweepAxis {
  std::string name;  // the key, or the zip group's name
  std::vector<std::string> keys;
  std::vector<std::vector<std::string>> settings;
  int line = 0;  // 1-based line of the axis in the spec
  bool is_option(size_t k) const { return keys[k].rfind("options.", 0) == 0; }
};

struct SweepConstraint {
  Expr expr;
  int line = 0;
  // Names a derived figure (area_mm2, ...): known only after the point ran, so the runner applies it.
  bool derived = false;
};

struct SweepSampling {
  enum class Mode { Grid, Random } mode = Mode::Grid;
  int64_t points = 0;  // random: the budget
  uint64_t seed = 1;   // random: the "sweep sampling" stream's seed
};

struct SweepSpec {
  std::string path;  // the spec file
  std::string name;
  std::string base;  // base arch config, resolved against the spec's directory
  ArchConfig base_config;
  struct Workload {
    std::string path;   // resolved, for opening
    std::string label;  // relative to the repository root when inside one, else as given (point keys)
  };
  std::vector<Workload> workloads;
  std::vector<SweepAxis> axes;
  std::vector<SweepConstraint> constraints;
  SweepOptions options;
  SweepSampling sampling;

  // Product of the axes' sizes, saturating at UINT64_MAX.
  uint64_t grid_size() const;
  // Constraints applied at expansion (config keys and options only) and those left to the runner.
  std::vector<const SweepConstraint*> config_constraints() const;
  std::vector<const SweepConstraint*> runner_constraints() const;
  // "file:line" of a spec line, for messages.
  std::string where(int line) const { return path + ":" + std::to_string(line); }
};

SweepSpec load_sweep_spec(const std::string& path);

}  // namespace npusim
