#pragma once
// Runs a sweep's in-process points on worker threads and hands each outcome to the calling thread, in
// completion order: the SQLite store and the progress line stay single-threaded.
#include <cstddef>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

namespace npusim {

struct RunOutcome {
  nlohmann::json report;  // the run's JSON report (when error is empty)
  std::string error;      // one line: the InputError's message, or "internal error: ..."
  double wall_s = 0;
};

// Calls run(i) for every i in [0, n) on `threads` threads and done(i, outcome) on this thread as each
// ends. An exception from run(i) becomes the outcome's error; one from done() stops the pool (the
// running calls finish) and is rethrown.
void run_on_threads(size_t n, int threads, const std::function<nlohmann::json(size_t)>& run,
                    const std::function<void(size_t, RunOutcome&&)>& done);

}  // namespace npusim
