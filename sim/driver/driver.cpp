#include "sim/driver/driver.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/driver/executor.h"

namespace npusim {

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

RunReport run_network(const ArchConfig& arch, const Network& net, const RunOptions& opts) {
  return detail::Executor(arch, net, opts).run();
}

}  // namespace npusim
