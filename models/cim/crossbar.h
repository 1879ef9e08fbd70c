#pragma once
// One PCM tile: rows x cols differential pairs (G+, G-) holding an integer weight matrix, read with
// integer (PWM slot count) inputs. Mapping, programming, drift and read noise follow
// reference/pcm_cim.md §1.1-1.6. Choices where the reference is silent or differs: the conductance scale is
// per output column (AIHWKit's converter takes one max over the tensor it is given; per column is its
// channel-wise mapping), outputs are in µS x input slots (the ADC gain turns them into codes), and a drift
// read always starts from the programmed state (no accumulation), as AIHWKit's drift_weights does.
#include <cstdint>
#include <vector>

#include "models/cim/pcm_device.h"
#include "sim/common/rng.h"

namespace npusim::cim {

// Stored state of one PCM device.
struct PcmCell {
  double g_target = 0;  // µS
  double g_prog = 0;    // µS, after programming noise
  double nu = 0;        // drift exponent, drawn at programming time
};

class Crossbar {
 public:
  Crossbar(int rows, int cols, PcmDevice device = {});

  int rows() const { return rows_; }
  int cols() const { return cols_; }
  const PcmDevice& device() const { return device_; }

  // Programs `weights` (row-major rows x cols, input row j, output column c). Column c maps to
  // conductance with scale (g_max - g_min) / m_c, m_c = max_j |w_jc| (1 for an all-zero column) or, if
  // weight_full_scale > 0, m_c = weight_full_scale for every column (one scale for the tile, e.g. 127 for
  // int8: then one fixed ADC LSB in µS is the same integer step in every column). The positive part goes
  // to G+, the negative part to G-, the other device of the pair sits at g_min. Noise and nu come from
  // streams "programming <i>" and "drift <i>" of `seed`, i = tile * 2^32 + c, so tiles and columns can be
  // programmed in any order. Throws InputError on a size mismatch or a weight beyond weight_full_scale.
  void program(const std::vector<int32_t>& weights, uint64_t seed, uint64_t tile_index,
               int32_t weight_full_scale = 0);
  // Pairs that hold no weight at all (e.g. between the diagonal blocks of a depthwise slice, or outside every
  // slice) are never programmed: both devices stay in RESET at g_min, without programming noise, drift or
  // read noise (row-major rows x cols, non-zero = used; empty = every pair holds a weight). Call before
  // program(). A pair holding a zero weight is programmed like any other (both devices to g_min, with noise).
  void set_used(std::vector<uint8_t> used);
  // The same with a full scale per column (0: the column's own max |w|), e.g. a layer's per-channel scale
  // on every row split of the channel, so the digital periphery can add the splits' codes.
  void program(const std::vector<int32_t>& weights, uint64_t seed, uint64_t tile_index,
               const std::vector<int32_t>& column_full_scale);

  const PcmCell& cell(int row, int col, bool positive) const;
  int32_t weight(int row, int col) const { return weights_[idx(row, col)]; }
  double column_scale(int col) const { return scale_[col]; }  // µS per weight unit

  // Column outputs sum_j x_j (G+_jc - G-_jc) in µS x input units at t_inference, each device read once
  // with fresh 1/f noise. Rows with x_j = 0 draw no current and no noise. Column c's noise comes from a
  // sub-stream of `read` (one u64 drawn per call), so columns can be evaluated in any order.
  // Not thread-safe: the drifted conductances of the last t_inference are cached in the tile.
  std::vector<double> mvm(const std::vector<int32_t>& x, double t_inference, Rng& read) const;
  // Column c alone with the sub-stream base mvm() draws from `read`: columns in any order (e.g. one per
  // ADC in an RTL kernel) give exactly mvm()'s values.
  double mvm_column(const std::vector<int32_t>& x, int col, double t_inference, uint64_t read_base) const;
  // Noise-free reference: column_scale(c) * sum_j w_jc x_j, the integer sum computed exactly.
  std::vector<double> mvm_ideal(const std::vector<int32_t>& x) const;
  // Same without the scale: the exact integer dot products.
  std::vector<int64_t> dot_int(const std::vector<int32_t>& x) const;

  // Global drift compensation (§1.6): readout = max(mean |y|, 1e-4 µS) over the rows x cols outputs of the
  // one-hot inputs eye(rows), read through the noisy mvm. calibrate() stores it at t_inference = 0 (end of
  // programming); drift_compensation(t) returns alpha = reference / readout(t), one factor per tile,
  // applied digitally to every output of the tile.
  double gdc_readout(double t_inference, Rng& read) const;
  // AIHWKit's PerColumnDriftCompensation: the same one-hot reads, mean over rows per column.
  std::vector<double> gdc_column_readout(double t_inference, Rng& read) const;
  // One calibration read sets both the global and the per-column reference.
  void calibrate(Rng& read);
  // Limits the one-hot calibration reads to the rectangle a layer occupies (AIHWKit reads eye(in_size) of
  // its own logical tile): unprogrammed pairs at g_min, raised by programming noise, would otherwise
  // dominate a sparsely used tile's readout. Default: the whole tile. Call before calibrate().
  void set_calibration_region(int row0, int rows, int col0, int cols);
  double gdc_reference() const { return gdc_reference_; }
  double drift_compensation(double t_inference, Rng& read) const;
  std::vector<double> column_drift_compensation(double t_inference, Rng& read) const;

 private:
  size_t idx(int row, int col) const { return static_cast<size_t>(row) * cols_ + col; }
  void check_input(const std::vector<int32_t>& x) const;
  std::vector<double> one_hot_abs_sums(double t_inference, Rng& read) const;  // sum_j |y_c| per column
  double pair_read(int row, int col, double t_inference, Rng& rng) const;     // G+ - G- of one noisy read

  int rows_, cols_;
  PcmDevice device_;
  std::vector<int32_t> weights_;
  std::vector<double> scale_;
  std::vector<PcmCell> pos_, neg_;
  std::vector<uint8_t> used_;                                      // empty: every pair holds a weight
  int reg_row0_ = 0, reg_rows_ = 0, reg_col0_ = 0, reg_cols_ = 0;  // calibration region (0 rows: whole tile)
  double gdc_reference_ = 0;
  std::vector<double> gdc_column_reference_;
  // Drift state at cache_t_ (g_drift and read sigma per device, G+ then G-), rebuilt when t changes.
  struct DriftState {
    double g_drift, sigma;
  };
  const DriftState& drift_state(int row, int col, bool positive, double t_inference) const;
  mutable std::vector<DriftState> cache_;
  mutable double cache_t_ = -1;
};

// y * alpha for every output (the digital step after the ADC).
std::vector<double> apply_compensation(const std::vector<double>& y, double alpha);
// y_c * alpha_c (per-column compensation).
std::vector<double> apply_compensation(const std::vector<double>& y, const std::vector<double>& alpha);

}  // namespace npusim::cim
