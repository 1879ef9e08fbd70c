#include "sim/quant/pool.h"

#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include "sim/common/error.h"
#include "sim/quant/accumulate.h"

namespace npusim::quant {
namespace {

enum class PoolKind { Max, Avg };

TensorI8 pool(const TensorI8& input, const ConvGeom& geom, int32_t act_min, int32_t act_max, PoolKind kind) {
  const char* name = kind == PoolKind::Max ? "max_pool" : "avg_pool";
  // Pools keep the channel count: validate as a C -> C, ungrouped sweep.
  ConvGeom pg = geom;
  pg.K = pg.C;
  pg.groups = 1;
  const ConvGeom g = finalize_geom(pg, name);
  if (input.shape != std::vector<int64_t>{g.H, g.W, g.C}) {
    throw InputError(std::string(name) + ": input shape " + shape_str(input.shape) + " does not match geometry " +
                     shape_str({g.H, g.W, g.C}));
  }
  if (act_min > act_max || act_min < -128 || act_max > 127) {
    throw InputError(std::string(name) + ": activation range [" + std::to_string(act_min) + ", " +
                     std::to_string(act_max) + "] is empty or outside int8");
  }

  TensorI8 out({g.out_h, g.out_w, g.C});
  std::vector<int32_t> acc(static_cast<size_t>(g.C));
  for (int64_t oh = 0; oh < g.out_h; ++oh) {
    for (int64_t ow = 0; ow < g.out_w; ++ow) {
      std::fill(acc.begin(), acc.end(), kind == PoolKind::Max ? std::numeric_limits<int32_t>::min() : 0);
      int32_t count = 0;
      for (int64_t r = 0; r < g.R; ++r) {
        const int64_t ih = oh * g.stride_h - g.pad_top + r * g.dilation;
        if (ih < 0 || ih >= g.H) continue;
        for (int64_t s = 0; s < g.S; ++s) {
          const int64_t iw = ow * g.stride_w - g.pad_left + s * g.dilation;
          if (iw < 0 || iw >= g.W) continue;
          ++count;
          const int8_t* x = &input.data[static_cast<size_t>((ih * g.W + iw) * g.C)];
          if (kind == PoolKind::Max) {
            for (int64_t c = 0; c < g.C; ++c) acc[static_cast<size_t>(c)] = std::max<int32_t>(acc[static_cast<size_t>(c)], x[c]);
          } else {
            for (int64_t c = 0; c < g.C; ++c) acc[static_cast<size_t>(c)] += x[c];
          }
        }
      }
      if (count == 0) {
        throw InputError(std::string(name) + ": window at output (" + std::to_string(oh) + ", " +
                         std::to_string(ow) + ") lies entirely in padding");
      }
      int8_t* y = &out.data[static_cast<size_t>((oh * g.out_w + ow) * g.C)];
      for (int64_t c = 0; c < g.C; ++c) {
        const int32_t v = kind == PoolKind::Max ? acc[static_cast<size_t>(c)]
                                                : rounded_average(acc[static_cast<size_t>(c)], count);
        y[c] = static_cast<int8_t>(std::clamp(v, act_min, act_max));
      }
    }
  }
  return out;
}

}  // namespace

TensorI8 max_pool(const TensorI8& input, const ConvGeom& geom, int32_t act_min, int32_t act_max) {
  return pool(input, geom, act_min, act_max, PoolKind::Max);
}

TensorI8 avg_pool(const TensorI8& input, const ConvGeom& geom, int32_t act_min, int32_t act_max) {
  return pool(input, geom, act_min, act_max, PoolKind::Avg);
}

}  // namespace npusim::quant
