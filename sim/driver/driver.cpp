#include "sim/driver/driver.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <optional>

#include "sim/common/error.h"
#include "sim/common/rng.h"
#include "sim/cost/cost_model.h"
#include "sim/cost/tech_table.h"
#include "sim/driver/recurrent.h"
#include "sim/driver/vector_unit.h"
#include "sim/mapping/dap.h"
#include "sim/mapping/dbb.h"
#include "sim/mapping/lowering.h"
#include "sim/quant/accumulate.h"
#include "sim/quant/add.h"
#include "sim/quant/conv2d.h"
#include "sim/quant/fully_connected.h"
#include "sim/quant/npy.h"
#include "sim/quant/pool.h"
#include "sim/quant/requant.h"
#include "sim/quant/tensor_gen.h"

namespace npusim {

namespace {

std::string where(const Layer& l) {
  return (l.source.empty() ? l.name : l.source) + ": layer '" + l.name + "'";
}

TensorI8 load_or_generate(const std::string& file, std::vector<int64_t> shape, int bits, double density,
                          uint64_t seed, const std::string& stream, const Layer& l, const char* what) {
  if (file.empty()) {
    Rng rng(seed, stream);
    return quant::random_tensor(std::move(shape), bits, density, rng);
  }
  TensorI8 t = quant::read_npy_i8(file);
  if (t.shape != shape)
    throw InputError(file + ": " + what + " of " + where(l) + " must have shape " + quant::shape_str(shape) +
                     ", file has " + quant::shape_str(t.shape));
  const auto [lo, hi] = quant::int_range(bits);
  for (int64_t i = 0; i < t.size(); ++i)
    if (t[i] < lo || t[i] > hi)
      throw InputError(file + ": value " + std::to_string(t[i]) + " at index " + std::to_string(i) +
                       " is outside the " + std::to_string(bits) + "-bit range of " + what);
  return t;
}

std::vector<int64_t> input_shape(const Layer& l) {
  if (l.op == OpType::Fc) return {l.batch, l.C};
  return l.batch == 1 ? std::vector<int64_t>{l.H, l.W, l.C} : std::vector<int64_t>{l.batch, l.H, l.W, l.C};
}

std::vector<int64_t> weight_shape(const Layer& l) {
  if (l.op == OpType::Fc) return {l.K, l.C};
  return {l.K, l.R, l.S, l.channels_per_group()};
}

// Golden int32 accumulators [M][K] of a conv/dwconv/fc layer (batch images stacked along M).
TensorI32 golden_acc(const Layer& l, const TensorI8& input, const TensorI8& w,
                     const std::vector<int32_t>& bias, int32_t zp) {
  if (l.op == OpType::Fc) return quant::fc_acc(input, w, bias, zp);
  const quant::ConvGeom g = quant::conv_geom(l);
  if (l.batch == 1) {
    TensorI32 acc = quant::conv2d_acc(input, w, bias, zp, g);
    acc.shape = {l.out_h * l.out_w, l.K};
    return acc;
  }
  TensorI32 all({l.gemm_m(), l.K});
  const int64_t img = l.H * l.W * l.C, out = l.out_h * l.out_w * l.K;
  for (int64_t b = 0; b < l.batch; ++b) {
    TensorI8 one({l.H, l.W, l.C});
    std::copy_n(&input[b * img], img, one.data.begin());
    const TensorI32 acc = quant::conv2d_acc(one, w, bias, zp, g);
    std::copy_n(acc.data.begin(), out, all.data.begin() + b * out);
  }
  return all;
}


}  // namespace

bool check_layer(const ArrayJobResult& r, const PreparedLayer& p, std::string* note) {
  for (int64_t i = 0; i < p.golden_acc.size(); ++i) {
    if (r.acc[i] != p.golden_acc[i]) {
      const int64_t K = p.golden_acc.dim(1);
      *note = "MISMATCH: accumulator of output pixel " + std::to_string(i / K) + " channel " +
              std::to_string(i % K) + ": golden " + std::to_string(p.golden_acc[i]) + ", accelerator " +
              std::to_string(r.acc[i]);
      return false;
    }
  }
  for (int64_t i = 0; i < p.golden_out.size(); ++i) {
    if (r.out[i] != p.golden_out[i]) {
      *note = "MISMATCH: int8 output " + std::to_string(i) + ": golden " + std::to_string(p.golden_out[i]) +
              ", accelerator " + std::to_string(r.out[i]);
      return false;
    }
  }
  *note = "bit-exact: " + std::to_string(p.golden_acc.size()) + " int32 accumulators and int8 outputs";
  return true;
}

std::string shape_string(const Layer& l) {
  auto s = [](int64_t v) { return std::to_string(v); };
  switch (l.op) {
    case OpType::Fc:
      return s(l.batch) + "x" + s(l.C) + "->" + s(l.K);
    case OpType::Lstm:
    case OpType::Gru:
      return s(l.input_size) + "->" + s(l.hidden_size) + " x" + s(l.seq_len);
    default: {
      std::string r =
          s(l.H) + "x" + s(l.W) + "x" + s(l.C) + "->" + s(l.out_h) + "x" + s(l.out_w) + "x" + s(l.K);
      if (l.op != OpType::Add) r += " k" + s(l.R) + "x" + s(l.S) + "/" + s(l.stride_h);
      if (l.groups > 1) r += " g" + s(l.groups);
      return r;
    }
  }
}

WeightScheme weight_scheme(const ArchConfig& arch, const Layer& l, int w_nnz, int a_nnz) {
  WeightScheme ws;
  ws.dap = arch.activations.mode == "dap";
  // The S2TA TPE takes one activation per cycle; its reduction blocks are the activation DBB blocks.
  ws.block = ws.dap ? arch.activations.block : arch.tpe_b;
  ws.nnz = ws.block;
  if (ws.dap) {
    const std::optional<int> layer_a = a_nnz > 0 ? std::optional<int>(a_nnz) : l.a_nnz;
    ws.a_nnz = layer_a ? *layer_a : arch.activations.nnz;
    if (ws.a_nnz > ws.block)
      throw InputError(where(l) + ": a_nnz " + std::to_string(ws.a_nnz) +
                       " exceeds the activation block of " + std::to_string(ws.block));
    // A block with fewer real channels than a_nnz (first layers, depthwise) keeps all of them: the
    // padding channels lose every tie, so fewer cycles lose nothing.
    ws.a_nnz =
        static_cast<int>(std::min<int64_t>(ws.a_nnz, l.op == OpType::Fc ? l.C : l.channels_per_group()));
  }
  const std::optional<int> model_nnz = w_nnz > 0 ? std::optional<int>(w_nnz) : l.w_nnz;
  const bool sparse_hw = arch.weights.mode == "dbb" || arch.weights.mode == "vdbb";
  // The IM2COL unit expands conv windows; channel blocks of a depthwise layer (one channel per group)
  // would be mostly padding on tensor PEs, so those stay with software im2col unless B = 1.
  ws.hw_im2col =
      arch.im2col == "hardware" && (l.op == OpType::Conv || (l.op == OpType::DwConv && ws.block == 1));
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
    ws.nnz = model_nnz ? *model_nnz : sparse_hw ? arch.weights.nnz : ws.block;
    if (ws.nnz > ws.block)
      throw InputError(where(l) + ": w_nnz " + std::to_string(ws.nnz) + " exceeds the DBB block of " +
                       std::to_string(ws.block));
    ws.prune_nnz = ws.nnz;
    ws.prune_block = ws.block;
  } else if (model_nnz) {
    // A DBB-sparse model on dense PEs: the zeros are multiplied like any weight.
    ws.prune_nnz = *model_nnz;
    ws.prune_block = arch.weights.block;
  }
  return ws;
}

namespace {

// DAP blocks start at each group's first channel (the reduction of one group is padded per kernel
// position), so a grouped layer is pruned group by group.
TensorI8 dap_prune_groups(const Layer& l, const TensorI8& input, int block, int nnz) {
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

}  // namespace

PreparedLayer prepare_array_layer(const Layer& l, uint64_t seed, const WeightScheme& scheme) {
  PreparedLayer p;
  const TensorI8 input = load_or_generate(l.act_file, input_shape(l), l.a_bits, l.a_density, seed,
                                          "act:" + l.name, l, "activations");
  TensorI8 w = load_or_generate(l.wgt_file, weight_shape(l), l.w_bits, l.w_density, seed, "wgt:" + l.name, l,
                                "weights");
  const int64_t rs = l.op == OpType::Fc ? 1 : l.R * l.S;
  // Offline DBB pruning; golden and accelerator both use the pruned weights.
  // (Sparse PEs always need pruned weights; prune_nnz also prunes for dense PEs.)
  const int prune_nnz = scheme.prune_nnz ? scheme.prune_nnz : scheme.dbb ? scheme.nnz : 0;
  const int prune_block = scheme.prune_nnz ? scheme.prune_block : scheme.block;
  if (prune_nnz > 0 && prune_nnz < prune_block)
    w = mapping::prune_dbb(w, rs, 1, l.channels_per_group(), prune_block, prune_nnz);
  p.job.block = scheme.block;
  p.job.nnz = scheme.nnz;
  Rng qrng(seed, "qparams:" + l.name);
  const auto [lo, hi] = quant::int_range(l.a_bits);
  // DAP prunes by magnitude, so the code 0 must be the real zero: S2TA layers use symmetric activations.
  const int32_t zp_drawn = static_cast<int32_t>(qrng.uniform(lo / 2, hi / 2));
  const int32_t zp_in = scheme.dap ? 0 : zp_drawn;
  std::vector<int32_t> bias(static_cast<size_t>(l.K));
  for (auto& b : bias) b = static_cast<int32_t>(qrng.uniform(-256, 256));
  // DAP layers: the golden op on the DAP-pruned input (the array gets the raw input; its DAP unit prunes).
  const TensorI8 golden_input = scheme.dap ? dap_prune_groups(l, input, scheme.block, scheme.a_nnz) : input;
  p.golden_acc = golden_acc(l, golden_input, w, bias, zp_in);
  // Output scale per channel chosen so the accumulators span the output range (a few saturate).
  std::vector<int32_t> maxabs(static_cast<size_t>(l.K), 1);
  for (int64_t i = 0; i < p.golden_acc.size(); ++i) {
    auto& m = maxabs[static_cast<size_t>(i % l.K)];
    m = std::max<int32_t>(m, std::abs(p.golden_acc[i]));
  }
  std::vector<double> real(static_cast<size_t>(l.K));
  for (size_t k = 0; k < real.size(); ++k)
    real[k] = (hi - lo) / 2.0 / maxabs[k] * (0.6 + 0.8 * qrng.uniform01());
  const int32_t zp_out = static_cast<int32_t>(qrng.uniform(lo / 4, hi / 4));
  p.job.requant = quant::make_requant(real, zp_out, l.a_bits);
  p.golden_out = TensorI8(p.golden_acc.shape);
  for (int64_t i = 0; i < p.golden_acc.size(); ++i)
    p.golden_out[i] = quant::requantize(p.golden_acc[i], p.job.requant, i % l.K);
  if (scheme.dap) {
    // What DAP costs: activation magnitude kept, and the outputs against the unpruned layer's.
    p.dap_kept_magnitude = mapping::dap_stats(input, golden_input).magnitude_kept;
    const TensorI32 dense = golden_acc(l, input, w, bias, zp_in);
    int64_t abs_err = 0, changed = 0;
    for (int64_t i = 0; i < dense.size(); ++i) {
      const int d = std::abs(quant::requantize(dense[i], p.job.requant, i % l.K) - p.golden_out[i]);
      abs_err += d;
      changed += d != 0;
    }
    p.dap_out_mae_lsb = dense.size() ? static_cast<double>(abs_err) / dense.size() : 0.0;
    p.dap_out_changed = dense.size() ? static_cast<double>(changed) / dense.size() : 0.0;
    p.job.dap = true;
    p.job.a_nnz = scheme.a_nnz;
  }
  // The array sums raw a*w with padding = zp_in; fold -zp_in * sum(w) into the bias.
  const int64_t kd = l.op == OpType::Fc ? l.C : l.gemm_k();
  p.job.bias = bias;
  for (int64_t k = 0; k < l.K; ++k) {
    int64_t colsum = 0;
    for (int64_t i = 0; i < kd; ++i) colsum += w[k * kd + i];
    p.job.bias[static_cast<size_t>(k)] = static_cast<int32_t>(bias[static_cast<size_t>(k)] - zp_in * colsum);
  }
  const mapping::ReductionLayout layout{scheme.block, scheme.dbb, scheme.hw_im2col};
  for (int64_t g = 0; g < l.groups; ++g)
    p.job.groups.push_back(mapping::lower(l, input, w, g, static_cast<int8_t>(zp_in), layout));
  p.job.block_real = mapping::block_real_counts(l, layout);
  if (scheme.hw_im2col) {
    p.job.hw_im2col = true;
    p.job.window = mapping::ConvWindow{l.H,       l.W,        l.R,        l.S,     l.stride_h, l.stride_w,
                                       l.pad_top, l.pad_left, l.dilation, l.out_h, l.out_w,    l.batch};
    p.job.channels = l.channels_per_group();
    p.job.channels_padded = (l.channels_per_group() + scheme.block - 1) / scheme.block * scheme.block;
    p.job.input = input;
    p.job.pad_value = static_cast<int8_t>(zp_in);
  }
  return p;
}

namespace {

LayerStats run_vector_layer(const ArchConfig& arch, const Layer& l, uint64_t seed) {
  LayerStats st = vector_unit_cost(arch, l);
  // The vector unit's values are the golden op's; run it so the layer's data path is exercised.
  const TensorI8 a = load_or_generate(l.act_file, input_shape(l), l.a_bits, l.a_density, seed,
                                      "act:" + l.name, l, "activations");
  const auto [lo, hi] = quant::int_range(l.a_bits);
  if (l.op == OpType::Add) {
    const TensorI8 b = load_or_generate("", input_shape(l), l.a_bits, l.a_density, seed, "act2:" + l.name, l,
                                        "second input");
    Rng q(seed, "qparams:" + l.name);
    const auto params =
        quant::make_add_params(0.02 + 0.02 * q.uniform01(), static_cast<int32_t>(q.uniform(lo / 2, hi / 2)),
                               0.02 + 0.02 * q.uniform01(), static_cast<int32_t>(q.uniform(lo / 2, hi / 2)),
                               0.05, static_cast<int32_t>(q.uniform(lo / 4, hi / 4)), l.a_bits);
    (void)quant::add(a, b, params);
  } else if (l.batch == 1) {
    const quant::ConvGeom g = quant::conv_geom(l);
    (void)(l.op == OpType::MaxPool ? quant::max_pool(a, g, lo, hi) : quant::avg_pool(a, g, lo, hi));
  }
  st.verify_note = "vector unit: values are the golden op's (no independent model to compare)";
  return st;
}

}  // namespace

RunReport run_network(const ArchConfig& arch, const Network& net, const RunOptions& opts) {
  RunReport rep;
  rep.arch = arch;
  rep.workload = net.name;
  rep.workload_path = net.source;
  rep.seed = opts.seed;
  rep.fast = opts.fast;
  rep.backend = opts.fast ? "fast" : to_string(opts.backend.backend);
  bool found = opts.only_layer.empty();
  for (const auto& l : net.layers) {
    if (!opts.only_layer.empty() && l.name != opts.only_layer) continue;
    found = true;
  }
  if (!found) throw InputError(net.source + ": no layer named '" + opts.only_layer + "'");
  // The technology table and the configuration's area are needed for every layer's energy (leakage).
  const cost::TechTable tech = cost::TechTable::for_node(arch.tech, arch.source);
  const cost::AreaReport area = cost::price_area(tech, arch, area_inventory(arch));
  std::unique_ptr<Accelerator> acc;
  if (!opts.fast) acc = create_accelerator(arch, opts.backend);
  const int64_t peak = physical_macs_per_cycle(arch);
  for (const auto& l : net.layers) {
    if (!opts.only_layer.empty() && l.name != opts.only_layer) continue;
    LayerStats st;
    if (l.is_recurrent()) {
      st = run_recurrent_layer(arch, acc.get(), l, opts);
    } else if (l.on_array()) {
      const WeightScheme scheme = weight_scheme(arch, l, opts.w_nnz, opts.a_nnz);
      const PreparedLayer p = prepare_array_layer(l, opts.seed, scheme);
      if (opts.fast) {
        st = fast_estimate(arch, p.job);  // closed form: no elaboration, no cycle simulation
        st.verify_note = "--fast: values from the golden ops, not simulated";
      } else {
        ArrayJobResult r = acc->run(p.job);
        st = r.stats;
        st.verified = check_layer(r, p, &st.verify_note);
      }
      st.unit = "array";
      st.block = scheme.block;
      st.w_nnz = scheme.dbb ? scheme.nnz : 0;
      st.a_nnz = scheme.dap ? scheme.a_nnz : 0;
      st.dap_kept_magnitude = p.dap_kept_magnitude;
      st.dap_out_mae_lsb = p.dap_out_mae_lsb;
      st.dap_out_changed = p.dap_out_changed;
      st.k_dense = l.gemm_k();
      st.k_padded = p.job.groups.at(0).K;
      st.weight_bytes_dense = l.K * l.gemm_k();
      // S2TA with dense weight slots stores weights densely (indices implicit).
      const bool dense_slots = scheme.dap && arch.weights.mode == "dense";
      st.weight_bytes_stored =
          scheme.dbb && !dense_slots
              ? mapping::dbb_footprint_bytes(st.k_padded / scheme.block, l.K, scheme.block, scheme.nnz)
              : l.K * st.k_padded;
      st.executed_macs = st.actions.count("mac") ? st.actions.at("mac") : st.macs;
    } else {
      st = run_vector_layer(arch, l, opts.seed);
    }
    st.name = l.name;
    st.op = to_string(l.op);
    st.shape = shape_string(l);
    st.macs = l.macs();
    if (l.is_recurrent()) st.executed_macs = st.actions.count("mac") ? st.actions.at("mac") : st.macs;
    // Utilization: multiplier operations issued per physical multiplier and cycle.
    st.utilization = st.cycles > 0 && st.unit == "array"
                         ? static_cast<double>(st.executed_macs) / (static_cast<double>(st.cycles) * peak)
                         : 0.0;
    const cost::EnergyReport e = cost::price_layer(tech, arch, st, area);
    st.energy_pj = e.by_category_pj;
    st.energy_total_pj = e.total_pj;
    rep.layers.push_back(st);
  }
  auto& t = rep.total;
  for (const auto& st : rep.layers) {
    t.cycles += st.cycles;
    t.macs += st.macs;
    t.executed_macs += st.executed_macs;
    t.stall_cycles += st.stall_cycles;
    t.dram_bytes += st.dram_bytes();
    for (const auto& [k, v] : st.energy_pj) t.energy_by_category_pj[k] += v;
    t.energy_pj += st.energy_total_pj;
    if (st.unit == "array" && !opts.fast)
      (st.verified ? t.verified : t.failed)++;
    else
      t.not_checked++;
  }
  t.utilization =
      t.cycles ? static_cast<double>(t.executed_macs) / (static_cast<double>(t.cycles) * peak) : 0.0;
  t.latency_s = t.cycles / (arch.clock_mhz * 1e6);
  t.tops = t.latency_s > 0 ? 2.0 * t.macs / t.latency_s / 1e12 : 0.0;
  t.tech_table = tech.path();
  t.energy_estimated = opts.fast;
  t.energy_core_pj =
      t.energy_pj - (t.energy_by_category_pj.count("DRAM") ? t.energy_by_category_pj.at("DRAM") : 0.0);
  // ops per pJ = TOPS/W (1 op/pJ = 1e12 op/J).
  auto per_w = [](double ops, double pj) { return pj > 0 ? ops / pj : 0.0; };
  t.tops_per_w_effective = per_w(2.0 * t.macs, t.energy_pj);
  t.tops_per_w_executed = per_w(2.0 * t.executed_macs, t.energy_pj);
  t.tops_per_w_core_effective = per_w(2.0 * t.macs, t.energy_core_pj);
  t.tops_per_w_core_executed = per_w(2.0 * t.executed_macs, t.energy_core_pj);
  t.area_by_category_um2 = area.by_category_um2;
  t.area_mm2 = area.total_mm2();
  t.tops_per_mm2 = t.area_mm2 > 0 ? t.tops / t.area_mm2 : 0.0;
  if (acc) {
    rep.lockstep_cycles = acc->lockstep_cycles();
    rep.lockstep_blocks = acc->lockstep_blocks();
  }
  return rep;
}

}  // namespace npusim

namespace npusim {

PreparedLayer prepare_gemm(int64_t M, int64_t K, int64_t N, uint64_t seed, const WeightScheme& scheme) {
  if (M < 1 || K < 1 || N < 1) throw InputError("--gemm: M, K and N must be >= 1");
  Layer l;
  l.name = "gemm_" + std::to_string(M) + "x" + std::to_string(K) + "x" + std::to_string(N);
  l.op = OpType::Fc;
  l.batch = M;
  l.C = K;
  l.K = N;
  return prepare_array_layer(l, seed, scheme);
}

LayerStats run_and_check(Accelerator& acc, const PreparedLayer& p) {
  ArrayJobResult r = acc.run(p.job);
  LayerStats st = r.stats;
  st.verified = check_layer(r, p, &st.verify_note);
  return st;
}

}  // namespace npusim
