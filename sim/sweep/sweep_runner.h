#pragma once
// `npusim sweep SPEC` (issue 14; DESIGN.md §4): expands the spec, takes this shard's runs, skips those the
// result database already has (done or failed), records the spec's invalid combinations as failed, and runs
// the rest, `jobs` at a time. Fast points (closed forms on the model backend) run in this process on
// `jobs` threads: they cost milliseconds, so a process each would cost more than the point. Cycle-model
// points run as worker processes (`npusim run ... --json`): a point's SystemC elaboration stays in its own
// process and a crashing point cannot take the sweep down. Each point is committed to the SQLite store in
// its own transaction as it finishes, so a killed sweep reruns only what was unfinished.
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/config/arch_config.h"
#include "sim/sweep/sweep_options.h"

namespace npusim {

// Runs one fast point in this process and returns the report `npusim run --json` would write; throws
// InputError for a bad combination. Provided by the app (the driver sits above this library); must be
// callable from several threads at once.
using InProcessRun = std::function<nlohmann::json(const ArchConfig& arch, const std::string& workload,
                                                  const SweepOptions& options)>;

struct SweepCommand {
  std::string spec;    // the sweep spec (configs/sweeps/*.yaml)
  std::string db;      // "" : <spec name>.sqlite, or <spec name>.shard<i>of<N>.sqlite with --shard
  int jobs = 1;        // worker processes at a time
  std::string shard;   // "i/N" ("" : all runs)
  std::string npusim;  // the executable the workers run (this one)
  InProcessRun in_process;  // empty: every point is a worker process
};

// Points that run in-process: fast mode on the model backend.
inline bool runs_in_process(const SweepOptions& o) { return o.fast && o.backend == "model"; }

// Runs the sweep; progress on stderr (a redrawn line on a terminal, plain lines otherwise), a summary on
// stdout. Returns 0 when every run ended (a failed point is recorded, not fatal); InputError on a bad
// spec, shard or database before anything runs.
int run_sweep(const SweepCommand& cmd);

// `npusim sweep merge --db INTO SHARD...`: the shards' points into one database (idempotent; conflicts
// listed). Returns 0, or 1 when there were conflicts.
int merge_sweeps(const std::string& into, const std::vector<std::string>& shards);

}  // namespace npusim
