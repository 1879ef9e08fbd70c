#pragma once
// Target conductances of a layer's weights on its tile slices (issue 13 point 2; reference/pcm_cim.md
// §1): each weight is a differential pair, the positive part on G+ and the negative part on G-, the other
// device of the pair at g_min (0 µS, pcm_cim.md default). Weights are scaled per output channel so that the
// channel's largest |w| sits at g_max; the scale is the same on every row split of a column, so the
// periphery adds the splits' partial sums in one unit before dividing the scale out. These are the
// programming targets; programming noise, drift and read noise are applied by the device model.
#include <cstdint>
#include <vector>

#include "models/cim/cim_config.h"
#include "models/cim/cim_mapping.h"
#include "sim/common/tensor.h"
#include "sim/workload/layer.h"

namespace npusim::cim {

// Minimum device conductance (µS): one device of every pair sits here (pcm_cim.md: g_min = 0).
inline constexpr double kGMinUs = 0.0;

// Element (im2col row, output channel) of the layer's block-diagonal weight matrix: OHWI weights
// [K][R][S][C/groups] (fc: [K][C]), row = g·R·S·C/groups + (r·S + s)·C/groups + c; 0 off the group's block.
int8_t weight_at(const Layer& layer, const TensorI8& weights, int64_t w_row, int64_t w_col);

// Per output channel: µS per weight unit, (g_max - g_min) / max|w| of the channel (g_max when the channel
// is all zero). InputError naming the layer if the weight tensor does not have K x R·S·C/groups elements.
std::vector<double> channel_scales_us(const CimConfig& cfg, const Layer& layer, const TensorI8& weights);

// The slice's target conductances, row-major [rows][cols] in µS (crossbar row s.row0 + i, column
// s.col0 + j); pairs between the diagonal blocks of a grouped slice hold no weight (both at g_min).
struct SliceConductances {
  int64_t rows = 0, cols = 0;
  std::vector<double> g_plus, g_minus;
};
SliceConductances target_conductances(const Layer& layer, const TensorI8& weights, const TileSlice& s,
                                      const std::vector<double>& scales_us);

}  // namespace npusim::cim
