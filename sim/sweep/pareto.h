#pragma once
// The Pareto front of a sweep's done points over chosen objectives (issue 14 point 6), per workload: a
// point is on the front when no other point of the same workload is at least as good in every objective
// and better in one. Whether a figure is minimized or maximized follows its name (cost figures: area,
// energy, cycles, latency, stalls, DRAM bytes; everything else, e.g. TOPS, TOPS/W, utilization, is
// maximized).
#include <string>
#include <vector>

#include "sim/sweep/result_db.h"

namespace npusim {

bool minimized(const std::string& figure);

struct ParetoPoint {
  const PointSummary* point = nullptr;
  std::vector<double> values;  // one per objective
  bool on_front = false;
};

// Every done point with its objective values and front flag, grouped by workload in the database's order.
std::vector<ParetoPoint> pareto(const std::vector<PointSummary>& points,
                                const std::vector<std::string>& objectives);

// `npusim sweep report DB [--x F] [--y F] [--csv FILE]`: the front as a table on stdout, every point with
// its front flag as CSV (for scripts/sweep_plot.py). Returns 0.
int report_sweep(const std::string& db, const std::vector<std::string>& objectives, const std::string& csv);

}  // namespace npusim
