#pragma once
// Energy-relevant events of one FixyNN stage over one frame, counted on the real frame (the stage's
// input and output feature maps) or estimated from the stage's shape (--fast). The counts follow the
// generated RTL (verilog_gen.cpp): every non-zero weight is a constant multiplier that synthesis turns
// into shifts and adds, each output channel sums its products in an adder tree and requantizes, the line
// buffer is a register array written once per input pixel and read per window tap. fixynn_actions.h
// names and prices them.
#include <cstdint>

#include "models/fixynn/fixed_net.h"
#include "sim/common/tensor.h"

namespace npusim::fixynn {

// Non-zero digits of v's canonical signed-digit (non-adjacent) form: the terms of the cheapest
// shift/add/subtract decomposition of x * v. 239 = 256 - 16 - 1 -> 3; 0 -> 0; csd_digits(-v) ==
// csd_digits(v).
int csd_digits(int64_t v);

struct StageActivity {
  int64_t input_pixels = 0, output_pixels = 0;
  // Per in-bounds non-zero weight per output pixel: csd_digits(w) - 1 (a weight of +-2^k costs no add).
  int64_t const_mult_adds = 0;
  // Per output channel per output pixel: (in-bounds non-zero products + (bias != 0)) - 1, at least 0.
  int64_t tree_adds = 0;
  // (x - input_zero_point) per in-bounds tap and channel that feeds a non-zero weight, when zp != 0.
  int64_t zero_point_subs = 0;
  // One TFLite requantization per output channel per output pixel (both convs of a fused stage).
  int64_t requant_mults = 0;
  // Line buffer: every input pixel written once (C x a_bits). Reads: per output pixel, every in-bounds
  // (tap, channel) that feeds a non-zero weight, a_bits each. The generated design reads these straight
  // from the buffer rows (no register window), so synthesis keeps only those bits of each tap's mux.
  int64_t lb_write_bits = 0, lb_read_bits = 0;
  // Register array: bits that change when a pixel is written over its slot's previous content.
  int64_t lb_write_toggle_bits = 0;
  // Register array read: each read bit passes ceil(log2(buffer entries)) 2:1 mux levels.
  int64_t lb_mux_bits = 0;
  // Hamming distance between consecutive values in raster order of the register that feeds the line
  // buffer (the input pixel, C x a_bits; in a chain it is the previous stage's output register) and of
  // the stage's output register (K x a_bits). Frames repeat: the first pixel follows the frame's last.
  int64_t in_reg_toggle_bits = 0, out_reg_toggle_bits = 0;
};

// Counts on the real frame: input [H][W][C] and output [OH][OW][K] of the stage (InputError for other
// shapes). Line-buffer slot contents before a frame are those the same frame left (frames repeat).
StageActivity count_stage_activity(const FixedStage& stage, const TensorI8& input, const TensorI8& output,
                                   int a_bits = 8);

// --fast: the same counts from the stage alone. The geometry (padding, strides) is exact. A stage with
// non-zero weights uses them; a shape-only stage (all weights zero, fixed_net_builder without values) is
// taken to have weight_density x its weights non-zero with the mean CSD digits of a uniformly distributed
// non-zero int8 weight, and non-zero biases and zero points. Register and line-buffer bits toggle at
// toggle_rate (assumption: random activations flip half their bits).
struct FastActivityAssumptions {
  double weight_density = 1.0;
  double toggle_rate = 0.5;
};
StageActivity estimate_stage_activity(const FixedStage& stage, const FastActivityAssumptions& assume = {},
                                      int a_bits = 8);

// Mean csd_digits over the 255 non-zero int8 values (the --fast assumption above).
double mean_int8_csd_digits();

// Toggled bits between consecutive pixels (pixel_size bytes each) of a raster, cyclic over the frame.
int64_t raster_toggle_bits(const TensorI8& t, int64_t pixel_size);

}  // namespace npusim::fixynn
