#pragma once
// Analog kernel and reference of the cim engine tests (tests only): an int8 weight matrix W[N_IN][K_MAX]
// whose layer rows are split into `splits` consecutive blocks of ceil(n_in/splits) rows; a split's code is
// sum W[r][ch] * level[r] over its rows, plus, when noisy, a deterministic +-noise LSB term hashed from
// (pixel, ch, split), so the model and the RTL must agree on noisy codes too.
#include <cstdint>
#include <memory>
#include <vector>

#include "models/cim/analog_kernel.h"
#include "models/cim/cim_layer_driver.h"

namespace npusim::cim::test {

class TestKernel final : public AnalogKernel {
 public:
  TestKernel(int n_in, int k_max, uint64_t seed);
  // The layer the next reads belong to (both sides of a lockstep read the same kernel object).
  void set_layer(int n_in, int splits, int noise_lsb) { n_in_ = n_in, splits_ = splits, noise_ = noise_lsb; }
  // Wild: every code a keyed random int32 over the whole range (extreme clip and sum values).
  void set_wild(bool wild) { wild_ = wild; }
  int32_t adc_code(const std::vector<int32_t>& levels, int64_t pixel, int ch, int split) const override;

 private:
  int n_in_max_, k_max_;
  uint64_t seed_;
  std::vector<int8_t> w_;  // [n_in_max][k_max]
  int n_in_ = 1, splits_ = 1, noise_ = 0;
  bool wild_ = false;
};

struct Reference {
  std::vector<int8_t> outputs;     // [pixels][k]
  std::vector<int32_t> code_sums;  // [pixels][k]
  uint32_t clip_count = 0;
};

// levels -> kernel codes -> clip -> sum -> periphery_output, straight from the job.
Reference reference_layer(const AnalogKernel& kernel, const LayerJob& job);

// A random layer within `shape`: dims, PWM slots (1..128), ADC range (often clipping), parameters,
// inputs; `stalls`: random out_ready stalls.
LayerJob random_job(const CimEngineShape& shape, uint64_t seed, bool stalls);
// The same with extreme periphery values: m, bias, qmult over the whole int32 range (INT32_MIN and
// INT32_MAX included), qshift -31..31, any zero point, ADC range up to 2^30.
LayerJob extreme_job(const CimEngineShape& shape, uint64_t seed);
// random_job with a DAC that drops 0..7 activation bits (dac_shift from its own stream).
LayerJob shifted_job(const CimEngineShape& shape, uint64_t seed, bool stalls);

}  // namespace npusim::cim::test
