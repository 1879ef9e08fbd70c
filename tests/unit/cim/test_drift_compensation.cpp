// Global drift compensation (reference/pcm_cim.md §1.6, §4 C1-C3).
#include <catch2/catch.hpp>
#include <cmath>
#include <memory>
#include <vector>

#include "models/cim/crossbar.h"
#include "sim/common/error.h"
#include "tests/unit/cim/cim_test_stats.h"

using namespace npusim;
using namespace npusim::cim;

namespace {
using npusim::cim::test::random_ints;

// One-hot outputs (rows x cols) at t, compensated by alpha.
std::vector<double> one_hot_outputs(const Crossbar& xb, double t, double alpha, Rng& read) {
  std::vector<double> out;
  std::vector<int32_t> x(xb.rows(), 0);
  for (int j = 0; j < xb.rows(); ++j) {
    x[j] = 1;
    for (double v : xb.mvm(x, t, read)) out.push_back(std::abs(v) * alpha);
    x[j] = 0;
  }
  return out;
}
}  // namespace

TEST_CASE("C1 pure global drift is restored exactly, alpha = 1.507 at 1 day with nu = 0.049", "[cim][gdc]") {
  PcmDevice d;
  d.read_noise_scale = 0;
  d.nu_mean_lo = d.nu_mean_hi = 0.049;  // every device, g_min ones included, drifts with nu = 0.049
  d.nu_std_scale = 0;
  Crossbar xb(32, 16, d);
  xb.program(random_ints(32 * 16, -127, 127, 1), 3, 0);
  Rng read(3, "read noise");
  xb.calibrate(read);
  const double alpha = xb.drift_compensation(86400, read);
  CHECK(alpha == Approx(1 / 0.6635).margin(2e-4));
  CHECK(alpha == Approx(1.507).margin(5e-4));
  const auto x = random_ints(32, -127, 127, 2);
  const auto y0 = xb.mvm(x, 0, read);
  const auto yc = apply_compensation(xb.mvm(x, 86400, read), alpha);
  for (int c = 0; c < 16; ++c) CHECK(yc[c] == Approx(y0[c]).epsilon(1e-12));
  // At t = 0 alpha is exactly 1.
  CHECK(xb.drift_compensation(0, read) == 1.0);
}

TEST_CASE("C2 compensation restores the mean readout, not the spread", "[cim][gdc]") {
  Crossbar xb(64, 64);
  xb.program(random_ints(64 * 64, -127, 127, 4), 9, 0);
  Rng read(9, "read noise");
  xb.calibrate(read);
  const double t = 86400;
  const double alpha = xb.drift_compensation(t, read);
  CHECK(alpha > 1.3);  // the mean drift is substantial at 1 day
  // A fresh one-hot readout: compensated mean |y| against a fresh t = 0 readout. Four independent reads
  // enter (two here, two in calibrate/alpha), hence the sqrt(2) on the standard error of the difference.
  const auto y0 = one_hot_outputs(xb, 0, 1.0, read);
  const auto yt = one_hot_outputs(xb, t, alpha, read);
  std::vector<double> diff(y0.size());
  for (size_t i = 0; i < y0.size(); ++i) diff[i] = yt[i] - y0[i];
  const auto m = test::moments(diff);
  const double mean0 = test::moments(y0).mean;
  INFO("mean |y0| " << mean0 << ", mean difference " << m.mean << " +- " << m.se_mean());
  CHECK(std::abs(m.mean) < 5 * std::sqrt(2.0) * m.se_mean());
  CHECK(std::abs(m.mean) < 0.02 * mean0);
  // Without compensation the mean is off by the drift.
  CHECK(test::moments(one_hot_outputs(xb, t, 1.0, read)).mean < 0.8 * mean0);

  // The relative error of compensated outputs against the ideal grows with t (sigma_nu and 1/f noise).
  auto rel_err = [&](double tt) {
    const double a = xb.drift_compensation(tt, read);
    double num = 0, den = 0;
    for (uint64_t k = 0; k < 30; ++k) {
      const auto x = random_ints(64, -127, 127, 100 + k);
      const auto ideal = xb.mvm_ideal(x);
      const auto y = apply_compensation(xb.mvm(x, tt, read), a);
      for (int c = 0; c < 64; ++c) {
        num += (y[c] - ideal[c]) * (y[c] - ideal[c]);
        den += ideal[c] * ideal[c];
      }
    }
    return std::sqrt(num / den);
  };
  const double e0 = rel_err(0), e_day = rel_err(86400), e_year = rel_err(365 * 86400.0);
  INFO("relative error: t=0 " << e0 << ", 1 day " << e_day << ", 1 year " << e_year);
  CHECK(e0 > 0);
  CHECK(e_day > e0);
  CHECK(e_year > e_day);
}

TEST_CASE("C3 alpha comes from the noisy readout and is applied to every output", "[cim][gdc]") {
  Crossbar xb(16, 8);
  xb.program(random_ints(16 * 8, -127, 127, 5), 1, 0);
  CHECK_THROWS_AS(xb.drift_compensation(100, *std::make_unique<Rng>(1, "read noise")), InputError);
  Rng ra(1, "read noise a"), rb(1, "read noise b");
  xb.calibrate(ra);
  const double ref_a = xb.gdc_reference();
  xb.calibrate(rb);
  CHECK(xb.gdc_reference() != ref_a);  // read noise enters the reference
  CHECK(xb.gdc_reference() == Approx(ref_a).epsilon(0.05));
  const double alpha = xb.drift_compensation(3600, ra);
  const std::vector<double> y{1.0, -2.0, 0.0, 3.5};
  const auto yc = apply_compensation(y, alpha);
  for (size_t i = 0; i < y.size(); ++i) CHECK(yc[i] == y[i] * alpha);
  // readout is clamped at 1e-4: an all-zero noise-free tile reads exactly that.
  PcmDevice d;
  d.prog_noise_scale = d.read_noise_scale = 0;
  Crossbar zero(4, 4, d);
  zero.program(std::vector<int32_t>(16, 0), 1, 0);
  CHECK(zero.gdc_readout(0, ra) == 1e-4);
}

TEST_CASE("C2 per-column compensation restores every column's readout, global only the tile mean",
          "[cim][gdc]") {
  // Columns with different conductance statistics drift differently: even columns hold full-range
  // weights (nu about 0.049), odd columns one outlier and small weights (low g, nu up to 0.1). Drift only
  // (programming and read noise off), so the readouts are deterministic.
  // Measured but not asserted: on the output error of random inputs (weighted by g^2, dominated by the
  // outlier) per-column compensation is 1-2 % worse than global here, because its alpha follows the
  // many small devices; the reference's "at least as good" holds for the readout it equalises.
  const int rows = 64, cols = 32;
  std::vector<int32_t> w = random_ints(rows * cols, -127, 127, 20);
  for (int j = 0; j < rows; ++j)
    for (int c = 1; c < cols; c += 2) w[j * cols + c] = j == 0 ? 127 : w[j * cols + c] / 16;
  PcmDevice d;
  d.prog_noise_scale = 0;
  d.read_noise_scale = 0;
  Crossbar xb(rows, cols, d);
  xb.program(w, 21, 0);
  Rng read(21, "read noise");
  xb.calibrate(read);
  const auto ref = xb.gdc_column_readout(0, read);
  for (double t : {86400.0, 365 * 86400.0}) {
    const double a = xb.drift_compensation(t, read);
    const auto ac = xb.column_drift_compensation(t, read);
    const auto rt = xb.gdc_column_readout(t, read);
    double e_global = 0, e_column = 0;
    for (int c = 0; c < cols; ++c) {
      CHECK(rt[c] * ac[c] == Approx(ref[c]).epsilon(1e-12));
      e_global += std::pow(rt[c] * a / ref[c] - 1, 2);
      e_column += std::pow(rt[c] * ac[c] / ref[c] - 1, 2);
    }
    INFO("t " << t << ": column readout rms error global " << std::sqrt(e_global / cols) << ", per column "
              << std::sqrt(e_column / cols));
    CHECK(e_column <= e_global);
    CHECK(std::sqrt(e_global / cols) > 0.01);  // the columns really drift differently
  }
  CHECK_THROWS_AS(apply_compensation({1.0, 2.0}, std::vector<double>{1.0}), InputError);
}
