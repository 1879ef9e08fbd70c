#pragma once
// The sweep database's schema (docs/sweep_db.md) and the mapping from the JSON report's `total` to the
// points table's figure columns. Internal to npusim_sweep_db.
#include <string>
#include <vector>

namespace npusim {

namespace sqlite {
class Connection;
}

namespace sweep_schema {

constexpr int kSchemaVersion = 1;
constexpr const char* kFormat = "npusim-sweep-db";

// A figure column of `points` and the `total` field of the report it comes from.
struct TotalColumn {
  const char* column;
  const char* json_key;
  bool integer;
};
const std::vector<TotalColumn>& total_columns();

// Every column of `points` but `id`, in table order (merge copies rows by this list).
const std::vector<std::string>& point_columns();
// Same for `layers`, `energy` and `area` without `point_id`.
const std::vector<std::string>& layer_columns();

// Creates the schema in an empty database, or checks an existing one is a sweep database of a schema
// this code reads (InputError naming the file otherwise). Sets WAL and the busy timeout.
void prepare(sqlite::Connection& db, bool read_only);

std::string now_utc();    // ISO 8601, seconds
std::string host_name();  // gethostname()

}  // namespace sweep_schema
}  // namespace npusim
