#include "sim/driver/recurrent.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "sim/common/error.h"
#include "sim/common/rng.h"
#include "sim/driver/vector_unit.h"
#include "sim/mapping/dap.h"
#include "sim/mapping/dbb.h"
#include "sim/mapping/lowering.h"
#include "sim/quant/gru.h"
#include "sim/quant/lstm.h"
#include "sim/quant/recurrent.h"
#include "sim/quant/requant.h"
#include "sim/quant/tensor_gen.h"

namespace npusim {

namespace {

void add_stats(LayerStats& sum, const LayerStats& s) {
  sum.cycles += s.cycles;
  sum.stall_cycles += s.stall_cycles;
  sum.folds += s.folds;
  sum.sram_read_bytes.act += s.sram_read_bytes.act;
  sum.sram_read_bytes.wgt += s.sram_read_bytes.wgt;
  sum.sram_read_bytes.out += s.sram_read_bytes.out;
  sum.sram_write_bytes.act += s.sram_write_bytes.act;
  sum.sram_write_bytes.wgt += s.sram_write_bytes.wgt;
  sum.sram_write_bytes.out += s.sram_write_bytes.out;
  sum.dram_read_bytes += s.dram_read_bytes;
  sum.dram_write_bytes += s.dram_write_bytes;
  for (const auto& [k, v] : s.actions) sum.actions[k] += v;
}

// [x, h] rows of one step, the GEMM's activation matrix.
TensorI8 concat(const TensorI8& x, const TensorI8& h) {
  const int64_t batch = x.dim(0), I = x.dim(1), H = h.dim(1);
  TensorI8 a({batch, I + H});
  for (int64_t b = 0; b < batch; ++b) {
    std::copy_n(&x[b * I], I, &a[b * (I + H)]);
    std::copy_n(&h[b * H], H, &a[b * (I + H) + I]);
  }
  return a;
}

void split(const TensorI8& a, TensorI8& x, TensorI8& h) {
  const int64_t batch = x.dim(0), I = x.dim(1), H = h.dim(1);
  for (int64_t b = 0; b < batch; ++b) {
    std::copy_n(&a[b * (I + H)], I, &x[b * I]);
    std::copy_n(&a[b * (I + H) + I], H, &h[b * H]);
  }
}

}  // namespace

LayerStats run_recurrent_layer(const ArchConfig& arch, Accelerator* acc, const Layer& l,
                               const RunOptions& opts) {
  const bool lstm = l.op == OpType::Lstm;
  const int64_t I = l.input_size, H = l.hidden_size, T = l.seq_len, batch = l.batch;
  const int64_t rows = 4 * H;  // LSTM i, f, g, o; GRU r, z, n_x, n_h (gru_gemm_weights)
  // The GEMM of one step as an FC layer: batch rows, I + H inputs, 4H outputs.
  Layer fc;
  fc.name = l.name;
  fc.op = OpType::Fc;
  fc.C = I + H;
  fc.K = rows;
  fc.batch = batch;
  fc.w_nnz = l.w_nnz;
  fc.a_nnz = l.a_nnz;
  fc.source = l.source;
  const WeightScheme scheme = weight_scheme(arch, fc, opts.w_nnz, opts.a_nnz);
  // Operands from named streams: inputs, weights and quantization parameters.
  Rng xr(opts.seed, "act:" + l.name), wr(opts.seed, "wgt:" + l.name), qr(opts.seed, "qparams:" + l.name);
  const TensorI8 x_all = quant::random_tensor({T, batch, I}, l.a_bits, l.a_density, xr);
  TensorI8 w = quant::random_tensor({lstm ? rows : 3 * H, I + H}, l.w_bits, l.w_density, wr);
  if (!lstm) w = quant::gru_gemm_weights(w, I);
  const int prune_nnz = scheme.prune_nnz ? scheme.prune_nnz : scheme.dbb ? scheme.nnz : 0;
  const int prune_block = scheme.prune_nnz ? scheme.prune_block : scheme.block;
  if (prune_nnz > 0 && prune_nnz < prune_block)
    w = mapping::prune_dbb(w, 1, 1, I + H, prune_block, prune_nnz);
  std::vector<int32_t> bias(static_cast<size_t>(rows));
  for (auto& b : bias) b = static_cast<int32_t>(qr.uniform(-512, 512));
  // Scales: x and h in [-2, 2) and [-1, 1) (h = o tanh(c)); DAP designs use zero points 0.
  quant::RecurrentScales sc;
  sc.input_scale = 1.0 / 64;
  sc.hidden_scale = 1.0 / 128;
  sc.input_zero_point = scheme.dap ? 0 : static_cast<int32_t>(qr.uniform(-8, 8));
  sc.hidden_zero_point = scheme.dap ? 0 : static_cast<int32_t>(qr.uniform(-8, 8));
  // Gate scale: the gate pre-activation of a typical accumulator (|W| ~ 64, |a| ~ 64 over I + H terms)
  // lands around +-2 in Q3.12.
  sc.gate_scales = {2.0 / (64.0 * 64.0 * std::sqrt(static_cast<double>(I + H)))};
  const quant::LstmParams lp = lstm ? quant::make_lstm_params(I, H, sc) : quant::LstmParams{};
  const quant::GruParams gp = lstm ? quant::GruParams{} : quant::make_gru_params(I, H, sc);
  quant::LstmState ls = lstm ? quant::lstm_initial_state(batch, lp) : quant::LstmState{};
  quant::GruState gs = lstm ? quant::GruState{} : quant::gru_initial_state(batch, gp);
  // The array sums raw a * w: the zero points go into the bias.
  const std::vector<int32_t> folded =
      quant::fold_zero_points(w, bias, I, sc.input_zero_point, sc.hidden_zero_point);
  const mapping::ReductionLayout layout{scheme.block, scheme.dbb, false};
  const int64_t wgt_bytes_padded = rows * mapping::padded_k(fc, layout);

  // One step's array job for [x, h] rows `a_raw` (bias with the zero points folded in).
  auto step_job = [&](const TensorI8& a_raw, bool resident) {
    ArrayJob job;
    job.block = scheme.block;
    job.nnz = scheme.nnz;
    job.dap = scheme.dap;
    job.a_nnz = scheme.a_nnz;
    job.groups.push_back(mapping::lower(fc, a_raw, w, 0, 0, layout));
    job.block_real = mapping::block_real_counts(fc, layout);
    job.bias = folded;
    job.weights_resident = resident;
    // The array's int8 write-back of the gate pre-activations (scale 2^-8) is what it would store; the
    // vector unit takes the accumulators, which are what is checked.
    job.requant = quant::make_requant(std::vector<double>(static_cast<size_t>(rows), 1.0 / 256), 0, 8);
    return job;
  };
  // Weights that fit half the weight buffer stay resident after the first step.
  const bool fits = wgt_bytes_padded * 2 <= arch.wgt_kib * 1024;
  const int64_t ops = batch * H * (lstm ? kLstmOpsPerUnit : kGruOpsPerUnit);
  const int64_t vc = (ops + arch.vector_lanes - 1) / arch.vector_lanes + kVectorPipelineCycles;

  LayerStats total;
  total.name = l.name;
  if (!acc) {
    // --fast: every step has the same shape, so the closed form of the first step and of a later one
    // (resident weights when they fit) give the layer; no values are computed.
    const TensorI8 zeros({batch, I + H}, 0);
    add_stats(total, fast_estimate(arch, step_job(zeros, false)));
    if (T > 1) {
      LayerStats rest = fast_estimate(arch, step_job(zeros, fits));
      for (int64_t t = 1; t < T; ++t) add_stats(total, rest);
    }
    total.cycles += vc * T;
    total.actions["vector_op"] += ops * T;
    total.recurrent_vector_cycles = vc * T;
  }
  // DAP designs: the same layer without pruning, to report what DAP costs (magnitude kept, h error).
  quant::LstmState ls_ref = ls;
  quant::GruState gs_ref = gs;
  double kept_sum = 0;
  int64_t h_abs_err = 0, h_changed = 0, h_count = 0;
  bool all_ok = true;
  int64_t vector_cycles = 0;
  std::string first_bad;
  TensorI8 x({batch, I}), hx({batch, I}), hh({batch, H});
  for (int64_t t = 0; acc && t < T; ++t) {
    std::copy_n(&x_all[t * batch * I], batch * I, x.data.begin());
    const TensorI8& h = lstm ? ls.h : gs.h;
    const TensorI8 a_raw = concat(x, h);
    // Golden gate GEMM on what the array multiplies: [x, h], DAP-pruned on S2TA designs.
    TensorI8 gx = x, gh = h;
    if (scheme.dap) {
      const TensorI8 pruned = mapping::dap_prune(a_raw, scheme.block, scheme.a_nnz);
      kept_sum += mapping::dap_stats(a_raw, pruned).magnitude_kept;
      split(pruned, gx, gh);
      const TensorI8& h_ref = lstm ? ls_ref.h : gs_ref.h;
      const TensorI32 ref = quant::recurrent_gate_gemm(x, h_ref, w, bias, sc.input_zero_point,
                                                       sc.hidden_zero_point, l.source + ": " + l.name);
      if (lstm)
        quant::lstm_elementwise(ref, lp, ls_ref);
      else
        quant::gru_elementwise(ref, gp, gs_ref);
    }
    const TensorI32 golden = quant::recurrent_gate_gemm(gx, gh, w, bias, sc.input_zero_point,
                                                        sc.hidden_zero_point, l.source + ": " + l.name);
    PreparedLayer p;
    p.job = step_job(a_raw, t > 0 && fits);
    p.golden_acc = golden;
    p.golden_out = TensorI8(golden.shape);
    for (int64_t i = 0; i < golden.size(); ++i)
      p.golden_out[i] = quant::requantize(golden[i], p.job.requant, i % rows);
    ArrayJobResult r = acc->run(p.job);
    const LayerStats& st = r.stats;
    std::string note;
    if (!check_layer(r, p, &note) && all_ok) {
      all_ok = false;
      first_bad = "time step " + std::to_string(t) + ": " + note;
    }
    add_stats(total, st);
    // Element-wise gate math on the vector unit (golden values), after the GEMM: the next step needs h_t.
    if (lstm)
      quant::lstm_elementwise(golden, lp, ls);
    else
      quant::gru_elementwise(golden, gp, gs);
    vector_cycles += vc;
    if (scheme.dap) {
      const TensorI8& hp = lstm ? ls.h : gs.h;
      const TensorI8& hr = lstm ? ls_ref.h : gs_ref.h;
      for (int64_t i = 0; i < hp.size(); ++i) {
        const int d = std::abs(int{hp[i]} - int{hr[i]});
        h_abs_err += d;
        h_changed += d != 0;
      }
      h_count += hp.size();
    }
    total.cycles += vc;
    total.actions["vector_op"] += ops;
  }
  if (acc && scheme.dap && T > 0) {
    total.dap_kept_magnitude = kept_sum / static_cast<double>(T);
    total.dap_out_mae_lsb = h_count ? static_cast<double>(h_abs_err) / h_count : 0.0;
    total.dap_out_changed = h_count ? static_cast<double>(h_changed) / h_count : 0.0;
  }
  total.time_steps = T;
  if (acc) total.recurrent_vector_cycles = vector_cycles;
  total.unit = "array";
  total.block = scheme.block;
  total.w_nnz = scheme.dbb ? scheme.nnz : 0;
  total.a_nnz = scheme.dap ? scheme.a_nnz : 0;
  total.k_dense = I + H;
  total.k_padded = mapping::padded_k(fc, layout);
  total.weight_bytes_dense = rows * (I + H);
  total.weight_bytes_stored =
      scheme.dbb && !(scheme.dap && arch.weights.mode == "dense")
          ? mapping::dbb_footprint_bytes(total.k_padded / scheme.block, rows, scheme.block, scheme.nnz)
          : wgt_bytes_padded;
  total.executed_macs = total.actions.count("mac") ? total.actions.at("mac") : 0;
  if (acc) {
    total.verified = all_ok;
    total.verify_note = all_ok ? "bit-exact: the gate GEMM accumulators of all " + std::to_string(T) +
                                     " time steps (" + std::to_string(T * batch * rows) + " int32)"
                               : "MISMATCH at " + first_bad;
  } else {
    total.verify_note = "--fast: values from the golden ops, not simulated";
  }
  return total;
}

}  // namespace npusim
