#include "sim/driver/driver.h"

#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>

#include "sim/common/error.h"
#include "sim/common/rng.h"
#include "sim/cost/cost_model.h"
#include "sim/cost/tech_table.h"
#include "sim/driver/golden.h"
#include "sim/driver/layer_operands.h"
#include "sim/driver/model_layer.h"
#include "sim/driver/quant_choice.h"
#include "sim/driver/tensor_source.h"
#include "sim/driver/tflite_golden.h"
#include "sim/driver/vector_unit.h"
#include "sim/family/registry.h"
#include "sim/quant/accumulate.h"
#include "sim/quant/add.h"
#include "sim/quant/conv2d.h"
#include "sim/quant/npy.h"
#include "sim/quant/pool.h"
#include "sim/quant/tensor_gen.h"
#include "sim/workload/graph.h"
#include "sim/workload/tflite/symmetric_model.h"
#include "sim/workload/tflite/tflite_reader.h"

namespace npusim {

namespace {

// Memory a layer's tensors need (input, output, weights, int32 accumulators, the family's operands).
int64_t layer_bytes(const Layer& l, int64_t family_bytes) {
  const int64_t in = Tensor<int8_t>::count(layer_input_shape(l)),
                out = Tensor<int8_t>::count(layer_output_shape(l));
  const int64_t w = l.on_array() || l.is_recurrent() ? Tensor<int8_t>::count(layer_weight_shape(l)) : 0;
  const int64_t acc = l.on_array()       ? 4 * out
                      : l.is_recurrent() ? 16 * l.seq_len * l.batch * l.hidden_size
                                         : 0;
  return in + 2 * out + w + 2 * acc + family_bytes;
}

int64_t memory_limit_bytes() {
  int64_t limit = static_cast<int64_t>(sysconf(_SC_PHYS_PAGES)) * sysconf(_SC_PAGE_SIZE);
  rlimit r{};
  if (getrlimit(RLIMIT_AS, &r) == 0 && r.rlim_cur != RLIM_INFINITY)
    limit = std::min<int64_t>(limit, static_cast<int64_t>(r.rlim_cur));
  return limit / 10 * 8;  // leave room for the rest of the process
}

// A producer's tensor reshaped to what the consumer reads (a flatten keeps the element order).
void as_input(const Layer& l, QTensor& q, const std::vector<int64_t>& shape, const std::string& producer) {
  std::vector<int64_t>& have = q.is_float ? q.real.shape : q.t.shape;
  if (Tensor<int8_t>::count(shape) != Tensor<int8_t>::count(have))
    throw InputError(layer_where(l) + ": reads " + quant::shape_str(shape) + " but '" + producer +
                     "' wrote " + quant::shape_str(have));
  have = shape;
}

bool is_activation(const TfliteModel& m, int t) {
  return t >= 0 && !m.tensors[static_cast<size_t>(t)].has_data() &&
         !m.tensors[static_cast<size_t>(t)].is_variable;
}

// Shapes of a layer's inputs, one per Layer::inputs entry: the model's tensors for a model op that runs
// from the model (its operands may differ in shape, e.g. a broadcast), else the layer's input shape.
std::vector<std::vector<int64_t>> input_shapes(const Layer& l, const TfliteModel* m) {
  std::vector<std::vector<int64_t>> out;
  if (m && l.from_model() && !l.on_array()) {
    for (int t : m->operators.at(static_cast<size_t>(l.model_op)).inputs)
      if (is_activation(*m, t)) out.push_back(m->tensors.at(static_cast<size_t>(t)).dims());
  } else {
    out.assign(l.inputs.size(), layer_input_shape(l));
  }
  return out;
}

TensorValue to_value(const QTensor& q) {
  TensorValue v;
  if (q.is_float) {
    v.type = DType::Float32;
    v.shape = q.real.shape;
    v.f32 = q.real.data;
  } else {
    v = TensorValue::of_i8(q.t, q.scale, q.zero_point);
  }
  return v;
}

std::vector<TensorValue> model_values(const std::vector<QTensor>& qs) {
  std::vector<TensorValue> v;
  for (const QTensor& q : qs) v.push_back(to_value(q));
  return v;
}

QTensor from_value(const TensorValue& v, const std::string& where) {
  QTensor q;
  q.scale = v.scale;
  q.zero_point = v.zero_point;
  if (v.type == DType::Float32) {
    q.is_float = true;
    q.real.shape = v.shape;
    q.real.data = v.f32;
  } else if (v.type == DType::Int8) {
    q.t = v.as_i8();
  } else {
    throw InputError(where + ": produces " + dtype_name(v.type) +
                     "; tensors between layers must be int8 or float32");
  }
  return q;
}

// `q` moved to the quantization of tensor `index` of `m` (int8 codes re-quantized when it differs).
QTensor in_quantization(QTensor q, const TfliteModel& m, int index) {
  const TfliteTensor& t = m.tensors.at(static_cast<size_t>(index));
  if (q.is_float || t.quant.scales.size() != 1) return q;
  const double s = t.quant.scales[0];
  const auto zp = static_cast<int32_t>(t.quant.zero_points[0]);
  if (s != q.scale || zp != q.zero_point) {
    q.t.data = requantize_codes(q.t.data, q.scale, q.zero_point, s, zp);
    q.scale = s;
    q.zero_point = zp;
  }
  return q;
}

// Share of elements that are not the zero point (real zeros).
double density(const QTensor& q) {
  if (q.is_float || q.t.size() == 0) return -1;
  int64_t n = 0;
  for (int8_t v : q.t.data) n += v != q.zero_point;
  return static_cast<double>(n) / static_cast<double>(q.t.size());
}

std::string npy_name(const std::string& dir, const std::string& layer) {
  std::string f;
  for (char c : layer)
    f += (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-') ? c : '_';
  return (std::filesystem::path(dir) / (f + ".npy")).string();
}

}  // namespace

nlohmann::json error_statistics(const TensorI8& out, const TensorI8& golden) {
  int64_t sum = 0, max = 0, changed = 0;
  const int64_t n = std::min(out.size(), golden.size());
  for (int64_t i = 0; i < n; ++i) {
    const int64_t d = std::abs(int64_t{out[i]} - golden[i]);
    sum += d;
    max = std::max(max, d);
    changed += d != 0;
  }
  const double count = static_cast<double>(std::max<int64_t>(n, 1));
  return {
      {"mean_abs_error_lsb", sum / count}, {"max_abs_error_lsb", max}, {"changed_fraction", changed / count}};
}

bool compare_outputs(const TensorI32& acc, const TensorI8& out, const TensorI32& golden_acc,
                     const TensorI8& golden_out, std::string* note) {
  if (acc.size() != golden_acc.size() || out.size() != golden_out.size()) {
    *note = "MISMATCH: the accelerator returned " + std::to_string(acc.size()) + " accumulators and " +
            std::to_string(out.size()) + " outputs, golden has " + std::to_string(golden_acc.size()) +
            " and " + std::to_string(golden_out.size());
    return false;
  }
  const int64_t K = golden_acc.shape.empty() ? 1 : golden_acc.shape.back();
  for (int64_t i = 0; i < golden_acc.size(); ++i)
    if (acc[i] != golden_acc[i]) {
      *note = "MISMATCH: accumulator of output row " + std::to_string(i / K) + " channel " +
              std::to_string(i % K) + ": golden " + std::to_string(golden_acc[i]) + ", accelerator " +
              std::to_string(acc[i]);
      return false;
    }
  for (int64_t i = 0; i < golden_out.size(); ++i)
    if (out[i] != golden_out[i]) {
      *note = "MISMATCH: int8 output " + std::to_string(i) + ": golden " + std::to_string(golden_out[i]) +
              ", accelerator " + std::to_string(out[i]);
      return false;
    }
  *note = "bit-exact: " + std::to_string(golden_acc.size()) + " int32 accumulators and " +
          std::to_string(golden_out.size()) + " int8 outputs";
  return true;
}

std::string shape_string(const Layer& l) {
  auto s = [](int64_t v) { return std::to_string(v); };
  if (!l.model_in_shape.empty() && !l.is_recurrent()) {
    // A model's op without conv-style geometry: its tensors' shapes.
    auto dims = [](const std::vector<int64_t>& v) {
      std::string r;
      for (int64_t d : v) r += (r.empty() ? "" : "x") + std::to_string(d);
      return r.empty() ? std::string("scalar") : r;
    };
    return dims(l.model_in_shape) + "->" + dims(l.model_out_shape);
  }
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

namespace {

// Runs the layers of one network; state shared by the per-layer steps.
class Executor {
 public:
  Executor(const ArchConfig& arch, const Network& net, const RunOptions& opts)
      : arch_(arch), net_(net), opts_(opts), family_(family_of(arch)) {}

  RunReport run();

 private:
  // Inputs of layer `i`: the producers' tensors (chained) or drawn from the seed (independent).
  std::vector<QTensor> inputs_of(size_t i);
  LayerStats run_array_layer(const Layer& l, const std::vector<QTensor>& in, QTensor* out, bool simulate);
  // Layers first .. first + seg.size() - 1 as one segment; their stats and output tensors.
  std::vector<LayerStats> run_segment(size_t first, const SegmentMapping& seg, const std::vector<QTensor>& in,
                                      std::vector<QTensor>* outs);
  // Account for one layer's output and stats (dumps, live tensors, pricing) in the report.
  void record(size_t i, LayerStats st, QTensor out, bool report, RunReport& rep);
  LayerStats run_vector_layer(const Layer& l, const std::vector<QTensor>& in, QTensor* out);
  // A real model's operator that does not run on the array: its golden op (TFLite reference kernel), costed
  // on the vector unit or listed as host.
  LayerStats run_model_op(const Layer& l, const std::vector<QTensor>& in, QTensor* out);
  QTensor model_input(size_t k) const;
  // Final output of the model without the family's changes (DBB weights, DAP) against the run's output.
  nlohmann::json compare_with_unchanged_model() const;
  bool runs_on_array(const Layer& l) const { return l.on_array() || l.is_recurrent(); }
  // The golden semantics options (--rounding, --kernels, --lstm).
  quant::Rounding rounding() const {
    return opts_.rounding == "single" ? quant::Rounding::Single : quant::Rounding::Double;
  }
  TfliteKernels kernels() const {
    return opts_.kernels == "builtin" ? TfliteKernels::Builtin : TfliteKernels::Reference;
  }
  quant::LstmReference lstm() const {
    return opts_.lstm == "tflite"        ? quant::LstmReference::Tflite
           : opts_.lstm == "tflite-2021" ? quant::LstmReference::TfliteLegacy
                                         : quant::LstmReference::Tflm;
  }
  // A layer's operands and golden result: the model's (a real model) or from the seed (a layer table).
  // *weights_changed: what the family's weight preparation changed (model layers; -1 otherwise).
  PreparedLayer prepare(const Layer& l, const LayerMapping& m, const QTensor& x,
                        int64_t* weights_changed) const {
    *weights_changed = -1;
    if (!l.from_model()) return prepare_layer(l, m, x, opts_.seed, symmetric_, rounding());
    if (l.is_recurrent()) return prepare_model_recurrent(l, *model_, m, x, lstm(), weights_changed);
    return prepare_model_layer(l, *model_, m, x, model_requant(l), weights_changed);
  }
  // A model layer's weights that prepare() changed: into its stats and the run's totals.
  void account_weights(LayerStats& st, const PreparedLayer& p, int64_t changed);
  quant::Requant model_requant(const Layer& l) const {
    return tflite_gemm_requant(*model_, model_->operators.at(static_cast<size_t>(l.model_op)), rounding(),
                               kernels());
  }
  void check_memory(const Layer& l, const LayerMapping* m) const;
  void finish(RunReport& rep, const cost::AreaReport& area) const;
  // Frame period, latency and per-part figures of a pipelined design (Family::pipeline_parts).
  void pipeline_totals(RunReport& rep) const;

  const ArchConfig& arch_;
  const Network& net_;
  const RunOptions& opts_;
  const Family& family_;
  const TfliteModel* model_ = nullptr;     // the model the run executes
  const TfliteModel* original_ = nullptr;  // the file's model (differs when re-quantized to symmetric)
  std::shared_ptr<const TfliteModel> symmetric_model_;
  std::vector<QTensor> network_inputs_;  // a model's inputs, in the file's quantization
  int64_t weights_changed_ = 0, weights_total_ = 0;
  bool inputs_transformed_ = false;  // the family changes activations on the way in (e.g. DAP)
  bool chained_ = false, values_ = true, symmetric_ = false;
  std::unique_ptr<Hardware> hw_;
  std::map<std::string, QTensor> tensors_;  // live outputs by layer name ("" = network input)
  std::map<std::string, int> readers_left_;
  QTensor last_;  // the last layer's output (the network's final tensor)
  std::unique_ptr<cost::TechTable> tech_;
  std::vector<cost::Memory> memories_;
  cost::AreaReport area_;
  cost::ActionTable actions_;
};

void Executor::record(size_t i, LayerStats st, QTensor out, bool report, RunReport& rep) {
  const Layer& l = net_.layers[i];
  if (values_) {
    if (!opts_.dump_dir.empty()) {
      if (out.is_float)
        quant::write_npy(npy_name(opts_.dump_dir, l.name), out.real);
      else
        quant::write_npy(npy_name(opts_.dump_dir, l.name), out.t);
    }
    if (chained_ && readers_left_[l.name] > 0) tensors_[l.name] = out;
    last_ = std::move(out);
  }
  if (!report) return;
  st.name = l.name;
  st.op = to_string(l.op);
  st.model_operator = l.model_op;
  st.shape = shape_string(l);
  st.macs = l.macs();
  if (st.unit.empty()) st.unit = "array";
  if (st.unit == "array") st.executed_macs = st.actions.count("mac") ? st.actions.at("mac") : st.macs;
  const int64_t peak = family_.peak_macs_per_cycle(arch_);
  if (!st.own_utilization)
    st.utilization = st.cycles > 0 && st.unit == "array"
                         ? static_cast<double>(st.executed_macs) / (static_cast<double>(st.cycles) * peak)
                         : 0.0;
  const double clock_mhz = st.clock_mhz > 0 ? st.clock_mhz : arch_.clock_mhz;
  std::vector<cost::Memory> memories = memories_;
  for (const auto& [name, kib] : st.dedicated_memory_kib) memories.push_back({name, kib});
  const cost::EnergyReport e = cost::price_layer(*tech_, actions_, memories, clock_mhz, st, area_);
  st.energy_pj = e.by_category_pj;
  st.energy_total_pj = e.total_pj;
  rep.layers.push_back(std::move(st));
}

std::vector<QTensor> Executor::inputs_of(size_t i) {
  const Layer& l = net_.layers[i];
  std::vector<QTensor> in;
  if (chained_) {
    const std::vector<std::vector<int64_t>> shapes = input_shapes(l, model_);
    for (size_t k = 0; k < l.inputs.size(); ++k) {
      const std::string& key = l.inputs[k];
      QTensor q = tensors_.at(key);
      as_input(l, q, shapes.at(k), key.empty() ? "the network input" : key);
      in.push_back(std::move(q));
      if (--readers_left_[key] == 0) tensors_.erase(key);
    }
    return in;
  }
  // Independent layers: inputs from `act:<layer>` (and `act2:<layer>` for an add's second).
  for (int k = 0; k < (l.op == OpType::Add ? 2 : 1); ++k) {
    QTensor q;
    q.t = load_or_generate(k == 0 ? l.act_file : "", layer_input_shape(l), l.a_bits, l.a_density, opts_.seed,
                           (k == 0 ? "act:" : "act2:") + l.name, l, k == 0 ? "activations" : "second input");
    Rng z(opts_.seed, (k == 0 ? "in_zp:" : "in2_zp:") + l.name);
    const auto [lo, hi] = quant::int_range(l.a_bits);
    q.zero_point = symmetric_ ? 0 : static_cast<int32_t>(z.uniform(lo / 2, hi / 2));
    q.scale = (1.0 + z.uniform01()) / 64;
    in.push_back(std::move(q));
  }
  return in;
}

void Executor::check_memory(const Layer& l, const LayerMapping* m) const {
  if (!values_) return;
  const int64_t need = layer_bytes(l, m ? m->working_bytes() : 0), have = memory_limit_bytes();
  if (need > have)
    throw InputError(layer_where(l) + ": its tensors need about " + std::to_string(need) +
                     " bytes, more than the " + std::to_string(have) +
                     " bytes available; run it with --fast (closed forms, no tensors)");
}

LayerStats Executor::run_array_layer(const Layer& l, const std::vector<QTensor>& in, QTensor* out,
                                     bool simulate) {
  const bool report = simulate;
  const auto mapping = family_.map_layer(arch_, l, opts_.mapping);
  if (!values_) {
    LayerOperands ops;
    ops.layer = &l;
    ops.values = false;
    if (l.from_model() && l.is_recurrent()) ops.cell = model_cell(l, *model_, lstm());
    LayerOutcome o = mapping->estimate(ops);
    o.stats.verify_note = "--fast: no values computed";
    return std::move(o.stats);
  }
  int64_t changed = -1;
  PreparedLayer p = prepare(l, *mapping, in.at(0), &changed);
  inputs_transformed_ = inputs_transformed_ || mapping->transforms_input();
  *out = p.golden_out;
  LayerStats st;
  if (!simulate || opts_.fast) {
    LayerOutcome o = mapping->estimate(p.ops);
    o.stats.verify_note = "--fast: values from the golden ops, not simulated";
    st = std::move(o.stats);
  } else {
    LayerOutcome o = mapping->simulate(*hw_, p.ops);
    st = judge_layer(o, p);
    out->t = std::move(o.out);  // what the accelerator computed flows on
    out->t.shape = layer_output_shape(l);
  }
  st.saturated_fraction = saturated_fraction(
      out->t, l.a_bits, l.from_model() ? std::optional<int32_t>(out->zero_point) : std::nullopt);
  st.input_density = density(in.at(0));
  if (report) account_weights(st, p, changed);
  return st;
}

void Executor::account_weights(LayerStats& st, const PreparedLayer& p, int64_t changed) {
  if (changed < 0) return;
  const int64_t n = p.ops.weights.size() + p.ops.recurrent_weights.size();
  weights_changed_ += changed;
  weights_total_ += n;
  st.weights_changed = changed;
  st.weights_total = n;
  if (changed > 0)
    st.notes.push_back(fmt::format("{} of the model's {} weights changed by the design ({:.1f} %)", changed,
                                   n, 100.0 * changed / n));
}

std::vector<LayerStats> Executor::run_segment(size_t first, const SegmentMapping& seg,
                                              const std::vector<QTensor>& in, std::vector<QTensor>* outs) {
  const size_t n = seg.size();
  for (size_t j = 1; j < n; ++j) {
    const Layer& l = net_.layers[first + j];
    if (first + j >= net_.layers.size() ||
        l.inputs != std::vector<std::string>{net_.layers[first + j - 1].name})
      throw InputError(layer_where(l) + ": family " + arch_.family + " fuses it into a segment with '" +
                       net_.layers[first].name + "', but it does not read the layer before it");
  }
  std::vector<LayerOperands> ops(n);
  std::vector<PreparedLayer> prepared;
  std::vector<int64_t> changed(n, -1);
  for (size_t j = 0; j < n; ++j) {
    ops[j].layer = &net_.layers[first + j];
    ops[j].values = values_;
    if (!values_) continue;
    // Inside the segment each layer's operands follow from its predecessor's golden output.
    prepared.push_back(prepare(net_.layers[first + j], seg.layer(j),
                               j == 0 ? in.at(0) : prepared.back().golden_out, &changed[j]));
    ops[j] = prepared.back().ops;
  }
  if (opts_.on_segment && values_) opts_.on_segment(first, ops);
  const bool simulate = values_ && !opts_.fast;
  std::vector<LayerOutcome> outcomes = simulate ? seg.simulate(*hw_, ops) : seg.estimate(ops);
  if (outcomes.size() != n)
    throw std::logic_error("segment returned " + std::to_string(outcomes.size()) + " outcomes");
  if (simulate && outcomes.back().out.size() == 0)
    throw std::logic_error("segment did not return its output");
  std::vector<LayerStats> stats;
  outs->assign(n, QTensor{});
  for (size_t j = n; j-- > 0;) {
    const Layer& l = net_.layers[first + j];
    LayerOutcome& o = outcomes[j];
    if (!simulate) {
      o.stats.verify_note =
          values_ ? "--fast: values from the golden ops, not simulated" : "--fast: no values computed";
      if (values_) (*outs)[j] = prepared[j].golden_out;
    } else if (o.out.size() > 0) {
      const QTensor q = prepared[j].golden_out;
      o.stats = judge_layer(o, prepared[j]);
      (*outs)[j] = q;
      (*outs)[j].t = std::move(o.out);
      (*outs)[j].t.shape = layer_output_shape(l);
    } else {
      // Not exposed: checked through the segment's output, which depends on it.
      const bool last_ok = stats.empty() ? false : stats.front().verified;
      o.stats.verified = last_ok;
      o.stats.verify_note = "inside segment " + net_.layers[first].name + ".." +
                            net_.layers[first + n - 1].name + ": checked through the segment's output";
      o.stats.notes.push_back(o.stats.verify_note);
      (*outs)[j] =
          prepared[j]
              .golden_out;  // only used if another layer reads it (it cannot differ if the output matches)
    }
    o.stats.family["segment"] = {{"first", net_.layers[first].name}, {"layers", n}, {"index", j}};
    if (values_) {
      o.stats.saturated_fraction = saturated_fraction((*outs)[j].t, l.a_bits);
      account_weights(o.stats, prepared[j], changed[j]);
    }
    stats.insert(stats.begin(), std::move(o.stats));
  }
  return stats;
}

LayerStats Executor::run_vector_layer(const Layer& l, const std::vector<QTensor>& in, QTensor* out) {
  const auto [in_mem, out_mem] = family_.vector_unit_buffers(arch_);
  LayerStats st = vector_unit_cost(arch_, l, in_mem, out_mem);
  st.verify_note = "vector unit: values are the golden op's (no independent model to compare)";
  if (!values_) return st;
  const auto [lo, hi] = quant::int_range(l.a_bits);
  if (l.op == OpType::Add) {
    out->zero_point = choose_output_zero_point(opts_.seed, l, symmetric_);
    const quant::AddParams p = choose_add_params(in.at(0), in.at(1), out->zero_point, l.a_bits, &out->scale);
    out->t = quant::add(in[0].t, in[1].t, p);
  } else {
    // TFLite pooling keeps the input's quantization.
    out->scale = in.at(0).scale;
    out->zero_point = in[0].zero_point;
    const quant::ConvGeom g = quant::conv_geom(l);
    if (l.batch == 1) {
      out->t =
          l.op == OpType::MaxPool ? quant::max_pool(in[0].t, g, lo, hi) : quant::avg_pool(in[0].t, g, lo, hi);
    } else {
      out->t = TensorI8(layer_output_shape(l));
      const int64_t img = l.H * l.W * l.C, o = l.out_h * l.out_w * l.K;
      for (int64_t b = 0; b < l.batch; ++b) {
        TensorI8 one({l.H, l.W, l.C});
        std::copy_n(&in[0].t[b * img], img, one.data.begin());
        const TensorI8 r =
            l.op == OpType::MaxPool ? quant::max_pool(one, g, lo, hi) : quant::avg_pool(one, g, lo, hi);
        std::copy_n(r.data.begin(), o, out->t.data.begin() + b * o);
      }
    }
  }
  out->t.shape = layer_output_shape(l);
  st.saturated_fraction = l.op == OpType::Add ? saturated_fraction(out->t, l.a_bits) : -1;
  return st;
}

LayerStats Executor::run_model_op(const Layer& l, const std::vector<QTensor>& in, QTensor* out) {
  LayerStats st;
  const std::string unit = l.unit();
  if (unit == "vector") {
    const auto [in_mem, out_mem] = family_.vector_unit_buffers(arch_);
    st = vector_unit_cost(arch_, l, in_mem, out_mem);
    st.verify_note = "vector unit: values are the golden op's (TFLite reference kernel)";
  } else {
    st.unit = "host";
    st.verify_note =
        "host: the golden op (TFLite reference kernel); not in the accelerator's cycles or energy";
  }
  if (!values_) return st;
  const TfliteOperator& op = model_->operators.at(static_cast<size_t>(l.model_op));
  std::vector<TensorValue> values;
  size_t k = 0;
  for (int t : op.inputs) values.push_back(is_activation(*model_, t) ? to_value(in.at(k++)) : TensorValue{});
  *out = from_value(eval_tflite_op(*model_, op, values, rounding(), kernels(), lstm()), layer_where(l));
  as_input(l, *out, graph::output_shape(l), l.name);
  if (!out->is_float) st.saturated_fraction = saturated_fraction(out->t, 8, out->zero_point);
  if (!in.empty()) st.input_density = density(in[0]);
  return st;
}

QTensor Executor::model_input(size_t k) const {
  const int index = original_->inputs.at(k);
  const std::string file = k == 0                             ? opts_.input_npy
                           : k - 1 < opts_.more_inputs.size() ? opts_.more_inputs[k - 1]
                                                              : "";
  const TfliteTensor& T = original_->tensors.at(static_cast<size_t>(index));
  const std::vector<int64_t> shape = original_->tensors.at(static_cast<size_t>(index)).dims();
  const bool is_float = T.type == TfliteType::Float32;
  QTensor x;
  x.scale = T.quant.scales.empty() ? 0.0 : T.quant.scales[0];
  x.zero_point = T.quant.zero_points.empty() ? 0 : static_cast<int32_t>(T.quant.zero_points[0]);
  x.is_float = is_float;
  if (file.empty()) {
    // Documented default: uniform int8 codes (float models: uniform reals in [-1, 1)) from stream `input`
    // (further inputs: `input1`, `input2`, ...).
    Rng rng(opts_.seed, k == 0 ? std::string("input") : "input" + std::to_string(k));
    if (is_float) {
      x.real = Tensor<float>(shape);
      for (auto& v : x.real.data) v = static_cast<float>(2.0 * rng.uniform01() - 1.0);
    } else {
      x.t = quant::random_tensor(shape, 8, 1.0, rng);
    }
    return x;
  }
  const TensorValue v = quant::read_npy_value(file);
  const DType want = is_float ? DType::Float32 : DType::Int8;
  if (v.type != want || v.shape != shape)
    throw InputError(fmt::format("{}: --input must be {} {} (the input '{}' of {}), got {} {}", file,
                                 dtype_name(want), quant::shape_str(shape), T.name, original_->path,
                                 dtype_name(v.type), quant::shape_str(v.shape)));
  if (is_float) {
    x.real.shape = shape;
    x.real.data = v.f32;
  } else {
    x.t = v.as_i8();
  }
  return x;
}

nlohmann::json Executor::compare_with_unchanged_model() const {
  const std::vector<TensorValue> all =
      eval_tflite_model(*original_, model_values(network_inputs_), rounding(), kernels(), lstm());
  const QTensor ref = from_value(all.at(static_cast<size_t>(original_->outputs.at(0))), original_->path);
  nlohmann::json j;
  if (ref.is_float || last_.is_float) {
    double max = 0;
    for (int64_t i = 0; i < ref.real.size(); ++i)
      max = std::max(max, std::fabs(double{ref.real[i]} - last_.real[i]));
    j["max_abs_difference"] = max;
    return j;
  }
  j = error_statistics(last_.t, ref.t);
  const auto argmax = [](const TensorI8& t) {
    return std::max_element(t.data.begin(), t.data.end()) - t.data.begin();
  };
  j["argmax_same"] = argmax(last_.t) == argmax(ref.t);
  return j;
}

RunReport Executor::run() {
  RunReport rep;
  rep.arch = arch_;
  rep.summary = family_.summary(arch_);
  rep.workload = net_.name;
  rep.workload_path = net_.source;
  rep.seed = opts_.seed;
  rep.fast = opts_.fast;
  rep.backend = opts_.fast ? "fast" : to_string(opts_.backend.backend);
  size_t only = net_.layers.size();
  if (!opts_.only_layer.empty()) {
    for (size_t i = 0; i < net_.layers.size(); ++i)
      if (net_.layers[i].name == opts_.only_layer) only = i;
    if (only == net_.layers.size())
      throw InputError(net_.source + ": no layer named '" + opts_.only_layer + "'");
  }
  model_ = original_ = net_.model.get();
  symmetric_ = family_.symmetric_activations(arch_);
  if (model_ && symmetric_) {
    // Code 0 must be the real zero on this design (e.g. DAP prunes by magnitude): the model re-quantized
    // to symmetric activations, as a converter would; the report compares with the file's model.
    SymmetricReport sr;
    symmetric_model_ = std::make_shared<const TfliteModel>(symmetric_activations(*original_, &sr));
    model_ = symmetric_model_.get();
    rep.model["symmetric_requantization"] = {{"tensors_changed", sr.tensors_changed},
                                             {"biases_requantized", sr.biases_requantized},
                                             {"kept_asymmetric", sr.kept}};
  }
  if (model_ && opts_.independent)
    throw InputError("--independent: " + net_.source +
                     " is a real model; its layers run chained on the model's tensors");
  if (opts_.rounding != "double" && opts_.rounding != "single")
    throw InputError("--rounding: '" + opts_.rounding + "' (expected single or double)");
  if (opts_.kernels != "reference" && opts_.kernels != "builtin")
    throw InputError("--kernels: '" + opts_.kernels + "' (expected reference or builtin)");
  if (opts_.lstm != "tflm" && opts_.lstm != "tflite" && opts_.lstm != "tflite-2021")
    throw InputError("--lstm: '" + opts_.lstm + "' (expected tflm, tflite or tflite-2021)");
  chained_ = net_.chained && !opts_.independent;
  family_.check_run(arch_, net_, chained_, only != net_.layers.size());
  rep.execution = chained_ ? "chained" : "independent";
  rep.execution_reason =
      net_.chained ? "--independent: every layer on tensors drawn from the seed" : net_.independent_reason;
  values_ = !opts_.fast || !opts_.output_npy.empty() || !opts_.dump_dir.empty() || opts_.on_segment;
  rep.values = values_;
  if (!model_ && !opts_.more_inputs.empty())
    throw InputError("--input: " + net_.source +
                     " has one network input; more than one --input is for models");
  if (!opts_.input_npy.empty() && !chained_)
    throw InputError("--input: " + net_.source + " runs as independent layers (" + rep.execution_reason +
                     "); a network input needs a chained workload");
  // Energy and area: the family's memories and logic plus the vector unit.
  tech_ = std::make_unique<cost::TechTable>(cost::TechTable::for_node(arch_.tech, arch_.source));
  memories_ = family_.memories(arch_);
  for (const auto& m : memories_) rep.memories.push_back(m.name);
  std::vector<cost::InventoryItem> inventory = family_.area_inventory(arch_);
  for (auto& it : vector_unit_inventory(arch_)) inventory.push_back(it);
  area_ = cost::price_area(*tech_, memories_, inventory);
  actions_ = family_.actions();
  for (auto& [k, v] : vector_unit_actions()) actions_.emplace(k, v);
  if (!opts_.fast) hw_ = family_.build(arch_, opts_.backend);

  // Every layer's memory before anything is materialised (a long run never dies half-way on this).
  if (values_)
    for (size_t i = 0; i < net_.layers.size() && i <= only; ++i) {
      const Layer& l = net_.layers[i];
      check_memory(l, runs_on_array(l) ? family_.map_layer(arch_, l, opts_.mapping).get() : nullptr);
    }
  if (chained_ && values_) {
    for (const auto& l : net_.layers)
      for (const auto& p : l.inputs) readers_left_[p]++;
    const Layer& first = net_.layers.front();
    if (model_) {
      if (opts_.more_inputs.size() + 1 > original_->inputs.size() && !opts_.input_npy.empty())
        throw InputError(fmt::format("--input: {} files for the {} inputs of {}",
                                     opts_.more_inputs.size() + 1, original_->inputs.size(),
                                     original_->path));
      for (size_t k = 0; k < original_->inputs.size(); ++k) {
        if (k > 0 && k > opts_.more_inputs.size() && !opts_.input_npy.empty())
          throw InputError(fmt::format("--input: {} has {} inputs; give one --input per input",
                                       original_->path, original_->inputs.size()));
        network_inputs_.push_back(model_input(k));
        tensors_[network_input_name(k)] =
            in_quantization(network_inputs_.back(), *model_, model_->inputs.at(k));
      }
    }
    if (!model_) {
      QTensor x;
      x.t = opts_.input_npy.empty()
                ? load_or_generate(first.act_file, layer_input_shape(first), first.a_bits, first.a_density,
                                   opts_.seed, "act:" + first.name, first, "network input")
                : load_or_generate(opts_.input_npy, layer_input_shape(first), first.a_bits, 1.0, opts_.seed,
                                   "", first, "network input (--input)");
      Rng z(opts_.seed, "in_zp:input");
      const auto [lo, hi] = quant::int_range(first.a_bits);
      x.zero_point = symmetric_ ? 0 : static_cast<int32_t>(z.uniform(lo / 2, hi / 2));
      tensors_[""] = std::move(x);
    }
  }
  for (size_t i = 0; i < net_.layers.size() && i <= only;) {
    const Layer& l = net_.layers[i];
    // With --layer, the layers before it only produce its input (golden ops, no simulation, no report).
    const bool report = only == net_.layers.size() || i == only;
    if (!report && !chained_) {
      ++i;
      continue;
    }
    const std::vector<QTensor> in = values_ ? inputs_of(i) : std::vector<QTensor>{};
    const auto seg = chained_ && report ? family_.map_segment(arch_, net_, i, opts_.mapping) : nullptr;
    if (seg && only == net_.layers.size()) {
      std::vector<QTensor> outs;
      std::vector<LayerStats> stats = run_segment(i, *seg, in, &outs);
      for (size_t j = 0; j < stats.size(); ++j) {
        if (values_ && j + 1 < stats.size())
          --readers_left_[net_.layers[i + j].name];  // read inside the segment
        record(i + j, std::move(stats[j]), std::move(outs[j]), true, rep);
      }
      i += stats.size();
      continue;
    }
    QTensor out;
    LayerStats st = runs_on_array(l) ? run_array_layer(l, in, &out, report)
                    : l.from_model() ? run_model_op(l, in, &out)
                                     : run_vector_layer(l, in, &out);
    record(i, std::move(st), std::move(out), report, rep);
    ++i;
  }
  if (model_ && values_ && only + 1 >= net_.layers.size()) {
    // The final tensor in the model's own output shape and quantization.
    std::vector<int64_t> shape = model_->tensors.at(static_cast<size_t>(model_->outputs.at(0))).dims();
    as_input(net_.layers.back(), last_, shape, net_.layers.back().name);
    last_ = in_quantization(last_, *original_, original_->outputs.at(0));
  }
  if (!opts_.output_npy.empty()) {
    if (last_.is_float)
      quant::write_npy(opts_.output_npy, last_.real);
    else
      quant::write_npy(opts_.output_npy, last_.t);
  }
  if (model_) {
    rep.model["file"] = model_->path;
    rep.model["semantics"] = std::string(opts_.kernels == "builtin" ? "TFLite builtin (optimized) kernels"
                                                                    : "TFLite reference kernels") +
                             ", int8; LSTM: " + quant::lstm_reference_name(lstm());
    rep.model["kernels"] = opts_.kernels;
    rep.model["lstm"] = opts_.lstm;
    rep.model["rounding"] =
        opts_.kernels == "builtin" ? "conv/fc single (ruy), depthwise " + opts_.rounding : opts_.rounding;
    std::string input = opts_.input_npy.empty() ? "uniform int8 from seed stream 'input'" : opts_.input_npy;
    for (const auto& f : opts_.more_inputs) input += ", " + f;
    rep.model["input"] = input;
    if (values_ && only + 1 >= net_.layers.size() &&
        (weights_changed_ > 0 || inputs_transformed_ || symmetric_model_))
      rep.model["vs_unchanged_model"] = compare_with_unchanged_model();
    if (weights_total_ > 0) {
      rep.model["weights_changed"] = weights_changed_;
      rep.model["weights_total"] = weights_total_;
    }
  }
  rep.total.tech_table = tech_->path();
  finish(rep, area_);
  if (hw_) {
    rep.lockstep_cycles = hw_->lockstep_cycles();
    rep.lockstep_blocks = hw_->lockstep_blocks();
  }
  return rep;
}

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

// Whether area category `c` is part `p`'s: named by it, or "*" (every category no other part names).
bool part_owns(const std::vector<PipelinePart>& parts, const PipelinePart& p, const std::string& c) {
  auto names = [&c](const PipelinePart& q) {
    return std::find(q.area_categories.begin(), q.area_categories.end(), c) != q.area_categories.end();
  };
  if (names(p)) return true;
  if (!std::count(p.area_categories.begin(), p.area_categories.end(), "*")) return false;
  return std::none_of(parts.begin(), parts.end(), names);
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

}  // namespace

RunReport run_network(const ArchConfig& arch, const Network& net, const RunOptions& opts) {
  return Executor(arch, net, opts).run();
}

}  // namespace npusim
