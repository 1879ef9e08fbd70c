#pragma once
// The cim family's config section (DESIGN.md §8, AON-CiM: analog PCM compute-in-memory tiles, layer-serial,
// every layer's weights resident). Declared as ParamSpecs (cim_params), validated across keys by
// configure_cim, kept as the typed config in ArchConfig::family_config. The AnalogNets paper publishes none
// of the hardware sizes (reference/aon_cim_anchors.md §1c): every default below is an assumption and its
// comment names the anchor it came from. The clock is the common key clock_mhz (default 1000 MHz: HERMES
// core and 64-core chip run the MVM at 1 GHz, anchors §4 rows 1 and 4).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/config/arch_config.h"
#include "sim/config/params.h"

namespace npusim::cim {

struct CimConfig : FamilyConfig {
  // One tile: rows x cols differential PCM pairs (one weight per pair, G+ and G-). 256x256 as IBM's 14 nm
  // HERMES core (anchors §4 row 1); the AON-CiM size is unpublished (§1c). Assumption.
  int64_t tile_rows = 256, tile_cols = 256;
  // Tiles on the chip; all weights stay resident. 64 as IBM's 64-core chip (anchors §4 row 2). Assumption.
  int64_t tiles = 64;
  // Layers share tiles (slices stacked along the diagonals, cim_mapping.h) instead of owning whole tiles.
  // Off by default: the plain layer-serial mapping; how AON-CiM places layers is unpublished (§1c).
  bool share_tiles = false;
  // Maximum conductance of one device (µS): aihwkit/pcm_cim.md default (anchors §4 row 6). Assumption.
  double g_max_us = 25.0;
  // Input DAC: pulse-width modulation with 2^(bits-1) time slots plus a sign (anchors §4 rows 3, 6, 7);
  // 8/6/4 bits are the paper's activation widths (§1a row 2). Equals precision.act_bits.
  int dac_bits = 8;
  // ADC: bits and the fixed output range (out_bound, in full-scale products g_max x full input per column,
  // as aihwkit's out_bound). 8 bits and 10 from aihwkit's StandardHWATrainingPreset (out_res 254,
  // out_bound 10; anchors §3). The paper names a fixed ADC gain (§1a row 4) but not its value. Assumption.
  int adc_bits = 8;
  double adc_out_bound = 10.0;
  // Activation SRAM (KiB): layer-serial, it holds one layer's input and output feature maps. 64 KiB is
  // the smallest power of two holding the largest layer of the shipped VWW MobileNetV1-0.25 (48x48x8 in +
  // 48x48x16 out = 54 KiB at 8 bits). Assumption (unpublished, §1c).
  int64_t act_sram_kib = 64;
  // Device non-idealities (reference/pcm_cim.md), each on or off; all on by default.
  bool noise_programming = true, noise_drift = true, noise_read = true;
  // Time of the inference after programming (s): 24 h, the paper's drift point (anchors §1a row 4).
  double t_inference_s = 86400.0;
  // Global drift compensation from a calibration read (pcm_cim.md); on by default.
  bool drift_compensation = true;
  // Seed of the device streams (programming, drift, read noise are named streams derived from it).
  uint64_t seed = 1;
  // Check-list A1 (pcm_cim.md §4): noise off, one conductance scale for every column (full scale 128), the
  // ADC LSB one integer weight x input product and its range wide enough never to clip, so every layer is
  // the exact integer dot product: bit-exact against golden. A verification mode; energy is booked as the
  // configured adc.bits.
  bool ideal = false;
  // Activation bits the DAC drops (precision.act_bits - dac.bits): level = round(x / 2^shift).
  int dac_shift = 0;
  // Cycles of ADC conversion and readout after the PWM window: anchors §4 rows 5 and 7 (about 133 ns per
  // 1-phase 256x256 MVM at 1 GHz, 128 of them PWM slots, leaves about 5). Assumption.
  int adc_cycles = 4;
  // Activations read from the SRAM per cycle (a 256-bit port) and periphery lanes (output channels per
  // cycle). Unpublished (§1c); assumptions.
  int lanes_in = 32, lanes_out = 32;
  std::string source;  // the arch config file, for mapping errors that name a key

  // PWM time slots per MVM (the sign is applied separately). They cover signed b-bit activations; an
  // asymmetric input zero point (x - zp reaches 2^b - 1) is kept out of the DAC: sum w (x - zp) =
  // sum w x - zp sum w, the second term a per-channel constant the periphery adds with the bias.
  int64_t pwm_slots() const { return int64_t{1} << (dac_bits - 1); }
  // ADC codes per full-scale product (the fixed gain): (2^(bits-1) - 1) / out_bound.
  double adc_gain() const { return static_cast<double>((int64_t{1} << (adc_bits - 1)) - 1) / adc_out_bound; }
};

std::vector<ParamSpec> cim_params();
// Reads the declared values and checks the combination (one-line InputErrors naming the file and key).
std::shared_ptr<const CimConfig> configure_cim(ParamValues& values);

// The cim section of an arch config (std::logic_error for another family's config).
inline const CimConfig& cim(const ArchConfig& arch) {
  return arch.family_as<CimConfig>();
}

}  // namespace npusim::cim
