#include "sim/sweep/result_schema.h"

#include <unistd.h>

#include <ctime>

#include "sim/common/error.h"
#include "sim/sweep/sqlite_handle.h"

namespace npusim::sweep_schema {

namespace {

// Busy timeout: the runner's parent is the only writer, but a report or merge may hold the lock briefly.
constexpr int kBusyTimeoutMs = 30000;

const char* kCreate = R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE points (
  id INTEGER PRIMARY KEY,
  config_hash TEXT NOT NULL, workload TEXT NOT NULL, options TEXT NOT NULL,
  spec TEXT NOT NULL, overrides TEXT NOT NULL, resolved_config TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
  error TEXT, seed INTEGER NOT NULL, host TEXT NOT NULL, pid INTEGER,
  started_utc TEXT, finished_utc TEXT, wall_s REAL,
  layer_count INTEGER,
  cycles INTEGER, macs INTEGER, executed_macs INTEGER, stall_cycles INTEGER, dram_bytes INTEGER,
  utilization REAL, latency_s REAL, frame_period_s REAL, tops REAL,
  energy_pj REAL, energy_core_pj REAL, energy_estimated INTEGER,
  tops_per_w_effective REAL, tops_per_w_executed REAL,
  tops_per_w_core_effective REAL, tops_per_w_core_executed REAL,
  area_mm2 REAL, tops_per_mm2 REAL,
  verified_layers INTEGER, failed_layers INTEGER, not_checked_layers INTEGER, statistical_layers INTEGER,
  report TEXT,
  UNIQUE (config_hash, workload, options)
);
CREATE TABLE layers (
  point_id INTEGER NOT NULL REFERENCES points(id) ON DELETE CASCADE,
  layer_index INTEGER NOT NULL,
  name TEXT NOT NULL, op TEXT NOT NULL, unit TEXT NOT NULL,
  macs INTEGER, executed_macs INTEGER, cycles INTEGER, stall_cycles INTEGER, utilization REAL,
  latency_s REAL, energy_pj REAL, verified INTEGER, dram_bytes INTEGER,
  report TEXT NOT NULL,
  PRIMARY KEY (point_id, layer_index)
);
CREATE TABLE energy (
  point_id INTEGER NOT NULL REFERENCES points(id) ON DELETE CASCADE,
  category TEXT NOT NULL, pj REAL NOT NULL,
  PRIMARY KEY (point_id, category)
);
CREATE TABLE area (
  point_id INTEGER NOT NULL REFERENCES points(id) ON DELETE CASCADE,
  category TEXT NOT NULL, um2 REAL NOT NULL,
  PRIMARY KEY (point_id, category)
);
CREATE INDEX points_status ON points(status);
)sql";

bool has_table(sqlite::Connection& db, const std::string& name) {
  sqlite::Statement s(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
  s.bind(1, name);
  return s.step();
}

int64_t table_count(sqlite::Connection& db) {
  sqlite::Statement s(db, "SELECT count(*) FROM sqlite_master");
  s.step();
  return s.int64(0);
}

std::string meta(sqlite::Connection& db, const std::string& key) {
  sqlite::Statement s(db, "SELECT value FROM meta WHERE key = ?");
  s.bind(1, key);
  return s.step() ? s.text(0) : std::string();
}

}  // namespace

const std::vector<TotalColumn>& total_columns() {
  static const std::vector<TotalColumn> cols = {
      {"cycles", "cycles", true},
      {"macs", "macs", true},
      {"executed_macs", "executed_macs", true},
      {"stall_cycles", "stall_cycles", true},
      {"dram_bytes", "dram_bytes", true},
      {"utilization", "utilization", false},
      {"latency_s", "latency_s", false},
      {"frame_period_s", "frame_period_s", false},
      {"tops", "tops", false},
      {"energy_pj", "energy_pj", false},
      {"energy_core_pj", "energy_core_pj", false},
      {"energy_estimated", "energy_estimated", true},
      {"tops_per_w_effective", "tops_per_w_effective", false},
      {"tops_per_w_executed", "tops_per_w_executed", false},
      {"tops_per_w_core_effective", "tops_per_w_core_effective", false},
      {"tops_per_w_core_executed", "tops_per_w_core_executed", false},
      {"area_mm2", "area_mm2", false},
      {"tops_per_mm2", "tops_per_mm2", false},
      {"verified_layers", "layers_verified", true},
      {"failed_layers", "layers_failed", true},
      {"not_checked_layers", "layers_not_checked", true},
      {"statistical_layers", "layers_statistical", true},
  };
  return cols;
}

const std::vector<std::string>& point_columns() {
  static const std::vector<std::string> cols = [] {
    std::vector<std::string> c = {
        "config_hash",  "workload", "options",    "spec", "overrides", "resolved_config",
        "status",       "error",    "seed",       "host", "pid",       "started_utc",
        "finished_utc", "wall_s",   "layer_count"};
    for (const auto& t : total_columns()) c.push_back(t.column);
    c.push_back("report");
    return c;
  }();
  return cols;
}

const std::vector<std::string>& layer_columns() {
  static const std::vector<std::string> cols = {
      "layer_index",  "name",        "op",        "unit",      "macs",     "executed_macs", "cycles",
      "stall_cycles", "utilization", "latency_s", "energy_pj", "verified", "dram_bytes",    "report"};
  return cols;
}

void prepare(sqlite::Connection& db, bool read_only) {
  const std::string& path = db.path();
  // The first read of a file that is not SQLite fails here with SQLITE_NOTADB.
  int64_t tables = 0;
  try {
    tables = table_count(db);
  } catch (const InputError&) {
    throw InputError(path + ": not an npusim sweep database (not an SQLite file)");
  }
  db.exec("PRAGMA busy_timeout = " + std::to_string(kBusyTimeoutMs));
  db.exec("PRAGMA foreign_keys = ON");
  if (tables == 0) {
    if (read_only) throw InputError(path + ": not an npusim sweep database (empty)");
    db.exec("PRAGMA journal_mode = WAL");
    sqlite::Transaction t(db);
    if (table_count(db) == 0) {  // another process may have created it meanwhile
      db.exec(kCreate);
      sqlite::Statement s(db, "INSERT INTO meta (key, value) VALUES (?, ?)");
      for (const auto& [k, v] : {std::pair<std::string, std::string>{"format", kFormat},
                                 {"schema_version", std::to_string(kSchemaVersion)},
                                 {"created_utc", now_utc()}}) {
        s.bind(1, k).bind(2, v).run();
        s.reset();
      }
    }
    t.commit();
  }
  if (!has_table(db, "meta") || meta(db, "format") != kFormat)
    throw InputError(path + ": not an npusim sweep database (an SQLite file without its meta table)");
  const std::string version = meta(db, "schema_version");
  int v = 0;
  try {
    v = std::stoi(version);
  } catch (const std::exception&) {
    throw InputError(path + ": sweep database with an unreadable schema_version '" + version + "'");
  }
  if (v > kSchemaVersion)
    throw InputError(path + ": sweep database schema version " + version +
                     " is newer than this npusim reads (" + std::to_string(kSchemaVersion) + ")");
  if (v < 1) throw InputError(path + ": sweep database with an invalid schema_version " + version);
  if (!read_only) db.exec("PRAGMA journal_mode = WAL");
}

std::string now_utc() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string host_name() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0) return "unknown";
  return buf;
}

}  // namespace npusim::sweep_schema
