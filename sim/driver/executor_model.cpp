#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/driver/executor.h"

namespace npusim::detail {

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

}  // namespace npusim::detail

namespace npusim::detail {

nlohmann::json Executor::compare_with_file(const std::string& path) const {
  const TensorValue v = quant::read_npy_value(path);
  const int64_t n = last_.is_float ? last_.real.size() : last_.t.size();
  if (graph::element_count(v.shape) != n)
    throw InputError(
        fmt::format("--compare-output: {} holds {} {}, the network's final tensor has {} elements", path,
                    dtype_name(v.type), quant::shape_str(v.shape), n));
  nlohmann::json j;
  j["file"] = path;
  if (last_.is_float || v.type != DType::Int8) {
    if (!last_.is_float || v.type != DType::Float32)
      throw InputError("--compare-output: " + path + " is " + dtype_name(v.type) +
                       ", the network's final tensor " + (last_.is_float ? "float32" : "int8"));
    double max = 0;
    for (int64_t i = 0; i < n; ++i)
      max = std::max(max, std::fabs(double{v.f32[static_cast<size_t>(i)]} - last_.real[i]));
    j["max_abs_difference"] = max;
    return j;
  }
  const TensorI8 ref = v.as_i8();
  j.update(error_statistics(last_.t, ref));
  // SNR with the reference's spread as the signal (the file carries no zero point).
  double mean = 0, sig = 0, err = 0;
  for (int64_t i = 0; i < n; ++i) mean += ref[i];
  mean /= static_cast<double>(std::max<int64_t>(n, 1));
  for (int64_t i = 0; i < n; ++i) {
    sig += (ref[i] - mean) * (ref[i] - mean);
    err += (static_cast<double>(last_.t[i]) - ref[i]) * (static_cast<double>(last_.t[i]) - ref[i]);
  }
  j["snr_db"] =
      err == 0 ? nlohmann::json(nullptr) : nlohmann::json(10.0 * std::log10(std::max(sig, 1e-300) / err));
  const auto argmax = [](const TensorI8& t) {
    return std::max_element(t.data.begin(), t.data.end()) - t.data.begin();
  };
  j["argmax_same"] = argmax(last_.t) == argmax(ref);
  return j;
}

}  // namespace npusim::detail
