#include "models/fixynn/fixynn_actions.h"

#include "sim/common/error.h"
#include "sim/common/text.h"

namespace npusim::fixynn {

namespace {

void check_line_buffer(const std::string& line_buffer) {
  if (line_buffer != "registers" && line_buffer != "sram")
    throw InputError("fixynn: line_buffer must be registers or sram, got " + quote(line_buffer));
}

// Constant-multiplier adds, tree adds and used (tap, channel) pairs of one conv, once per output pixel
// (the hardware, not its activity: every tap counted as in bounds).
struct ConvLogic {
  double const_adds = 0, tree_adds = 0, used_pairs = 0, zero_point_subs = 0;
};

ConvLogic conv_logic(const FixedConv& cv) {
  ConvLogic l;
  const int64_t taps = cv.R * cv.S, cin = cv.depthwise ? 1 : cv.C;
  std::vector<char> used(static_cast<size_t>(taps * cv.C), 0);
  for (int64_t k = 0; k < cv.K; ++k) {
    int64_t terms = cv.bias[static_cast<size_t>(k)] != 0;
    for (int64_t t = 0; t < taps; ++t)
      for (int64_t c = 0; c < cin; ++c)
        if (const int w = cv.weights[static_cast<size_t>((k * taps + t) * cin + c)]; w != 0) {
          l.const_adds += csd_digits(w) - 1;
          ++terms;
          used[static_cast<size_t>(t * cv.C + (cv.depthwise ? k : c))] = 1;
        }
    l.tree_adds += terms > 1 ? terms - 1 : 0;
  }
  for (char u : used) l.used_pairs += u;
  if (cv.input_zero_point != 0) l.zero_point_subs = l.used_pairs;
  return l;
}

}  // namespace

std::string line_buffer_memory(size_t stage) {
  return "fixynn_lb" + std::to_string(stage);
}

void add_stage_actions(const StageActivity& a, size_t stage, bool count_input_register,
                       const std::string& line_buffer, LayerStats& st) {
  check_line_buffer(line_buffer);
  auto& x = st.actions;
  x["fixynn_const_mult_add"] += a.const_mult_adds;
  x["fixynn_tree_add"] += a.tree_adds;
  x["fixynn_zero_point_sub"] += a.zero_point_subs;
  x["fixynn_requant_mult"] += a.requant_mults;
  x["fixynn_reg_toggle_bits"] += a.out_reg_toggle_bits + (count_input_register ? a.in_reg_toggle_bits : 0);
  x["fixynn_input_pixels"] += a.input_pixels;
  x["fixynn_output_pixels"] += a.output_pixels;
  x["fixynn_lb_write_bits"] += a.lb_write_bits;
  x["fixynn_lb_read_bits"] += a.lb_read_bits;
  if (line_buffer == "registers") {
    x["fixynn_lb_write_toggle_bits"] += a.lb_write_toggle_bits;
    x["fixynn_lb_mux_bits"] += a.lb_mux_bits;
  } else {
    // SRAM per access, whatever the data: priced by the macro's per-bit read/write energy.
    st.sram_write_bytes[line_buffer_memory(stage)] += a.lb_write_bits / 8;
    st.sram_read_bytes[line_buffer_memory(stage)] += a.lb_read_bits / 8;
  }
}

cost::ActionTable fixynn_actions() {
  return {
      // A shift/add of a constant multiplier: the product of an int8 weight and a 9-bit centered
      // activation is at most 17 bits, priced as a 16-bit adder.
      {"fixynn_const_mult_add", {"FixyNN constant multipliers", {{"add16", 1}}}},
      // Accumulators are 10..32 bits wide (verilog_gen acc_width); priced as 32-bit adds (an upper bound).
      {"fixynn_tree_add", {"FixyNN adder trees", {{"add32", 1}}}},
      {"fixynn_zero_point_sub", {"FixyNN adder trees", {{"add16", 1}}}},
      // TFLite's requantization multiplies the accumulator by a Q31 constant: priced as a full 32-bit
      // multiplier (an upper bound: synthesis reduces a constant multiplier to shift/adds).
      {"fixynn_requant_mult", {"FixyNN requantization", {{"mult_int32", 1}}}},
      // A register bit that changes costs one register access (CALIBRATION.md: toggles, no clock gating).
      {"fixynn_reg_toggle_bits", {"FixyNN pipeline registers", {{"reg_bit", 1}}}},
      {"fixynn_lb_write_toggle_bits", {"FixyNN line buffers", {{"reg_bit", 1}}}},
      {"fixynn_lb_mux_bits", {"FixyNN line buffers", {{"mux2_bit", 1}}}},
      // Bookkeeping counts that the priced actions (or the SRAM traffic) already cover.
      {"fixynn_input_pixels", {}},
      {"fixynn_output_pixels", {}},
      {"fixynn_lb_write_bits", {}},
      {"fixynn_lb_read_bits", {}},
  };
}

std::vector<cost::Memory> fixynn_memories(const FixedNet& net, const std::string& line_buffer) {
  check_line_buffer(line_buffer);
  std::vector<cost::Memory> m;
  if (line_buffer != "sram") return m;
  for (size_t s = 0; s < net.stages.size(); ++s) {
    const FixedStage& st = net.stages[s];
    const double bits = static_cast<double>(st.buffer_rows() * st.W * st.in_channels() * net.a_bits);
    m.push_back({line_buffer_memory(s), bits / 8192.0});
  }
  return m;
}

std::vector<cost::InventoryItem> fixynn_inventory(const FixedNet& net, const std::string& line_buffer) {
  check_line_buffer(line_buffer);
  std::vector<cost::InventoryItem> v;
  for (const FixedStage& st : net.stages) {
    ConvLogic l = conv_logic(st.first);
    const double window_pairs = l.used_pairs;
    double requants = static_cast<double>(st.first.K);
    if (st.fused) {
      const ConvLogic b = conv_logic(st.second);
      l.const_adds += b.const_adds;
      l.tree_adds += b.tree_adds;
      l.zero_point_subs += b.zero_point_subs;
      requants += static_cast<double>(st.second.K);
    }
    v.push_back({"FixyNN constant multipliers", "add16", l.const_adds});
    v.push_back({"FixyNN adder trees", "add32", l.tree_adds});
    v.push_back({"FixyNN adder trees", "add16", l.zero_point_subs});
    v.push_back({"FixyNN requantization", "mult_int32", requants});
    v.push_back(
        {"FixyNN pipeline registers", "reg_bit", static_cast<double>(st.out_channels() * net.a_bits)});
    if (line_buffer == "registers") {
      const int64_t entries = st.buffer_rows() * st.W;
      v.push_back(
          {"FixyNN line buffers", "reg_bit", static_cast<double>(entries * st.in_channels() * net.a_bits)});
      // Each used (tap, channel) read is an entries:1 mux of a_bits bits.
      v.push_back(
          {"FixyNN line buffers", "mux2_bit", window_pairs * net.a_bits * static_cast<double>(entries - 1)});
    }
  }
  if (!net.stages.empty())  // the front end's input register
    v.push_back({"FixyNN pipeline registers", "reg_bit",
                 static_cast<double>(net.stages[0].in_channels() * net.a_bits)});
  return v;
}

}  // namespace npusim::fixynn
