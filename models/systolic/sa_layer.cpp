#include "models/systolic/sa_layer.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "models/systolic/dap.h"
#include "models/systolic/dbb.h"
#include "models/systolic/gemm_lowering.h"
#include "sim/common/error.h"
#include "sim/common/rng.h"
#include "sim/driver/driver.h"
#include "sim/driver/golden.h"
#include "sim/quant/requant.h"
#include "sim/quant/tensor_gen.h"
#include "sim/workload/workload_loader.h"

namespace npusim {

namespace {
std::string where(const Layer& l) {
  return (l.source.empty() ? l.name : l.source) + ": layer '" + l.name + "'";
}
}  // namespace

WeightScheme weight_scheme(const ArchConfig& arch, const Layer& l, int w_nnz, int a_nnz) {
  const SystolicConfig& s = sys(arch);
  WeightScheme ws;
  ws.dap = s.activations.mode == "dap";
  // The S2TA TPE takes one activation per cycle; its reduction blocks are the activation DBB blocks.
  ws.block = ws.dap ? s.activations.block : s.tpe_b;
  ws.nnz = ws.block;
  const int64_t reduction_channels = l.op == OpType::Fc ? l.C : l.is_recurrent() ? l.input_size + l.hidden_size
                                                                                  : l.channels_per_group();
  if (ws.dap) {
    const std::optional<int> layer_a = a_nnz > 0 ? std::optional<int>(a_nnz) : l.a_nnz;
    ws.a_nnz = layer_a ? *layer_a : s.activations.nnz;
    if (ws.a_nnz > ws.block)
      throw InputError(where(l) + ": a_nnz " + std::to_string(ws.a_nnz) + " exceeds the activation block of " +
                       std::to_string(ws.block));
    // A block with fewer real channels than a_nnz (first layers, depthwise) keeps all of them: the
    // padding channels lose every tie, so fewer cycles lose nothing.
    ws.a_nnz = static_cast<int>(std::min<int64_t>(ws.a_nnz, reduction_channels));
  }
  const std::optional<int> model_nnz = w_nnz > 0 ? std::optional<int>(w_nnz) : l.w_nnz;
  const bool sparse_hw = s.weights.mode == "dbb" || s.weights.mode == "vdbb";
  // The IM2COL unit expands conv windows; channel blocks of a depthwise layer (one channel per group)
  // would be mostly padding on tensor PEs, so those stay with software im2col unless B = 1.
  ws.hw_im2col = s.im2col == "hardware" && (l.op == OpType::Conv || (l.op == OpType::DwConv && ws.block == 1));
  // Depthwise layers have no channel reduction to prune: they run dense (S2TA still stores its weights
  // compacted with indices: the TPE selects them by index).
  if (l.op == OpType::DwConv) {
    if (ws.dap) {
      // One real channel per block: one non-zero weight, so a single pass over the weight slots.
      ws.dbb = true;
      ws.nnz = static_cast<int>(std::min<int64_t>(ws.block, l.channels_per_group()));
    }
    return ws;
  }
  if (sparse_hw || ws.dap) {
    ws.dbb = true;
    ws.nnz = model_nnz ? *model_nnz : sparse_hw ? s.weights.nnz : ws.block;
    if (ws.nnz > ws.block)
      throw InputError(where(l) + ": w_nnz " + std::to_string(ws.nnz) + " exceeds the DBB block of " +
                       std::to_string(ws.block));
    ws.prune_nnz = ws.nnz;
    ws.prune_block = ws.block;
  } else if (model_nnz) {
    // A DBB-sparse model on dense PEs: the zeros are multiplied like any weight.
    ws.prune_nnz = *model_nnz;
    ws.prune_block = s.weights.block;
  }
  return ws;
}

void prune_weights(const Layer& l, const WeightScheme& scheme, TensorI8& w) {
  const int prune_nnz = scheme.prune_nnz ? scheme.prune_nnz : scheme.dbb ? scheme.nnz : 0;
  const int prune_block = scheme.prune_nnz ? scheme.prune_block : scheme.block;
  if (prune_nnz <= 0 || prune_nnz >= prune_block) return;
  if (l.is_recurrent() || l.op == OpType::Fc)
    w = mapping::prune_dbb(w, 1, 1, w.dim(1), prune_block, prune_nnz);
  else
    w = mapping::prune_dbb(w, l.R * l.S, 1, l.channels_per_group(), prune_block, prune_nnz);
}

TensorI8 dap_prune_layer(const Layer& l, const TensorI8& input, int block, int nnz) {
  if (l.groups == 1 || l.op == OpType::Fc) return mapping::dap_prune(input, block, nnz);
  const int64_t cpg = l.channels_per_group(), C = l.C, pixels = input.size() / C;
  TensorI8 out(input.shape);
  TensorI8 slice({pixels, cpg});
  for (int64_t g = 0; g < l.groups; ++g) {
    for (int64_t px = 0; px < pixels; ++px) std::copy_n(&input[px * C + g * cpg], cpg, &slice[px * cpg]);
    const TensorI8 pruned = mapping::dap_prune(slice, block, nnz);
    for (int64_t px = 0; px < pixels; ++px) std::copy_n(&pruned[px * cpg], cpg, &out[px * C + g * cpg]);
  }
  return out;
}

ArrayJob make_array_job(const Layer& l, const WeightScheme& scheme, const TensorI8* input, const TensorI8* w,
                        const std::vector<int32_t>& bias, int32_t zp_in, const quant::Requant& requant) {
  ArrayJob job;
  job.block = scheme.block;
  job.nnz = scheme.nnz;
  job.dap = scheme.dap;
  job.a_nnz = scheme.dap ? scheme.a_nnz : 0;
  job.requant = requant;
  const mapping::ReductionLayout layout{scheme.block, scheme.dbb, scheme.hw_im2col};
  if (input && w) {
    // The array sums raw a*w with padding = zp_in; fold -zp_in * sum(w) into the bias.
    const int64_t kd = l.op == OpType::Fc ? l.C : l.gemm_k();
    job.bias = bias;
    for (int64_t k = 0; k < l.K; ++k) {
      int64_t colsum = 0;
      for (int64_t i = 0; i < kd; ++i) colsum += (*w)[k * kd + i];
      job.bias[static_cast<size_t>(k)] = static_cast<int32_t>(bias[static_cast<size_t>(k)] - zp_in * colsum);
    }
    for (int64_t g = 0; g < l.groups; ++g)
      job.groups.push_back(mapping::lower(l, *input, *w, g, static_cast<int8_t>(zp_in), layout));
  } else {
    // --fast: the GEMM shapes only.
    for (int64_t g = 0; g < l.groups; ++g) {
      mapping::Gemm gm;
      gm.M = l.gemm_m();
      gm.K = mapping::padded_k(l, layout);
      gm.N = l.gemm_n();
      job.groups.push_back(std::move(gm));
    }
  }
  job.block_real = mapping::block_real_counts(l, layout);
  if (scheme.hw_im2col) {
    job.hw_im2col = true;
    job.window = mapping::ConvWindow{l.H,       l.W,        l.R,        l.S,     l.stride_h, l.stride_w,
                                     l.pad_top, l.pad_left, l.dilation, l.out_h, l.out_w,    l.batch};
    job.channels = l.channels_per_group();
    job.channels_padded = (l.channels_per_group() + scheme.block - 1) / scheme.block * scheme.block;
    if (input) job.input = *input;
    job.pad_value = static_cast<int8_t>(zp_in);
  }
  return job;
}

PreparedJob prepare_array_layer(const Layer& l, uint64_t seed, const WeightScheme& scheme) {
  PreparedJob p;
  Rng ar(seed, "act:" + l.name), wr(seed, "wgt:" + l.name), qrng(seed, "qparams:" + l.name);
  const TensorI8 input = quant::random_tensor(layer_input_shape(l), l.a_bits, l.a_density, ar);
  TensorI8 w = quant::random_tensor(layer_weight_shape(l), l.w_bits, l.w_density, wr);
  prune_weights(l, scheme, w);
  const auto [lo, hi] = quant::int_range(l.a_bits);
  // DAP prunes by magnitude, so the code 0 must be the real zero: S2TA layers use symmetric activations.
  const int32_t zp_drawn = static_cast<int32_t>(qrng.uniform(lo / 2, hi / 2));
  const int32_t zp_in = scheme.dap ? 0 : zp_drawn;
  std::vector<int32_t> bias(static_cast<size_t>(l.K));
  for (auto& b : bias) b = static_cast<int32_t>(qrng.uniform(-256, 256));
  const TensorI8 golden_input = scheme.dap ? dap_prune_layer(l, input, scheme.block, scheme.a_nnz) : input;
  p.golden_acc = golden_acc(l, golden_input, w, bias, zp_in);
  // Output scale per channel chosen so the accumulators span the output range (a few saturate).
  std::vector<int32_t> maxabs(static_cast<size_t>(l.K), 1);
  for (int64_t i = 0; i < p.golden_acc.size(); ++i) {
    auto& m = maxabs[static_cast<size_t>(i % l.K)];
    m = std::max<int32_t>(m, std::abs(p.golden_acc[i]));
  }
  std::vector<double> real(static_cast<size_t>(l.K));
  for (size_t k = 0; k < real.size(); ++k) real[k] = (hi - lo) / 2.0 / maxabs[k] * (0.6 + 0.8 * qrng.uniform01());
  const int32_t zp_out = static_cast<int32_t>(qrng.uniform(lo / 4, hi / 4));
  const quant::Requant rq = quant::make_requant(real, zp_out, l.a_bits);
  p.golden_out = requantize_all(p.golden_acc, rq);
  p.job = make_array_job(l, scheme, &input, &w, bias, zp_in, rq);
  return p;
}

PreparedJob prepare_gemm(int64_t M, int64_t K, int64_t N, uint64_t seed, const WeightScheme& scheme) {
  return prepare_array_layer(gemm_layer("gemm_" + std::to_string(M) + "x" + std::to_string(K) + "x" + std::to_string(N),
                                        M, K, N),
                             seed, scheme);
}

bool check_layer(const ArrayJobResult& r, const PreparedJob& p, std::string* note) {
  return compare_outputs(r.acc, r.out, p.golden_acc, p.golden_out, note);
}

}  // namespace npusim
