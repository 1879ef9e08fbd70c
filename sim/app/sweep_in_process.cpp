#include "sim/app/sweep_in_process.h"

#include <map>
#include <memory>
#include <mutex>

#include "sim/driver/driver.h"
#include "sim/report/report.h"
#include "sim/workload/workload_loader.h"

namespace npusim::app {

namespace {

// Workloads by path, loaded on first use; shared read-only by the sweep's threads.
class WorkloadCache {
 public:
  std::shared_ptr<const Network> get(const std::string& path) {
    std::lock_guard<std::mutex> lock(mu_);
    auto& slot = nets_[path];
    if (!slot) slot = std::make_shared<const Network>(load_workload(path));
    return slot;
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<const Network>> nets_;
};

}  // namespace

InProcessRun make_in_process_run() {
  auto cache = std::make_shared<WorkloadCache>();
  return [cache](const ArchConfig& arch, const std::string& workload, const SweepOptions& o) {
    RunOptions opts;
    opts.seed = o.seed;
    opts.fast = o.fast;
    opts.values = o.values;
    opts.independent = o.independent;
    opts.mapping.w_nnz = o.w_nnz;
    opts.mapping.a_nnz = o.a_nnz;
    // Fast runs compare nothing with the golden ops, so unlike `npusim run` there is no exit 1 to map.
    return to_json(run_network(arch, *cache->get(workload), opts));
  };
}

}  // namespace npusim::app
