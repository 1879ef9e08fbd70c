#include "models/systolic/sa_mapping.h"

#include <fmt/format.h>

#include "models/systolic/dap.h"
#include "models/systolic/dbb.h"
#include "models/systolic/gemm_lowering.h"
#include "models/systolic/sa_accelerator.h"
#include "models/systolic/sa_timing.h"
#include "sim/driver/driver.h"
#include "sim/driver/golden.h"

namespace npusim::systolic {

SaLayerMapping::SaLayerMapping(const ArchConfig& arch, const Layer& layer, const MappingOptions& opts)
    : arch_(arch), layer_(layer) {
  scheme_ = weight_scheme(arch, layer_.is_recurrent() ? step_layer() : layer_, opts.w_nnz, opts.a_nnz);
}

Layer SaLayerMapping::step_layer() const {
  Layer fc;
  fc.name = layer_.name;
  fc.op = OpType::Fc;
  fc.C = layer_.input_size + layer_.hidden_size;
  fc.K = 4 * layer_.hidden_size;
  fc.batch = layer_.batch;
  fc.w_nnz = layer_.w_nnz;
  fc.a_nnz = layer_.a_nnz;
  fc.source = layer_.source;
  return fc;
}

TensorI8 SaLayerMapping::hardware_input(const TensorI8& in) const {
  if (!scheme_.dap) return in;
  // Recurrent steps pass [x, h] rows: blocks run along the row, as for an fc layer.
  return layer_.is_recurrent() ? mapping::dap_prune(in, scheme_.block, scheme_.a_nnz)
                               : dap_prune_layer(layer_, in, scheme_.block, scheme_.a_nnz);
}

int64_t SaLayerMapping::working_bytes() const {
  const Layer l = layer_.is_recurrent() ? step_layer() : layer_;
  const mapping::ReductionLayout layout{scheme_.block, scheme_.dbb, scheme_.hw_im2col};
  const int64_t kp = mapping::padded_k(l, layout);
  // Lowered A and B per group, the engine's tile accumulators and results (int32 and int8).
  return l.groups * (l.gemm_m() * kp + kp * l.gemm_n()) + 9 * l.gemm_m() * l.K;
}

void SaLayerMapping::describe(LayerStats& st) const {
  const Layer l = layer_.is_recurrent() ? step_layer() : layer_;
  const mapping::ReductionLayout layout{scheme_.block, scheme_.dbb, scheme_.hw_im2col};
  const int64_t k_dense = l.op == OpType::Fc ? l.C : l.gemm_k(), k_padded = mapping::padded_k(l, layout);
  const int w_nnz = scheme_.dbb ? scheme_.nnz : 0, a_nnz = scheme_.dap ? scheme_.a_nnz : 0;
  // S2TA with dense weight slots stores weights densely (indices implicit).
  const bool dense_slots = scheme_.dap && sys(arch_).weights.mode == "dense";
  const int64_t stored = scheme_.dbb && !dense_slots
                             ? mapping::dbb_footprint_bytes(k_padded / scheme_.block, l.K, scheme_.block, scheme_.nnz)
                             : l.K * k_padded;
  st.family["block"] = scheme_.block;
  st.family["w_nnz"] = w_nnz;
  st.family["a_nnz"] = a_nnz;
  st.family["hw_im2col"] = scheme_.hw_im2col;
  st.family["k_dense"] = k_dense;
  st.family["k_padded"] = k_padded;
  st.family["weight_bytes_dense"] = l.K * k_dense;
  st.family["weight_bytes_stored"] = stored;
  st.family["folds"] = st.actions.count("fold") ? st.actions.at("fold") : 0;
  if (w_nnz) st.detail = fmt::format("w{}/{}", w_nnz, scheme_.block);
  if (a_nnz) st.detail += fmt::format("{}a{}/{}", st.detail.empty() ? "" : " ", a_nnz, scheme_.block);
  if (k_padded > k_dense)
    st.notes.push_back(fmt::format("reduction padded from {} to {} ({} blocks of {}{}); {} weight bytes stored ({} dense)",
                                   k_dense, k_padded, k_padded / scheme_.block, scheme_.block,
                                   w_nnz ? ", channels padded per kernel position" : "", stored, l.K * k_dense));
}

LayerOutcome SaLayerMapping::estimate(const LayerOperands& ops) const {
  if (layer_.is_recurrent()) return estimate_recurrent(ops);
  LayerOutcome o;
  o.stats = sa_estimate(arch_, make_array_job(layer_, scheme_, nullptr, nullptr, {}, 0, {}));
  o.stats.unit = "array";
  describe(o.stats);
  return o;
}

LayerOutcome SaLayerMapping::simulate(Hardware& hw, const LayerOperands& ops) const {
  if (layer_.is_recurrent()) return simulate_recurrent(hw, ops);
  auto& acc = static_cast<SaAccelerator&>(hw);
  const ArrayJob job =
      make_array_job(layer_, scheme_, &ops.input, &ops.weights, ops.bias, ops.input_zero_point, ops.requant);
  ArrayJobResult r = acc.run(job);
  LayerOutcome o;
  o.stats = std::move(r.stats);
  o.stats.unit = "array";
  o.acc = std::move(r.acc);
  o.out = std::move(r.out);
  describe(o.stats);
  if (scheme_.dap) {
    // What DAP costs: activation magnitude kept, and the outputs against the unpruned layer's.
    const TensorI8 pruned = hardware_input(ops.input);
    const double kept = mapping::dap_stats(ops.input, pruned).magnitude_kept;
    const TensorI8 dense =
        requantize_all(golden_acc(layer_, ops.input, ops.weights, ops.bias, ops.input_zero_point), ops.requant);
    const nlohmann::json err = error_statistics(o.out, dense);
    const double mae = err["mean_abs_error_lsb"], changed = err["changed_fraction"];
    o.stats.family["dap"] = {{"kept_magnitude_fraction", kept},
                             {"output_mean_abs_error_lsb", mae},
                             {"outputs_changed_fraction", changed}};
    o.stats.notes.push_back(fmt::format(
        "DAP keeps {}/{} activations per block, {:.1f} % of activation magnitude; int8 outputs vs unpruned: mean "
        "|error| {:.2f} LSB, {:.1f} % differ",
        scheme_.a_nnz, scheme_.block, 100.0 * kept, mae, 100.0 * changed));
  }
  return o;
}

}  // namespace npusim::systolic
