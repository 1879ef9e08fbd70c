#include "models/cim/crossbar.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "models/cim/normal.h"
#include "sim/common/error.h"

namespace npusim::cim {

Crossbar::Crossbar(int rows, int cols, PcmDevice device) : rows_(rows), cols_(cols), device_(device) {
  if (rows <= 0 || cols <= 0)
    throw InputError("cim crossbar: rows and cols must be positive, got " + std::to_string(rows) + "x" +
                     std::to_string(cols));
  validate(device_);
  const size_t n = static_cast<size_t>(rows) * cols;
  weights_.assign(n, 0);
  pos_.assign(n, {});
  neg_.assign(n, {});
  scale_.assign(cols, (device_.g_max - device_.g_min));
}

void Crossbar::program(const std::vector<int32_t>& weights, uint64_t seed, uint64_t tile_index,
                       int32_t weight_full_scale) {
  program(weights, seed, tile_index, std::vector<int32_t>(static_cast<size_t>(cols_), weight_full_scale));
}

void Crossbar::program(const std::vector<int32_t>& weights, uint64_t seed, uint64_t tile_index,
                       const std::vector<int32_t>& column_full_scale) {
  if (column_full_scale.size() != static_cast<size_t>(cols_))
    throw InputError("cim crossbar: one full scale per column needed");
  if (weights.size() != weights_.size())
    throw InputError("cim crossbar: weight matrix has " + std::to_string(weights.size()) +
                     " entries, tile needs " + std::to_string(weights_.size()));
  // Checked first so a refused matrix leaves the tile as it was.
  for (size_t i = 0; i < weights.size(); ++i) {
    const int32_t fs = column_full_scale[i % static_cast<size_t>(cols_)];
    if (fs > 0 && std::abs(int64_t{weights[i]}) > fs)
      throw InputError("cim crossbar: weight " + std::to_string(weights[i]) + " beyond the full scale " +
                       std::to_string(fs));
  }
  weights_ = weights;
  const PcmDevice& d = device_;
  const double range = d.g_max - d.g_min;
  for (int c = 0; c < cols_; ++c) {
    int64_t w_max = 0;
    for (int j = 0; j < rows_; ++j) w_max = std::max<int64_t>(w_max, std::abs(int64_t{weights_[idx(j, c)]}));
    const int64_t m = column_full_scale[c] > 0 ? column_full_scale[c] : std::max<int64_t>(w_max, 1);
    scale_[c] = range / static_cast<double>(m);
    // One stream per (tile, column): programming order does not matter.
    const uint64_t stream = tile_index * 0x100000000ull + static_cast<uint64_t>(c);
    Rng prog = indexed_stream(seed, "programming", stream);
    Rng drift = indexed_stream(seed, "drift", stream);
    for (int j = 0; j < rows_; ++j) {
      const double gw = weights_[idx(j, c)] * scale_[c];
      PcmCell& p = pos_[idx(j, c)];
      PcmCell& n = neg_[idx(j, c)];
      if (!used_.empty() && !used_[idx(j, c)]) {
        p = n = {d.g_min, d.g_min, 0.0};  // never programmed: RESET
        continue;
      }
      p.g_target = std::clamp(gw, 0.0, range) + d.g_min;
      n.g_target = std::clamp(-gw, 0.0, range) + d.g_min;
      // Both devices get programming noise and a nu, the one at g_min too (as AIHWKit does).
      p.g_prog = program_conductance(d, p.g_target, prog);
      n.g_prog = program_conductance(d, n.g_target, prog);
      p.nu = sample_drift_nu(d, p.g_target, drift);
      n.nu = sample_drift_nu(d, n.g_target, drift);
    }
  }
  gdc_reference_ = 0;
  gdc_column_reference_.clear();
  cache_.clear();
}

void Crossbar::set_used(std::vector<uint8_t> used) {
  if (!used.empty() && used.size() != weights_.size())
    throw InputError("cim crossbar: the used-pair mask needs one entry per pair");
  used_ = std::move(used);
}

const PcmCell& Crossbar::cell(int row, int col, bool positive) const {
  return positive ? pos_[idx(row, col)] : neg_[idx(row, col)];
}

void Crossbar::check_input(const std::vector<int32_t>& x) const {
  if (x.size() != static_cast<size_t>(rows_))
    throw InputError("cim crossbar: input has " + std::to_string(x.size()) + " entries, tile has " +
                     std::to_string(rows_) + " rows");
}

const Crossbar::DriftState& Crossbar::drift_state(int row, int col, bool positive, double t_inference) const {
  const size_t n = pos_.size();
  if (cache_.size() != 2 * n || cache_t_ != t_inference) {
    const PcmDevice& d = device_;
    cache_.resize(2 * n);
    for (size_t i = 0; i < 2 * n; ++i) {
      const PcmCell& cl = i < n ? pos_[i] : neg_[i - n];
      const double g_q = d.read_q_from_programmed ? cl.g_prog : cl.g_target;
      cache_[i] = {drifted_conductance(d, cl.g_prog, cl.nu, t_inference),
                   d.read_noise_scale * read_noise_rel_sigma(d, g_q, t_inference)};
    }
    cache_t_ = t_inference;
  }
  return cache_[idx(row, col) + (positive ? 0 : n)];
}

double Crossbar::pair_read(int row, int col, double t_inference, Rng& rng) const {
  const DriftState& p = drift_state(row, col, true, t_inference);
  const DriftState& n = drift_state(row, col, false, t_inference);
  // One Box-Muller pair per device pair; the law is read_conductance_sigma()'s.
  double np = 0, nn = 0;
  standard_normal_pair(rng, np, nn);
  const double gp = std::max(0.0, p.g_drift + std::abs(p.g_drift) * p.sigma * np);
  const double gn = std::max(0.0, n.g_drift + std::abs(n.g_drift) * n.sigma * nn);
  return gp - gn;
}

namespace {
// Column sub-stream of a read: seed offset by the column (golden-ratio step), no string building per read.
Rng column_stream(uint64_t read_base, int col) {
  return Rng(read_base + 0x9E3779B97F4A7C15ull * (static_cast<uint64_t>(col) + 1), "read noise column");
}
}  // namespace

double Crossbar::mvm_column(const std::vector<int32_t>& x, int col, double t_inference,
                            uint64_t read_base) const {
  check_input(x);
  Rng rng = column_stream(read_base, col);
  double acc = 0;
  for (int j = 0; j < rows_; ++j)
    if (x[j] != 0) acc += x[j] * pair_read(j, col, t_inference, rng);
  return acc;
}

std::vector<double> Crossbar::mvm(const std::vector<int32_t>& x, double t_inference, Rng& read) const {
  check_input(x);
  const uint64_t base = read.next_u64();
  std::vector<double> y(cols_);
  for (int c = 0; c < cols_; ++c) y[c] = mvm_column(x, c, t_inference, base);
  return y;
}

std::vector<int64_t> Crossbar::dot_int(const std::vector<int32_t>& x) const {
  check_input(x);
  std::vector<int64_t> y(cols_, 0);
  for (int j = 0; j < rows_; ++j)
    for (int c = 0; c < cols_; ++c) y[c] += int64_t{weights_[idx(j, c)]} * x[j];
  return y;
}

std::vector<double> Crossbar::mvm_ideal(const std::vector<int32_t>& x) const {
  const std::vector<int64_t> acc = dot_int(x);
  std::vector<double> y(cols_);
  for (int c = 0; c < cols_; ++c) y[c] = static_cast<double>(acc[c]) * scale_[c];
  return y;
}

void Crossbar::set_calibration_region(int row0, int rows, int col0, int cols) {
  if (row0 < 0 || col0 < 0 || rows <= 0 || cols <= 0 || row0 + rows > rows_ || col0 + cols > cols_)
    throw InputError("cim crossbar: calibration region outside the tile");
  reg_row0_ = row0, reg_rows_ = rows, reg_col0_ = col0, reg_cols_ = cols;
}

std::vector<double> Crossbar::one_hot_abs_sums(double t_inference, Rng& read) const {
  // mvm(e_j) for every row j of the region, each a fresh read, in O(rows x cols): with one row driven,
  // mvm_column draws exactly one pair, row j's. Columns outside the region read 0.
  const int r0 = reg_rows_ ? reg_row0_ : 0, nr = reg_rows_ ? reg_rows_ : rows_;
  const int c0 = reg_rows_ ? reg_col0_ : 0, nc = reg_rows_ ? reg_cols_ : cols_;
  std::vector<double> sum(static_cast<size_t>(nc), 0.0);
  for (int j = r0; j < r0 + nr; ++j) {
    const uint64_t base = read.next_u64();
    for (int c = c0; c < c0 + nc; ++c) {
      Rng rng = column_stream(base, c);
      sum[static_cast<size_t>(c - c0)] += std::abs(pair_read(j, c, t_inference, rng));
    }
  }
  return sum;
}

namespace {
constexpr double kReadoutFloor = 1e-4;  // µS, AIHWKit's clamp(min=1e-4)

double global_readout(const std::vector<double>& col_sums, int rows) {
  double sum = 0;
  for (double v : col_sums) sum += v;
  return std::max(sum / (static_cast<double>(rows) * col_sums.size()), kReadoutFloor);
}

std::vector<double> column_readout(std::vector<double> col_sums, int rows) {
  for (double& v : col_sums) v = std::max(v / rows, kReadoutFloor);
  return col_sums;
}
}  // namespace

double Crossbar::gdc_readout(double t_inference, Rng& read) const {
  return global_readout(one_hot_abs_sums(t_inference, read), reg_rows_ ? reg_rows_ : rows_);
}

std::vector<double> Crossbar::gdc_column_readout(double t_inference, Rng& read) const {
  return column_readout(one_hot_abs_sums(t_inference, read), reg_rows_ ? reg_rows_ : rows_);
}

void Crossbar::calibrate(Rng& read) {
  const std::vector<double> sums = one_hot_abs_sums(0.0, read);
  gdc_reference_ = global_readout(sums, reg_rows_ ? reg_rows_ : rows_);
  gdc_column_reference_ = column_readout(sums, reg_rows_ ? reg_rows_ : rows_);
}

double Crossbar::drift_compensation(double t_inference, Rng& read) const {
  if (gdc_reference_ <= 0) throw InputError("cim crossbar: drift compensation before calibrate()");
  return gdc_reference_ / gdc_readout(t_inference, read);
}

std::vector<double> Crossbar::column_drift_compensation(double t_inference, Rng& read) const {
  if (gdc_column_reference_.empty()) throw InputError("cim crossbar: drift compensation before calibrate()");
  std::vector<double> alpha = gdc_column_readout(t_inference, read);
  for (size_t c = 0; c < alpha.size(); ++c) alpha[c] = gdc_column_reference_[c] / alpha[c];
  return alpha;
}

std::vector<double> apply_compensation(const std::vector<double>& y, double alpha) {
  std::vector<double> out(y);
  for (double& v : out) v *= alpha;
  return out;
}

std::vector<double> apply_compensation(const std::vector<double>& y, const std::vector<double>& alpha) {
  if (alpha.size() != y.size()) throw InputError("cim crossbar: one compensation factor per column needed");
  std::vector<double> out(y);
  for (size_t c = 0; c < out.size(); ++c) out[c] *= alpha[c];
  return out;
}

}  // namespace npusim::cim
