#pragma once
// The points of a sweep spec (docs/sweep_spec.md): the grid in a fixed order (axes in spec order, the
// last axis fastest; a zip group is one axis), or a seeded random sample of it; config-only constraints
// applied; every point resolved through the arch loader and hashed; each point times each workload is
// one run with a key (config hash, workload, options) that the result store and resume use.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/config/arch_config.h"
#include "sim/sweep/point_key.h"
#include "sim/sweep/sweep_spec.h"

namespace npusim {

struct SweepPoint {
  uint64_t grid_index = 0;             // position in the grid order
  std::vector<std::string> overrides;  // "key=value" exactly as --set takes them, in axis order
  SweepOptions options;                // the spec's options with options.<name> axes applied
  std::optional<ArchConfig> config;    // the resolved config (empty if `error`)
  std::string error;                   // the loader's message when the combination is invalid
  std::string config_hash;             // 16 hex digits (see config_hash); of the overrides if `error`
};

// One point on one workload: what the runner runs and the store records.
struct SweepRun {
  size_t point = 0;     // index into SweepPoints::points
  size_t workload = 0;  // index into SweepSpec::workloads
  PointKey key;
};

struct SweepPoints {
  std::vector<SweepPoint> points;  // in grid order
  std::vector<SweepRun> runs;      // point-major, workloads in spec order
  uint64_t grid_size = 0;
  uint64_t rejected = 0;  // candidates the config constraints removed
  std::string note;       // e.g. a random budget larger than the grid ("" if nothing to say)
};

// Grids above this many points are not enumerated: grid mode refuses them, random mode samples tuples.
constexpr uint64_t kMaxEnumeratedGrid = 1000000;

// Throws InputError naming the spec for specs that yield no point, too large grids and constraints that
// cannot be evaluated.
SweepPoints expand_sweep(const SweepSpec& spec);

// FNV-1a 64 of the canonical JSON of the resolved config without its `name` (a renamed file is the same
// hardware): sorted keys, every default resolved, so equal configs hash equally whatever the overrides.
std::string config_hash(const ArchConfig& config);

// Value of a config key for constraints (numbers, strings; booleans as 1/0), or nullopt.
std::optional<ExprValue> config_value(const nlohmann::json& config_json, const std::string& dotted_key);

// A derived figure of a run from its `npusim run --json` report: area_mm2, cycles, energy_pj, latency_s and
// utilization are total.<same name>, tops_per_w is total.tops_per_w_effective (dense-equivalent ops).
std::optional<ExprValue> derived_value(const nlohmann::json& report, const std::string& figure);
// The runner's check once a point ran: "" if every derived constraint holds on the point's config, options
// and report, else which one does not or cannot be evaluated ("s.yaml:12: 'area_mm2 <= 2' does not hold").
std::string check_runner_constraints(const SweepSpec& spec, const SweepPoint& point,
                                     const nlohmann::json& report);

// Shard i of n (0 <= i < n): the runs whose key's FNV-1a hash is i modulo n, in their order. Stable
// under added or removed points and independent of the sampling order; every run is in exactly one shard.
std::vector<SweepRun> shard(const std::vector<SweepRun>& runs, int i, int n);
// "i/N" as --shard takes it; InputError naming --shard otherwise.
std::pair<int, int> parse_shard(const std::string& text);

}  // namespace npusim
