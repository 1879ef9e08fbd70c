#pragma once
// The analog half of one cim layer (DESIGN.md §8): the layer's weights programmed onto its PCM tiles
// (cim_mapping.h slices, per-channel conductance scale, differential pairs), read through the PWM levels
// and the fixed-gain ADC. It is the AnalogKernel the engine's model and RTL both call. Noise-free (every
// noise switch off), a column read is the exact integer dot product times the channel's scale, so the code
// is round(dot x scale / LSB) computed from integers; in the ideal mode (check list A1) scale = LSB and the
// code is the dot product itself. With noise, each read draws fresh 1/f noise from a stream keyed by
// (layer, tile, pixel), so the model and the RTL, each reading for itself, get identical codes.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/cim/analog_kernel.h"
#include "models/cim/cim_config.h"
#include "models/cim/cim_mapping.h"
#include "models/cim/crossbar.h"
#include "sim/common/tensor.h"
#include "sim/workload/layer.h"

namespace npusim::cim {

class LayerAnalog final : public AnalogKernel {
 public:
  // `noise_free`: the family's noise-free reference of the same design (same scales, LSB and clipping).
  LayerAnalog(const CimConfig& cfg, const Layer& layer, const TensorI8& weights, bool noise_free);

  int32_t adc_code(const std::vector<int32_t>& levels, int64_t pixel, int ch, int split) const override;

  const TilePlan& plan() const { return plan_; }
  int64_t n_in() const { return plan_.weight_rows; }
  int k() const { return static_cast<int>(plan_.weight_cols); }
  int splits() const { return splits_; }
  bool noise_free() const { return noise_free_; }
  // Largest |code| the ADC returns: 2^(adc.bits-1) - 1, or 2^30 - 1 in the ideal mode (never clips).
  int32_t adc_max() const { return adc_max_; }
  // Per channel: accumulator units per ADC code, drift compensation and the DAC's dropped bits included
  // (the periphery's factor before its Q16 rounding).
  const std::vector<double>& code_to_acc() const { return code_to_acc_; }
  // Per logical input row: the summed target conductance of its tile row (µS), for the array's read energy
  // (a driven row conducts through every programmed device on it).
  const std::vector<double>& row_conductance_us() const { return row_g_us_; }
  // Drift-compensation factor of each tile of the layer (1 without compensation or noise).
  const std::vector<double>& tile_alpha() const { return alpha_; }

 private:
  struct Tile {
    Crossbar xb;
    std::vector<int64_t> logical_row;  // physical row -> the layer's input row, -1 if undriven
  };
  struct Column {
    int tile = 0, col = 0;
  };

  CimConfig cfg_;
  TilePlan plan_;
  bool noise_free_;
  uint64_t layer_key_;
  int splits_ = 1;
  int32_t adc_max_ = 0;
  double lsb_us_ = 0;
  std::vector<Tile> tiles_;
  std::vector<Column> where_;         // [ch * splits + split]
  std::vector<double> unit_to_code_;  // per channel: scale / LSB
  std::vector<double> code_to_acc_;
  std::vector<double> row_g_us_;
  std::vector<double> alpha_;
};

// The device model of a config: g_max and the noise switches (each off sets its scale to 0).
PcmDevice device_of(const CimConfig& cfg);

}  // namespace npusim::cim
