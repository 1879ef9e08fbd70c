#include "sim/sweep/sweep_runner.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "sim/common/error.h"
#include "sim/common/input_file.h"
#include "sim/sweep/result_db.h"
#include "sim/sweep/sweep_points.h"
#include "sim/sweep/sweep_spec.h"
#include "sim/sweep/thread_pool_runs.h"

extern char** environ;

namespace npusim {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// The worker's command line: the point's overrides and options as `npusim run` flags.
std::vector<std::string> worker_args(const SweepCommand& cmd, const SweepSpec& spec, const SweepPoint& p,
                                     const SweepRun& r, const std::string& json) {
  const SweepOptions& o = p.options;
  std::vector<std::string> a = {cmd.npusim,   "run",
                                "--arch",     spec.base,
                                "--workload", spec.workloads[r.workload].path,
                                "--seed",     std::to_string(o.seed),
                                "--json",     json,
                                "--backend",  o.backend};
  if (o.fast) a.push_back("--fast");
  if (o.values) a.push_back("--values");
  if (o.independent) a.push_back("--independent");
  if (o.w_nnz > 0) a.insert(a.end(), {"--w-nnz", std::to_string(o.w_nnz)});
  if (o.a_nnz > 0) a.insert(a.end(), {"--a-nnz", std::to_string(o.a_nnz)});
  for (const std::string& s : p.overrides)
    if (s.rfind("options.", 0) != 0) a.insert(a.end(), {"--set", s});
  return a;
}

struct Worker {
  size_t run = 0;
  std::string json, log;
  Clock::time_point start;
};

pid_t spawn(const std::vector<std::string>& args, const std::string& log) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  std::vector<char*> argv;
  for (const std::string& s : args) argv.push_back(const_cast<char*>(s.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) throw std::runtime_error("sweep: cannot start " + args[0] + ": " + std::strerror(rc));
  return pid;
}

// The last non-empty line of a worker's log (its error line).
std::string last_line(const std::string& log) {
  std::ifstream in(log);
  std::string line, last;
  while (std::getline(in, line))
    if (!line.empty()) last = line;
  return last.empty() ? "no output" : last;
}

std::string default_db(const SweepSpec& spec, int i, int n) {
  return n > 1 ? fmt::format("{}.shard{}of{}.sqlite", spec.name, i, n) : spec.name + ".sqlite";
}

class Progress {
 public:
  explicit Progress(int64_t total) : total_(total), start_(Clock::now()), tty_(isatty(2)) {}
  // Redrawn at most 10 times a second on a terminal; plain lines at most every 5 s otherwise (fast points
  // end by the thousand); the last point always prints.
  void update(int64_t done, int64_t failed) {
    const Clock::time_point now = Clock::now();
    if (done < total_ && now - last_ < (tty_ ? std::chrono::milliseconds(100) : std::chrono::seconds(5)))
      return;
    last_ = now;
    const double s = std::chrono::duration<double>(now - start_).count();
    const double rate = s > 0 ? done / s * 60.0 : 0.0;
    const double eta = done > 0 ? s / done * (total_ - done) : 0.0;
    const std::string line = fmt::format("sweep: {}/{} points ({} failed), {:.1f} points/min, ETA {:.0f} s",
                                         done, total_, failed, rate, eta);
    if (tty_)
      std::cerr << "\r" << line << std::flush;
    else
      std::cerr << line << "\n";
  }
  void finish() {
    if (tty_) std::cerr << "\n";
  }

 private:
  int64_t total_;
  Clock::time_point start_, last_;
  bool tty_;
};

}  // namespace

int run_sweep(const SweepCommand& cmd) {
  if (cmd.jobs < 1) throw InputError("--jobs: need at least 1 worker, got " + std::to_string(cmd.jobs));
  const SweepSpec spec = load_sweep_spec(cmd.spec);
  const auto [si, sn] = cmd.shard.empty() ? std::pair<int, int>{0, 1} : parse_shard(cmd.shard);
  const SweepPoints pts = expand_sweep(spec);
  const std::vector<SweepRun> runs = shard(pts.runs, si, sn);
  ResultDb db = ResultDb::open(cmd.db.empty() ? default_db(spec, si, sn) : cmd.db);
  const fs::path tmp = fs::temp_directory_path() / fmt::format("npusim_sweep_{}", getpid());
  fs::create_directories(tmp);

  auto record_of = [&](const SweepRun& r) {
    const SweepPoint& p = pts.points[r.point];
    PointRecord rec;
    rec.key = r.key;
    rec.spec = spec.name;
    rec.overrides = p.overrides;
    if (p.config) rec.resolved_config = p.config->to_json();
    rec.seed = p.options.seed;
    return rec;
  };
  std::vector<size_t> todo, in_process;
  int64_t skipped = 0, failed = 0, done = 0;
  for (size_t i = 0; i < runs.size(); ++i) {
    const auto st = db.status(runs[i].key);
    if (st && *st != PointStatus::running) {
      ++skipped;
    } else if (!pts.points[runs[i].point].error.empty()) {
      db.record_failure(record_of(runs[i]), pts.points[runs[i].point].error);
      ++failed;
    } else {
      (cmd.in_process && runs_in_process(pts.points[runs[i].point].options) ? in_process : todo).push_back(i);
    }
  }
  std::cout << fmt::format(
      "sweep {}: {} points x {} workloads = {} runs{}; {} already in the database, {} to run{}{}\n", spec.name,
      pts.points.size(), spec.workloads.size(), pts.runs.size(),
      sn > 1 ? fmt::format(", shard {}/{}: {}", si, sn, runs.size()) : "", skipped,
      todo.size() + in_process.size(),
      in_process.empty() ? "" : fmt::format(" ({} fast in-process, {} as worker processes)", in_process.size(),
                                            todo.size()),
      pts.note.empty() ? "" : " (" + pts.note + ")");
  Progress progress(static_cast<int64_t>(todo.size() + in_process.size()));
  // A finished run into the store: its report if it ran and meets the spec's figure constraints, else
  // its error.
  auto finish = [&](const SweepRun& r, double wall_s, const nlohmann::json& report, std::string error) {
    PointRecord rec = record_of(r);
    rec.wall_s = wall_s;
    if (error.empty()) error = check_runner_constraints(spec, pts.points[r.point], report);
    if (error.empty())
      db.record(rec, report);
    else
      db.record_failure(rec, error), ++failed;
    progress.update(++done, failed);
  };

  // Fast points: in this process, `jobs` threads; the store is written from this thread only.
  run_on_threads(
      in_process.size(), cmd.jobs,
      [&](size_t k) {
        const SweepRun& r = runs[in_process[k]];
        const SweepPoint& p = pts.points[r.point];
        return cmd.in_process(*p.config, spec.workloads[r.workload].path, p.options);
      },
      [&](size_t k, RunOutcome&& o) { finish(runs[in_process[k]], o.wall_s, o.report, o.error); });

  // Cycle-model points: worker processes.
  std::map<pid_t, Worker> active;
  size_t next = 0;
  while (next < todo.size() || !active.empty()) {
    while (next < todo.size() && static_cast<int>(active.size()) < cmd.jobs) {
      const size_t i = todo[next++];
      const SweepRun& r = runs[i];
      Worker w{i, (tmp / fmt::format("run{}.json", i)).string(), (tmp / fmt::format("run{}.log", i)).string(),
               Clock::now()};
      db.mark_running(record_of(r));
      active[spawn(worker_args(cmd, spec, pts.points[r.point], r, w.json), w.log)] = w;
    }
    int status = 0;
    const pid_t pid = waitpid(-1, &status, 0);
    if (pid < 0) throw std::runtime_error("sweep: waitpid failed");
    const auto it = active.find(pid);
    if (it == active.end()) continue;
    const Worker w = it->second;
    active.erase(it);
    const bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    std::string error;
    nlohmann::json report;
    if (ok) {
      report = nlohmann::json::parse(read_whole_file(w.json).value_or("{}"), nullptr, false);
      if (report.is_discarded()) error = "the worker's JSON report is unreadable";
    } else {
      error = WIFEXITED(status) ? fmt::format("exit {}: {}", WEXITSTATUS(status), last_line(w.log))
                                : fmt::format("killed by signal {}", WTERMSIG(status));
    }
    finish(runs[w.run], std::chrono::duration<double>(Clock::now() - w.start).count(), report, error);
    std::error_code ec;
    fs::remove(w.json, ec);
    fs::remove(w.log, ec);
  }
  progress.finish();
  std::error_code ec;
  fs::remove_all(tmp, ec);
  const StatusCounts c = db.counts();
  std::cout << fmt::format("sweep {}: {} done, {} failed in the database\n", spec.name, c.done, c.failed);
  return 0;
}

int merge_sweeps(const std::string& into, const std::vector<std::string>& shards) {
  const MergeReport m = merge(into, shards);
  std::cout << fmt::format("merged {} shards into {}: {} added, {} replaced, {} unchanged, {} conflicts\n",
                           shards.size(), into, m.added, m.replaced, m.unchanged, m.conflicts.size());
  for (const MergeConflict& c : m.conflicts)
    std::cout << fmt::format("conflict: {} in {}: {}\n", c.key.str(), c.shard, c.reason);
  return m.conflicts.empty() ? 0 : 1;
}

}  // namespace npusim
