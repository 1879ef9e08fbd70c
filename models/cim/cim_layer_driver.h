#pragma once
// Runs one layer on a cim_engine (the C++ core, the Verilated RTL or both in lockstep, cim_engine_block.h)
// through its ports only: a reset edge, the layer config, one parameter beat per channel, then the input
// beats as soon as in_ready, collecting every output beat until done. out_ready is 1, or stalls at random
// from a seed. Plain C++; the SystemC shell (cim_engine_module.h) and the tests use it.
#include <cstdint>
#include <vector>

#include "models/cim/cim_engine_core.h"

namespace npusim::cim {

struct CimLayerConfig {
  int n_in = 1, k = 1, splits = 1;
  int slots = 128;        // PWM slots 2^(b-1)
  int dac_shift = 0;      // activation bits the DAC drops (dac_level in converters.h)
  int64_t adc_max = 127;  // largest |code|, 2^(adc_bits-1) - 1 (up to 2^30)
  int adc_cycles = 1;
  int64_t pixels = 1;
  OutputParams out;
};

struct LayerJob {
  CimLayerConfig cfg;
  std::vector<ChannelParams> params;  // [k]
  std::vector<int8_t> inputs;         // [pixels][n_in], each pixel's im2col input vector
  double stall_p = 0;                 // probability that out_ready is 0 on a cycle
  uint64_t stall_seed = 0;
};

// What the cost model prices, counted at the ports where it can be.
struct CimEngineActivity {
  int64_t input_beats = 0;      // accepted input beats
  int64_t pwm_slot_rows = 0;    // DAC pulse-slots: sum over PWM cycles of pulse_rows (= sum |level|)
  int64_t rows_driven = 0;      // pixels * n_in DAC rows loaded
  int64_t adc_conversions = 0;  // pixels * k * splits
  int64_t periphery_ops = 0;    // pixels * k
  int64_t output_beats = 0;     // accepted output beats
};

struct LayerResult {
  std::vector<int8_t> outputs;     // [pixels][k]
  std::vector<int32_t> code_sums;  // [pixels][k], the clipped code sums (out_sum)
  int64_t cycles = 0;              // edges from the cfg edge to the edge raising done, both counted
  uint32_t clip_count = 0;
  CimEngineActivity activity;
};

// Throws InputError for a job the engine's shape or ports cannot hold (n_in > N_IN, k > K_MAX,
// splits > S_MAX, a field beyond its port, qshift outside [-31, 31], act_min > act_max, wrong sizes), and
// VerificationError when done does not come within layer_cycle_limit(job) edges.
LayerResult run_layer(CimEngineIf& block, const LayerJob& job);

// Generous bound on a layer's edges (engine_cycles with every output beat stalled many times over).
int64_t layer_cycle_limit(const CimEngineShape& shape, const LayerJob& job);

}  // namespace npusim::cim
