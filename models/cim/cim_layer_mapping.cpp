#include "models/cim/cim_layer_mapping.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "models/cim/cim_cost.h"
#include "models/cim/cim_hardware.h"
#include "models/cim/error_stats.h"
#include "models/cim/layer_analog.h"
#include "models/cim/layer_work.h"
#include "sim/workload/graph.h"

namespace npusim::cim {
namespace {

// Figures every run of the layer reports, with or without cycles.
LayerStats base_stats(const CimConfig& cfg, const Layer& l, const TilePlan& plan, const LayerWork& w) {
  LayerStats st;
  st.macs = l.macs();
  st.actions["mac"] = st.macs;
  st.family["tiles"] = plan.tiles;
  st.family["row_splits"] = plan.row_splits;
  st.family["col_splits"] = plan.col_splits;
  st.family["blocks_per_tile"] = plan.blocks_per_tile;
  st.family["crossbar_utilization"] = plan.utilization();
  st.family["dac_rows"] = w.n_in;
  st.family["pixels"] = w.pixels;
  st.family["pwm_slots"] = w.slots;
  st.detail = fmt::format("{}t {:.0f}%", plan.tiles, 100.0 * plan.utilization());
  (void)cfg;
  return st;
}

void book_clips(const LayerActivity& a, LayerStats& st) {
  st.family["adc_conversions"] = a.adc_conversions;
  st.family["adc_clips"] = a.adc_clips;
  st.family["adc_clip_rate"] =
      a.adc_conversions ? static_cast<double>(a.adc_clips) / static_cast<double>(a.adc_conversions) : 0.0;
  if (a.adc_clips > 0)
    st.notes.push_back(fmt::format("ADC clipped {} of {} conversions ({:.3f} %)", a.adc_clips,
                                   a.adc_conversions, 100.0 * st.family["adc_clip_rate"].get<double>()));
}

// Shapes only (--fast without values): activity from assumed operand statistics, documented in
// docs/cim.md: |level| uniform over the PWM window (mean slots / 2, every row driven) and |w| uniform
// up to each channel's full scale (a programmed pair conducts g_max / 2 on average).
LayerActivity assumed_activity(const CimConfig& cfg, const TilePlan& plan, const LayerWork& w) {
  LayerActivity a;
  const double mean_level = static_cast<double>(w.slots) / 2.0;
  a.dac_slot_rows = static_cast<int64_t>(std::llround(static_cast<double>(w.pixels * w.n_in) * mean_level));
  const double pairs_per_row =
      static_cast<double>(plan.cells_used) / static_cast<double>(std::max<int64_t>(w.n_in, 1));
  a.cell_us_slots = static_cast<double>(a.dac_slot_rows) * pairs_per_row * cfg.g_max_us / 2.0;
  a.rows_driven = w.pixels * w.n_in;
  count_shape_activity(w, a);
  return a;
}

TensorI8 as_tensor(const Layer& l, const std::vector<int8_t>& v) {
  TensorI8 t(graph::output_shape(l));
  std::copy(v.begin(), v.end(), t.data.begin());
  return t;
}

// Error against the design's noise-free output on the same input.
void book_error(const CimConfig& cfg, const LayerOperands& ops, const LayerWork& w,
                const std::vector<int8_t>& out, LayerStats& st) {
  const LayerAnalog clean(cfg, *ops.layer, ops.weights, true);
  const LayerEval ref = evaluate(clean, clean, w);
  ErrorStats e;
  e.add(out, ref.out, w.out.out_zp);
  st.family["error_vs_noise_free"] = e.to_json();
  st.notes.push_back(
      fmt::format("vs noise-free: SNR {} dB, mean |error| {:.3f} LSB, {:.2f} % changed",
                  e.error_sq == 0 ? std::string("inf") : fmt::format("{:.1f}", e.snr_db()),
                  e.count ? e.abs_error / static_cast<double>(e.count) : 0.0,
                  e.count ? 100.0 * static_cast<double>(e.changed) / static_cast<double>(e.count) : 0.0));
}

}  // namespace

CimLayerMapping::CimLayerMapping(const ArchConfig& arch, const Layer& layer)
    : arch_(arch), cfg_(cim(arch)), layer_(layer) {
  (void)map_layer(cfg_, layer_, 0);  // refuses ops the crossbars cannot hold, naming the layer
}

int64_t CimLayerMapping::working_bytes() const {
  // The im2col input vectors and the code sums, and the programmed tiles (4 doubles per device pair:
  // target, programmed, drift, read sigma, for both devices).
  const TilePlan plan = map_layer(cfg_, layer_, 0);
  const int64_t pixels = layer_.op == OpType::Fc ? layer_.batch : layer_.batch * layer_.out_h * layer_.out_w;
  return pixels * (plan.weight_rows + 4 * layer_.K) + plan.tiles * cfg_.tile_rows * cfg_.tile_cols * 80;
}

LayerOutcome CimLayerMapping::estimate(const LayerOperands& ops) const {
  LayerOutcome o;
  if (!ops.values) {
    // Shapes only: the plan and the closed form need no weights.
    const TilePlan plan = map_layer(cfg_, layer_, 0);
    LayerWork w;
    w.n_in = plan.weight_rows;
    w.k = static_cast<int>(layer_.K);
    w.splits = static_cast<int>(plan.row_splits);
    w.slots = static_cast<int32_t>(cfg_.pwm_slots());
    w.pixels = layer_.op == OpType::Fc ? layer_.batch : layer_.batch * layer_.out_h * layer_.out_w;
    o.stats = base_stats(cfg_, layer_, plan, w);
    o.stats.cycles = layer_cycles(cfg_, w);
    const LayerActivity a = assumed_activity(cfg_, plan, w);
    book_activity(cfg_, a, o.stats);
    book_clips(a, o.stats);
    o.exact = cfg_.ideal;
    return o;
  }
  const LayerAnalog analog(cfg_, layer_, ops.weights, false);
  const LayerWork w = prepare_work(cfg_, analog, ops);
  const LayerEval r = evaluate(analog, analog, w);
  o.stats = base_stats(cfg_, layer_, analog.plan(), w);
  o.stats.cycles = layer_cycles(cfg_, w);
  book_activity(cfg_, r.activity, o.stats);
  book_clips(r.activity, o.stats);
  if (!analog.noise_free()) book_error(cfg_, ops, w, r.out, o.stats);
  o.out = as_tensor(layer_, r.out);
  o.exact = cfg_.ideal;
  return o;
}

LayerOutcome CimLayerMapping::simulate(Hardware& hw, const LayerOperands& ops) const {
  auto& h = dynamic_cast<CimHardware&>(hw);
  const LayerAnalog analog(cfg_, layer_, ops.weights, false);
  const LayerWork w = prepare_work(cfg_, analog, ops);
  const LayerResult run = h.run(analog, w);
  // The functional path on the same analog reads: the engine (model, RTL or both) must equal it exactly.
  const LayerEval ref = evaluate(analog, analog, w);
  LayerOutcome o;
  o.stats = base_stats(cfg_, layer_, analog.plan(), w);
  o.stats.cycles = run.cycles;
  book_activity(cfg_, ref.activity, o.stats);
  book_clips(ref.activity, o.stats);
  if (run.clip_count != ref.activity.adc_clips || run.code_sums != ref.code_sums || run.outputs != ref.out ||
      run.activity.pwm_slot_rows != ref.activity.dac_slot_rows) {
    size_t i = 0;
    while (i < ref.out.size() && i < run.outputs.size() && run.outputs[i] == ref.out[i] &&
           run.code_sums[i] == ref.code_sums[i])
      ++i;
    o.self_check_failure = fmt::format(
        "the engine differs from the functional path of the same analog reads: clips {} vs {}, PWM "
        "slot-rows {} vs {}, first difference at output {} (pixel {}, channel {})",
        run.clip_count, ref.activity.adc_clips, run.activity.pwm_slot_rows, ref.activity.dac_slot_rows, i,
        w.k ? static_cast<int64_t>(i) / w.k : 0, w.k ? static_cast<int64_t>(i) % w.k : 0);
  }
  if (!analog.noise_free()) book_error(cfg_, ops, w, run.outputs, o.stats);
  o.out = as_tensor(layer_, run.outputs);
  o.exact = cfg_.ideal;
  return o;
}

}  // namespace npusim::cim
