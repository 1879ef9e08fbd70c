#pragma once
// What identifies one run of a sweep, in the spec expansion (sweep_points.h) and the result store
// (result_db.h): the resolved config's hash, the workload (relative to the repository, as the spec names
// it) and the run options (a canonical string, SweepOptions::canonical()).
#include <string>
#include <tuple>

namespace npusim {

struct PointKey {
  std::string config_hash, workload, options;
  bool operator<(const PointKey& o) const {
    return std::tie(config_hash, workload, options) < std::tie(o.config_hash, o.workload, o.options);
  }
  bool operator==(const PointKey& o) const {
    return config_hash == o.config_hash && workload == o.workload && options == o.options;
  }
  std::string str() const { return config_hash + " " + workload + " [" + options + "]"; }
};

}  // namespace npusim
