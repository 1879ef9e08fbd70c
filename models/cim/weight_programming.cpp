#include "models/cim/weight_programming.h"

#include <algorithm>
#include <cstdlib>

#include "sim/common/error.h"

namespace npusim::cim {

int8_t weight_at(const Layer& layer, const TensorI8& weights, int64_t w_row, int64_t w_col) {
  const int64_t kg = layer.gemm_k(), ng = layer.gemm_n();
  if (w_row / kg != w_col / ng) return 0;  // another group's block
  return weights[w_col * kg + w_row % kg];
}

std::vector<double> channel_scales_us(const CimConfig& cfg, const Layer& layer, const TensorI8& weights) {
  const int64_t kg = layer.gemm_k();
  if (weights.size() != layer.K * kg)
    throw InputError(
        layer.source + ": layer '" + layer.name + "': weights have " + std::to_string(weights.size()) +
        " elements, the crossbar mapping expects K x R*S*C/groups = " + std::to_string(layer.K * kg));
  std::vector<double> scales(static_cast<size_t>(layer.K));
  for (int64_t k = 0; k < layer.K; ++k) {
    int max_abs = 0;
    for (int64_t j = 0; j < kg; ++j)
      max_abs = std::max(max_abs, std::abs(static_cast<int>(weights[k * kg + j])));
    scales[static_cast<size_t>(k)] = (cfg.g_max_us - kGMinUs) / std::max(max_abs, 1);
  }
  return scales;
}

SliceConductances target_conductances(const Layer& layer, const TensorI8& weights, const TileSlice& s,
                                      const std::vector<double>& scales_us) {
  SliceConductances g;
  g.rows = s.rows;
  g.cols = s.cols;
  g.g_plus.assign(static_cast<size_t>(s.rows * s.cols), kGMinUs);
  g.g_minus.assign(static_cast<size_t>(s.rows * s.cols), kGMinUs);
  for (int64_t i = 0; i < s.rows; ++i)
    for (int64_t j = 0; j < s.cols; ++j) {
      const int64_t col = s.w_col0 + j;
      const double w = weight_at(layer, weights, s.w_row0 + i, col) * scales_us[static_cast<size_t>(col)];
      const size_t at = static_cast<size_t>(i * s.cols + j);
      (w >= 0 ? g.g_plus[at] : g.g_minus[at]) += std::abs(w);
    }
  return g;
}

}  // namespace npusim::cim
