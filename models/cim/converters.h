#pragma once
// Data converters of a PCM tile: PWM input DAC and fixed-gain ADC (reference/pcm_cim.md §1.8, A2, D1, D5).
// Both are sign-magnitude: the ADC's b bits give levels -(2^(b-1)-1) .. 2^(b-1)-1, i.e. AIHWKit's 2^b - 2
// steps over [-bound, bound]; the PWM DAC's 2^(b-1) slots reach +-2^(b-1). Rounding is half away from zero
// (documented choice; AIHWKit's C++ uses RPU_ROUNDFUNF). Out-of-range values saturate and are counted.
#include <cstdint>
#include <vector>

#include "sim/common/rng.h"

namespace npusim::cim {

// Largest level of a b-bit symmetric converter: 2^(b-1) - 1.
int32_t max_level(int bits);
// Round half away from zero, as both converters do.
int64_t round_half_away(double v);

// PWM DAC: an integer input becomes a signed count of time slots, at most 2^(b-1) slots of one sign (the
// pulse window is 2^(b-1) slots plus a sign, as IBM's 14 nm tiles: anchors §4 row 6), so every b-bit
// two's-complement activation, -2^(b-1) included, is applied exactly (levels -2^(b-1) .. 2^(b-1)).
// With `shift` = 0 the integer is used as is; with shift s > 0 it is first divided by 2^s with rounding,
// and the digital side multiplies the result by 2^s (`weight()`), e.g. int8 at b = 4 uses s = 4.
// x / 2^shift rounded half away from zero, in integers (the DAC's dropped bits); shift 0: x.
inline int64_t pwm_round(int64_t x, int shift) {
  const int64_t half = shift > 0 ? int64_t{1} << (shift - 1) : 0;
  const int64_t mag = ((x < 0 ? -x : x) + half) >> shift;
  return x < 0 ? -mag : mag;
}
// The level a b-bit PWM DAC with `slots` = 2^(b-1) applies for activation x: pwm_round, within +-slots.
inline int32_t dac_level(int64_t x, int shift, int32_t slots) {
  const int64_t v = pwm_round(x, shift);
  return static_cast<int32_t>(v > slots ? slots : (v < -slots ? -slots : v));
}

class PwmDac {
 public:
  explicit PwmDac(int bits, int shift = 0);
  int bits() const { return bits_; }
  int32_t max_level() const { return max_; }
  int64_t weight() const { return int64_t{1} << shift_; }
  int32_t convert(int32_t x);
  std::vector<int32_t> convert(const std::vector<int32_t>& x);
  // Slots the pulse is on for this level (the PWM duration); the sign picks the read polarity.
  static int32_t slots(int32_t level) { return level < 0 ? -level : level; }
  int64_t clip_count() const { return clips_; }

 private:
  int bits_, shift_;
  int32_t max_;
  int64_t clips_ = 0;
};

// ADC with a fixed gain: one LSB (in the units of its input) set at construction and never adapted
// per layer (AON-CiM's fixed ADC gain). code = clamp(round(y / lsb), +-max_level(bits)).
class Adc {
 public:
  Adc(int bits, double lsb);
  // AIHWKit convention: full scale +-bound over 2^bits - 2 steps, lsb = 2 bound / (2^bits - 2).
  static Adc from_bound(int bits, double bound);
  int bits() const { return bits_; }
  double lsb() const { return lsb_; }
  double bound() const { return bound_; }
  int32_t code(double y);
  // code * lsb, saturating to exactly +-bound.
  double quantize(double y);
  std::vector<int32_t> convert(const std::vector<double>& y);
  int64_t clip_count() const { return clips_; }
  void reset_clip_count() { clips_ = 0; }

 private:
  int bits_;
  double lsb_, bound_;
  int32_t max_;
  int64_t clips_ = 0;
};

// Additive analog noise at the ADC input (AIHWKit out_noise, §1.8 step 10; check list D2), in the units of
// the ADC input. Column c has sigma_c = out_noise * |1 + out_noise_std * N(0,1)|, drawn once at
// construction from stream "output noise <tile>" (assumption: the reference gives only "a per-column fixed
// spread"); each apply() draws fresh N(0, sigma_c^2) per column from `read`.
class OutputNoise {
 public:
  OutputNoise(int cols, double out_noise, double out_noise_std = 0.0, uint64_t seed = 0, uint64_t tile = 0);
  const std::vector<double>& column_sigma() const { return sigma_; }
  std::vector<double> apply(const std::vector<double>& y, Rng& read) const;

 private:
  std::vector<double> sigma_;
};

// Signed word bits that hold alpha * code for every code of a b-bit ADC and |alpha| <= alpha_max: drift
// compensation multiplies digitally after a fixed-gain ADC, so the word must grow with alpha (check C3).
int compensated_word_bits(int adc_bits, double alpha_max);

// Smallest ADC bits whose symmetric range holds every integer of magnitude <= max_abs (lsb = 1): with
// noise off this ADC returns the exact integer dot product (check list A1).
int adc_bits_for_exact(int64_t max_abs);

}  // namespace npusim::cim
