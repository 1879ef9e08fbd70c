// Merging shard databases: the union, idempotent, conflicts reported and never silently overwritten.
#include "db_test_util.h"

using namespace npusim;
using namespace npusim::test;

namespace {

struct Shards {
  TempDir dir;
  std::string a = dir.path("shard0.sqlite"), b = dir.path("shard1.sqlite"), all = dir.path("all.sqlite"),
              merged = dir.path("merged.sqlite");
  Shards() {
    ResultDb da = ResultDb::open(a), db = ResultDb::open(b), dall = ResultDb::open(all);
    for (int i = 0; i < 6; ++i) {
      ResultDb& shard = i % 2 ? db : da;
      // Run from different checkouts: the paths in the reports differ, the results do not.
      shard.record(point(i), report(i, 3, i % 2 ? "/node1/w.csv" : "/node0/w.csv"));
      dall.record(point(i), report(i, 3));
    }
    da.record_failure(point(6), "bad combination");
    dall.record_failure(point(6), "bad combination");
    db.mark_running(point(7));  // a shard killed mid-point: no result to merge
  }
};

void check_same(ResultDb& x, ResultDb& y) {
  const auto px = x.done_points(), py = y.done_points();
  REQUIRE(px.size() == py.size());
  for (size_t i = 0; i < px.size(); ++i) {
    CHECK(px[i].key == py[i].key);
    CHECK(px[i].totals == py[i].totals);
    CHECK(px[i].overrides == py[i].overrides);
    CHECK(px[i].energy_by_category_pj == py[i].energy_by_category_pj);
  }
  CHECK(x.failed_points().size() == y.failed_points().size());
  for (const char* t : {"layers", "energy", "area"}) {
    const std::string sql = std::string("SELECT count(*) FROM ") + t;
    CHECK(scalar(x.connection(), sql) == scalar(y.connection(), sql));
  }
}

}  // namespace

TEST_CASE("merging two shards gives their union and merging again adds nothing") {
  Shards s;
  const MergeReport first = merge(s.merged, {s.a, s.b});
  CHECK(first.added == 7);
  CHECK(first.skipped_running == 1);
  CHECK(first.conflicts.empty());
  {
    ResultDb merged = ResultDb::open(s.merged), all = ResultDb::open(s.all);
    check_same(merged, all);
    CHECK(merged.counts().running == 0);
    CHECK(text_scalar(merged.connection(), "PRAGMA integrity_check") == "ok");
  }
  const MergeReport again = merge(s.merged, {s.a, s.b});
  CHECK(again.added == 0);
  CHECK(again.replaced == 0);
  CHECK(again.unchanged == 7);
  CHECK(again.conflicts.empty());
  ResultDb merged = ResultDb::open(s.merged), all = ResultDb::open(s.all);
  check_same(merged, all);
  CHECK(scalar(merged.connection(), "SELECT count(*) FROM points") == 7);
}

TEST_CASE("a key with a different result in another shard is a reported conflict and the first stays") {
  Shards s;
  const std::string c = s.dir.path("shard_other.sqlite");
  {
    ResultDb other = ResultDb::open(c);
    nlohmann::json changed = report(1);
    changed["total"]["cycles"] = 1;
    other.record(point(1), changed);
    other.record(point(9), report(9));
  }
  merge(s.merged, {s.a, s.b});
  const MergeReport rep = merge(s.merged, {c});
  CHECK(rep.added == 1);
  REQUIRE(rep.conflicts.size() == 1);
  CHECK(rep.conflicts[0].key == key(1));
  CHECK(rep.conflicts[0].shard == c);
  CHECK(rep.conflicts[0].reason == "different result");
  CHECK_FALSE(rep.conflicts[0].kept_shard);
  ResultDb merged = ResultDb::open(s.merged);
  CHECK(merged.report(key(1))["total"]["cycles"] == report(1)["total"]["cycles"]);
  CHECK(merged.counts().done == 7);
}

TEST_CASE("failed in one input and done in another: done is kept and the disagreement reported") {
  Shards s;
  const std::string failed = s.dir.path("failed.sqlite"), done = s.dir.path("done.sqlite");
  {
    ResultDb f = ResultDb::open(failed), d = ResultDb::open(done);
    f.record_failure(point(0), "diverged");
    d.record(point(6), report(6));  // failed in shard0
  }
  const MergeReport rep = merge(s.merged, {s.a, failed, done});
  REQUIRE(rep.conflicts.size() == 2);
  CHECK(rep.conflicts[0].key == key(0));
  CHECK_FALSE(rep.conflicts[0].kept_shard);
  CHECK(rep.conflicts[1].key == key(6));
  CHECK(rep.conflicts[1].kept_shard);
  CHECK(rep.replaced == 1);
  ResultDb merged = ResultDb::open(s.merged);
  CHECK(merged.is_done(key(0)));
  CHECK(merged.is_done(key(6)));
  CHECK(merged.failed_points().empty());
  CHECK(scalar(merged.connection(),
               "SELECT count(*) FROM layers WHERE point_id NOT IN (SELECT id FROM points)") == 0);
}

TEST_CASE("merging a file that is not a sweep database names it and changes nothing") {
  Shards s;
  const std::string bad = s.dir.write("bad.sqlite", "not sqlite");
  check_message(input_error([&] { merge(s.merged, {s.a, bad}); }), {bad, "not an npusim sweep database"});
  ResultDb merged = ResultDb::open(s.merged);
  CHECK(merged.counts().done == 3);  // the first shard went in before
  check_message(input_error([&] { merge(s.a, {s.a}); }), {s.a, "merge target"});
}
