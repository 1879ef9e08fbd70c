#include "sim/sweep/pareto.h"

#include <fmt/format.h>

#include <iostream>
#include <map>

#include "sim/common/error.h"
#include "sim/common/output_file.h"

namespace npusim {

bool minimized(const std::string& f) {
  for (const char* cost : {"area", "energy", "cycles", "latency", "stall", "dram", "frame_period"})
    if (f.find(cost) != std::string::npos) return true;
  return false;
}

std::vector<ParetoPoint> pareto(const std::vector<PointSummary>& points,
                                const std::vector<std::string>& objectives) {
  std::vector<ParetoPoint> out;
  for (const PointSummary& p : points) {
    ParetoPoint q{&p, {}, false};
    for (const std::string& o : objectives) q.values.push_back(minimized(o) ? p.figure(o) : -p.figure(o));
    out.push_back(std::move(q));
  }
  // a dominates b: no worse everywhere (smaller is better after the sign flip), better somewhere.
  auto dominates = [](const ParetoPoint& a, const ParetoPoint& b) {
    bool better = false;
    for (size_t i = 0; i < a.values.size(); ++i) {
      if (a.values[i] > b.values[i]) return false;
      better = better || a.values[i] < b.values[i];
    }
    return better;
  };
  for (ParetoPoint& p : out) {
    p.on_front = true;
    for (const ParetoPoint& q : out)
      if (&q != &p && q.point->key.workload == p.point->key.workload && dominates(q, p)) {
        p.on_front = false;
        break;
      }
  }
  for (ParetoPoint& p : out)
    for (size_t i = 0; i < objectives.size(); ++i)
      if (!minimized(objectives[i])) p.values[i] = -p.values[i];
  return out;
}

int report_sweep(const std::string& db_path, const std::vector<std::string>& objectives,
                 const std::string& csv) {
  if (objectives.size() < 2) throw InputError("sweep report: give two objectives (--x and --y)");
  const ResultDb db = ResultDb::open_read_only(db_path);
  const std::vector<PointSummary> points = db.done_points();
  if (points.empty()) throw InputError(db_path + ": no done points to report");
  const std::vector<ParetoPoint> all = pareto(points, objectives);
  std::string last;
  for (const ParetoPoint& p : all) {
    if (!p.on_front) continue;
    if (p.point->key.workload != last) {
      last = p.point->key.workload;
      std::cout << fmt::format("Pareto front on {} ({} {}, {} {}):\n", last, objectives[0],
                               minimized(objectives[0]) ? "min" : "max", objectives[1],
                               minimized(objectives[1]) ? "min" : "max");
    }
    std::cout << fmt::format("  {:>14.6g} {:>14.6g}  {}\n", p.values[0], p.values[1],
                             p.point->overrides.dump());
  }
  if (!csv.empty()) {
    std::string text =
        "workload,config_hash,options,overrides," + objectives[0] + "," + objectives[1] + ",on_front\n";
    for (const ParetoPoint& p : all) {
      std::string ov = p.point->overrides.dump();
      for (char& c : ov)
        if (c == '"') c = '\'';
      text += fmt::format("{},{},\"{}\",\"{}\",{:.9g},{:.9g},{}\n", p.point->key.workload,
                          p.point->key.config_hash, p.point->key.options, ov, p.values[0], p.values[1],
                          p.on_front ? 1 : 0);
    }
    write_atomically(csv, text);
    std::cout << "points and front: " << csv << "\n";
  }
  return 0;
}

}  // namespace npusim
