#include "models/cim/cim_layer_driver.h"

#include <cmath>
#include <string>

#include "sim/common/error.h"
#include "sim/common/rng.h"

namespace npusim::cim {

namespace {

void need(bool ok, const std::string& what) {
  if (!ok) throw InputError("cim engine layer: " + what);
}

void validate(const CimEngineShape& s, const LayerJob& job) {
  const CimLayerConfig& c = job.cfg;
  need(c.n_in >= 1 && c.n_in <= s.n_in,
       "n_in " + std::to_string(c.n_in) + " outside 1.." + std::to_string(s.n_in));
  need(c.k >= 1 && c.k <= s.k_max, "k " + std::to_string(c.k) + " outside 1.." + std::to_string(s.k_max));
  need(c.splits >= 1 && c.splits <= s.s_max,
       "splits " + std::to_string(c.splits) + " outside 1.." + std::to_string(s.s_max));
  need(c.slots >= 1 && c.slots <= 65535, "PWM slots outside 1..65535");
  need(c.dac_shift >= 0 && c.dac_shift <= 7, "DAC shift outside 0..7");
  need(c.adc_max >= 0 && c.adc_max <= (int64_t{1} << 30), "adc_max outside 0..2^30");
  need(c.adc_cycles >= 1 && c.adc_cycles <= 255, "ADC cycles outside 1..255");
  need(c.pixels >= 1 && c.pixels < (int64_t{1} << 24), "pixels outside 1..2^24-1");
  need(c.out.out_zp >= -128 && c.out.out_zp <= 127 && c.out.act_min >= -128 && c.out.act_max <= 127 &&
           c.out.act_min <= c.out.act_max,
       "output zero point or activation range outside int8");
  need(job.params.size() == static_cast<size_t>(c.k), "need one ChannelParams per output channel");
  for (const ChannelParams& p : job.params) need(p.qshift >= -31 && p.qshift <= 31, "qshift outside -31..31");
  need(job.inputs.size() == static_cast<size_t>(c.pixels * c.n_in), "need pixels x n_in input activations");
  need(job.stall_p >= 0 && job.stall_p <= 0.95, "stall probability outside 0..0.95");
}

}  // namespace

int64_t layer_cycle_limit(const CimEngineShape& shape, const LayerJob& job) {
  const CimLayerConfig& c = job.cfg;
  const int64_t stalls = job.stall_p > 0 ? static_cast<int64_t>(std::ceil(20 / (1 - job.stall_p))) : 0;
  return 2 * engine_cycles(shape, c.n_in, c.k, c.slots, c.adc_cycles, c.pixels) +
         c.pixels * cim_beats(c.k, shape.lanes_out) * stalls + 1000;
}

LayerResult run_layer(CimEngineIf& block, const LayerJob& job) {
  const CimEngineShape& s = block.shape();
  validate(s, job);
  const CimLayerConfig& c = job.cfg;
  CimEngineInputs in(s);
  in.rst = true;
  block.step(in);
  in.clear();

  in.cfg_valid = true;
  in.cfg_n_in = static_cast<uint16_t>(c.n_in);
  in.cfg_k = static_cast<uint16_t>(c.k);
  in.cfg_splits = static_cast<uint8_t>(c.splits);
  in.cfg_slots = static_cast<uint16_t>(c.slots);
  in.cfg_dac_shift = static_cast<uint8_t>(c.dac_shift);
  in.cfg_adc_max = static_cast<uint32_t>(c.adc_max);
  in.cfg_adc_cycles = static_cast<uint8_t>(c.adc_cycles);
  in.cfg_out_zp = static_cast<int8_t>(c.out.out_zp);
  in.cfg_act_min = static_cast<int8_t>(c.out.act_min);
  in.cfg_act_max = static_cast<int8_t>(c.out.act_max);
  in.cfg_pixels = static_cast<uint32_t>(c.pixels);
  block.step(in);  // cfg_ready is 1 after the reset
  in.clear();
  LayerResult r;
  r.cycles = 1;

  for (int ch = 0; ch < c.k; ++ch) {
    const ChannelParams& p = job.params[static_cast<size_t>(ch)];
    in.par_valid = true;
    in.par_ch = static_cast<uint16_t>(ch);
    in.par_m = p.m, in.par_bias = p.bias, in.par_qmult = p.qmult;
    in.par_qshift = static_cast<int8_t>(p.qshift);
    block.step(in);
    ++r.cycles;
  }
  in.clear();

  const int64_t in_beats = cim_beats(c.n_in, s.lanes_in), total_beats = c.pixels * in_beats;
  const size_t k = static_cast<size_t>(c.k);
  r.outputs.assign(static_cast<size_t>(c.pixels) * k, 0);
  r.code_sums.assign(r.outputs.size(), 0);
  Rng rng(job.stall_seed, "cim:out_ready");
  const int64_t limit = layer_cycle_limit(s, job);
  int64_t next_beat = 0;
  for (;;) {
    const CimEngineOutputs& o = block.outputs();  // this cycle's outputs, before the edge
    in.in_valid = o.in_ready && next_beat < total_beats;
    if (in.in_valid) {
      const int64_t pixel = next_beat / in_beats, beat = next_beat % in_beats;
      for (int l = 0; l < s.lanes_in; ++l) {
        const int64_t row = beat * s.lanes_in + l;
        in.in_data[static_cast<size_t>(l)] =
            row < c.n_in ? job.inputs[static_cast<size_t>(pixel * c.n_in + row)] : int8_t{0};
      }
    }
    in.out_ready = job.stall_p > 0 ? !rng.bernoulli(job.stall_p) : true;
    if (o.out_valid && in.out_ready) {
      for (int l = 0; l < s.lanes_out; ++l) {
        const size_t ch = o.out_ch0 + static_cast<size_t>(l);
        if (ch >= k || o.out_pixel >= c.pixels) continue;
        r.outputs[o.out_pixel * k + ch] = o.out_data[static_cast<size_t>(l)];
        r.code_sums[o.out_pixel * k + ch] = o.out_sum[static_cast<size_t>(l)];
      }
      ++r.activity.output_beats;
    }
    if (o.phase == static_cast<uint8_t>(CimPhase::Pwm)) r.activity.pwm_slot_rows += o.pulse_rows;
    if (in.in_valid) ++next_beat, ++r.activity.input_beats;
    block.step(in);
    ++r.cycles;
    if (block.outputs().done) break;
    if (r.cycles > limit)
      throw VerificationError("cim engine: done not raised within " + std::to_string(limit) + " cycles");
  }
  r.clip_count = block.outputs().clip_count;
  r.activity.rows_driven = c.pixels * c.n_in;
  r.activity.adc_conversions = c.pixels * c.k * c.splits;
  r.activity.periphery_ops = c.pixels * c.k;
  return r;
}

}  // namespace npusim::cim
