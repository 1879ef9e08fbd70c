#include <algorithm>

#include "sim/driver/executor.h"

namespace npusim::detail {

namespace {

// Whether area category `c` is part `p`'s: named by it, or "*" (every category no other part names).
bool part_owns(const std::vector<PipelinePart>& parts, const PipelinePart& p, const std::string& c) {
  auto names = [&c](const PipelinePart& q) {
    return std::find(q.area_categories.begin(), q.area_categories.end(), c) != q.area_categories.end();
  };
  if (names(p)) return true;
  if (!std::count(p.area_categories.begin(), p.area_categories.end(), "*")) return false;
  return std::none_of(parts.begin(), parts.end(), names);
}

}  // namespace

void Executor::finish(RunReport& rep, const cost::AreaReport& area) const {
  auto& t = rep.total;
  for (const auto& st : rep.layers) {
    t.cycles += st.cycles;
    t.macs += st.macs;
    t.executed_macs += st.executed_macs;
    t.stall_cycles += st.stall_cycles;
    t.dram_bytes += st.dram_bytes();
    for (const auto& [k, v] : st.energy_pj) t.energy_by_category_pj[k] += v;
    t.energy_pj += st.energy_total_pj;
    if (st.unit == "array" && !opts_.fast && !st.exact_compare)
      t.statistical++;
    else if (st.unit == "array" && !opts_.fast)
      (st.verified ? t.verified : t.failed)++;
    else
      t.not_checked++;
  }
  const int64_t peak = family_.peak_macs_per_cycle(arch_);
  t.utilization =
      t.cycles ? static_cast<double>(t.executed_macs) / (static_cast<double>(t.cycles) * peak) : 0.0;
  t.latency_s = t.cycles / (arch_.clock_mhz * 1e6);
  t.tops = t.latency_s > 0 ? 2.0 * t.macs / t.latency_s / 1e12 : 0.0;
  t.energy_estimated = opts_.fast;
  t.energy_core_pj =
      t.energy_pj - (t.energy_by_category_pj.count("DRAM") ? t.energy_by_category_pj.at("DRAM") : 0.0);
  // ops per pJ = TOPS/W (1 op/pJ = 1e12 op/J).
  auto per_w = [](double ops, double pj) { return pj > 0 ? ops / pj : 0.0; };
  t.tops_per_w_effective = per_w(2.0 * t.macs, t.energy_pj);
  t.tops_per_w_executed = per_w(2.0 * t.executed_macs, t.energy_pj);
  t.tops_per_w_core_effective = per_w(2.0 * t.macs, t.energy_core_pj);
  t.tops_per_w_core_executed = per_w(2.0 * t.executed_macs, t.energy_core_pj);
  t.area_by_category_um2 = area.by_category_um2;
  for (const auto& st : rep.layers) {
    for (const auto& [k, v] : st.dedicated_area_um2) t.area_by_category_um2[k] += v;
    std::vector<cost::Memory> own;
    for (const auto& [name, kib] : st.dedicated_memory_kib) own.push_back({name, kib});
    if (!own.empty())
      for (const auto& [k, v] : cost::price_area(*tech_, own, {}).by_category_um2)
        t.area_by_category_um2[k] += v;
  }
  double area_um2 = 0;
  for (const auto& [k, v] : t.area_by_category_um2) area_um2 += v;
  t.area_mm2 = area_um2 * 1e-6;
  if (rep.layers.size() == net_.layers.size()) pipeline_totals(rep);
  t.tops_per_mm2 = t.area_mm2 > 0 ? t.tops / t.area_mm2 : 0.0;
}

void Executor::pipeline_totals(RunReport& rep) const {
  auto& t = rep.total;
  const std::vector<PipelinePart> parts = family_.pipeline_parts(arch_, net_, rep.layers);
  for (const PipelinePart& p : parts) {
    if (p.first + p.count > rep.layers.size() || p.clock_mhz <= 0)
      throw std::logic_error("pipeline part " + p.name + " outside the run's layers");
    PartTotals pt;
    pt.name = p.name;
    pt.first_layer = rep.layers[p.first].name;
    pt.layers = static_cast<int64_t>(p.count);
    pt.clock_mhz = p.clock_mhz;
    pt.frame_cycles = p.frame_cycles;
    pt.frame_s = p.frame_cycles / (p.clock_mhz * 1e6);
    for (size_t i = p.first; i < p.first + p.count; ++i) {
      pt.macs += rep.layers[i].macs;
      pt.energy_pj += rep.layers[i].energy_total_pj;
      const auto& e = rep.layers[i].energy_pj;
      pt.energy_core_pj += rep.layers[i].energy_total_pj - (e.count("DRAM") ? e.at("DRAM") : 0.0);
    }
    for (const auto& [c, um2] : t.area_by_category_um2)
      if (part_owns(parts, p, c)) pt.area_mm2 += um2 * 1e-6;
    t.pipeline.push_back(pt);
  }
  if (t.pipeline.empty()) return;
  t.latency_s = 0;
  for (const auto& pt : t.pipeline) {
    t.latency_s += pt.frame_s;
    t.frame_period_s = std::max(t.frame_period_s, pt.frame_s);
  }
  for (auto& pt : t.pipeline) {
    pt.idle_s = t.frame_period_s - pt.frame_s;
    pt.tops = pt.frame_s > 0 ? 2.0 * pt.macs / pt.frame_s * 1e-12 : 0.0;
    pt.tops_per_w = pt.energy_pj > 0 ? 2.0 * pt.macs / pt.energy_pj : 0.0;
    pt.tops_per_w_core = pt.energy_core_pj > 0 ? 2.0 * pt.macs / pt.energy_core_pj : 0.0;
  }
  // Steady state: one frame per period, every part busy on its own frame.
  t.tops = t.frame_period_s > 0 ? 2.0 * t.macs / t.frame_period_s * 1e-12 : 0.0;
}

}  // namespace npusim::detail
