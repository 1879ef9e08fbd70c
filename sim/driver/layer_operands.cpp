#include "sim/driver/layer_operands.h"

#include <cmath>

#include "sim/common/rng.h"
#include "sim/driver/driver.h"
#include "sim/driver/golden.h"
#include "sim/driver/recurrent_cells.h"
#include "sim/driver/tensor_source.h"
#include "sim/quant/gru.h"
#include "sim/workload/graph.h"

namespace npusim {

std::vector<int64_t> layer_output_shape(const Layer& l) {
  // Recurrent outputs are time-major here (every step's hidden states [batch][H] contiguous).
  return l.is_recurrent() ? std::vector<int64_t>{l.seq_len, l.batch, l.hidden_size} : graph::output_shape(l);
}

PreparedLayer prepare_layer(const Layer& l, const LayerMapping& mapping, const QTensor& x, uint64_t seed,
                            bool symmetric, quant::Rounding rounding) {
  PreparedLayer p;
  LayerOperands& ops = p.ops;
  ops.layer = &l;
  ops.input = x.t;
  ops.weights = load_or_generate(l.wgt_file, layer_weight_shape(l), l.w_bits, l.w_density, seed,
                                 "wgt:" + l.name, l, "weights");
  Rng b(seed, "bias:" + l.name);
  const int64_t rows = l.is_recurrent() ? 4 * l.hidden_size : l.K, range = l.is_recurrent() ? 512 : 256;
  ops.bias.resize(static_cast<size_t>(rows));
  for (auto& v : ops.bias) v = static_cast<int32_t>(b.uniform(-range, range));
  if (l.op == OpType::Gru) ops.weights = quant::gru_gemm_weights(ops.weights, l.input_size);
  mapping.prepare_weights(ops.weights);
  if (l.is_recurrent()) {
    // x from its producer; h = o tanh(c) in [-1, 1); the gate scale puts a typical accumulator
    // (|W| ~ 64, |a| ~ 64 over I + H terms) around +-2 in Q3.12.
    ops.scales.input_scale = x.scale;
    ops.scales.input_zero_point = x.zero_point;
    ops.scales.hidden_scale = 1.0 / 128;
    Rng hz(seed, "qparams:" + l.name);
    ops.scales.hidden_zero_point = symmetric ? 0 : static_cast<int32_t>(hz.uniform(-8, 8));
    ops.scales.gate_scales = {2.0 /
                              (64.0 * 64.0 * std::sqrt(static_cast<double>(l.input_size + l.hidden_size)))};
    ops.cell = make_table_cell(l, ops.scales);
    GoldenRecurrent g = golden_recurrent(l, ops, mapping);
    p.golden_acc = std::move(g.acc);
    p.golden_out.t = std::move(g.h);
    p.golden_out.scale = ops.scales.hidden_scale;
    p.golden_out.zero_point = ops.scales.hidden_zero_point;
  } else {
    ops.input_zero_point = x.zero_point;
    p.golden_acc = golden_acc(l, mapping.transforms_input() ? mapping.hardware_input(x.t) : x.t, ops.weights,
                              ops.bias, x.zero_point);
    const int32_t zp_out = choose_output_zero_point(seed, l, symmetric);
    ops.requant = choose_requant(seed, l, p.golden_acc, zp_out);
    ops.requant.rounding = rounding;
    p.golden_out.t = requantize_all(p.golden_acc, ops.requant);
    p.golden_out.scale = x.scale;
    p.golden_out.zero_point = zp_out;
  }
  p.golden_out.t.shape = layer_output_shape(l);
  return p;
}

LayerStats judge_layer(LayerOutcome& o, const PreparedLayer& p) {
  LayerStats st = std::move(o.stats);
  if (!o.exact) {
    st.family["error_vs_golden"] = error_statistics(o.out, p.golden_out.t);
    st.verify_note = "inexact hardware: " + st.family["error_vs_golden"].dump();
    st.exact_compare = false;
  } else if (o.acc.size() == 0 && o.out.size() > 0) {
    // Hardware with no accumulator port (e.g. requantization inside a fixed-function stage): the outputs.
    st.verified = compare_outputs({}, o.out, {}, p.golden_out.t, &st.verify_note);
    if (st.verified)
      st.verify_note = "bit-exact: " + std::to_string(o.out.size()) + " int8 outputs (no accumulator port)";
  } else {
    st.verified = compare_outputs(o.acc, o.out, p.golden_acc, p.golden_out.t, &st.verify_note);
  }
  if (st.verified && !o.self_check_failure.empty()) {
    st.verified = false;
    st.verify_note = "MISMATCH: " + o.self_check_failure;
  }
  return st;
}

}  // namespace npusim
