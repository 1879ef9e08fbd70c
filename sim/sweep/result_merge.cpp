// Merging shard databases (docs/sweep_db.md, "Merge"): each shard is ATTACHed to the target and copied in
// one transaction, row by row so that every key can be compared with what the target already holds.
#include <filesystem>

#include "sim/common/error.h"
#include "sim/sweep/result_db.h"
#include "sim/sweep/result_schema.h"
#include "sim/sweep/sqlite_handle.h"

namespace npusim {

namespace {

struct Row {
  int64_t id = 0;
  PointKey key;
  std::string status, error;
};

std::string join(const std::vector<std::string>& v, const std::string& prefix = "") {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + prefix + x;
  return s;
}

// Provenance, not results: the same point run from another checkout or node has other paths.
nlohmann::json comparable(const std::string& report_text) {
  nlohmann::json j = nlohmann::json::parse(report_text, nullptr, false);
  if (j.is_discarded()) return report_text;
  if (j.contains("workload") && j["workload"].is_object()) j["workload"].erase("path");
  if (j.contains("total") && j["total"].is_object()) j["total"].erase("tech_table");
  return j;
}

std::string report_of(sqlite::Connection& db, const std::string& schema, int64_t id) {
  sqlite::Statement s(db, "SELECT report FROM " + schema + ".points WHERE id = ?");
  s.bind(1, id);
  return s.step() ? s.text(0) : std::string();
}

std::optional<Row> target_row(sqlite::Connection& db, const PointKey& k) {
  sqlite::Statement s(db,
                      "SELECT id, status, coalesce(error, '') FROM main.points "
                      "WHERE config_hash = ? AND workload = ? AND options = ?");
  s.bind(1, k.config_hash).bind(2, k.workload).bind(3, k.options);
  if (!s.step()) return std::nullopt;
  return Row{s.int64(0), k, s.text(1), s.text(2)};
}

// Replaces the target's row of the key (if any) with the shard's row, its layers, energy and area.
void copy_point(sqlite::Connection& db, const Row& from, const std::optional<Row>& existing) {
  if (existing) {
    sqlite::Statement del(db, "DELETE FROM main.points WHERE id = ?");
    del.bind(1, existing->id).run();
  }
  const std::string cols = join(sweep_schema::point_columns());
  sqlite::Statement ins(
      db, "INSERT INTO main.points (" + cols + ") SELECT " + cols + " FROM shard.points WHERE id = ?");
  ins.bind(1, from.id).run();
  const int64_t id = db.last_insert_rowid();
  const std::string lcols = join(sweep_schema::layer_columns());
  sqlite::Statement lay(db, "INSERT INTO main.layers (point_id, " + lcols + ") SELECT ?, " + lcols +
                                " FROM shard.layers WHERE point_id = ?");
  lay.bind(1, id).bind(2, from.id).run();
  for (const auto& [table, value] : {std::pair<std::string, std::string>{"energy", "pj"}, {"area", "um2"}}) {
    sqlite::Statement s(db, "INSERT INTO main." + table + " (point_id, category, " + value +
                                ") SELECT ?, category, " + value + " FROM shard." + table +
                                " WHERE point_id = ?");
    s.bind(1, id).bind(2, from.id).run();
  }
}

void merge_shard(ResultDb& target, const std::string& shard, MergeReport& rep) {
  sqlite::Connection& db = target.connection();
  std::vector<Row> rows;
  {
    sqlite::Statement s(
        db,
        "SELECT id, config_hash, workload, options, status, coalesce(error, '') FROM shard.points "
        "ORDER BY workload, config_hash, options");
    while (s.step()) rows.push_back({s.int64(0), {s.text(1), s.text(2), s.text(3)}, s.text(4), s.text(5)});
  }
  auto conflict = [&](const Row& r, const std::string& reason, bool kept_shard) {
    rep.conflicts.push_back({r.key, shard, reason, kept_shard});
  };
  for (const Row& r : rows) {
    if (r.status == "running") {
      ++rep.skipped_running;
      continue;
    }
    const std::optional<Row> have = target_row(db, r.key);
    if (!have) {
      copy_point(db, r, have);
      ++rep.added;
    } else if (have->status == "running") {
      copy_point(db, r, have);
      ++rep.replaced;
    } else if (have->status == "done" && r.status == "done") {
      if (comparable(report_of(db, "main", have->id)) == comparable(report_of(db, "shard", r.id)))
        ++rep.unchanged;
      else
        conflict(r, "different result", false);
    } else if (have->status == "failed" && r.status == "failed") {
      if (have->error == r.error)
        ++rep.unchanged;
      else
        conflict(r, "different error", false);
    } else if (have->status == "done") {
      conflict(r, "done in the target, failed in the shard: " + r.error, false);
    } else {
      conflict(r, "failed in the target (" + have->error + "), done in the shard", true);
      copy_point(db, r, have);
      ++rep.replaced;
    }
  }
}

}  // namespace

MergeReport merge(const std::string& into, const std::vector<std::string>& shards) {
  ResultDb target = ResultDb::open(into);
  MergeReport rep;
  for (const std::string& shard : shards) {
    std::error_code ec;
    if (std::filesystem::equivalent(into, shard, ec))
      throw InputError(shard + ": is the merge target itself");
    ResultDb::open_read_only(shard);  // checks it is a sweep database of a schema this code reads
    sqlite::Connection& db = target.connection();
    {
      sqlite::Statement att(db, "ATTACH DATABASE ? AS shard");
      att.bind(1, shard).run();
    }
    try {
      sqlite::Transaction tx(db);
      merge_shard(target, shard, rep);
      tx.commit();
    } catch (...) {
      db.exec("DETACH DATABASE shard");
      throw;
    }
    db.exec("DETACH DATABASE shard");
  }
  return rep;
}

}  // namespace npusim
