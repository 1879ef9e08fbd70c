// Crossbar tile: mapping (A3), ideal path (A1), read-noise resampling (B4), determinism (F1).
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "models/cim/converters.h"
#include "models/cim/crossbar.h"
#include "sim/common/error.h"
#include "tests/unit/cim/cim_test_stats.h"

using namespace npusim;
using namespace npusim::cim;

namespace {
using npusim::cim::test::random_ints;

PcmDevice noise_free() {
  PcmDevice d;
  d.prog_noise_scale = 0;
  d.drift_scale = 0;
  d.read_noise_scale = 0;
  return d;
}
}  // namespace

TEST_CASE("A3 differential mapping round-trip, one device of each pair at g_min", "[cim][crossbar]") {
  for (double g_min : {0.0, 2.0}) {
    PcmDevice d = noise_free();
    d.g_min = g_min;
    Crossbar xb(32, 8, d);
    auto w = random_ints(32 * 8, -127, 127, 1);
    w[5] = 0;
    xb.program(w, 42, 0);
    for (int c = 0; c < 8; ++c) {
      int w_max = 0;
      for (int j = 0; j < 32; ++j) w_max = std::max(w_max, std::abs(w[j * 8 + c]));
      CHECK(xb.column_scale(c) == Approx((d.g_max - g_min) / w_max));
      for (int j = 0; j < 32; ++j) {
        const PcmCell& p = xb.cell(j, c, true);
        const PcmCell& n = xb.cell(j, c, false);
        const double w_back = ((p.g_target - g_min) - (n.g_target - g_min)) / xb.column_scale(c);
        CHECK(w_back == Approx(w[j * 8 + c]).margin(1e-9));
        const int at_min = (p.g_target == g_min) + (n.g_target == g_min);
        CHECK(at_min == (w[j * 8 + c] == 0 ? 2 : 1));
        CHECK(std::max(p.g_target, n.g_target) <= d.g_max + 1e-12);
      }
    }
  }
}

TEST_CASE("A1 noise-free tile + wide ADC returns the exact integer dot product", "[cim][crossbar]") {
  const int rows = 64, cols = 16;
  Crossbar xb(rows, cols, noise_free());
  const auto w = random_ints(rows * cols, -127, 127, 2);
  xb.program(w, 1, 0);
  const int bits = adc_bits_for_exact(int64_t{rows} * 127 * 127);
  Rng read(1, "read noise");
  for (uint64_t k = 0; k < 20; ++k) {
    PwmDac dac(8);
    const auto x = dac.convert(random_ints(rows, -127, 127, 100 + k));
    std::vector<int64_t> ref(cols, 0);
    for (int j = 0; j < rows; ++j)
      for (int c = 0; c < cols; ++c) ref[c] += int64_t{w[j * cols + c]} * x[j];
    CHECK(xb.dot_int(x) == ref);
    // Ideal path and the analog path with every noise source off (t = 0 and t = 1 day), through an ADC of
    // one integer LSB after the per-column digital scale.
    for (const auto& y : {xb.mvm_ideal(x), xb.mvm(x, 0.0, read), xb.mvm(x, 86400.0, read)}) {
      Adc adc(bits, 1.0);
      std::vector<double> yn(cols);
      for (int c = 0; c < cols; ++c) yn[c] = y[c] / xb.column_scale(c);
      const auto codes = adc.convert(yn);
      for (int c = 0; c < cols; ++c) CHECK(codes[c] == ref[c]);
      CHECK(adc.clip_count() == 0);
    }
  }
}

TEST_CASE("A1 ideal output is exactly the integer sum times the column scale", "[cim][crossbar]") {
  Crossbar xb(8, 3);
  xb.program({1, -2, 3, 4, 5, -6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, -24}, 9,
             0);
  const std::vector<int32_t> x{1, 2, 3, 4, -5, 6, 7, 8};
  const auto acc = xb.dot_int(x);
  const auto y = xb.mvm_ideal(x);
  for (int c = 0; c < 3; ++c) CHECK(y[c] == static_cast<double>(acc[c]) * xb.column_scale(c));
  CHECK(xb.column_scale(2) == 25.0 / 24);
}

TEST_CASE("size mismatches are input errors", "[cim][crossbar]") {
  Crossbar xb(4, 2);
  CHECK_THROWS_AS(xb.program(std::vector<int32_t>(7, 1), 0, 0), InputError);
  xb.program(std::vector<int32_t>(8, 1), 0, 0);
  Rng read(0, "read noise");
  CHECK_THROWS_AS(xb.mvm({1, 2, 3}, 0, read), InputError);
  CHECK_THROWS_AS(Crossbar(0, 4), InputError);
  PcmDevice bad;
  bad.g_min = 30;
  CHECK_THROWS_AS(Crossbar(4, 4, bad), InputError);
}

TEST_CASE("B4 read noise is resampled every read, nu and g_prog stay fixed", "[cim][crossbar]") {
  Crossbar xb(16, 4);
  xb.program(random_ints(64, -127, 127, 3), 5, 0);
  const PcmCell before = xb.cell(3, 2, true);
  Rng read(5, "read noise");
  const auto x = random_ints(16, -127, 127, 4);
  const auto y1 = xb.mvm(x, 86400, read);
  const auto y2 = xb.mvm(x, 86400, read);
  for (int c = 0; c < 4; ++c) CHECK(y1[c] != y2[c]);
  CHECK(xb.cell(3, 2, true).nu == before.nu);
  CHECK(xb.cell(3, 2, true).g_prog == before.g_prog);
  // Without read noise, repeated reads at the same t are identical.
  PcmDevice d;
  d.read_noise_scale = 0;
  Crossbar quiet(16, 4, d);
  quiet.program(random_ints(64, -127, 127, 3), 5, 0);
  CHECK(quiet.mvm(x, 86400, read) == quiet.mvm(x, 86400, read));
}

TEST_CASE("B5 every programmed conductance is non-negative", "[cim][crossbar]") {
  Crossbar xb(64, 32);
  xb.program(random_ints(64 * 32, -127, 127, 6), 8, 3);
  for (int j = 0; j < 64; ++j)
    for (int c = 0; c < 32; ++c)
      for (bool pos : {true, false}) REQUIRE(xb.cell(j, c, pos).g_prog >= 0);
}

TEST_CASE("F1 same seed gives identical tiles and reads, in any order of programming", "[cim][crossbar]") {
  const auto w0 = random_ints(32 * 8, -127, 127, 10);
  const auto w1 = random_ints(32 * 8, -127, 127, 11);
  const auto x = random_ints(32, -127, 127, 12);
  auto run = [&](bool tile1_first) {
    Crossbar t0(32, 8), t1(32, 8);
    if (tile1_first) {
      t1.program(w1, 77, 1);
      t0.program(w0, 77, 0);
    } else {
      t0.program(w0, 77, 0);
      t1.program(w1, 77, 1);
    }
    Rng r0(77, "read noise 0"), r1(77, "read noise 1");
    auto y1 = tile1_first ? t1.mvm(x, 3600, r1) : std::vector<double>{};
    auto y0 = t0.mvm(x, 3600, r0);
    if (!tile1_first) y1 = t1.mvm(x, 3600, r1);
    y0.insert(y0.end(), y1.begin(), y1.end());
    return y0;
  };
  const auto a = run(false);
  CHECK(a == run(false));
  CHECK(a == run(true));
  // A different seed or tile index gives different devices.
  Crossbar s(32, 8), t(32, 8), u(32, 8);
  s.program(w0, 77, 0);
  t.program(w0, 78, 0);
  u.program(w0, 77, 1);
  CHECK(s.cell(0, 0, true).g_prog != t.cell(0, 0, true).g_prog);
  CHECK(s.cell(0, 0, true).g_prog != u.cell(0, 0, true).g_prog);
}

TEST_CASE("A4 a layer split over tiles with digital summation equals the unsplit result", "[cim][crossbar]") {
  const int rows = 96, cols = 8;
  const auto w = random_ints(rows * cols, -127, 127, 30);
  const auto x = random_ints(rows, -127, 127, 31);
  Crossbar full(rows, cols);
  full.program(w, 1, 0);
  const auto ref = full.dot_int(x);
  // Rows split 40 / 56 over two tiles; the digital partial sums are added in either order.
  Crossbar a(40, cols), b(56, cols);
  a.program(std::vector<int32_t>(w.begin(), w.begin() + 40 * cols), 1, 1);
  b.program(std::vector<int32_t>(w.begin() + 40 * cols, w.end()), 1, 2);
  const auto ya = a.dot_int(std::vector<int32_t>(x.begin(), x.begin() + 40));
  const auto yb = b.dot_int(std::vector<int32_t>(x.begin() + 40, x.end()));
  for (int c = 0; c < cols; ++c) {
    CHECK(ya[c] + yb[c] == ref[c]);
    CHECK(yb[c] + ya[c] == ref[c]);
  }
}

TEST_CASE("A1 with one tile scale, a fixed ADC LSB in µS returns the exact dot product", "[cim][crossbar]") {
  const int rows = 48, cols = 12;
  PcmDevice d = noise_free();
  Crossbar xb(rows, cols, d);
  const auto w = random_ints(rows * cols, -100, 100, 40);  // columns do not reach 127
  xb.program(w, 1, 0, 127);
  for (int c = 0; c < cols; ++c) CHECK(xb.column_scale(c) == 25.0 / 127);
  Adc adc(adc_bits_for_exact(int64_t{rows} * 127 * 127), 25.0 / 127);  // one weight step x one slot
  Rng read(1, "read noise");
  const auto x = random_ints(rows, -127, 127, 41);
  CHECK(adc.convert(xb.mvm(x, 0, read)) == [&] {
    std::vector<int32_t> r;
    for (int64_t v : xb.dot_int(x)) r.push_back(static_cast<int32_t>(v));
    return r;
  }());
  CHECK_THROWS_AS(xb.program(w, 1, 0, 99), InputError);
}

TEST_CASE("F1 columns read in any order give mvm's values", "[cim][crossbar]") {
  Crossbar xb(24, 10);
  xb.program(random_ints(24 * 10, -127, 127, 50), 3, 0);
  const auto x = random_ints(24, -127, 127, 51);
  Rng read(3, "read noise"), same(3, "read noise");
  const auto y = xb.mvm(x, 86400, read);
  const uint64_t base = same.next_u64();
  for (int c = 9; c >= 0; --c) CHECK(xb.mvm_column(x, c, 86400, base) == y[c]);
  // Interleaving reads at other times (which rebuild the drift cache) does not change a read.
  Rng r1(4, "read noise"), r2(4, "read noise");
  const auto a = xb.mvm(x, 3600, r1);
  xb.mvm(x, 1e6, read);
  CHECK(xb.mvm(x, 3600, r2) == a);
}

TEST_CASE("B4 tile reads carry the device's 1/f noise: 4.48 % at x = 1 after 1 day", "[cim][crossbar]") {
  PcmDevice d;
  d.prog_noise_scale = 0;  // G- stays at exactly 0, so a read of w = 127 is G+ alone
  Crossbar xb(2, 1, d);
  xb.program({127, 0}, 1, 0);
  const PcmCell& p = xb.cell(0, 0, true);
  const double g_drift = drifted_conductance(d, p.g_prog, p.nu, 86400);
  Rng read(2, "read noise");
  std::vector<double> rel(50000);
  for (double& v : rel) v = xb.mvm({1, 0}, 86400, read)[0] / g_drift - 1;
  const auto m = test::moments(rel);
  CHECK(std::abs(m.std - 0.0448) < 5 * m.se_std() + 5e-5);
  CHECK(std::abs(m.mean) < 5 * m.se_mean());
}
