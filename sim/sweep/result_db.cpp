#include "sim/sweep/result_db.h"

#include <unistd.h>

#include <filesystem>
#include <stdexcept>

#include "sim/common/error.h"
#include "sim/sweep/result_schema.h"
#include "sim/sweep/sqlite_handle.h"

namespace npusim {

namespace {

using sweep_schema::point_columns;
using sweep_schema::total_columns;

// SQLite integers are signed: a seed above 2^63 is stored as its two's-complement bit pattern.
int64_t seed_to_db(uint64_t s) {
  return static_cast<int64_t>(s);
}
uint64_t seed_from_db(int64_t s) {
  return static_cast<uint64_t>(s);
}

std::string join_placeholders(size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) s += i ? ", ?" : "?";
  return s;
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

// The report's number at `key` as a column value (null when absent or not a number).
void bind_number(sqlite::Statement& s, int i, const nlohmann::json& obj, const char* key, bool integer) {
  if (!obj.is_object() || !obj.contains(key)) return void(s.bind_null(i));
  const auto& v = obj.at(key);
  if (v.is_boolean())
    s.bind(i, int64_t{v.get<bool>() ? 1 : 0});
  else if (!v.is_number())
    s.bind_null(i);
  else if (integer && (v.is_number_integer()))
    s.bind(i, v.get<int64_t>());
  else
    s.bind(i, v.get<double>());
}

void bind_key(sqlite::Statement& s, const PointKey& k, int first = 1) {
  s.bind(first, k.config_hash).bind(first + 1, k.workload).bind(first + 2, k.options);
}

constexpr const char* kWhereKey = " WHERE config_hash = ? AND workload = ? AND options = ?";
constexpr const char* kOrder = " ORDER BY workload, config_hash, options";

std::set<PointKey> keys_where(sqlite::Connection& db, const std::string& cond) {
  sqlite::Statement s(db, "SELECT config_hash, workload, options FROM points WHERE " + cond);
  std::set<PointKey> out;
  while (s.step()) out.insert({s.text(0), s.text(1), s.text(2)});
  return out;
}

PointStatus parse_status(const std::string& s) {
  if (s == "done") return PointStatus::done;
  if (s == "failed") return PointStatus::failed;
  return PointStatus::running;
}

}  // namespace

std::string to_string(PointStatus s) {
  switch (s) {
    case PointStatus::running:
      return "running";
    case PointStatus::done:
      return "done";
    case PointStatus::failed:
      return "failed";
  }
  return "running";
}

double PointSummary::figure(const std::string& name) const {
  const auto it = totals.find(name);
  if (it != totals.end()) return it->second;
  std::string known;
  for (const auto& c : total_columns()) known += (known.empty() ? "" : ", ") + std::string(c.column);
  throw InputError("figure '" + name + "': not a figure of the sweep database (known: " + known + ")");
}

ResultDb::ResultDb(const std::string& path, bool read_only) : path_(path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw InputError(path + ": is a directory, expected a sweep database file");
  db_ = std::make_unique<sqlite::Connection>(path, read_only);
  sweep_schema::prepare(*db_, read_only);
}

ResultDb ResultDb::open(const std::string& path) {
  return ResultDb(path, false);
}

ResultDb ResultDb::open_read_only(const std::string& path) {
  if (access(path.c_str(), R_OK) != 0) throw InputError(path + ": no such sweep database");
  return ResultDb(path, true);
}

ResultDb::ResultDb(ResultDb&&) noexcept = default;
ResultDb& ResultDb::operator=(ResultDb&&) noexcept = default;
ResultDb::~ResultDb() = default;

std::optional<PointStatus> ResultDb::status(const PointKey& key) const {
  sqlite::Statement s(*db_, std::string("SELECT status FROM points") + kWhereKey);
  bind_key(s, key);
  if (!s.step()) return std::nullopt;
  return parse_status(s.text(0));
}

bool ResultDb::is_done(const PointKey& key) const {
  return status(key) == PointStatus::done;
}

std::set<PointKey> ResultDb::done_keys() const {
  return keys_where(*db_, "status = 'done'");
}
std::set<PointKey> ResultDb::finished_keys() const {
  return keys_where(*db_, "status IN ('done', 'failed')");
}
std::set<PointKey> ResultDb::running_keys() const {
  return keys_where(*db_, "status = 'running'");
}

StatusCounts ResultDb::counts() const {
  sqlite::Statement s(*db_, "SELECT status, count(*) FROM points GROUP BY status");
  StatusCounts c;
  while (s.step()) {
    const PointStatus st = parse_status(s.text(0));
    (st == PointStatus::done ? c.done : st == PointStatus::failed ? c.failed : c.running) = s.int64(1);
  }
  return c;
}

void ResultDb::mark_running(const PointRecord& rec) {
  write_point(rec, PointStatus::running, nullptr, "");
}

void ResultDb::record(const PointRecord& rec, const nlohmann::json& report) {
  if (!report.is_object() || !report.contains("total") || !report.contains("layers"))
    throw std::invalid_argument(
        "ResultDb::record: the report has no total or layers (not to_json(RunReport))");
  write_point(rec, PointStatus::done, &report, "");
}

void ResultDb::record_failure(const PointRecord& rec, const std::string& error) {
  write_point(rec, PointStatus::failed, nullptr, error);
}

// One transaction: the key's old row (and, by cascade, its layers and energy) goes, the new one comes.
void ResultDb::write_point(const PointRecord& rec, PointStatus status, const nlohmann::json* report,
                           const std::string& error) {
  sqlite::Connection& db = *db_;
  sqlite::Transaction tx(db);
  std::string started = rec.started_utc;
  if (started.empty()) {
    // Keep the start time mark_running wrote.
    sqlite::Statement s(db, std::string("SELECT started_utc FROM points") + kWhereKey);
    bind_key(s, rec.key);
    if (s.step() && !s.is_null(0)) started = s.text(0);
    if (started.empty()) started = sweep_schema::now_utc();
  }
  {
    sqlite::Statement del(db, std::string("DELETE FROM points") + kWhereKey);
    bind_key(del, rec.key);
    del.run();
  }
  const auto& cols = point_columns();
  sqlite::Statement ins(
      db, "INSERT INTO points (" + join(cols) + ") VALUES (" + join_placeholders(cols.size()) + ")");
  bind_key(ins, rec.key);
  int i = 4;
  ins.bind(i++, rec.spec);
  ins.bind(i++, rec.overrides.dump());
  ins.bind(i++, rec.resolved_config.dump());
  ins.bind(i++, to_string(status));
  if (status == PointStatus::failed)
    ins.bind(i++, error);
  else
    ins.bind_null(i++);
  ins.bind(i++, seed_to_db(rec.seed));
  ins.bind(i++, rec.host.empty() ? sweep_schema::host_name() : rec.host);
  ins.bind(i++, int64_t{getpid()});
  ins.bind(i++, started);
  if (status == PointStatus::running) {
    ins.bind_null(i++);
    ins.bind_null(i++);
  } else {
    ins.bind(i++, rec.finished_utc.empty() ? sweep_schema::now_utc() : rec.finished_utc);
    ins.bind(i++, rec.wall_s);
  }
  const nlohmann::json none;
  const nlohmann::json& total = report ? report->at("total") : none;
  if (report)
    ins.bind(i++, static_cast<int64_t>(report->at("layers").size()));
  else
    ins.bind_null(i++);
  for (const auto& c : total_columns()) bind_number(ins, i++, total, c.json_key, c.integer);
  if (report)
    ins.bind(i++, report->dump());
  else
    ins.bind_null(i++);
  ins.run();
  const int64_t id = db.last_insert_rowid();

  if (report) {
    sqlite::Statement lay(db, "INSERT INTO layers (point_id, " + join(sweep_schema::layer_columns()) +
                                  ") VALUES (" + join_placeholders(sweep_schema::layer_columns().size() + 1) +
                                  ")");
    int64_t index = 0;
    for (const auto& l : report->at("layers")) {
      int j = 1;
      lay.bind(j++, id);
      lay.bind(j++, index++);
      for (const char* k : {"name", "op", "unit"}) lay.bind(j++, l.value(k, std::string()));
      for (const char* k : {"macs", "executed_macs", "cycles", "stall_cycles"})
        bind_number(lay, j++, l, k, true);
      bind_number(lay, j++, l, "utilization", false);
      bind_number(lay, j++, l, "latency_s", false);
      bind_number(lay, j++, l, "energy_total_pj", false);
      bind_number(lay, j++, l, "verified", true);  // null: not checked
      bind_number(lay, j++, l, "dram_bytes", true);
      lay.bind(j++, l.dump());
      lay.run();
      lay.reset();
    }
    auto breakdown = [&](const char* table, const char* value_col, const char* key) {
      if (!total.contains(key) || !total.at(key).is_object()) return;
      sqlite::Statement s(db, std::string("INSERT INTO ") + table + " (point_id, category, " + value_col +
                                  ") VALUES (?, ?, ?)");
      for (const auto& [cat, v] : total.at(key).items()) {
        if (!v.is_number()) continue;
        s.bind(1, id).bind(2, cat).bind(3, v.get<double>()).run();
        s.reset();
      }
    };
    breakdown("energy", "pj", "energy_by_category_pj");
    breakdown("area", "um2", "area_by_category_um2");
  }
  tx.commit();
}

std::vector<PointSummary> ResultDb::done_points() const {
  std::string cols;
  for (const auto& c : total_columns()) cols += std::string(", ") + c.column;
  sqlite::Statement s(*db_, "SELECT id, config_hash, workload, options, spec, overrides, seed, wall_s, host" +
                                cols + " FROM points WHERE status = 'done'" + kOrder);
  std::vector<PointSummary> out;
  std::map<int64_t, size_t> by_id;
  while (s.step()) {
    PointSummary p;
    p.id = s.int64(0);
    p.key = {s.text(1), s.text(2), s.text(3)};
    p.spec = s.text(4);
    p.overrides = nlohmann::json::parse(s.text(5));
    p.seed = seed_from_db(s.int64(6));
    p.wall_s = s.real(7);
    p.host = s.text(8);
    int col = 9;
    for (const auto& c : total_columns()) {
      if (!s.is_null(col)) p.totals[c.column] = s.real(col);
      ++col;
    }
    by_id[p.id] = out.size();
    out.push_back(std::move(p));
  }
  sqlite::Statement e(*db_,
                      "SELECT e.point_id, e.category, e.pj FROM energy e JOIN points p ON p.id = e.point_id "
                      "WHERE p.status = 'done'");
  while (e.step()) {
    const auto it = by_id.find(e.int64(0));
    if (it != by_id.end()) out[it->second].energy_by_category_pj[e.text(1)] = e.real(2);
  }
  return out;
}

std::vector<FailedPoint> ResultDb::failed_points() const {
  sqlite::Statement s(*db_, std::string("SELECT config_hash, workload, options, spec, error, overrides FROM "
                                        "points WHERE status = 'failed'") +
                                kOrder);
  std::vector<FailedPoint> out;
  while (s.step())
    out.push_back(
        {{s.text(0), s.text(1), s.text(2)}, s.text(3), s.text(4), nlohmann::json::parse(s.text(5))});
  return out;
}

nlohmann::json ResultDb::report(const PointKey& key) const {
  sqlite::Statement s(*db_, std::string("SELECT report FROM points") + kWhereKey);
  bind_key(s, key);
  if (!s.step() || s.is_null(0)) return nullptr;
  return nlohmann::json::parse(s.text(0));
}

}  // namespace npusim
