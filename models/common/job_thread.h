#pragma once
// The SystemC side of a block shell that runs one job at a time (a layer, a frame): run() hands a job to
// the module's thread, runs the simulation until every thread waits again and rethrows the job's error.
// The job runs inside the thread and returns the cycles it took; SystemC time advances by that many
// periods. A child module of the shell, created in the shell's constructor (before elaboration).
#include <exception>
#include <functional>
#include <stdexcept>
#include <string>
#include <systemc>

#include "sim/common/run_simulation.h"

namespace npusim {

class JobThread final : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(JobThread);
  JobThread(sc_core::sc_module_name name, sc_core::sc_time period)
      : sc_core::sc_module(name), period_(period) {
    SC_THREAD(main_thread);
  }

  // Runs `job` on the thread; `what` names it if it never finishes.
  void run(const std::function<int64_t()>& job, const std::string& what) {
    pending_ = &job;
    finished_ = false;
    error_ = nullptr;
    job_event_.notify(sc_core::SC_ZERO_TIME);
    run_simulation();  // returns when every thread waits for its next job
    pending_ = nullptr;
    if (error_) std::rethrow_exception(error_);
    if (!finished_) throw std::logic_error(what + ": job did not finish");
  }

 private:
  void main_thread() {
    for (;;) {
      while (!pending_) wait(job_event_);  // a job issued before the first sc_start() is already pending
      const std::function<int64_t()>* job = pending_;
      pending_ = nullptr;
      try {
        const int64_t cycles = (*job)();
        wait(period_ * static_cast<double>(cycles));
      } catch (...) {
        error_ = std::current_exception();
      }
      finished_ = true;
    }
  }

  sc_core::sc_time period_;
  sc_core::sc_event job_event_;
  const std::function<int64_t()>* pending_ = nullptr;
  std::exception_ptr error_;
  bool finished_ = false;
};

}  // namespace npusim
