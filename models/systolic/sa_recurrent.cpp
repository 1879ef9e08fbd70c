// Recurrent layers (LSTM, GRU) on a systolic design. Per time step the gate pre-activations are one
// GEMM job of [x_t, h_{t-1}] (batch rows) by the stacked 4H x (I + H) weight matrix, run on the array;
// the element-wise gate math (sim/quant lstm/gru elementwise) runs on the vector unit with its own
// cycle cost and action counts. Step t + 1's GEMM needs h_t, so steps are strictly sequential:
// cycles = sum over steps of (GEMM + vector unit). Weights that fit half the weight buffer stay
// resident after the first step. On S2TA (DAP) designs [x_t, h_{t-1}] goes through the DAP unit.
#include <fmt/format.h>

#include <cmath>

#include "models/systolic/dap.h"
#include "models/systolic/gemm_lowering.h"
#include "models/systolic/sa_accelerator.h"
#include "models/systolic/sa_mapping.h"
#include "models/systolic/sa_timing.h"
#include "sim/driver/driver.h"
#include "sim/driver/golden.h"
#include "sim/driver/vector_unit.h"
#include "sim/quant/gru.h"
#include "sim/quant/lstm.h"

namespace npusim::systolic {

namespace {

// Vector-unit lane operations per hidden unit and time step: LSTM 4 gate requantizations, 3 sigmoids,
// 2 tanh (LUT + interpolation), 3 cell multiplies/adds, 1 output requantization; GRU 4 requantizations,
// 2 sigmoids, 1 tanh, 4 multiplies/adds, 1 requantization.
constexpr int64_t kLstmOpsPerUnit = 13;
constexpr int64_t kGruOpsPerUnit = 12;

struct StepCost {
  int64_t ops = 0, cycles = 0;
};

StepCost vector_step(const ArchConfig& arch, const Layer& l) {
  StepCost c;
  c.ops = l.batch * l.hidden_size * (l.op == OpType::Lstm ? kLstmOpsPerUnit : kGruOpsPerUnit);
  c.cycles = (c.ops + arch.vector_lanes - 1) / arch.vector_lanes + kVectorPipelineCycles;
  return c;
}

void recurrent_figures(LayerStats& st, const Layer& l, int64_t vector_cycles) {
  const int64_t T = l.seq_len;
  st.family["recurrent"] = {{"time_steps", T},
                            {"cycles_per_step", static_cast<double>(st.cycles) / T},
                            {"vector_cycles_per_step", static_cast<double>(vector_cycles) / T}};
  st.notes.push_back(fmt::format(
      "{} time steps, {:.0f} cycles per step ({:.0f} gate GEMM on the array + {:.0f} gate math on the vector unit)",
      T, static_cast<double>(st.cycles) / T, static_cast<double>(st.cycles - vector_cycles) / T,
      static_cast<double>(vector_cycles) / T));
}

}  // namespace

LayerOutcome SaLayerMapping::estimate_recurrent() const {
  // Every step has the same shape: the closed form of the first step and of a later one (resident
  // weights when they fit) give the layer.
  const Layer step = step_layer();
  const mapping::ReductionLayout layout{scheme_.block, scheme_.dbb, false};
  const bool fits = step.K * mapping::padded_k(step, layout) * 2 <= sys(arch_).wgt_kib * 1024;
  ArrayJob job = make_array_job(step, scheme_, nullptr, nullptr, {}, 0, {});
  LayerOutcome o;
  o.stats.unit = "array";
  o.stats.add(sa_estimate(arch_, job));
  if (layer_.seq_len > 1) {
    job.weights_resident = fits;
    const LayerStats rest = sa_estimate(arch_, job);
    for (int64_t t = 1; t < layer_.seq_len; ++t) o.stats.add(rest);
  }
  const StepCost vc = vector_step(arch_, layer_);
  o.stats.cycles += vc.cycles * layer_.seq_len;
  o.stats.actions["vector_op"] += vc.ops * layer_.seq_len;
  describe(o.stats);
  recurrent_figures(o.stats, layer_, vc.cycles * layer_.seq_len);
  return o;
}

LayerOutcome SaLayerMapping::simulate_recurrent(Hardware& hw, const LayerOperands& ops) const {
  auto& acc = static_cast<SaAccelerator&>(hw);
  const bool lstm = layer_.op == OpType::Lstm;
  const int64_t I = layer_.input_size, H = layer_.hidden_size, T = layer_.seq_len, batch = layer_.batch;
  const int64_t rows = 4 * H;
  const Layer step = step_layer();
  const quant::RecurrentScales& sc = ops.scales;
  const quant::LstmParams lp = lstm ? quant::make_lstm_params(I, H, sc) : quant::LstmParams{};
  const quant::GruParams gp = lstm ? quant::GruParams{} : quant::make_gru_params(I, H, sc);
  quant::LstmState ls = lstm ? quant::lstm_initial_state(batch, lp) : quant::LstmState{};
  quant::GruState gs = lstm ? quant::GruState{} : quant::gru_initial_state(batch, gp);
  quant::LstmState ls_ref = ls;  // DAP designs: the same layer without pruning
  quant::GruState gs_ref = gs;
  // The array sums raw a * w: the zero points go into the bias. Its int8 write-back of the gate
  // pre-activations (scale 2^-8) is what it would store; the vector unit takes the accumulators.
  const std::vector<int32_t> folded =
      quant::zero_point_bias(ops.weights, ops.bias, I, sc.input_zero_point, sc.hidden_zero_point);
  const quant::Requant rq = quant::make_requant(std::vector<double>(static_cast<size_t>(rows), 1.0 / 256), 0, 8);
  const mapping::ReductionLayout layout{scheme_.block, scheme_.dbb, false};
  const bool fits = rows * mapping::padded_k(step, layout) * 2 <= sys(arch_).wgt_kib * 1024;
  const StepCost vc = vector_step(arch_, layer_);

  LayerOutcome o;
  o.stats.unit = "array";
  o.acc = TensorI32({T, batch, rows});
  o.out = TensorI8({T, batch, H});
  TensorI8 x({batch, I});
  double kept_sum = 0;
  int64_t h_abs_err = 0, h_changed = 0;
  const std::string what = layer_.source + ": " + layer_.name;
  for (int64_t t = 0; t < T; ++t) {
    std::copy_n(&ops.input[t * batch * I], batch * I, x.data.begin());
    const TensorI8 a_raw = concat_rows(x, lstm ? ls.h : gs.h);
    ArrayJob job = make_array_job(step, scheme_, &a_raw, &ops.weights, folded, 0, rq);
    job.weights_resident = t > 0 && fits;
    ArrayJobResult r = acc.run(job);
    std::string note;
    if (!compare_outputs(r.acc, r.out, r.acc, requantize_all(r.acc, rq), &note) && o.self_check_failure.empty())
      o.self_check_failure = "time step " + std::to_string(t) + ": the array's write-back " + note;
    o.stats.add(r.stats);
    std::copy(r.acc.data.begin(), r.acc.data.end(), o.acc.data.begin() + t * batch * rows);
    // Gate math on the vector unit, after the GEMM: the next step needs h_t.
    if (lstm)
      quant::lstm_elementwise(r.acc, lp, ls);
    else
      quant::gru_elementwise(r.acc, gp, gs);
    const TensorI8& h = lstm ? ls.h : gs.h;
    std::copy(h.data.begin(), h.data.end(), o.out.data.begin() + t * batch * H);
    o.stats.cycles += vc.cycles;
    o.stats.actions["vector_op"] += vc.ops;
    if (scheme_.dap) {
      kept_sum += mapping::dap_stats(a_raw, hardware_input(a_raw)).magnitude_kept;
      const TensorI8& h_prev = lstm ? ls_ref.h : gs_ref.h;
      const TensorI32 ref = quant::recurrent_gate_gemm(x, h_prev, ops.weights, ops.bias, sc.input_zero_point,
                                                       sc.hidden_zero_point, what);
      if (lstm)
        quant::lstm_elementwise(ref, lp, ls_ref);
      else
        quant::gru_elementwise(ref, gp, gs_ref);
      const TensorI8& hr = lstm ? ls_ref.h : gs_ref.h;
      for (int64_t i = 0; i < h.size(); ++i) {
        const int d = std::abs(int{h[i]} - int{hr[i]});
        h_abs_err += d;
        h_changed += d != 0;
      }
    }
  }
  describe(o.stats);
  recurrent_figures(o.stats, layer_, vc.cycles * T);
  if (scheme_.dap && T > 0) {
    const double n = static_cast<double>(T * batch * H);
    o.stats.family["dap"] = {{"kept_magnitude_fraction", kept_sum / T},
                             {"output_mean_abs_error_lsb", h_abs_err / n},
                             {"outputs_changed_fraction", h_changed / n}};
    o.stats.notes.push_back(fmt::format(
        "DAP keeps {}/{} activations per block, {:.1f} % of activation magnitude; int8 hidden states (all steps) "
        "vs unpruned: mean |error| {:.2f} LSB, {:.1f} % differ",
        scheme_.a_nnz, scheme_.block, 100.0 * kept_sum / T, h_abs_err / n, 100.0 * h_changed / n));
  }
  return o;
}

}  // namespace npusim::systolic
