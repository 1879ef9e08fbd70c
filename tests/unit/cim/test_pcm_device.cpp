// PCM device statistics (reference/pcm_cim.md §4 B1-B5) with the reference's numbers.
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "models/cim/normal.h"
#include "models/cim/pcm_device.h"
#include "tests/unit/cim/cim_test_stats.h"

using namespace npusim;
using namespace npusim::cim;
using npusim::cim::test::moments;

namespace {
constexpr int kSamples = 100000;

std::vector<double> prog_errors(const PcmDevice& d, double g_target, uint64_t seed) {
  Rng rng(seed, "programming");
  std::vector<double> e(kSamples);
  for (double& v : e) v = program_conductance(d, g_target, rng) - g_target;
  return e;
}
}  // namespace

TEST_CASE("B1 programming-noise polynomial matches the reference table", "[cim][device]") {
  const PcmDevice d;
  // §1.2 table at g_max = 25 µS.
  CHECK(prog_noise_sigma(d, 0.0) == Approx(0.2635).margin(1e-4));
  CHECK(prog_noise_sigma(d, 2.5) == Approx(0.4482).margin(1e-4));
  CHECK(prog_noise_sigma(d, 6.25) == Approx(0.6814).margin(1e-4));
  CHECK(prog_noise_sigma(d, 12.5) == Approx(0.9527).margin(1e-4));
  CHECK(prog_noise_sigma(d, 18.75) == Approx(1.0774).margin(1e-4));
  CHECK(prog_noise_sigma(d, 25.0) == Approx(1.0554).margin(1e-4));
}

TEST_CASE("B1 measured programming sigma over 1e5 devices", "[cim][device]") {
  const PcmDevice d;
  for (auto [g, sigma] : {std::pair{12.5, 0.9527}, {25.0, 1.0554}, {6.25, 0.6814}}) {
    const auto m = moments(prog_errors(d, g, 1));
    INFO("g_T = " << g << " µS, sample std " << m.std);
    // 5 standard errors of the sample std (0.22 % each at n = 1e5), about the reference's 1 %.
    CHECK(std::abs(m.std - sigma) < 5 * m.se_std());
    CHECK(std::abs(m.mean) < 5 * m.se_mean());
  }
  // Near 0 the clamp at 0 truncates: max(0, sigma N) has std sigma * sqrt(1/2 - 1/(2 pi)).
  const auto m0 = moments(prog_errors(d, 0.0, 2));
  CHECK(m0.std == Approx(0.26348 * std::sqrt(0.5 - 0.5 / M_PI)).epsilon(0.01));
  CHECK(m0.std < 0.26348 * 0.9);
}

TEST_CASE("B1 sigma scales with g_max / 25", "[cim][device]") {
  PcmDevice d;
  d.g_max = 12.5;
  CHECK(prog_noise_sigma(d, 6.25) == Approx(0.9527 * 0.5).margin(1e-4));
  const auto m = moments(prog_errors(d, 6.25, 3));
  CHECK(std::abs(m.std - 0.9527 * 0.5) < 5 * m.se_std());
}

TEST_CASE("B2 drift exponent mean and std as functions of conductance", "[cim][device]") {
  const PcmDevice d;
  struct Row {
    double x, mu, sigma;
  };
  // §1.3 table.
  for (const Row& r :
       {Row{1, 0.049, 0.008}, Row{0.5, 0.049, 0.008}, Row{0.25, 0.049, 0.0114}, Row{0.1, 0.0601, 0.0229},
        Row{0.05, 0.0708, 0.0315}, Row{0.01, 0.0958, 0.045}, Row{0.005, 0.1, 0.045}, Row{0, 0.1, 0.045}}) {
    INFO("x = " << r.x);
    CHECK(drift_nu_mean(d, r.x * d.g_max) == Approx(r.mu).margin(1e-4));
    CHECK(drift_nu_std(d, r.x * d.g_max) == Approx(r.sigma).margin(1e-4));
  }
}

TEST_CASE("B2 sampled nu matches the folded normal of mu_nu, sigma_nu", "[cim][device]") {
  const PcmDevice d;
  for (double x : {1.0, 0.1}) {
    const double mu = drift_nu_mean(d, x * d.g_max), s = drift_nu_std(d, x * d.g_max);
    Rng rng(7, "drift");
    std::vector<double> nu(kSamples);
    for (double& v : nu) v = sample_drift_nu(d, x * d.g_max, rng);
    const auto m = moments(nu);
    // |N(mu, s^2)|: mean s sqrt(2/pi) exp(-mu^2/2s^2) + mu (1 - 2 Phi(-mu/s)).
    const double fmean =
        s * std::sqrt(2 / M_PI) * std::exp(-mu * mu / (2 * s * s)) + mu * (1 - 2 * test::phi_cdf(-mu / s));
    const double fstd = std::sqrt(mu * mu + s * s - fmean * fmean);
    INFO("x = " << x << " mean " << m.mean << " std " << m.std);
    CHECK(std::abs(m.mean - fmean) < 5 * m.se_mean());
    CHECK(std::abs(m.std - fstd) < 5 * m.se_std());
    // And against the reference's unfolded numbers (folding bias < 1 % here).
    CHECK(m.mean == Approx(x == 1.0 ? 0.049 : 0.0601).epsilon(0.01));
    CHECK(m.std == Approx(x == 1.0 ? 0.008 : 0.0229).epsilon(0.02));
    for (double v : nu) REQUIRE(v >= 0);
  }
}

TEST_CASE("B3 deterministic drift law", "[cim][device]") {
  const PcmDevice d;
  CHECK(drift_factor(d, 0.049, 86400) == Approx(0.6635).margin(5e-5));
  CHECK(drift_factor(d, 0.06, 86400) == Approx(0.6052).margin(5e-5));
  CHECK(drift_factor(d, 0.1, 86400) == Approx(0.4330).margin(5e-5));
  CHECK(drift_factor(d, 0.049, 3600) == Approx(0.7751).margin(5e-5));
  CHECK(drift_factor(d, 0.1, 365 * 86400.0) == Approx(0.2400).margin(5e-5));
  CHECK(drift_factor(d, 0.049, 0.0) == 1.0);
  CHECK(drifted_conductance(d, 20.0, 0.049, 86400) == Approx(20 * 0.6635).margin(1e-3));
  // log g against log(t / t0) is a straight line of slope -nu.
  const double nu = 0.073;
  for (double t : {1.0, 100.0, 1e4, 1e6}) {
    const double t2 = 10 * t;
    const double slope =
        (std::log(drifted_conductance(d, 10, nu, t2)) - std::log(drifted_conductance(d, 10, nu, t))) /
        (std::log((t2 + d.t0) / d.t0) - std::log((t + d.t0) / d.t0));
    CHECK(slope == Approx(-nu).epsilon(1e-12));
  }
}

TEST_CASE("B4 read-noise Q_s and 1/f factor values", "[cim][device]") {
  const PcmDevice d;
  CHECK(read_noise_q(d, 25.0) == Approx(0.0088).margin(1e-4));
  CHECK(read_noise_q(d, 12.5) == Approx(0.0138).margin(1e-4));
  CHECK(read_noise_q(d, 6.25) == Approx(0.0217).margin(1e-4));
  CHECK(read_noise_q(d, 2.5) == Approx(0.0393).margin(1e-4));
  CHECK(read_noise_q(d, 0.25) == Approx(0.1756).margin(1e-4));
  CHECK(read_noise_q(d, 0.1) == 0.2);
  // sqrt(ln((t + t_read) / 2 t_read)) from the §1.4 table, through sigma / Q_s at x = 1.
  for (auto [t, f] : {std::pair{0.0, 4.184},
                      {1.0, 4.190},
                      {3600.0, 4.765},
                      {86400.0, 5.087},
                      {604800.0, 5.275},
                      {365 * 86400.0, 5.637}}) {
    CHECK(read_noise_rel_sigma(d, 25.0, t) / read_noise_q(d, 25.0) == Approx(f).margin(1e-3));
  }
  CHECK(read_noise_rel_sigma(d, 25.0, 0) == Approx(0.0368).margin(1e-4));
  CHECK(read_noise_rel_sigma(d, 25.0, 86400) == Approx(0.0448).margin(1e-4));
  CHECK(read_noise_rel_sigma(d, 2.5, 86400) == Approx(0.200).margin(1e-3));
}

TEST_CASE("B4 measured relative read noise over 1e5 reads", "[cim][device]") {
  const PcmDevice d;
  struct Row {
    double g, t, rel, half_digit;
  };
  for (const Row& r :
       {Row{25, 0, 0.0368, 5e-5}, Row{25, 86400, 0.0448, 5e-5}, Row{2.5, 86400, 0.200, 5e-4}}) {
    Rng rng(11, "read noise");
    const double g_drift = drifted_conductance(d, r.g, 0.06, r.t);
    std::vector<double> e(kSamples);
    for (double& v : e) v = (read_conductance(d, g_drift, r.g, r.t, rng) - g_drift) / g_drift;
    const auto m = moments(e);
    INFO("g " << r.g << " t " << r.t << " std " << m.std);
    // 5 standard errors of the sample std (1.1 %) plus the rounding of the reference number.
    CHECK(std::abs(m.std - r.rel) < 5 * m.se_std() + r.half_digit);
    CHECK(std::abs(m.mean) < 5 * m.se_mean());
  }
}

TEST_CASE("B4 read noise is relative to g_drift with Q_s of the conductance given", "[cim][device]") {
  const PcmDevice d;
  // Same N(0,1) draw, Q_s taken at 2.5 µS (x = 0.1) vs 12.5 µS: deviations in ratio 0.0393 / 0.0138.
  Rng a(5, "read noise"), b(5, "read noise");
  const double lo = read_conductance(d, 12.5, 2.5, 86400, a) - 12.5;
  const double hi = read_conductance(d, 12.5, 12.5, 86400, b) - 12.5;
  CHECK(lo / hi == Approx(read_noise_q(d, 2.5) / read_noise_q(d, 12.5)));
}

TEST_CASE("B5 no negative conductances after programming and reads", "[cim][device]") {
  const PcmDevice d;
  Rng prog(3, "programming"), drift(3, "drift"), read(3, "read noise");
  int zeros = 0;
  for (int i = 0; i < kSamples; ++i) {
    const double g_t = (i % 5) * 0.5;  // the low-conductance end, where noise is largest relative to g
    const double g = program_conductance(d, g_t, prog);
    const double nu = sample_drift_nu(d, g_t, drift);
    const double gr = read_conductance(d, drifted_conductance(d, g, nu, 1e5), g_t, 1e5, read);
    REQUIRE(g >= 0);
    REQUIRE(gr >= 0);
    zeros += g == 0;
  }
  CHECK(zeros > kSamples / 20);  // the clamp is exercised: about half of the g_T = 0 devices
}
