#include "models/cim/converters.h"

#include <cmath>
#include <string>

#include "models/cim/normal.h"
#include "sim/common/error.h"

namespace npusim::cim {

int32_t max_level(int bits) {
  if (bits < 2 || bits > 31)
    throw InputError("cim converter: bits must be in [2, 31], got " + std::to_string(bits));
  return static_cast<int32_t>((int64_t{1} << (bits - 1)) - 1);
}

int64_t round_half_away(double v) {
  return static_cast<int64_t>(std::llround(v));
}

PwmDac::PwmDac(int bits, int shift) : bits_(bits), shift_(shift), max_(cim::max_level(bits) + 1) {
  if (shift < 0 || shift > 30) throw InputError("cim DAC: shift must be in [0, 30]");
}

int32_t PwmDac::convert(int32_t x) {
  const int64_t v = pwm_round(x, shift_);
  clips_ += v > max_ || v < -max_;
  return dac_level(x, shift_, max_);
}

std::vector<int32_t> PwmDac::convert(const std::vector<int32_t>& x) {
  std::vector<int32_t> out(x.size());
  for (size_t i = 0; i < x.size(); ++i) out[i] = convert(x[i]);
  return out;
}

Adc::Adc(int bits, double lsb) : bits_(bits), lsb_(lsb), max_(cim::max_level(bits)) {
  if (!(lsb > 0) || !std::isfinite(lsb)) throw InputError("cim ADC: lsb must be positive");
  bound_ = lsb_ * max_;
}

Adc Adc::from_bound(int bits, double bound) {
  Adc a(bits, 2.0 * bound / static_cast<double>((int64_t{1} << bits) - 2));
  a.bound_ = bound;
  return a;
}

int32_t Adc::code(double y) {
  const double r = std::round(y / lsb_);
  if (r > max_ || r < -max_) {
    ++clips_;
    return r > 0 ? max_ : -max_;
  }
  return static_cast<int32_t>(r);
}

double Adc::quantize(double y) {
  const int32_t c = code(y);
  if (c == max_ || c == -max_) return c > 0 ? bound_ : -bound_;
  return c * lsb_;
}

std::vector<int32_t> Adc::convert(const std::vector<double>& y) {
  std::vector<int32_t> out(y.size());
  for (size_t i = 0; i < y.size(); ++i) out[i] = code(y[i]);
  return out;
}

OutputNoise::OutputNoise(int cols, double out_noise, double out_noise_std, uint64_t seed, uint64_t tile) {
  if (cols <= 0 || out_noise < 0 || out_noise_std < 0)
    throw InputError("cim output noise: cols must be positive and sigmas non-negative");
  Rng spread = indexed_stream(seed, "output noise", tile);
  sigma_.resize(cols);
  for (double& s : sigma_) s = out_noise * std::abs(1.0 + out_noise_std * standard_normal(spread));
}

std::vector<double> OutputNoise::apply(const std::vector<double>& y, Rng& read) const {
  if (y.size() != sigma_.size()) throw InputError("cim output noise: one value per column needed");
  std::vector<double> out(y);
  for (size_t c = 0; c < out.size(); ++c) out[c] += sigma_[c] * standard_normal(read);
  return out;
}

int compensated_word_bits(int adc_bits, double alpha_max) {
  if (!(alpha_max > 0) || !std::isfinite(alpha_max))
    throw InputError("cim converter: alpha_max must be positive");
  return adc_bits_for_exact(round_half_away(std::abs(alpha_max) * max_level(adc_bits)));
}

int adc_bits_for_exact(int64_t max_abs) {
  int bits = 2;
  while (((int64_t{1} << (bits - 1)) - 1) < max_abs) ++bits;
  return bits;
}

}  // namespace npusim::cim
