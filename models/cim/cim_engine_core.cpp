#include "models/cim/cim_engine_core.h"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

#include "models/cim/converters.h"

namespace npusim::cim {

void CimEngineInputs::clear() {
  const size_t lanes = in_data.size();
  *this = CimEngineInputs{};
  in_data.assign(lanes, 0);
}

int64_t engine_cycles(const CimEngineShape& shape, int n_in, int k, int slots, int adc_cycles,
                      int64_t pixels) {
  const int64_t per_pixel = cim_beats(n_in, shape.lanes_in) + std::max(slots, 1) + std::max(adc_cycles, 1) +
                            cim_beats(k, shape.lanes_out);
  return 1 + k + std::max<int64_t>(pixels, 1) * per_pixel;
}

CimEngineCore::CimEngineCore(const CimEngineShape& shape) : shape_(shape), out_(shape) {
  if (shape.n_in < 1 || shape.k_max < 1 || shape.s_max < 1 || shape.lanes_in < 1 || shape.lanes_out < 1)
    throw std::invalid_argument("cim_engine: every dimension of the shape must be >= 1");
  if (!shape.kernel) throw std::invalid_argument("cim_engine: the shape has no analog kernel");
  session_.kernel = shape.kernel.get();
  session_.levels.assign(static_cast<size_t>(shape.n_in), 0);
  reset();
}

void CimEngineCore::reset() {
  n_in_ = k_ = splits_ = slots_ = adc_cycles_ = pixels_ = dac_shift_ = 0;
  adc_max_ = 0;
  outp_ = OutputParams{0, 0, 0};
  phase_ = 0;
  pixel_ = beat_ = slot_ = conv_ = clip_count_ = 0;
  done_ = false;
  params_.assign(static_cast<size_t>(shape_.k_max), ChannelParams{0, 0, 0, 0});
  levels_.assign(static_cast<size_t>(shape_.n_in), 0);
  code_sum_.assign(static_cast<size_t>(shape_.k_max), 0);
}

void CimEngineCore::load_beat(const CimEngineInputs& in) {
  for (int l = 0; l < shape_.lanes_in; ++l) {
    const uint32_t row = beat_ * static_cast<uint32_t>(shape_.lanes_in) + static_cast<uint32_t>(l);
    if (row >= n_in_ || row >= static_cast<uint32_t>(shape_.n_in)) continue;
    // The DAC's top bits (cfg_dac_shift), rounded half away from zero, within the PWM window.
    const int32_t level = dac_level(in.in_data[static_cast<size_t>(l)], static_cast<int>(dac_shift_),
                                    static_cast<int32_t>(slots_));
    levels_[row] = level;
    session_.dac_level(static_cast<int>(row), level);
  }
}

void CimEngineCore::convert() {
  const uint32_t channels = std::min<uint32_t>(k_, static_cast<uint32_t>(shape_.k_max));
  const uint32_t splits = std::min<uint32_t>(splits_, static_cast<uint32_t>(shape_.s_max));
  for (uint32_t ch = 0; ch < channels; ++ch) {
    uint32_t sum = 0;  // int32 wrapping, like the RTL's adder
    for (uint32_t s = 0; s < splits; ++s) {
      const int32_t raw = session_.adc_code(pixel_, static_cast<int>(ch), static_cast<int>(s));
      const int32_t clipped = std::clamp(raw, -adc_max_, adc_max_);
      clip_count_ += raw != clipped;
      sum += static_cast<uint32_t>(clipped);
    }
    code_sum_[ch] = static_cast<int32_t>(sum);
  }
}

void CimEngineCore::step(const CimEngineInputs& in) {
  if (in.rst) {
    reset();
    set_outputs();
    return;
  }
  if (in.par_valid && in.par_ch < shape_.k_max)
    params_[in.par_ch] = {in.par_m, in.par_bias, in.par_qmult, in.par_qshift};
  done_ = false;
  switch (phase()) {
    case CimPhase::Idle:
      if (!in.cfg_valid) break;
      n_in_ = in.cfg_n_in, k_ = in.cfg_k, splits_ = in.cfg_splits, slots_ = in.cfg_slots;
      dac_shift_ = in.cfg_dac_shift & 7u;
      // The port is 32 bits; the RTL compares it as a signed value, and so does the core.
      adc_max_ = static_cast<int32_t>(in.cfg_adc_max);
      adc_cycles_ = in.cfg_adc_cycles, pixels_ = in.cfg_pixels & 0xffffffu;
      outp_ = {in.cfg_out_zp, in.cfg_act_min, in.cfg_act_max};
      clip_count_ = 0;
      pixel_ = beat_ = 0;
      phase_ = static_cast<uint8_t>(CimPhase::Load);
      break;
    case CimPhase::Load:
      if (!in.in_valid) break;
      load_beat(in);
      if (beat_ + 1 >= cim_beats(n_in_, shape_.lanes_in)) {
        beat_ = slot_ = 0;
        phase_ = static_cast<uint8_t>(CimPhase::Pwm);
      } else {
        ++beat_;
      }
      break;
    case CimPhase::Pwm:
      if (slot_ + 1 >= slots_) {
        slot_ = conv_ = 0;
        phase_ = static_cast<uint8_t>(CimPhase::Convert);
      } else {
        ++slot_;
      }
      break;
    case CimPhase::Convert:
      if (conv_ + 1 >= adc_cycles_) {
        convert();
        conv_ = beat_ = 0;
        phase_ = static_cast<uint8_t>(CimPhase::Readout);
      } else {
        ++conv_;
      }
      break;
    case CimPhase::Readout:
      if (!in.out_ready) break;
      if (beat_ + 1 < cim_beats(k_, shape_.lanes_out)) {
        ++beat_;
      } else if (pixel_ + 1 < pixels_) {
        ++pixel_;
        beat_ = 0;
        phase_ = static_cast<uint8_t>(CimPhase::Load);
      } else {
        beat_ = 0;
        done_ = true;
        phase_ = static_cast<uint8_t>(CimPhase::Idle);
      }
      break;
  }
  set_outputs();
}

void CimEngineCore::set_outputs() {
  const CimPhase p = phase();
  out_.phase = phase_;
  out_.cfg_ready = p == CimPhase::Idle;
  out_.in_ready = p == CimPhase::Load;
  out_.pixel = pixel_;
  out_.pwm_slot = p == CimPhase::Pwm ? static_cast<uint16_t>(slot_) : 0;
  int pulses = 0;
  if (p == CimPhase::Pwm) {
    const uint32_t rows = std::min<uint32_t>(n_in_, static_cast<uint32_t>(shape_.n_in));
    for (uint32_t r = 0; r < rows; ++r) pulses += static_cast<uint32_t>(std::abs(levels_[r])) > slot_;
  }
  out_.pulse_rows = static_cast<uint16_t>(pulses);
  out_.clip_count = clip_count_;
  out_.out_valid = p == CimPhase::Readout;
  const uint32_t ch0 = p == CimPhase::Readout ? beat_ * static_cast<uint32_t>(shape_.lanes_out) : 0;
  out_.out_ch0 = static_cast<uint16_t>(ch0);
  out_.out_pixel = p == CimPhase::Readout ? pixel_ : 0;
  const uint32_t channels = std::min<uint32_t>(k_, static_cast<uint32_t>(shape_.k_max));
  for (int l = 0; l < shape_.lanes_out; ++l) {
    const uint32_t ch = ch0 + static_cast<uint32_t>(l);
    const bool live = p == CimPhase::Readout && ch < channels;
    out_.out_sum[static_cast<size_t>(l)] = live ? code_sum_[ch] : 0;
    out_.out_data[static_cast<size_t>(l)] = live ? periphery_output(code_sum_[ch], params_[ch], outp_) : 0;
  }
  out_.done = done_;
}

}  // namespace npusim::cim
