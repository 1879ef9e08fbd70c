// Recurrent layers (LSTM, GRU) on a systolic design. The gate pre-activations are array jobs; the
// element-wise cell (the executor's RecurrentCell: self-defined LSTM/GRU or TFLM's LSTM) runs on the
// vector unit with its own cycle cost and action counts.
//  - stacked gates: per time step one GEMM of [x_t, h_{t-1}] (batch rows) by the G x (I + H) matrix;
//  - split gates (TFLM): the input projection of every step is one GEMM of all x_t rows by W_x (it
//    does not depend on h), then per step one GEMM of h_{t-1} by W_h.
// Step t + 1's recurrent GEMM needs h_t, so steps are strictly sequential: cycles = input projection +
// sum over steps of (GEMM + vector unit). Weights that fit half the weight buffer stay resident after
// the first step. On S2TA (DAP) designs the GEMM operand rows go through the DAP unit.
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
#include "sim/quant/fully_connected.h"

namespace npusim::systolic {

namespace {

struct StepCost {
  int64_t ops = 0, cycles = 0;
};

StepCost vector_step(const ArchConfig& arch, const Layer& l, int64_t ops_per_unit) {
  StepCost c;
  c.ops = l.batch * l.hidden_size * ops_per_unit;
  c.cycles = (c.ops + arch.vector_lanes - 1) / arch.vector_lanes + kVectorPipelineCycles;
  return c;
}

// Without a cell (--fast without values) the layer table's semantics: LSTM 13, GRU 12 lane ops per unit.
int64_t ops_per_unit(const Layer& l, const LayerOperands& ops) {
  return ops.cell ? ops.cell->ops_per_unit() : l.op == OpType::Lstm ? 13 : 12;
}

Layer fc_job_layer(const Layer& l, int64_t batch, int64_t C, int64_t K) {
  Layer fc;
  fc.name = l.name;
  fc.op = OpType::Fc;
  fc.C = C;
  fc.K = K;
  fc.batch = batch;
  fc.source = l.source;
  return fc;
}

void recurrent_figures(LayerStats& st, const Layer& l, int64_t vector_cycles, int64_t projection_cycles) {
  const int64_t T = l.seq_len;
  const double per_step = static_cast<double>(st.cycles - projection_cycles) / T;
  st.family["recurrent"] = {{"time_steps", T},
                            {"cycles_per_step", per_step},
                            {"input_projection_cycles", projection_cycles},
                            {"vector_cycles_per_step", static_cast<double>(vector_cycles) / T}};
  std::string s = fmt::format(
      "{} time steps, {:.0f} cycles per step ({:.0f} gate GEMM on the array + {:.0f} gate math "
      "on the vector unit)",
      T, per_step, per_step - static_cast<double>(vector_cycles) / T, static_cast<double>(vector_cycles) / T);
  if (projection_cycles)
    s += fmt::format(", after the input projection of all steps ({} cycles)", projection_cycles);
  st.notes.push_back(s);
}

}  // namespace

LayerOutcome SaLayerMapping::estimate_recurrent(const LayerOperands& ops) const {
  // Every step has the same shape: the closed form of the first step and of a later one (resident
  // weights when they fit) give the layer.
  const bool split = ops.cell && ops.cell->split_gates();
  const int64_t G = ops.cell ? ops.cell->gate_rows() : 4 * layer_.hidden_size, T = layer_.seq_len;
  const Layer step = split ? fc_job_layer(layer_, layer_.batch, layer_.hidden_size, G) : step_layer();
  const mapping::ReductionLayout layout{scheme_.block, scheme_.dbb, false};
  const bool fits = step.K * mapping::padded_k(step, layout) * 2 <= sys(arch_).wgt_kib * 1024;
  LayerOutcome o;
  o.stats.unit = "array";
  int64_t projection = 0;
  if (split) {
    const LayerStats px =
        sa_estimate(arch_, make_array_job(fc_job_layer(layer_, T * layer_.batch, layer_.input_size, G),
                                          scheme_, nullptr, nullptr, {}, 0, {}));
    projection = px.cycles;
    o.stats.add(px);
  }
  ArrayJob job = make_array_job(step, scheme_, nullptr, nullptr, {}, 0, {});
  o.stats.add(sa_estimate(arch_, job));
  if (T > 1) {
    job.weights_resident = fits;
    const LayerStats rest = sa_estimate(arch_, job);
    for (int64_t t = 1; t < T; ++t) o.stats.add(rest);
  }
  const StepCost vc = vector_step(arch_, layer_, ops_per_unit(layer_, ops));
  o.stats.cycles += vc.cycles * T;
  o.stats.actions["vector_op"] += vc.ops * T;
  describe(o.stats);
  recurrent_figures(o.stats, layer_, vc.cycles * T, projection);
  return o;
}

LayerOutcome SaLayerMapping::simulate_recurrent(Hardware& hw, const LayerOperands& ops) const {
  auto& acc = static_cast<SaAccelerator&>(hw);
  const int64_t I = layer_.input_size, H = layer_.hidden_size, T = layer_.seq_len, batch = layer_.batch;
  std::unique_ptr<RecurrentCell> cell = ops.cell->fresh();
  std::unique_ptr<RecurrentCell> ref = ops.cell->fresh();  // DAP designs: the same layer without pruning
  const bool split = cell->split_gates();
  const int64_t G = cell->gate_rows(), acc_cols = split ? 2 * G : G;
  const quant::RecurrentScales& sc = ops.scales;
  const Layer step = split ? fc_job_layer(layer_, batch, H, G) : step_layer();
  // The array sums raw a * w: the zero points go into the bias. Its int8 write-back of the gate
  // pre-activations (scale 2^-8) is what it would store; the vector unit takes the accumulators.
  const std::vector<int32_t> folded =
      split ? quant::zero_point_bias(ops.recurrent_weights, std::vector<int32_t>(static_cast<size_t>(G), 0),
                                     0, 0, sc.hidden_zero_point)
            : quant::zero_point_bias(ops.weights, ops.bias, I, sc.input_zero_point, sc.hidden_zero_point);
  const quant::Requant rq = quant::make_requant(std::vector<double>(static_cast<size_t>(G), 1.0 / 256), 0, 8);
  const mapping::ReductionLayout layout{scheme_.block, scheme_.dbb, false};
  const bool fits = G * mapping::padded_k(step, layout) * 2 <= sys(arch_).wgt_kib * 1024;
  const StepCost vc = vector_step(arch_, layer_, cell->ops_per_unit());
  const TensorI8& step_weights = split ? ops.recurrent_weights : ops.weights;

  LayerOutcome o;
  o.stats.unit = "array";
  o.acc = TensorI32({T, batch, acc_cols});
  o.out = TensorI8({T, batch, H});
  auto run_job = [&](const ArrayJob& job, const std::string& what) {
    ArrayJobResult r = acc.run(job);
    std::string note;
    if (!compare_outputs(r.acc, r.out, r.acc, requantize_all(r.acc, rq), &note) &&
        o.self_check_failure.empty())
      o.self_check_failure = what + ": the array's write-back " + note;
    o.stats.add(r.stats);
    return std::move(r.acc);
  };
  // Split gates: the input projection of all steps at once ([T * batch] rows of x through the DAP unit).
  TensorI32 acc_x_all;
  int64_t projection = 0;
  if (split) {
    const TensorI8 xs = scheme_.dap ? hardware_input(ops.input) : ops.input;
    const std::vector<int32_t> folded_x =
        quant::zero_point_bias(ops.weights, ops.bias, I, sc.input_zero_point, 0);
    const Layer px = fc_job_layer(layer_, T * batch, I, G);
    TensorI8 rows = xs;
    rows.shape = {T * batch, I};
    const int64_t before = o.stats.cycles;
    acc_x_all =
        run_job(make_array_job(px, scheme_, &rows, &ops.weights, folded_x, 0, rq), "input projection");
    projection = o.stats.cycles - before;
  }
  TensorI8 x({batch, I});
  double kept_sum = 0;
  int64_t h_abs_err = 0, h_changed = 0;
  for (int64_t t = 0; t < T; ++t) {
    std::copy_n(&ops.input[t * batch * I], batch * I, x.data.begin());
    const TensorI8 a_raw = split ? cell->h() : concat_rows(x, cell->h());
    ArrayJob job = make_array_job(step, scheme_, &a_raw, &step_weights, folded, 0, rq);
    job.weights_resident = t > 0 && fits;
    const TensorI32 r = run_job(job, "time step " + std::to_string(t));
    TensorI32* row_acc = o.acc.data.empty() ? nullptr : &o.acc;
    if (split) {
      TensorI32 ax({batch, G});
      std::copy_n(&acc_x_all[t * batch * G], batch * G, ax.data.begin());
      for (int64_t b = 0; b < batch; ++b) {
        std::copy_n(&ax[b * G], G, &(*row_acc)[(t * batch + b) * acc_cols]);
        std::copy_n(&r[b * G], G, &(*row_acc)[(t * batch + b) * acc_cols + G]);
      }
      cell->step(ax, &r);
    } else {
      std::copy(r.data.begin(), r.data.end(), o.acc.data.begin() + t * batch * G);
      cell->step(r, nullptr);
    }
    std::copy(cell->h().data.begin(), cell->h().data.end(), o.out.data.begin() + t * batch * H);
    o.stats.cycles += vc.cycles;
    o.stats.actions["vector_op"] += vc.ops;
    if (scheme_.dap) {
      // The same step without pruning, from the unpruned run's own state.
      if (split) {
        TensorI32 ax = quant::fc_acc(x, ops.weights, ops.bias, sc.input_zero_point);
        const TensorI32 ah = quant::fc_acc(ref->h(), ops.recurrent_weights, {}, sc.hidden_zero_point);
        kept_sum += mapping::dap_stats(cell->h(), hardware_input(cell->h())).magnitude_kept;
        ref->step(ax, &ah);
      } else {
        kept_sum += mapping::dap_stats(a_raw, hardware_input(a_raw)).magnitude_kept;
        const std::string what = layer_.source + ": " + layer_.name;
        ref->step(quant::recurrent_gate_gemm(x, ref->h(), ops.weights, ops.bias, sc.input_zero_point,
                                             sc.hidden_zero_point, what),
                  nullptr);
      }
      const TensorI8 &h = cell->h(), &hr = ref->h();
      for (int64_t i = 0; i < h.size(); ++i) {
        const int d = std::abs(int{h[i]} - int{hr[i]});
        h_abs_err += d;
        h_changed += d != 0;
      }
    }
  }
  describe(o.stats);
  recurrent_figures(o.stats, layer_, vc.cycles * T, projection);
  o.stats.notes.push_back("cell: " + cell->semantics());
  if (scheme_.dap && T > 0) {
    const double n = static_cast<double>(T * batch * H);
    o.stats.family["dap"] = {{"kept_magnitude_fraction", kept_sum / T},
                             {"output_mean_abs_error_lsb", h_abs_err / n},
                             {"outputs_changed_fraction", h_changed / n}};
    o.stats.notes.push_back(fmt::format(
        "DAP keeps {}/{} activations per block, {:.1f} % of activation magnitude; int8 hidden states (all "
        "steps) "
        "vs unpruned: mean |error| {:.2f} LSB, {:.1f} % differ",
        scheme_.a_nnz, scheme_.block, 100.0 * kept_sum / T, h_abs_err / n, 100.0 * h_changed / n));
  }
  return o;
}

}  // namespace npusim::systolic
