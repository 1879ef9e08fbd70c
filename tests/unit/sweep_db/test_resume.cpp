// Nothing lost, nothing twice: a writer killed with SIGKILL leaves every committed point exactly once, an
// intact database, and its interrupted point not done; a rerun of the missing points gives the same
// results as an uninterrupted run.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "db_test_util.h"

using namespace npusim;
using namespace npusim::test;

namespace {

constexpr int kPoints = 40;
constexpr int kLayers = 400;  // big transactions: a kill most likely lands inside one

// Runs `child` in a forked process that must not return (it is killed or _exits).
template <class F>
pid_t fork_child(F&& child) {
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    try {
      child();
    } catch (...) {
      _exit(3);
    }
    _exit(0);
  }
  return pid;
}

void sweep(ResultDb& db, int fd_done) {
  // Reports made first, so that the writer spends its time in the database, where the kill should land.
  std::vector<nlohmann::json> reports;
  for (int i = 0; i < kPoints; ++i) reports.push_back(report(i, kLayers));
  for (int i = 0; i < kPoints; ++i) {
    if (db.is_done(key(i))) continue;
    db.mark_running(point(i));
    db.record(point(i), reports[i]);
    if (fd_done >= 0) {
      const char c = 'x';
      if (write(fd_done, &c, 1) != 1) _exit(4);
    }
  }
}

void check_intact(ResultDb& db) {
  auto& c = db.connection();
  CHECK(text_scalar(c, "PRAGMA integrity_check") == "ok");
  CHECK(scalar(c,
               "SELECT count(*) FROM (SELECT 1 FROM points GROUP BY config_hash, workload, options "
               "HAVING count(*) > 1)") == 0);
  // Every done point has all its layers and energy rows; none belongs to a point that is not there.
  CHECK(scalar(c, "SELECT count(*) FROM layers") ==
        kLayers * scalar(c, "SELECT count(*) FROM points WHERE status = 'done'"));
  CHECK(scalar(c, "SELECT count(*) FROM layers WHERE point_id NOT IN (SELECT id FROM points)") == 0);
  CHECK(scalar(c, "SELECT count(*) FROM energy WHERE point_id NOT IN (SELECT id FROM points)") == 0);
}

}  // namespace

TEST_CASE(
    "a sweep killed with SIGKILL keeps its committed points once and a rerun equals an uninterrupted run") {
  TempDir dir;
  const std::string path = dir.path("killed.sqlite");
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  const pid_t pid = fork_child([&] {
    close(fds[0]);
    ResultDb db = ResultDb::open(path);
    sweep(db, fds[1]);
  });
  close(fds[1]);
  int committed = 0;
  char c;
  while (committed < 5 && read(fds[0], &c, 1) == 1) ++committed;
  REQUIRE(committed == 5);
  usleep(2500);  // a few ms into the points that follow
  REQUIRE(kill(pid, SIGKILL) == 0);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  CHECK(WIFSIGNALED(status));
  while (read(fds[0], &c, 1) == 1) ++committed;  // commits the parent had not read yet
  close(fds[0]);

  {
    ResultDb db = ResultDb::open(path);
    check_intact(db);
    const auto done = db.done_keys();
    INFO("committed " << committed << ", done " << done.size());
    CHECK(static_cast<int>(done.size()) == committed);
    for (int i = 0; i < committed; ++i) CHECK(db.is_done(key(i)));
    CHECK_FALSE(db.is_done(key(committed)));  // interrupted (left 'running') or not started
    // Killed inside record() (or between mark_running and record): that point is 'running'.
    INFO("running after the kill: " << db.counts().running);
    CHECK(db.counts().running <= 1);
    sweep(db, -1);  // the rerun: redoes what is not done
    check_intact(db);
    CHECK(db.counts().done == kPoints);
    CHECK(db.counts().running == 0);
  }
  const std::string clean_path = dir.path("clean.sqlite");
  ResultDb clean = ResultDb::open(clean_path);
  sweep(clean, -1);
  ResultDb resumed = ResultDb::open(path);
  const auto a = resumed.done_points(), b = clean.done_points();
  REQUIRE(a.size() == b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].key == b[i].key);
    CHECK(a[i].totals == b[i].totals);
    CHECK(a[i].energy_by_category_pj == b[i].energy_by_category_pj);
    CHECK(resumed.report(a[i].key) == clean.report(b[i].key));
  }
}

TEST_CASE("a writer killed inside an open transaction leaves nothing of that point") {
  TempDir dir;
  const std::string path = dir.path("inside.sqlite");
  const pid_t pid = fork_child([&] {
    ResultDb db = ResultDb::open(path);
    for (int i = 0; i < 3; ++i) db.record(point(i), report(i));
    db.mark_running(point(3));
    // What record() does half-way: the old row gone, the new 'done' row and some layers written.
    auto& c = db.connection();
    sqlite::Transaction tx(c);
    c.exec("DELETE FROM points WHERE config_hash = 'hash3'");
    c.exec(
        "INSERT INTO points (config_hash, workload, options, spec, overrides, resolved_config, status, "
        "seed, host) VALUES ('hash3', 'resnet18', 'fast=1;seed=1', 's', '[]', '{}', 'done', 1, 'h')");
    c.exec(
        "INSERT INTO layers (point_id, layer_index, name, op, unit, report) VALUES (last_insert_rowid(), 0, "
        "'conv0', 'conv', 'array', '{}')");
    raise(SIGKILL);
  });
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGKILL);

  ResultDb db = ResultDb::open(path);
  auto& c = db.connection();
  CHECK(text_scalar(c, "PRAGMA integrity_check") == "ok");
  CHECK(db.done_keys() == std::set<PointKey>{key(0), key(1), key(2)});
  CHECK(db.status(key(3)) == PointStatus::running);
  CHECK_FALSE(db.is_done(key(3)));
  CHECK(scalar(c, "SELECT count(*) FROM layers") == 9);
  db.mark_running(point(3));
  db.record(point(3), report(3));
  CHECK(db.counts().done == 4);
  CHECK(db.counts().running == 0);
}

TEST_CASE("two processes writing one database at once are serialised, not lost") {
  TempDir dir;
  const std::string path = dir.path("shared.sqlite");
  ResultDb::open(path);  // schema first, so both writers open an existing database
  std::vector<pid_t> pids;
  for (int w = 0; w < 2; ++w)
    pids.push_back(fork_child([&, w] {
      ResultDb db = ResultDb::open(path);
      for (int i = w; i < 30; i += 2) {
        db.mark_running(point(i));
        db.record(point(i), report(i, 50));
      }
    }));
  for (pid_t pid : pids) {
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
  ResultDb db = ResultDb::open(path);
  CHECK(db.counts().done == 30);
  CHECK(db.counts().running == 0);
  CHECK(scalar(db.connection(), "SELECT count(*) FROM layers") == 30 * 50);
  CHECK(text_scalar(db.connection(), "PRAGMA integrity_check") == "ok");
}
