// The sweep result store: schema, records, queries, and the files it refuses.
#include "db_test_util.h"

using namespace npusim;
using namespace npusim::test;

TEST_CASE("a new database gets the schema, WAL and its version, and reopens") {
  TempDir dir;
  const std::string path = dir.path("sweep.sqlite");
  {
    ResultDb db = ResultDb::open(path);
    auto& c = db.connection();
    CHECK(text_scalar(c, "SELECT value FROM meta WHERE key = 'format'") == "npusim-sweep-db");
    CHECK(text_scalar(c, "SELECT value FROM meta WHERE key = 'schema_version'") == "1");
    CHECK(text_scalar(c, "PRAGMA journal_mode") == "wal");
    for (const char* t : {"points", "layers", "energy", "area"})
      CHECK(scalar(c, std::string("SELECT count(*) FROM sqlite_master WHERE type='table' AND name='") + t +
                          "'") == 1);
    db.record(point(0), report(0));
  }
  ResultDb again = ResultDb::open(path);
  CHECK(again.is_done(key(0)));
  CHECK(again.counts().done == 1);
  ResultDb ro = ResultDb::open_read_only(path);
  CHECK(ro.done_keys() == std::set<PointKey>{key(0)});
}

TEST_CASE("record, is_done and done_keys: totals, layers and energy come from the report") {
  TempDir dir;
  ResultDb db = ResultDb::open(dir.path("sweep.sqlite"));
  CHECK_FALSE(db.status(key(0)).has_value());
  db.record(point(0), report(0, 4));
  db.record(point(1), report(1, 4));
  CHECK(db.is_done(key(0)));
  CHECK(db.is_done(key(1)));
  CHECK_FALSE(db.is_done(key(2)));
  CHECK(db.done_keys() == std::set<PointKey>{key(0), key(1)});

  const auto pts = db.done_points();
  REQUIRE(pts.size() == 2);
  const PointSummary& p = pts[1];
  CHECK(p.key == key(1));
  CHECK(p.spec == "test_sweep");
  CHECK(p.overrides == point(1).overrides);
  CHECK(p.host == "testhost");
  CHECK(p.wall_s == 0.25);
  const nlohmann::json t = report(1, 4)["total"];
  CHECK(p.figure("cycles") == t["cycles"].get<double>());
  CHECK(p.figure("macs") == t["macs"].get<double>());
  CHECK(p.figure("tops_per_w_effective") == 3.0);
  CHECK(p.figure("tops_per_w_core_effective") == 4.0);
  CHECK(p.figure("area_mm2") == 0.75);
  CHECK(p.figure("energy_pj") == 1001.0);
  CHECK(p.figure("not_checked_layers") == 4);
  CHECK(p.totals.count("frame_period_s") == 0);  // not in this report: NULL
  CHECK(p.energy_by_category_pj ==
        std::map<std::string, double>{{"MAC", 601.0}, {"DRAM", 100.0}, {"SRAM act", 300.0}});
  check_message(input_error([&] { p.figure("speed"); }), {"speed", "area_mm2"});

  auto& c = db.connection();
  CHECK(scalar(c, "SELECT count(*) FROM layers") == 8);
  CHECK(scalar(c, "SELECT count(*) FROM area") == 4);
  sqlite::Statement s(
      c,
      "SELECT l.name, l.op, l.cycles, l.energy_pj, l.verified IS NULL, l.dram_bytes, l.report "
      "FROM layers l JOIN points p ON p.id = l.point_id "
      "WHERE p.config_hash = 'hash1' AND l.layer_index = 3");
  REQUIRE(s.step());
  CHECK(s.text(0) == "conv3");
  CHECK(s.text(1) == "dwconv");
  CHECK(s.int64(2) == 4001);
  CHECK(s.real(3) == 320.0);
  CHECK(s.int64(4) == 1);
  CHECK(s.int64(5) == 768);
  CHECK(nlohmann::json::parse(s.text(6)) == report(1, 4)["layers"][3]);
  CHECK(db.report(key(1)) == report(1, 4));
  CHECK(db.report(key(7)).is_null());
}

TEST_CASE("a failed point keeps its error line, is finished but not done, and a retry replaces it") {
  TempDir dir;
  ResultDb db = ResultDb::open(dir.path("sweep.sqlite"));
  db.record_failure(point(0), "array.rows=0: must be at least 1");
  db.record(point(1), report(1));
  CHECK(db.status(key(0)) == PointStatus::failed);
  CHECK_FALSE(db.is_done(key(0)));
  CHECK(db.done_keys() == std::set<PointKey>{key(1)});
  CHECK(db.finished_keys() == std::set<PointKey>{key(0), key(1)});
  const auto failed = db.failed_points();
  REQUIRE(failed.size() == 1);
  CHECK(failed[0].key == key(0));
  CHECK(failed[0].error == "array.rows=0: must be at least 1");
  CHECK(db.counts().failed == 1);

  db.mark_running(point(0));
  CHECK(db.status(key(0)) == PointStatus::running);
  db.record(point(0), report(0));
  CHECK(db.is_done(key(0)));
  CHECK(db.failed_points().empty());
  CHECK(scalar(db.connection(), "SELECT count(*) FROM points") == 2);
}

TEST_CASE("mark_running then record keeps one row and the start time of mark_running stays") {
  TempDir dir;
  ResultDb db = ResultDb::open(dir.path("sweep.sqlite"));
  PointRecord r = point(0);
  r.started_utc = "2026-02-02T02:02:02Z";
  db.mark_running(r);
  CHECK(db.running_keys() == std::set<PointKey>{key(0)});
  CHECK_FALSE(db.is_done(key(0)));
  r.started_utc.clear();
  db.record(r, report(0));
  auto& c = db.connection();
  CHECK(scalar(c, "SELECT count(*) FROM points") == 1);
  CHECK(text_scalar(c, "SELECT started_utc FROM points") == "2026-02-02T02:02:02Z");
  CHECK(text_scalar(c, "SELECT status FROM points") == "done");
  // Recording the same key again replaces its row and its layers; nothing is there twice.
  db.record(point(0), report(0, 5));
  CHECK(scalar(c, "SELECT count(*) FROM points") == 1);
  CHECK(scalar(c, "SELECT count(*) FROM layers") == 5);
  CHECK(scalar(c, "SELECT count(*) FROM energy") == 3);
}

TEST_CASE("done points are listed in the same order whatever the insertion order") {
  TempDir dir;
  ResultDb a = ResultDb::open(dir.path("a.sqlite"));
  ResultDb b = ResultDb::open(dir.path("b.sqlite"));
  const std::vector<int> order = {3, 0, 4, 1, 2};
  for (int i : order) a.record(point(i, i % 2 ? "mobilenet" : "resnet50"), report(i));
  for (auto it = order.rbegin(); it != order.rend(); ++it)
    b.record(point(*it, *it % 2 ? "mobilenet" : "resnet50"), report(*it));
  const auto pa = a.done_points(), pb = b.done_points();
  REQUIRE(pa.size() == 5);
  REQUIRE(pb.size() == 5);
  for (size_t i = 0; i < pa.size(); ++i) {
    CHECK(pa[i].key == pb[i].key);
    CHECK(pa[i].totals == pb[i].totals);
  }
  CHECK(pa[0].key.workload == "mobilenet");
  CHECK(pa[0].key.config_hash == "hash1");
  CHECK(pa[4].key.workload == "resnet50");
  CHECK(pa[4].key.config_hash == "hash4");
}

TEST_CASE("files that are not sweep databases are one-line input errors naming the file") {
  TempDir dir;
  const std::string text = dir.write("notes.sqlite", "this is not a database, just some text\n");
  check_message(input_error([&] { ResultDb::open(text); }), {text, "not an npusim sweep database"});
  {
    std::ifstream in(text);
    std::string line;
    std::getline(in, line);
    CHECK(line == "this is not a database, just some text");  // left as it was
  }
  check_message(input_error([&] { ResultDb::open(dir.path("")); }), {"is a directory"});

  const std::string foreign = dir.path("foreign.sqlite");
  {
    sqlite::Connection c(foreign, false);
    c.exec("CREATE TABLE t (x INTEGER)");
  }
  check_message(input_error([&] { ResultDb::open(foreign); }), {foreign, "not an npusim sweep database"});
  check_message(input_error([&] { ResultDb::open_read_only(foreign); }), {foreign});

  const std::string newer = dir.path("newer.sqlite");
  {
    ResultDb db = ResultDb::open(newer);
    db.connection().exec("UPDATE meta SET value = '99' WHERE key = 'schema_version'");
  }
  check_message(input_error([&] { ResultDb::open(newer); }), {newer, "schema version 99", "newer"});

  const std::string missing_dir = dir.path("no/such/dir/sweep.sqlite");
  check_message(input_error([&] { ResultDb::open(missing_dir); }), {missing_dir});
  const std::string missing = dir.path("missing.sqlite");
  check_message(input_error([&] { ResultDb::open_read_only(missing); }), {missing});
  CHECK_FALSE(std::filesystem::exists(missing));
}
