#include "tests/rtl/cim/test_kernel.h"

#include <algorithm>

#include "models/cim/periphery.h"
#include "sim/common/rng.h"
#include "sim/quant/fixed_point.h"

namespace npusim::cim::test {

TestKernel::TestKernel(int n_in, int k_max, uint64_t seed) : n_in_max_(n_in), k_max_(k_max), seed_(seed) {
  Rng rng(seed, "test:cim-kernel-weights");
  w_.resize(static_cast<size_t>(n_in) * static_cast<size_t>(k_max));
  for (auto& w : w_) w = static_cast<int8_t>(rng.uniform(-127, 127));
}

int32_t TestKernel::adc_code(const std::vector<int32_t>& levels, int64_t pixel, int ch, int split) const {
  if (ch < 0 || ch >= k_max_ || split < 0 || split >= splits_) return 0;
  const uint64_t key = seed_ ^ (static_cast<uint64_t>(pixel) << 32) ^ (static_cast<uint64_t>(ch) << 8) ^
                       static_cast<uint64_t>(split);
  if (wild_) {
    Rng rng(key, "test:cim-kernel-wild");
    return static_cast<int32_t>(rng.uniform(INT32_MIN, INT32_MAX));
  }
  const int rows = (n_in_ + splits_ - 1) / splits_;
  const int lo = split * rows, hi = std::min({n_in_, lo + rows, n_in_max_, static_cast<int>(levels.size())});
  int64_t code = 0;
  for (int r = lo; r < hi; ++r)
    code += int64_t{w_[static_cast<size_t>(r) * static_cast<size_t>(k_max_) + static_cast<size_t>(ch)]} *
            levels[static_cast<size_t>(r)];
  if (noise_ > 0) {  // keyed by the read, never by call order
    Rng rng(key, "test:cim-kernel-noise");
    code += rng.uniform(-noise_, noise_);
  }
  return static_cast<int32_t>(std::clamp<int64_t>(code, INT32_MIN, INT32_MAX));
}

Reference reference_layer(const AnalogKernel& kernel, const LayerJob& job) {
  const CimLayerConfig& c = job.cfg;
  Reference ref;
  const size_t k = static_cast<size_t>(c.k);
  ref.outputs.resize(static_cast<size_t>(c.pixels) * k);
  ref.code_sums.resize(ref.outputs.size());
  const auto adc_max = static_cast<int32_t>(c.adc_max);
  for (int64_t p = 0; p < c.pixels; ++p) {
    std::vector<int32_t> levels(static_cast<size_t>(c.n_in));
    for (int r = 0; r < c.n_in; ++r) {
      // The DAC drops dac_shift bits, rounding half away from zero, then clamps to +-slots.
      const int32_t x = job.inputs[static_cast<size_t>(p * c.n_in + r)];
      const int32_t half = c.dac_shift > 0 ? 1 << (c.dac_shift - 1) : 0;
      const int32_t mag = ((x < 0 ? -x : x) + half) >> c.dac_shift;
      levels[static_cast<size_t>(r)] = std::clamp<int32_t>(x < 0 ? -mag : mag, -c.slots, c.slots);
    }
    for (size_t ch = 0; ch < k; ++ch) {
      uint32_t sum = 0;  // int32, wrapping like the engine's adder
      for (int s = 0; s < c.splits; ++s) {
        const int32_t raw = kernel.adc_code(levels, p, static_cast<int>(ch), s);
        const int32_t clipped = std::clamp(raw, -adc_max, adc_max);
        ref.clip_count += raw != clipped;
        sum += static_cast<uint32_t>(clipped);
      }
      ref.code_sums[static_cast<size_t>(p) * k + ch] = static_cast<int32_t>(sum);
      ref.outputs[static_cast<size_t>(p) * k + ch] =
          periphery_output(static_cast<int32_t>(sum), job.params[ch], c.out);
    }
  }
  return ref;
}

LayerJob random_job(const CimEngineShape& shape, uint64_t seed, bool stalls) {
  Rng rng(seed, "test:cim-layer");
  LayerJob job;
  CimLayerConfig& c = job.cfg;
  c.n_in = static_cast<int>(rng.uniform(1, shape.n_in));
  c.k = static_cast<int>(rng.uniform(1, shape.k_max));
  c.splits = static_cast<int>(rng.uniform(1, shape.s_max));
  c.slots = 1 << rng.uniform(0, 7);  // b = 1..8 bits
  c.adc_max = rng.bernoulli(0.3) ? (int64_t{1} << 30) : rng.uniform(0, 3000);
  c.adc_cycles = static_cast<int>(rng.uniform(1, 4));
  c.pixels = rng.uniform(1, 5);
  c.out.out_zp = static_cast<int32_t>(rng.uniform(-20, 20));
  c.out.act_min = rng.bernoulli(0.5) ? -128 : static_cast<int32_t>(rng.uniform(-128, 0));
  c.out.act_max = rng.bernoulli(0.5) ? 127 : static_cast<int32_t>(rng.uniform(c.out.act_min, 127));
  for (int ch = 0; ch < c.k; ++ch) {
    ChannelParams p;
    p.m = static_cast<int32_t>(rng.uniform(0, 1 << 18));
    p.bias = static_cast<int32_t>(rng.uniform(-(1 << 16), 1 << 16));
    const double real = rng.bernoulli(0.2) ? rng.uniform01() * 8 + 1 : rng.uniform01() * 0.05;
    int shift = 0;
    quant::quantize_multiplier(real, &p.qmult, &shift);
    p.qshift = std::clamp(shift, -31, 31);
    job.params.push_back(p);
  }
  job.inputs.resize(static_cast<size_t>(c.pixels * c.n_in));
  for (auto& x : job.inputs) x = static_cast<int8_t>(rng.bernoulli(0.1) ? -128 : rng.uniform(-128, 127));
  if (stalls) {
    job.stall_p = 0.4;
    job.stall_seed = seed;
  }
  return job;
}

LayerJob shifted_job(const CimEngineShape& shape, uint64_t seed, bool stalls) {
  LayerJob job = random_job(shape, seed, stalls);
  Rng rng(seed, "test:cim-dac-shift");
  job.cfg.dac_shift = static_cast<int>(rng.uniform(0, 7));
  return job;
}

LayerJob extreme_job(const CimEngineShape& shape, uint64_t seed) {
  LayerJob job = random_job(shape, seed, seed % 2 == 1);
  Rng rng(seed, "test:cim-extreme");
  job.cfg.adc_max = rng.bernoulli(0.5) ? (int64_t{1} << 30) : rng.uniform(0, int64_t{1} << 30);
  job.cfg.out.out_zp = static_cast<int32_t>(rng.uniform(-128, 127));
  const auto any32 = [&rng] {
    const int pick = static_cast<int>(rng.uniform(0, 9));
    return pick == 0   ? INT32_MIN
           : pick == 1 ? INT32_MAX
                       : static_cast<int32_t>(rng.uniform(INT32_MIN, INT32_MAX));
  };
  for (ChannelParams& p : job.params) {
    p.m = rng.bernoulli(0.2) ? INT32_MAX : static_cast<int32_t>(rng.uniform(0, INT32_MAX));
    p.bias = any32();
    p.qmult = any32();
    p.qshift = static_cast<int32_t>(rng.uniform(-31, 31));
  }
  return job;
}

}  // namespace npusim::cim::test
