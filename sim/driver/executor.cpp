#include "sim/driver/executor.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

namespace npusim::detail {

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
    inexact_ = inexact_ || !st.exact_compare;
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
      inexact_ = inexact_ || !o.stats.exact_compare;
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
  // --fast has no tensors unless something reads or writes them (a given input is never silently ignored).
  values_ = !opts_.fast || opts_.values || !opts_.output_npy.empty() || !opts_.dump_dir.empty() ||
            !opts_.input_npy.empty() || !opts_.more_inputs.empty() || !opts_.compare_npy.empty() || opts_.on_segment;
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
  if (!opts_.fast) {
    BackendOptions backend = opts_.backend;
    backend.network = &net_;
    hw_ = family_.build(arch_, backend);
  }

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
  if (!opts_.compare_npy.empty() && values_ && only + 1 >= net_.layers.size())
    rep.compare_output = compare_with_file(opts_.compare_npy);
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
        (weights_changed_ > 0 || inputs_transformed_ || symmetric_model_ || inexact_))
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

}  // namespace npusim::detail
