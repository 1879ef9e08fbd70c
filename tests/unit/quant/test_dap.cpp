// Golden dynamic activation pruning (models/systolic/dap.h): hand-worked blocks (ties, -128 against 127,
// nnz 0 / 1 / block / above block, partial last blocks, blocks not straddling rows), the statistics, and
// a randomized check of the rule against a brute-force repeated arg-max selection.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <string>
#include <vector>

#include "sim/common/error.h"
#include "sim/common/rng.h"
#include "models/systolic/dap.h"

using namespace npusim;
using mapping::dap_prune;
using mapping::dap_stats;

namespace {

TensorI8 row(const std::vector<int8_t>& v) {
  TensorI8 t({static_cast<int64_t>(v.size())});
  t.data = v;
  return t;
}

std::vector<int8_t> prune_row(const std::vector<int8_t>& v, int block, int nnz) {
  return dap_prune(row(v), block, nnz).data;
}

// Brute force: min(nnz, n) times pick the largest remaining magnitude, the lowest index among equals.
std::vector<int8_t> brute_force(const TensorI8& t, int block, int nnz) {
  std::vector<int8_t> out(t.data.size(), 0);
  const int64_t len = t.shape.back();
  for (int64_t r0 = 0; r0 < t.size(); r0 += len) {
    for (int64_t b0 = 0; b0 < len; b0 += block) {
      const int64_t n = std::min<int64_t>(block, len - b0);
      std::vector<bool> taken(n, false);
      for (int64_t pick = 0; pick < std::min<int64_t>(nnz, n); ++pick) {
        int64_t best = -1;
        for (int64_t i = 0; i < n; ++i) {
          if (taken[i]) continue;
          if (best < 0 || std::abs(int{t[r0 + b0 + i]}) > std::abs(int{t[r0 + b0 + best]})) best = i;
        }
        taken[best] = true;
        out[r0 + b0 + best] = t[r0 + b0 + best];
      }
    }
  }
  return out;
}

}  // namespace

TEST_CASE("dap_prune: equal magnitudes go to the lower channel index") {
  CHECK(prune_row({3, -3, 3, 1}, 4, 2) == std::vector<int8_t>{3, -3, 0, 0});
  CHECK(prune_row({1, -3, 3, -3}, 4, 2) == std::vector<int8_t>{0, -3, 3, 0});
  CHECK(prune_row({-127, 127}, 2, 1) == std::vector<int8_t>{-127, 0});
  CHECK(prune_row({127, -127}, 2, 1) == std::vector<int8_t>{127, 0});
  CHECK(prune_row({5, 5, 5, 5, 5}, 5, 3) == std::vector<int8_t>{5, 5, 5, 0, 0});
}

TEST_CASE("dap_prune: magnitude of -128 is 128 and beats 127") {
  CHECK(prune_row({127, -128, 5}, 3, 1) == std::vector<int8_t>{0, -128, 0});
  CHECK(prune_row({127, -128, 5}, 3, 2) == std::vector<int8_t>{127, -128, 0});
  CHECK(prune_row({-128, -128, 127}, 3, 1) == std::vector<int8_t>{-128, 0, 0});
  CHECK(prune_row({-1, -128, 1, 0}, 4, 1) == std::vector<int8_t>{0, -128, 0, 0});
}

TEST_CASE("dap_prune: nnz 0 keeps nothing and nnz at or above the block keeps everything") {
  const std::vector<int8_t> v{4, -9, 0, 7, -128, 2};
  CHECK(prune_row(v, 3, 0) == std::vector<int8_t>(6, 0));
  CHECK(prune_row(v, 3, 1) == std::vector<int8_t>{0, -9, 0, 0, -128, 0});
  CHECK(prune_row(v, 3, 3) == v);
  CHECK(prune_row(v, 3, 4) == v);
  CHECK(prune_row(v, 3, 31) == v);
  CHECK(prune_row(v, 1, 0) == std::vector<int8_t>(6, 0));
  CHECK(prune_row(v, 1, 1) == v);
}

TEST_CASE("dap_prune: kept zeros count towards nnz") {
  // Zero magnitudes tie, so the lowest-index zeros are the kept ones (the result keeps them as 0).
  CHECK(prune_row({0, 0, 5, 0}, 4, 3) == std::vector<int8_t>{0, 0, 5, 0});
  CHECK(prune_row({0, 2, 0, -2}, 4, 3) == std::vector<int8_t>{0, 2, 0, -2});
  CHECK(prune_row({0, 2, 0, -2}, 4, 1) == std::vector<int8_t>{0, 2, 0, 0});
}

TEST_CASE("dap_prune: a partial last block is its own block and blocks never straddle rows") {
  // Rows of 5 in blocks of 4: [0..3] and [4]; the single-element block keeps its element with nnz >= 1.
  TensorI8 t({2, 5});
  t.data = {1, 2, 3, 4, 5, -9, 0, 0, 9, -1};
  CHECK(dap_prune(t, 4, 1).data == std::vector<int8_t>{0, 0, 0, 4, 5, -9, 0, 0, 0, -1});
  CHECK(dap_prune(t, 4, 1).shape == t.shape);
  CHECK(dap_prune(t, 4, 0).data == std::vector<int8_t>(10, 0));
  // Rows of 3 in blocks of 2 on a 3-D tensor: blocks [0,1] and [2] of every row.
  TensorI8 u({2, 2, 3});
  u.data = {1, 2, 3, -4, 5, 6, 7, -7, 1, 0, 0, 0};
  CHECK(dap_prune(u, 2, 1).data == std::vector<int8_t>{0, 2, 3, 0, 5, 6, 7, 0, 1, 0, 0, 0});
  // A block larger than the row is one partial block per row.
  CHECK(dap_prune(u, 16, 2).data == std::vector<int8_t>{0, 2, 3, 0, 5, 6, 7, -7, 0, 0, 0, 0});
}

TEST_CASE("dap_prune: rejects a block below 1 and a negative nnz") {
  const TensorI8 t = row({1, 2, 3});
  CHECK_THROWS_AS(dap_prune(t, 0, 1), InputError);
  CHECK_THROWS_AS(dap_prune(t, 2, -1), InputError);
  CHECK(dap_prune(TensorI8(), 4, 1).data.empty());
}

TEST_CASE("dap_stats: kept magnitude and non-zero fraction") {
  const TensorI8 t = row({4, -4, 2, 0});
  const TensorI8 p = dap_prune(t, 4, 2);
  CHECK(p.data == std::vector<int8_t>{4, -4, 0, 0});
  const auto s = dap_stats(t, p);
  CHECK(s.magnitude_kept == Approx(0.8));
  CHECK(s.nonzero_fraction == Approx(0.5));
  const TensorI8 z = row({0, 0, 0});
  const auto sz = dap_stats(z, dap_prune(z, 2, 1));
  CHECK(sz.magnitude_kept == 1.0);
  CHECK(sz.nonzero_fraction == 0.0);
  const auto full = dap_stats(t, t);
  CHECK(full.magnitude_kept == 1.0);
  CHECK(full.nonzero_fraction == Approx(0.75));
  CHECK_THROWS_AS(dap_stats(t, row({1, 2})), InputError);
}

TEST_CASE("dap_prune: random tensors match a brute-force selection") {
  Rng rng(1, "test:dap-golden");
  const std::vector<int8_t> palette{0, 1, -1, 2, -2, 64, -64, 127, -127, -128};
  for (int trial = 0; trial < 3000; ++trial) {
    const int64_t rows = rng.uniform(1, 4), len = rng.uniform(1, 40);
    TensorI8 t({rows, len});
    const bool tie_heavy = rng.bernoulli(0.6);
    for (auto& v : t.data)
      v = tie_heavy ? palette[rng.uniform(0, static_cast<int64_t>(palette.size()) - 1)]
                    : static_cast<int8_t>(rng.uniform(-128, 127));
    const int block = static_cast<int>(rng.uniform(1, 17));
    const int nnz = static_cast<int>(rng.uniform(0, block + 2));
    const TensorI8 p = dap_prune(t, block, nnz);
    INFO("trial " << trial << " rows " << rows << " len " << len << " block " << block << " nnz " << nnz);
    REQUIRE(p.data == brute_force(t, block, nnz));
    const auto s = dap_stats(t, p);
    CHECK(s.magnitude_kept >= 0.0);
    CHECK(s.magnitude_kept <= 1.0);
  }
}
