#include "models/cim/layer_work.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "models/cim/converters.h"
#include "sim/common/error.h"
#include "sim/quant/im2col.h"
#include "sim/quant/requant.h"

namespace npusim::cim {
namespace {

// The pixel's im2col vector over every group, in the crossbar's row order g·R·S·Cg + (r·S + s)·Cg + c
// (weight_at's): the groups' GEMM rows side by side.
std::vector<int8_t> crossbar_rows(const Layer& l, const TensorI8& in, int8_t pad) {
  const int64_t pixels = l.gemm_m(), kd = l.gemm_k(), n_in = l.groups * kd;
  if (l.groups == 1) return quant::im2col(l, in, 0, pad).data;
  std::vector<int8_t> rows(static_cast<size_t>(pixels * n_in));
  for (int64_t g = 0; g < l.groups; ++g) {
    const TensorI8 a = quant::im2col(l, in, g, pad);
    for (int64_t p = 0; p < pixels; ++p)
      std::copy(a.data.begin() + p * kd, a.data.begin() + (p + 1) * kd, rows.begin() + p * n_in + g * kd);
  }
  return rows;
}

}  // namespace

int32_t q16_factor(double code_to_acc, const std::string& layer) {
  const double m = std::round(code_to_acc * (1 << kPeripheryFracBits));
  if (!(m >= 0) || m > std::numeric_limits<int32_t>::max())
    throw InputError("cim: layer '" + layer + "': the periphery factor " + std::to_string(code_to_acc) +
                     " accumulator units per ADC code does not fit its Q16 int32 register (adc.out_bound / "
                     "adc.bits too coarse)");
  return static_cast<int32_t>(m);
}

LayerWork prepare_work(const CimConfig& cfg, const LayerAnalog& analog, const LayerOperands& ops) {
  const Layer& l = *ops.layer;
  if (ops.requant.rounding != quant::Rounding::Double)
    throw InputError(
        "layer '" + l.name +
        "': the cim periphery implements TFLite's default double-rounding "
        "requantization; single rounding (--rounding single, --kernels builtin) is not supported");
  LayerWork w;
  w.n_in = analog.n_in();
  w.k = analog.k();
  w.splits = analog.splits();
  w.slots = static_cast<int32_t>(cfg.pwm_slots());
  w.dac_shift = cfg.dac_shift;
  w.adc_max = analog.adc_max();
  w.pixels = l.op == OpType::Fc ? l.batch : l.batch * l.out_h * l.out_w;
  const int8_t zp = static_cast<int8_t>(ops.input_zero_point);
  if (ops.values) w.rows = crossbar_rows(l, ops.input, zp);
  // Per channel: sum of its weights (for -zp * sum(w)), the Q16 factor, the requantization.
  const size_t per = ops.weights.data.size() / static_cast<size_t>(l.K);
  const quant::Requant& rq = ops.requant;
  w.channels.resize(static_cast<size_t>(w.k));
  for (int c = 0; c < w.k; ++c) {
    int64_t sum_w = 0;
    for (size_t i = 0; i < per; ++i) sum_w += ops.weights.data[c * per + i];
    ChannelParams& p = w.channels[static_cast<size_t>(c)];
    p.m = q16_factor(analog.code_to_acc()[static_cast<size_t>(c)], l.name);
    const int64_t bias = (ops.bias.empty() ? 0 : ops.bias[static_cast<size_t>(c)]) - int64_t{zp} * sum_w;
    p.bias = static_cast<int32_t>(
        std::clamp<int64_t>(bias, std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max()));
    const size_t q = rq.multiplier.size() == 1 ? 0 : static_cast<size_t>(c);
    p.qmult = rq.multiplier[q];
    p.qshift = rq.shift[q];
  }
  w.out = {rq.output_zero_point, rq.act_min, rq.act_max};
  return w;
}

LayerEval evaluate(const AnalogKernel& kernel, const LayerAnalog& analog, const LayerWork& w) {
  LayerEval r;
  LayerActivity& a = r.activity;
  r.out.resize(static_cast<size_t>(w.pixels * w.k));
  r.code_sums.resize(r.out.size());
  const std::vector<double>& row_g = analog.row_conductance_us();
  std::vector<int32_t> levels(static_cast<size_t>(w.n_in));
  for (int64_t p = 0; p < w.pixels; ++p) {
    const int8_t* x = w.rows.data() + p * w.n_in;
    for (int64_t i = 0; i < w.n_in; ++i) {
      const int32_t lv = dac_level(x[i], w.dac_shift, w.slots);
      levels[static_cast<size_t>(i)] = lv;
      a.dac_slot_rows += std::abs(lv);
      a.cell_us_slots += std::abs(lv) * row_g[static_cast<size_t>(i)];
      a.rows_driven += lv != 0;
    }
    for (int c = 0; c < w.k; ++c) {
      int64_t sum = 0;
      for (int s = 0; s < w.splits; ++s) {
        const int32_t raw = kernel.adc_code(levels, p, c, s);
        const int32_t code = std::clamp(raw, -w.adc_max, w.adc_max);
        a.adc_clips += raw != code;
        sum += code;
      }
      const int32_t sum32 = static_cast<int32_t>(sum);
      const size_t o = static_cast<size_t>(p * w.k + c);
      r.code_sums[o] = sum32;
      r.out[o] = periphery_output(sum32, w.channels[static_cast<size_t>(c)], w.out);
    }
  }
  count_shape_activity(w, a);
  return r;
}

void count_shape_activity(const LayerWork& w, LayerActivity& a) {
  a.adc_conversions = w.pixels * w.k * w.splits;
  a.psum_adds = w.pixels * w.k * (w.splits - 1);
  a.periphery_ops = w.pixels * w.k;
  a.input_bytes = w.pixels * w.n_in;
  a.output_bytes = w.pixels * w.k;
}

}  // namespace npusim::cim
