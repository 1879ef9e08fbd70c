#pragma once
// One cim layer as the engine executes it (DESIGN.md §8): the im2col input vectors it streams from the
// activation SRAM, the periphery's per-channel parameters, and the functional evaluation of the same
// arithmetic without cycles (the family's noise-free reference, and --fast with values). Activity counts
// are what the cost model prices.
#include <cstdint>
#include <vector>

#include "models/cim/cim_config.h"
#include "models/cim/layer_analog.h"
#include "models/cim/periphery.h"
#include "sim/family/family.h"

namespace npusim::cim {

struct LayerWork {
  int64_t pixels = 0, n_in = 0;
  int k = 0, splits = 1;
  int32_t slots = 0;  // PWM slots = largest |level|
  int dac_shift = 0;  // level = round(x / 2^shift), clamped to +-slots
  int32_t adc_max = 0;
  std::vector<int8_t> rows;  // [pixels][n_in]: im2col input vectors, padding = the input zero point
  std::vector<ChannelParams> channels;
  OutputParams out;
};

// Activity of one layer on the engine (summed over pixels).
struct LayerActivity {
  int64_t dac_slot_rows = 0;    // sum over rows of |level|: PWM slots a row driver is on
  double cell_us_slots = 0;     // sum of |level| x the row's conductance (µS x slots): array read energy
  int64_t rows_driven = 0;      // rows with a non-zero level
  int64_t adc_conversions = 0;  // pixels x channels x row splits
  int64_t adc_clips = 0;        // conversions whose raw code was beyond +-adc_max
  int64_t psum_adds = 0;        // digital partial-sum additions
  int64_t periphery_ops = 0;    // outputs through scale, bias, requantization and clamp
  int64_t input_bytes = 0, output_bytes = 0;
};

struct LayerEval {
  std::vector<int8_t> out;         // [pixels][k]
  std::vector<int32_t> code_sums;  // [pixels][k], clipped codes summed over row splits
  LayerActivity activity;
};

// Q16 periphery factor from accumulator units per code; InputError naming the layer beyond int32.
int32_t q16_factor(double code_to_acc, const std::string& layer);

LayerWork prepare_work(const CimConfig& cfg, const LayerAnalog& analog, const LayerOperands& ops);
// Levels -> kernel codes -> clip -> sum over splits -> periphery, pixel by pixel.
// The counts that follow from the layer's shape alone: conversions, partial-sum adds, periphery ops, SRAM
// bytes.
void count_shape_activity(const LayerWork& work, LayerActivity& a);
LayerEval evaluate(const AnalogKernel& kernel, const LayerAnalog& analog, const LayerWork& work);

}  // namespace npusim::cim
