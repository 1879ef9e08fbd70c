#pragma once
// The SQLite result store of a sweep (issue 14; schema, concurrency, resume and merge rules in
// docs/sweep_db.md). One row per design point, keyed by (config hash, workload, options); every point is
// written in its own transaction, so a killed sweep loses at most the point it was writing and a rerun
// redoes exactly the points that are not 'done'. The report stored is `to_json(RunReport)`: totals and
// layers are parsed from it, so this library does not depend on the driver.
#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "sim/sweep/point_key.h"

namespace npusim {

namespace sqlite {
class Connection;
}

// Everything about a point except its results.
struct PointRecord {
  PointKey key;
  std::string spec;                                           // the sweep spec's name
  nlohmann::json overrides = nlohmann::json::array();         // the point's `--set` list (strings)
  nlohmann::json resolved_config = nlohmann::json::object();  // the fully resolved arch config
  uint64_t seed = 1;
  std::string host;          // empty: this machine's host name
  std::string started_utc;   // ISO 8601 (empty: now, at mark_running/record)
  std::string finished_utc;  // empty: now, at record/record_failure
  double wall_s = 0;         // the point's wall time
};

enum class PointStatus { running, done, failed };
std::string to_string(PointStatus s);

// A done point for `sweep report`: its key, overrides and run totals by column name (docs/sweep_db.md:
// cycles, macs, utilization, latency_s, tops, tops_per_w_effective, energy_pj, area_mm2, ...; a figure
// the report lacked is absent), and the energy by category.
struct PointSummary {
  int64_t id = 0;
  PointKey key;
  std::string spec;
  nlohmann::json overrides;
  uint64_t seed = 0;
  double wall_s = 0;
  std::string host;
  std::map<std::string, double> totals;
  std::map<std::string, double> energy_by_category_pj;
  // The named total; InputError naming the figure and listing the known ones if it is not a column.
  double figure(const std::string& name) const;
};

struct FailedPoint {
  PointKey key;
  std::string spec, error;
  nlohmann::json overrides;
};

struct StatusCounts {
  int64_t done = 0, failed = 0, running = 0;
};

// One key whose inputs disagree in a merge; the result already in the target is kept unless it was a
// failure and the shard's is done.
struct MergeConflict {
  PointKey key;
  std::string shard;   // the file whose row disagreed
  std::string reason;  // "different result", "different error", "failed here, done there", ...
  bool kept_shard = false;
};

struct MergeReport {
  int64_t added = 0;            // new keys
  int64_t replaced = 0;         // a 'running' or 'failed' row replaced by a result
  int64_t unchanged = 0;        // the same result was already there
  int64_t skipped_running = 0;  // shard rows still 'running' (no result to merge)
  std::vector<MergeConflict> conflicts;
};

class ResultDb {
 public:
  // Opens (creating if missing) a sweep database; InputError naming the file if it is not one (not
  // SQLite, a foreign SQLite database, a newer schema) or cannot be opened.
  static ResultDb open(const std::string& path);
  // For reports: the file must exist; nothing is written.
  static ResultDb open_read_only(const std::string& path);
  ResultDb(ResultDb&&) noexcept;
  ResultDb& operator=(ResultDb&&) noexcept;
  ~ResultDb();

  const std::string& path() const { return path_; }

  std::optional<PointStatus> status(const PointKey& key) const;
  bool is_done(const PointKey& key) const;   // status 'done'
  std::set<PointKey> done_keys() const;      // 'done' only
  std::set<PointKey> finished_keys() const;  // 'done' or 'failed'
  std::set<PointKey> running_keys() const;   // left by a killed (or live) writer
  StatusCounts counts() const;

  // Each is one transaction. mark_running replaces whatever row the key had (a leftover 'running' or a
  // 'failed' being retried); record/record_failure replace the key's row and its layers and energy.
  void mark_running(const PointRecord& rec);
  void record(const PointRecord& rec, const nlohmann::json& report);
  void record_failure(const PointRecord& rec, const std::string& error);

  // Done points sorted by (workload, config_hash, options); failed points likewise.
  std::vector<PointSummary> done_points() const;
  std::vector<FailedPoint> failed_points() const;
  // The stored report of a point (null if the key has none).
  nlohmann::json report(const PointKey& key) const;

  // The database connection (merge and tests).
  sqlite::Connection& connection() { return *db_; }

 private:
  ResultDb(const std::string& path, bool read_only);
  void write_point(const PointRecord& rec, PointStatus status, const nlohmann::json* report,
                   const std::string& error);
  std::string path_;
  std::unique_ptr<sqlite::Connection> db_;
};

// Merges shard databases into `into` (created if missing), one transaction per shard. Idempotent; see
// MergeReport and docs/sweep_db.md for the rules.
MergeReport merge(const std::string& into, const std::vector<std::string>& shards);

}  // namespace npusim
