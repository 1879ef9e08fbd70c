#include "sim/sweep/thread_pool_runs.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "sim/common/error.h"

namespace npusim {

void run_on_threads(size_t n, int threads, const std::function<nlohmann::json(size_t)>& run,
                    const std::function<void(size_t, RunOutcome&&)>& done) {
  std::atomic<size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::condition_variable cv;
  std::deque<std::pair<size_t, RunOutcome>> finished;
  auto worker = [&] {
    for (size_t i; !stop && (i = next++) < n;) {
      RunOutcome o;
      const auto t0 = std::chrono::steady_clock::now();
      try {
        o.report = run(i);
      } catch (const InputError& e) {
        o.error = e.what();
      } catch (const std::exception& e) {
        o.error = std::string("internal error: ") + e.what();
      }
      o.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      std::lock_guard<std::mutex> lock(mu);
      finished.emplace_back(i, std::move(o));
      cv.notify_one();
    }
  };
  std::vector<std::thread> pool;
  const size_t count = std::min<size_t>(static_cast<size_t>(std::max(threads, 1)), n);
  for (size_t t = 0; t < count; ++t) pool.emplace_back(worker);
  try {
    for (size_t handed = 0; handed < n;) {
      std::unique_lock<std::mutex> lock(mu);
      cv.wait(lock, [&] { return !finished.empty(); });
      auto [i, o] = std::move(finished.front());
      finished.pop_front();
      lock.unlock();
      done(i, std::move(o));
      ++handed;
    }
  } catch (...) {
    stop = true;
    for (auto& t : pool) t.join();
    throw;
  }
  for (auto& t : pool) t.join();
}

}  // namespace npusim
