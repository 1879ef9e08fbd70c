// PWM DAC and fixed-gain ADC (reference/pcm_cim.md §1.8, §4 A2, D1, D5).
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "models/cim/converters.h"
#include "models/cim/normal.h"
#include "sim/common/error.h"
#include "tests/unit/cim/cim_test_stats.h"

using namespace npusim;
using namespace npusim::cim;

TEST_CASE("A2 quantiser steps: ADC 24/510, DAC 2/126", "[cim][converters]") {
  CHECK(Adc::from_bound(9, 12.0).lsb() == Approx(24.0 / 510).epsilon(1e-15));
  CHECK(Adc::from_bound(9, 12.0).lsb() == Approx(0.04706).margin(1e-5));
  CHECK(Adc::from_bound(7, 1.0).lsb() == Approx(0.01587).margin(1e-5));
  CHECK(max_level(8) == 127);
  CHECK(max_level(4) == 7);
  CHECK_THROWS_AS(max_level(1), InputError);
  CHECK_THROWS_AS(Adc(8, 0.0), InputError);
}

TEST_CASE("A2 values on a level are unchanged, ties round away from zero, overflow saturates",
          "[cim][converters]") {
  Adc adc = Adc::from_bound(9, 12.0);
  for (int k = -255; k <= 255; ++k) CHECK(adc.quantize(k * adc.lsb()) == Approx(k * adc.lsb()).margin(1e-12));
  CHECK(adc.clip_count() == 0);
  CHECK(adc.quantize(12.0) == 12.0);
  CHECK(adc.quantize(13.0) == 12.0);
  CHECK(adc.quantize(-1e9) == -12.0);
  CHECK(adc.clip_count() == 2);
  Adc unit(8, 1.0);
  CHECK(unit.code(0.5) == 1);
  CHECK(unit.code(-0.5) == -1);
  CHECK(unit.code(1.5) == 2);
  CHECK(unit.code(2.5) == 3);
  CHECK(unit.code(0.49) == 0);
  CHECK(unit.code(127.4) == 127);
  CHECK(unit.clip_count() == 0);
  CHECK(unit.code(127.5) == 127);
  CHECK(unit.clip_count() == 1);
}

TEST_CASE("PWM DAC: int8 at 8 bits is the identity (128 slots plus sign), shift for fewer bits", "[cim][converters]") {
  PwmDac dac(8);
  CHECK(dac.max_level() == 128);
  for (int x = -128; x <= 127; ++x) CHECK(dac.convert(x) == x);
  CHECK(dac.clip_count() == 0);
  CHECK(dac.convert(129) == 128);
  CHECK(dac.clip_count() == 1);
  CHECK(PwmDac::slots(-100) == 100);
  PwmDac d4(4, 4);
  CHECK(d4.weight() == 16);
  CHECK(d4.convert(24) == 2);  // 1.5 rounds away from zero
  CHECK(d4.convert(-24) == -2);
  CHECK(d4.convert(100) == 6);
  CHECK(d4.convert(127) == 8);  // 7.94 -> 8 slots: the full window
  CHECK(d4.convert(-128) == -8);
  CHECK(d4.convert(200) == 8);  // 12.5 saturates to 8
  CHECK(d4.clip_count() == 1);
}

TEST_CASE("A1 ADC width for an exact integer dot product", "[cim][converters]") {
  CHECK(adc_bits_for_exact(127) == 8);
  CHECK(adc_bits_for_exact(128) == 9);
  CHECK(adc_bits_for_exact(256 * 127 * 127) == 23);
  Adc adc(adc_bits_for_exact(256 * 127 * 127), 1.0);
  CHECK(adc.code(256.0 * 127 * 127) == 256 * 127 * 127);
  CHECK(adc.code(-256.0 * 127 * 127) == -256 * 127 * 127);
  CHECK(adc.clip_count() == 0);
}

namespace {
double sqnr_db(int bits, double bound, bool gaussian, uint64_t seed) {
  Adc adc = Adc::from_bound(bits, bound);
  Rng rng(seed, "sqnr");
  double s = 0, e = 0;
  for (int i = 0; i < 200000; ++i) {
    const double y = gaussian ? standard_normal(rng) : bound * (2 * rng.uniform01() - 1);
    const double q = adc.quantize(y);
    s += y * y;
    e += (q - y) * (q - y);
  }
  return 10 * std::log10(s / e);
}
}  // namespace

TEST_CASE("D1 SQNR of a Gaussian output clipped at 4 sigma", "[cim][converters]") {
  // Reference, 2^N - 2 steps (AIHWKit): 15.7, 28.6, 40.8 dB. The reference ignores clipping noise, which
  // costs about 0.3 dB at 8 bits (2 ((1 + 16) Q(4) - 4 phi(4)) = 6.4e-6 against 8.3e-5): 0.5 dB tolerance.
  CHECK(sqnr_db(4, 4.0, true, 1) == Approx(15.7).margin(0.5));
  CHECK(sqnr_db(6, 4.0, true, 2) == Approx(28.6).margin(0.5));
  CHECK(sqnr_db(8, 4.0, true, 3) == Approx(40.8).margin(0.5));
}

TEST_CASE("D1 SQNR slope is 6.02 dB per bit for a full-scale uniform input", "[cim][converters]") {
  // 200k samples: the noise power is estimated to about 0.2 %, i.e. 0.01 dB.
  for (int n = 8; n < 12; ++n) {
    const double a = sqnr_db(n, 1.0, false, 10 + n), b = sqnr_db(n + 1, 1.0, false, 30 + n);
    INFO("bits " << n);
    CHECK(b - a == Approx(6.02).margin(0.1));
    CHECK(a == Approx(6.02 * n).margin(0.2));
  }
}

TEST_CASE("D5 fixed ADC gain clips large layer outputs and counts them", "[cim][converters]") {
  Adc adc(8, 2.0);  // fixed: +-254 full scale
  std::vector<double> layer{10, -300, 254, 255, 1000, -253};
  const auto codes = adc.convert(layer);
  CHECK(codes == std::vector<int32_t>{5, -127, 127, 127, 127, -127});  // 255/2 = 127.5 rounds to 128: clip
  CHECK(adc.clip_count() == 3);
  adc.reset_clip_count();
  CHECK(adc.clip_count() == 0);
}

TEST_CASE("D2 output noise: all-zero input gives std out_noise, the per-column spread is fixed",
          "[cim][converters]") {
  const int cols = 4, reads = 50000;
  OutputNoise noise(cols, 0.06);
  Rng read(1, "read noise");
  std::vector<std::vector<double>> per_col(cols);
  for (int k = 0; k < reads; ++k) {
    const auto y = noise.apply(std::vector<double>(cols, 0.0), read);
    for (int c = 0; c < cols; ++c) per_col[c].push_back(y[c]);
  }
  for (int c = 0; c < cols; ++c) {
    const auto m = test::moments(per_col[c]);
    CHECK(std::abs(m.std - 0.06) < 5 * m.se_std());
    CHECK(std::abs(m.mean) < 5 * m.se_mean());
  }
  // With a spread, sigma_c differ between columns, are fixed at construction (same seed, same sigmas)
  // and do not change with reads.
  OutputNoise a(cols, 0.06, 0.2, 7, 0), b(cols, 0.06, 0.2, 7, 0), other(cols, 0.06, 0.2, 7, 1);
  CHECK(a.column_sigma() == b.column_sigma());
  CHECK(a.column_sigma() != other.column_sigma());
  CHECK(a.column_sigma()[0] != a.column_sigma()[1]);
  a.apply(std::vector<double>(cols, 0.0), read);
  CHECK(a.column_sigma() == b.column_sigma());
  CHECK_THROWS_AS(a.apply({0.0}, read), InputError);
}

TEST_CASE("C3 compensated outputs need a wider digital word than the fixed-gain ADC", "[cim][converters]") {
  // 1 day, nu = 0.049: alpha = 1/0.6635 = 1.507, so 127 * 1.507 = 191 needs 9 signed bits after an 8-bit ADC.
  CHECK(compensated_word_bits(8, 1.0) == 8);
  CHECK(compensated_word_bits(8, 1.507) == 9);
  CHECK(compensated_word_bits(8, 2.1) == 10);  // 267
  CHECK_THROWS_AS(compensated_word_bits(8, 0.0), InputError);
}
