#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>

#include "sim/driver/executor.h"

namespace npusim::detail {

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

}  // namespace npusim::detail
