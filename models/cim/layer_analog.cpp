#include "models/cim/layer_analog.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>

#include "models/cim/converters.h"
#include "models/cim/normal.h"
#include "models/cim/weight_programming.h"
#include "sim/common/error.h"
#include "sim/common/rng.h"

namespace npusim::cim {
namespace {

int32_t sat32(double v) {
  const double lo = std::numeric_limits<int32_t>::min(), hi = std::numeric_limits<int32_t>::max();
  return static_cast<int32_t>(round_half_away(std::clamp(v, lo, hi)));
}

// Largest |w| of each output channel (its full scale: that weight sits at g_max); 1 for an all-zero channel.
std::vector<int32_t> channel_full_scale(const Layer& layer, const TensorI8& weights) {
  const size_t k = static_cast<size_t>(layer.K);
  if (k == 0 || weights.data.size() % k != 0)
    throw InputError(layer.source + ": layer '" + layer.name + "': weight tensor does not split into " +
                     std::to_string(k) + " output channels");
  const size_t per = weights.data.size() / k;
  std::vector<int32_t> fs(k, 1);
  for (size_t c = 0; c < k; ++c)
    for (size_t i = 0; i < per; ++i)
      fs[c] = std::max<int32_t>(fs[c], std::abs(int32_t{weights.data[c * per + i]}));
  return fs;
}

}  // namespace

PcmDevice device_of(const CimConfig& cfg) {
  PcmDevice d;
  d.g_max = cfg.g_max_us;
  d.prog_noise_scale = cfg.noise_programming ? 1.0 : 0.0;
  d.drift_scale = cfg.noise_drift ? 1.0 : 0.0;
  d.read_noise_scale = cfg.noise_read ? 1.0 : 0.0;
  return d;
}

LayerAnalog::LayerAnalog(const CimConfig& cfg, const Layer& layer, const TensorI8& weights, bool noise_free)
    : cfg_(cfg),
      plan_(map_layer(cfg, layer, 0)),
      noise_free_(noise_free || (!cfg.noise_programming && !cfg.noise_drift && !cfg.noise_read)),
      layer_key_(Rng::hash(layer.name)) {
  const PcmDevice device = noise_free_ ? [&] {
    PcmDevice d = device_of(cfg);
    d.prog_noise_scale = d.drift_scale = d.read_noise_scale = 0;
    return d;
  }()
                                       : device_of(cfg);
  const int64_t slots = cfg.pwm_slots();
  adc_max_ = cfg.ideal ? (int32_t{1} << 30) - 1 : max_level(cfg.adc_bits);
  // Ideal: one scale g_max / 128 for every column and an LSB of one product at that scale.
  lsb_us_ = cfg.ideal ? cfg.g_max_us / 128.0
                      : cfg.adc_out_bound * cfg.g_max_us * static_cast<double>(slots) / adc_max_;
  const std::vector<int32_t> fs = cfg.ideal ? std::vector<int32_t>(static_cast<size_t>(layer.K), 128)
                                            : channel_full_scale(layer, weights);
  unit_to_code_.resize(fs.size());
  for (size_t c = 0; c < fs.size(); ++c) unit_to_code_[c] = cfg.g_max_us / fs[c] / lsb_us_;

  // Tiles of the layer (local numbering: the slices' tile indices start at 0).
  std::map<int64_t, size_t> local;
  for (const TileSlice& s : plan_.slices) local.emplace(s.tile, local.size());
  const int rows = static_cast<int>(cfg.tile_rows), cols = static_cast<int>(cfg.tile_cols);
  std::vector<std::vector<int32_t>> w(local.size(),
                                      std::vector<int32_t>(static_cast<size_t>(rows) * cols, 0));
  std::vector<std::vector<int32_t>> col_fs(local.size(), std::vector<int32_t>(static_cast<size_t>(cols), 0));
  // Pairs that hold a weight: a dense slice's every pair, a block-diagonal slice's diagonal blocks only.
  std::vector<std::vector<uint8_t>> used(local.size(),
                                         std::vector<uint8_t>(static_cast<size_t>(rows) * cols, 0));
  tiles_.reserve(local.size());
  for (size_t t = 0; t < local.size(); ++t)
    tiles_.push_back({Crossbar(rows, cols, device), std::vector<int64_t>(rows, -1)});
  // Per channel: (first weight row, tile, column) of each slice holding part of it.
  std::vector<std::vector<std::array<int64_t, 3>>> parts(static_cast<size_t>(layer.K));
  for (const TileSlice& s : plan_.slices) {
    const size_t t = local.at(s.tile);
    for (int64_t i = 0; i < s.rows; ++i) tiles_[t].logical_row[s.row0 + i] = s.w_row0 + i;
    for (int64_t j = 0; j < s.cols; ++j) {
      const int64_t ch = s.w_col0 + j, col = s.col0 + j;
      col_fs[t][col] = fs[ch];
      parts[ch].push_back({s.w_row0, static_cast<int64_t>(t), col});
      for (int64_t i = 0; i < s.rows; ++i) {
        w[t][(s.row0 + i) * cols + col] = weight_at(layer, weights, s.w_row0 + i, ch);
        used[t][(s.row0 + i) * cols + col] = i / (s.rows / s.blocks) == j / (s.cols / s.blocks);
      }
    }
  }
  for (auto& p : parts) {
    std::sort(p.begin(), p.end());
    splits_ = std::max(splits_, static_cast<int>(p.size()));
  }
  where_.assign(parts.size() * splits_, {-1, -1});
  for (size_t ch = 0; ch < parts.size(); ++ch)
    for (size_t i = 0; i < parts[ch].size(); ++i)
      where_[ch * splits_ + i] = {static_cast<int>(parts[ch][i][1]), static_cast<int>(parts[ch][i][2])};

  // Each tile's calibration region: the bounding rectangle of the layer's slices on it.
  std::vector<std::array<int64_t, 4>> region(tiles_.size(), {rows, 0, cols, 0});  // row lo, hi, col lo, hi
  for (const TileSlice& s : plan_.slices) {
    auto& r = region[local.at(s.tile)];
    r = {std::min(r[0], s.row0), std::max(r[1], s.row0 + s.rows), std::min(r[2], s.col0),
         std::max(r[3], s.col0 + s.cols)};
  }
  alpha_.assign(tiles_.size(), 1.0);
  for (size_t t = 0; t < tiles_.size(); ++t) {
    Crossbar& xb = tiles_[t].xb;
    xb.set_used(std::move(used[t]));
    xb.program(w[t], cfg.seed ^ layer_key_, t, col_fs[t]);
    if (!noise_free_ && cfg.drift_compensation) {
      const auto& r = region[t];
      xb.set_calibration_region(static_cast<int>(r[0]), static_cast<int>(r[1] - r[0]), static_cast<int>(r[2]),
                                static_cast<int>(r[3] - r[2]));
      Rng cal = indexed_stream(cfg.seed ^ layer_key_, "gdc calibration", t);
      xb.calibrate(cal);
      Rng readout = indexed_stream(cfg.seed ^ layer_key_, "gdc readout", t);
      alpha_[t] = xb.drift_compensation(cfg.t_inference_s, readout);
    }
  }
  const double dac_weight = static_cast<double>(int64_t{1} << cfg.dac_shift);
  code_to_acc_.resize(parts.size());
  for (size_t ch = 0; ch < parts.size(); ++ch) {
    double a = 0;
    for (const auto& p : parts[ch]) a += alpha_[static_cast<size_t>(p[1])];
    a = parts[ch].empty() ? 1.0 : a / static_cast<double>(parts[ch].size());
    code_to_acc_[ch] = a * dac_weight / unit_to_code_[ch];
  }
  row_g_us_.assign(static_cast<size_t>(plan_.weight_rows), 0.0);
  for (const Tile& t : tiles_)
    for (int r = 0; r < rows; ++r) {
      if (t.logical_row[r] < 0) continue;
      double g = 0;
      for (int c = 0; c < cols; ++c) g += t.xb.cell(r, c, true).g_target + t.xb.cell(r, c, false).g_target;
      row_g_us_[static_cast<size_t>(t.logical_row[r])] += g;
    }
}

int32_t LayerAnalog::adc_code(const std::vector<int32_t>& levels, int64_t pixel, int ch, int split) const {
  if (ch < 0 || ch >= k() || split < 0 || split >= splits_) return 0;
  const Column at = where_[static_cast<size_t>(ch) * splits_ + split];
  if (at.tile < 0) return 0;  // a channel with fewer row splits than the layer's widest
  const Tile& t = tiles_[static_cast<size_t>(at.tile)];
  std::vector<int32_t> x(t.logical_row.size(), 0);
  for (size_t r = 0; r < x.size(); ++r) {
    const int64_t lr = t.logical_row[r];
    if (lr >= 0 && static_cast<size_t>(lr) < levels.size()) x[r] = levels[static_cast<size_t>(lr)];
  }
  if (noise_free_) {
    int64_t dot = 0;
    for (size_t r = 0; r < x.size(); ++r)
      if (x[r] != 0) dot += int64_t{x[r]} * t.xb.weight(static_cast<int>(r), at.col);
    return sat32(static_cast<double>(dot) * unit_to_code_[static_cast<size_t>(ch)]);
  }
  // Stream "cim read" of (seed, layer, tile, pixel): the same read wherever and however often it is made.
  const uint64_t base =
      Rng(cfg_.seed ^ layer_key_ ^ (0xA24BAED4963EE407ull * (static_cast<uint64_t>(at.tile) + 1)) ^
              (0x9FB21C651E98DF25ull * (static_cast<uint64_t>(pixel) + 1)),
          "cim read")
          .next_u64();
  return sat32(t.xb.mvm_column(x, at.col, cfg_.t_inference_s, base) / lsb_us_);
}

}  // namespace npusim::cim
