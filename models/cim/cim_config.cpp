#include "models/cim/cim_config.h"

#include <fmt/format.h>

namespace npusim::cim {

std::vector<ParamSpec> cim_params() {
  using K = ParamKind;
  const double big = 2147483647.0;
  const std::vector<std::string> on_off = {"true", "false"};
  return {
      {"tile.rows", K::Integer, "256", false, 1, 65536, {}, "rows", "crossbar rows per tile (im2col inputs)"},
      {"tile.cols", K::Integer, "256", false, 1, 65536, {}, "columns", "crossbar columns per tile (outputs)"},
      {"tiles", K::Integer, "64", false, 1, big, {}, "tiles", "PCM tiles on the chip (all weights resident)"},
      {"mapping.share_tiles", K::Choice, "false", false, 0, 0, on_off, "",
       "layers share tiles, stacked along the diagonals (disjoint rows and columns)"},
      {"g_max_us", K::Number, "25", false, 0, 1000, {}, "uS", "maximum device conductance"},
      {"dac.bits",
       K::Integer,
       "",
       false,
       2,
       8,
       {},
       "bit",
       "PWM input DAC: 2^(bits-1) slots plus sign; 8, 6 or 4 (default: precision.act_bits)"},
      {"adc.bits", K::Integer, "8", false, 2, 16, {}, "bit", "ADC resolution (sign included)"},
      {"adc.out_bound",
       K::Number,
       "10",
       false,
       0,
       1e6,
       {},
       "products",
       "ADC full scale (fixed gain), in full-scale weight x input products per column"},
      {"sram.act_kib", K::Integer, "64", false, 1, big, {}, "KiB", "activation SRAM (one layer's in + out)"},
      {"noise.programming", K::Choice, "true", false, 0, 0, on_off, "", "programming noise"},
      {"noise.drift", K::Choice, "true", false, 0, 0, on_off, "", "conductance drift"},
      {"noise.read", K::Choice, "true", false, 0, 0, on_off, "", "1/f read noise, resampled per read"},
      {"t_inference_s", K::Number, "86400", false, 0, 1e12, {}, "s", "inference time after programming"},
      {"drift_compensation", K::Choice, "true", false, 0, 0, on_off, "", "global drift compensation"},
      {"seed", K::Integer, "1", false, 0, big, {}, "", "seed of the device noise streams"},
      {"ideal", K::Choice, "false", false, 0, 0, on_off, "",
       "check-list A1 mode: noise off, one conductance scale, ADC LSB = one integer product, no clipping"},
      {"adc.cycles", K::Integer, "4", false, 1, 255, {}, "cycles", "ADC conversion and readout per MVM"},
      {"engine.lanes_in",
       K::Integer,
       "32",
       false,
       1,
       4096,
       {},
       "bytes",
       "activation SRAM read width per cycle"},
      {"engine.lanes_out",
       K::Integer,
       "32",
       false,
       1,
       4096,
       {},
       "channels",
       "periphery lanes (output channels per cycle)"},
  };
}

std::shared_ptr<const CimConfig> configure_cim(ParamValues& v) {
  auto c = std::make_shared<CimConfig>();
  c->source = v.source();
  c->tile_rows = v.integer("tile.rows");
  c->tile_cols = v.integer("tile.cols");
  c->tiles = v.integer("tiles");
  c->share_tiles = v.str("mapping.share_tiles") == "true";
  c->g_max_us = v.number("g_max_us");
  // The DAC applies the stored activations; narrower than them, it takes their top dac.bits bits (the
  // periphery multiplies the dropped 2^shift back).
  const int64_t act_bits = v.integer("precision.act_bits");
  if (!v.has("dac.bits")) v.resolve("dac.bits", act_bits);
  c->dac_bits = static_cast<int>(v.integer("dac.bits"));
  if (c->dac_bits != 8 && c->dac_bits != 6 && c->dac_bits != 4)
    v.fail("dac.bits",
           fmt::format("must be 8, 6 or 4 (the AnalogNets activation widths), got {}", c->dac_bits));
  if (c->dac_bits > act_bits)
    v.fail("dac.bits",
           fmt::format("{} is wider than the activations (precision.act_bits = {})", c->dac_bits, act_bits));
  c->dac_shift = static_cast<int>(act_bits) - c->dac_bits;
  c->adc_bits = static_cast<int>(v.integer("adc.bits"));
  c->adc_out_bound = v.number("adc.out_bound");
  // A column sums at most tile.rows full-scale products: a larger range leaves ADC codes unreachable.
  if (c->adc_out_bound > static_cast<double>(c->tile_rows))
    v.fail("adc.out_bound",
           fmt::format("{} exceeds the largest column sum of a tile (tile.rows = {} full-scale "
                       "products): the top ADC codes could never be reached",
                       c->adc_out_bound, c->tile_rows));
  // Below one LSB per product the fixed gain cannot resolve a single full-scale weight x input.
  if (c->adc_gain() < 1.0)
    v.fail("adc.out_bound",
           fmt::format("{} is more than {} ADC codes (adc.bits = {}): one full-scale "
                       "product would be below one LSB",
                       c->adc_out_bound, (int64_t{1} << (c->adc_bits - 1)) - 1, c->adc_bits));
  c->act_sram_kib = v.integer("sram.act_kib");
  c->noise_programming = v.str("noise.programming") == "true";
  c->noise_drift = v.str("noise.drift") == "true";
  c->noise_read = v.str("noise.read") == "true";
  c->t_inference_s = v.number("t_inference_s");
  c->drift_compensation = v.str("drift_compensation") == "true";
  c->seed = static_cast<uint64_t>(v.integer("seed"));
  c->ideal = v.str("ideal") == "true";
  if (c->ideal && (c->noise_programming || c->noise_drift || c->noise_read))
    v.fail("ideal",
           "true needs noise.programming, noise.drift and noise.read all false (check-list A1 is "
           "the noise-free path)");
  if (c->ideal && c->dac_shift != 0)
    v.fail("ideal", fmt::format("true needs dac.bits = precision.act_bits ({}): A1 applies every activation "
                                "exactly",
                                act_bits));
  c->adc_cycles = static_cast<int>(v.integer("adc.cycles"));
  c->lanes_in = static_cast<int>(v.integer("engine.lanes_in"));
  c->lanes_out = static_cast<int>(v.integer("engine.lanes_out"));
  return c;
}

}  // namespace npusim::cim
