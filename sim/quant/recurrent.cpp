#include "sim/quant/recurrent.h"

#include <algorithm>
#include <cstdlib>
#include <limits>

#include "sim/common/error.h"
#include "sim/quant/accumulate.h"

namespace npusim::quant {
namespace {

// Generated once in double precision: entry k = round_half_away(32768 * f(k / 64)), clamped to 32767
// (tests/unit/quant/test_recurrent.cpp regenerates both tables and compares).
constexpr ActLut kSigmoidLut = {
    16384, 16512, 16640, 16768, 16896, 17024, 17151, 17279, 17407, 17534, 17661, 17789, 17916, 18042, 18169,
    18295, 18421, 18547, 18673, 18798, 18923, 19048, 19173, 19297, 19420, 19544, 19667, 19790, 19912, 20034,
    20155, 20276, 20397, 20517, 20636, 20756, 20874, 20992, 21110, 21227, 21344, 21460, 21575, 21690, 21804,
    21918, 22031, 22143, 22255, 22367, 22477, 22587, 22696, 22805, 22913, 23021, 23127, 23233, 23338, 23443,
    23547, 23650, 23753, 23854, 23955, 24056, 24155, 24254, 24352, 24449, 24546, 24642, 24737, 24831, 24925,
    25018, 25110, 25201, 25292, 25382, 25471, 25559, 25646, 25733, 25819, 25904, 25988, 26072, 26155, 26237,
    26318, 26399, 26479, 26558, 26636, 26714, 26790, 26866, 26941, 27016, 27090, 27163, 27235, 27306, 27377,
    27447, 27516, 27585, 27653, 27720, 27786, 27852, 27917, 27981, 28045, 28107, 28169, 28231, 28292, 28352,
    28411, 28470, 28528, 28585, 28642, 28698, 28753, 28808, 28862, 28915, 28968, 29020, 29072, 29123, 29173,
    29223, 29272, 29320, 29368, 29416, 29462, 29509, 29554, 29599, 29644, 29687, 29731, 29774, 29816, 29858,
    29899, 29939, 29979, 30019, 30058, 30097, 30135, 30172, 30210, 30246, 30282, 30318, 30353, 30388, 30422,
    30456, 30489, 30522, 30555, 30587, 30618, 30649, 30680, 30711, 30740, 30770, 30799, 30828, 30856, 30884,
    30912, 30939, 30966, 30992, 31018, 31044, 31069, 31094, 31119, 31143, 31167, 31191, 31214, 31237, 31260,
    31282, 31304, 31326, 31347, 31368, 31389, 31409, 31430, 31449, 31469, 31488, 31508, 31526, 31545, 31563,
    31581, 31599, 31616, 31634, 31651, 31667, 31684, 31700, 31716, 31732, 31747, 31763, 31778, 31793, 31807,
    31822, 31836, 31850, 31864, 31878, 31891, 31904, 31917, 31930, 31943, 31955, 31968, 31980, 31992, 32003,
    32015, 32026, 32038, 32049, 32060, 32070, 32081, 32091, 32102, 32112, 32122, 32132, 32141, 32151, 32160,
    32170, 32179, 32188, 32196, 32205, 32214, 32222, 32231, 32239, 32247, 32255, 32263, 32270, 32278, 32285,
    32293, 32300, 32307, 32314, 32321, 32328, 32335, 32341, 32348, 32354, 32361, 32367, 32373, 32379, 32385,
    32391, 32397, 32402, 32408, 32414, 32419, 32424, 32430, 32435, 32440, 32445, 32450, 32455, 32460, 32464,
    32469, 32474, 32478, 32483, 32487, 32491, 32496, 32500, 32504, 32508, 32512, 32516, 32520, 32524, 32527,
    32531, 32535, 32538, 32542, 32545, 32549, 32552, 32555, 32559, 32562, 32565, 32568, 32571, 32574, 32577,
    32580, 32583, 32586, 32589, 32592, 32594, 32597, 32600, 32602, 32605, 32607, 32610, 32612, 32615, 32617,
    32619, 32622, 32624, 32626, 32628, 32630, 32633, 32635, 32637, 32639, 32641, 32643, 32645, 32647, 32648,
    32650, 32652, 32654, 32656, 32657, 32659, 32661, 32662, 32664, 32666, 32667, 32669, 32670, 32672, 32673,
    32675, 32676, 32678, 32679, 32680, 32682, 32683, 32684, 32686, 32687, 32688, 32689, 32691, 32692, 32693,
    32694, 32695, 32696, 32698, 32699, 32700, 32701, 32702, 32703, 32704, 32705, 32706, 32707, 32708, 32709,
    32710, 32711, 32711, 32712, 32713, 32714, 32715, 32716, 32716, 32717, 32718, 32719, 32720, 32720, 32721,
    32722, 32723, 32723, 32724, 32725, 32725, 32726, 32727, 32727, 32728, 32728, 32729, 32730, 32730, 32731,
    32731, 32732, 32733, 32733, 32734, 32734, 32735, 32735, 32736, 32736, 32737, 32737, 32738, 32738, 32739,
    32739, 32740, 32740, 32740, 32741, 32741, 32742, 32742, 32742, 32743, 32743, 32744, 32744, 32744, 32745,
    32745, 32745, 32746, 32746, 32746, 32747, 32747, 32747, 32748, 32748, 32748, 32749, 32749, 32749, 32750,
    32750, 32750, 32750, 32751, 32751, 32751, 32752, 32752, 32752, 32752, 32753, 32753, 32753, 32753, 32753,
    32754, 32754, 32754, 32754, 32755, 32755, 32755, 32755, 32755, 32756, 32756, 32756, 32756, 32756, 32756,
    32757, 32757, 32757,
};
constexpr ActLut kTanhLut = {
    0,     512,   1024,  1535,  2045,  2555,  3063,  3570,  4075,  4578,  5079,  5577,  6073,  6566,  7056,
    7542,  8025,  8505,  8980,  9452,  9919,  10382, 10840, 11294, 11743, 12186, 12625, 13058, 13486, 13909,
    14326, 14737, 15143, 15542, 15936, 16324, 16706, 17082, 17452, 17816, 18173, 18525, 18870, 19209, 19542,
    19869, 20189, 20504, 20813, 21115, 21411, 21702, 21986, 22265, 22538, 22804, 23066, 23321, 23571, 23815,
    24054, 24287, 24516, 24738, 24956, 25168, 25376, 25578, 25776, 25969, 26157, 26340, 26519, 26694, 26864,
    27029, 27191, 27348, 27502, 27651, 27797, 27938, 28076, 28211, 28341, 28469, 28592, 28713, 28830, 28944,
    29055, 29163, 29268, 29370, 29470, 29566, 29660, 29751, 29840, 29926, 30010, 30091, 30170, 30247, 30322,
    30394, 30465, 30533, 30600, 30664, 30727, 30788, 30847, 30904, 30960, 31014, 31067, 31118, 31167, 31215,
    31262, 31307, 31351, 31394, 31435, 31476, 31515, 31553, 31589, 31625, 31659, 31693, 31726, 31757, 31788,
    31817, 31846, 31874, 31901, 31928, 31953, 31978, 32002, 32025, 32048, 32070, 32091, 32112, 32132, 32151,
    32170, 32188, 32206, 32223, 32240, 32256, 32271, 32287, 32301, 32316, 32329, 32343, 32356, 32368, 32381,
    32392, 32404, 32415, 32426, 32436, 32447, 32456, 32466, 32475, 32484, 32493, 32501, 32509, 32517, 32525,
    32532, 32540, 32547, 32553, 32560, 32566, 32573, 32579, 32584, 32590, 32596, 32601, 32606, 32611, 32616,
    32620, 32625, 32629, 32634, 32638, 32642, 32646, 32649, 32653, 32657, 32660, 32663, 32667, 32670, 32673,
    32676, 32678, 32681, 32684, 32686, 32689, 32691, 32694, 32696, 32698, 32700, 32702, 32704, 32706, 32708,
    32710, 32712, 32714, 32715, 32717, 32718, 32720, 32721, 32723, 32724, 32726, 32727, 32728, 32729, 32731,
    32732, 32733, 32734, 32735, 32736, 32737, 32738, 32739, 32740, 32741, 32741, 32742, 32743, 32744, 32745,
    32745, 32746, 32747, 32747, 32748, 32749, 32749, 32750, 32750, 32751, 32751, 32752, 32752, 32753, 32753,
    32754, 32754, 32755, 32755, 32755, 32756, 32756, 32757, 32757, 32757, 32758, 32758, 32758, 32759, 32759,
    32759, 32759, 32760, 32760, 32760, 32760, 32761, 32761, 32761, 32761, 32762, 32762, 32762, 32762, 32762,
    32762, 32763, 32763, 32763, 32763, 32763, 32763, 32764, 32764, 32764, 32764, 32764, 32764, 32764, 32764,
    32765, 32765, 32765, 32765, 32765, 32765, 32765, 32765, 32765, 32765, 32765, 32766, 32766, 32766, 32766,
    32766, 32766, 32766, 32766, 32766, 32766, 32766, 32766, 32766, 32766, 32766, 32766, 32767, 32767, 32767,
    32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767,
    32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767,
    32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767,
    32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767,
    32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767,
    32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767,
    32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767,
    32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767,
    32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767,
    32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767,
    32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767,
    32767, 32767, 32767,
};

int64_t max_abs_minus(const int8_t* v, int64_t n, int32_t zero_point) {
  int64_t m = 0;
  for (int64_t i = 0; i < n; ++i) m = std::max<int64_t>(m, std::llabs(int64_t{v[i]} - zero_point));
  return m;
}

}  // namespace

const ActLut& sigmoid_lut() {
  return kSigmoidLut;
}
const ActLut& tanh_lut() {
  return kTanhLut;
}

int16_t lut_interpolate(const ActLut& lut, int32_t a) {
  a = std::min(a, int32_t{32767});
  const int32_t k = a >> kActLutStepBits;
  const int32_t t = a & ((1 << kActLutStepBits) - 1);
  const int32_t slope = lut[static_cast<size_t>(k) + 1] - lut[static_cast<size_t>(k)];
  // slope >= 0 (monotone tables), so the arithmetic shift rounds half up without sign issues.
  return static_cast<int16_t>(lut[static_cast<size_t>(k)] +
                              ((slope * t + (1 << (kActLutStepBits - 1))) >> kActLutStepBits));
}

int16_t sigmoid_q312(int16_t x) {
  const int16_t y = lut_interpolate(kSigmoidLut, std::abs(int32_t{x}));
  return x < 0 ? static_cast<int16_t>(kQ15One - y) : y;
}

int16_t tanh_q312(int16_t x) {
  const int16_t y = lut_interpolate(kTanhLut, std::abs(int32_t{x}));
  return x < 0 ? static_cast<int16_t>(-y) : y;
}

void check_gate_multipliers(const std::vector<int32_t>& multiplier, const std::vector<int>& shift,
                            const std::string& what) {
  if (multiplier.size() != shift.size() || (multiplier.size() != 1 && multiplier.size() != 4)) {
    throw InputError(what + ": " + std::to_string(multiplier.size()) + " gate multipliers and " +
                     std::to_string(shift.size()) + " shifts (expected 1 or 4 of each)");
  }
  for (int s : shift) {
    if (s < -31 || s > 30) {
      throw InputError(what + ": gate shift " + std::to_string(s) + " outside [-31, 30]");
    }
  }
}

void make_gate_multipliers(const RecurrentScales& s, std::vector<int32_t>* multiplier,
                           std::vector<int>* shift, const std::string& what) {
  if (!(s.input_scale > 0.0) || !(s.hidden_scale > 0.0)) {
    throw InputError(what + ": input and hidden scales must be positive");
  }
  check_input_zero_point(s.input_zero_point, what);
  check_input_zero_point(s.hidden_zero_point, what);
  if (s.gate_scales.size() != 1 && s.gate_scales.size() != 4) {
    throw InputError(what + ": " + std::to_string(s.gate_scales.size()) + " gate scales (expected 1 or 4)");
  }
  multiplier->resize(s.gate_scales.size());
  shift->resize(s.gate_scales.size());
  for (size_t g = 0; g < s.gate_scales.size(); ++g) {
    if (!(s.gate_scales[g] > 0.0)) throw InputError(what + ": gate scales must be positive");
    quantize_multiplier(s.gate_scales[g] * (1 << kGateFracBits), &(*multiplier)[g], &(*shift)[g]);
  }
  check_gate_multipliers(*multiplier, *shift, what);
}

void check_recurrent_acc_range(const TensorI8& x, const TensorI8& h, const TensorI8& weights,
                               const std::vector<int32_t>& bias, int32_t input_zero_point,
                               int32_t hidden_zero_point, const std::string& what) {
  const int64_t I = x.shape.at(1), H = h.shape.at(1), R = weights.shape.at(0);
  const int64_t mx = max_abs_minus(x.data.data(), x.size(), input_zero_point);
  const int64_t mh = max_abs_minus(h.data.data(), h.size(), hidden_zero_point);
  int64_t mwx = 0, mwh = 0, mb = 0;
  for (int64_t r = 0; r < R; ++r) {
    mwx = std::max(mwx, max_abs_minus(&weights.data[static_cast<size_t>(r * (I + H))], I, 0));
    mwh = std::max(mwh, max_abs_minus(&weights.data[static_cast<size_t>(r * (I + H) + I)], H, 0));
  }
  for (int32_t b : bias) mb = std::max<int64_t>(mb, std::llabs(int64_t{b}));
  const int64_t bound = I * mx * mwx + H * mh * mwh + mb;
  if (bound > std::numeric_limits<int32_t>::max()) {
    throw InputError(
        what + ": int32 gate accumulator could overflow (I " + std::to_string(I) + ", H " +
        std::to_string(H) + ", |x - z_x| <= " + std::to_string(mx) + ", |h - z_h| <= " + std::to_string(mh) +
        ", |W| <= " + std::to_string(std::max(mwx, mwh)) + ", |bias| <= " + std::to_string(mb) + ")");
  }
}

TensorI32 recurrent_gate_gemm(const TensorI8& x, const TensorI8& h, const TensorI8& weights,
                              const std::vector<int32_t>& bias, int32_t input_zero_point,
                              int32_t hidden_zero_point, const std::string& what) {
  if (x.shape.size() != 2 || h.shape.size() != 2 || weights.shape.size() != 2 || x.shape[0] != h.shape[0] ||
      weights.shape[1] != x.shape[1] + h.shape[1]) {
    throw InputError(what + ": input " + shape_str(x.shape) + ", hidden " + shape_str(h.shape) +
                     " and gate weights " + shape_str(weights.shape) +
                     " are not [batch][I], [batch][H] and [R][I+H]");
  }
  const int64_t batch = x.shape[0], I = x.shape[1], H = h.shape[1], R = weights.shape[0];
  if (!bias.empty() && static_cast<int64_t>(bias.size()) != R) {
    throw InputError(what + ": bias has " + std::to_string(bias.size()) + " entries, expected " +
                     std::to_string(R));
  }
  check_input_zero_point(input_zero_point, what);
  check_input_zero_point(hidden_zero_point, what);
  check_recurrent_acc_range(x, h, weights, bias, input_zero_point, hidden_zero_point, what);

  // One int16 operand row per batch element: [x - z_x, h - z_h], the GEMM's input vector.
  const int64_t K = I + H;
  std::vector<int16_t> u(static_cast<size_t>(batch * K));
  for (int64_t b = 0; b < batch; ++b) {
    for (int64_t k = 0; k < I; ++k)
      u[static_cast<size_t>(b * K + k)] = static_cast<int16_t>(x[b * I + k] - input_zero_point);
    for (int64_t k = 0; k < H; ++k)
      u[static_cast<size_t>(b * K + I + k)] = static_cast<int16_t>(h[b * H + k] - hidden_zero_point);
  }
  const std::vector<int16_t> w(weights.data.begin(), weights.data.end());
  TensorI32 out({batch, R});
  for (int64_t b = 0; b < batch; ++b) {
    for (int64_t r = 0; r < R; ++r) {
      const int32_t base = bias.empty() ? 0 : bias[static_cast<size_t>(r)];
      out[b * R + r] = base + dot_i16(&u[static_cast<size_t>(b * K)], &w[static_cast<size_t>(r * K)], K);
    }
  }
  return out;
}

std::vector<int32_t> zero_point_bias(const TensorI8& weights, const std::vector<int32_t>& bias,
                                      int64_t input_size, int32_t input_zero_point,
                                      int32_t hidden_zero_point) {
  if (weights.shape.size() != 2 || input_size < 0 || input_size > weights.shape[1]) {
    throw InputError("zero_point_bias: gate weights " + shape_str(weights.shape) + " do not have " +
                     std::to_string(input_size) + " input columns");
  }
  const int64_t R = weights.shape[0], K = weights.shape[1];
  if (!bias.empty() && static_cast<int64_t>(bias.size()) != R) {
    throw InputError("zero_point_bias: bias has " + std::to_string(bias.size()) + " entries, expected " +
                     std::to_string(R));
  }
  std::vector<int32_t> adjusted(static_cast<size_t>(R));
  for (int64_t r = 0; r < R; ++r) {
    int64_t sum_x = 0, sum_h = 0;
    for (int64_t k = 0; k < input_size; ++k) sum_x += weights[r * K + k];
    for (int64_t k = input_size; k < K; ++k) sum_h += weights[r * K + k];
    const int64_t v = (bias.empty() ? 0 : int64_t{bias[static_cast<size_t>(r)]}) - input_zero_point * sum_x -
                      hidden_zero_point * sum_h;
    if (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max()) {
      throw InputError("zero_point_bias: adjusted bias of row " + std::to_string(r) + " overflows int32");
    }
    adjusted[static_cast<size_t>(r)] = static_cast<int32_t>(v);
  }
  return adjusted;
}

std::vector<double> dequantize(const TensorI8& t, double scale, int32_t zero_point) {
  std::vector<double> out(t.data.size());
  for (size_t i = 0; i < out.size(); ++i) out[i] = scale * (t.data[i] - zero_point);
  return out;
}

RecurrentFloat dequantize_recurrent(const TensorI8& weights, const std::vector<int32_t>& bias,
                                    int64_t input_size, const RecurrentScales& s) {
  if (weights.shape.size() != 2 || weights.shape[0] % 4 != 0 || input_size > weights.shape[1] ||
      (s.gate_scales.size() != 1 && s.gate_scales.size() != 4)) {
    throw InputError("dequantize_recurrent: gate weights " + shape_str(weights.shape) + " are not [4H][I+H]");
  }
  RecurrentFloat m;
  m.input_size = input_size;
  m.hidden_size = weights.shape[0] / 4;
  const int64_t R = weights.shape[0], K = weights.shape[1];
  m.weights.resize(static_cast<size_t>(R * K));
  m.bias.assign(static_cast<size_t>(R), 0.0);
  for (int64_t r = 0; r < R; ++r) {
    const double sa =
        s.gate_scales.size() == 1 ? s.gate_scales[0] : s.gate_scales[static_cast<size_t>(r / m.hidden_size)];
    for (int64_t k = 0; k < K; ++k) {
      m.weights[static_cast<size_t>(r * K + k)] =
          weights[r * K + k] * sa / (k < input_size ? s.input_scale : s.hidden_scale);
    }
    if (!bias.empty()) m.bias[static_cast<size_t>(r)] = bias[static_cast<size_t>(r)] * sa;
  }
  m.h_min = (-128 - s.hidden_zero_point) * s.hidden_scale;
  m.h_max = (127 - s.hidden_zero_point) * s.hidden_scale;
  return m;
}

std::vector<double> recurrent_gemm_float(const RecurrentFloat& m, const std::vector<double>& x,
                                         const std::vector<double>& h, int64_t batch) {
  const int64_t I = m.input_size, H = m.hidden_size, R = 4 * H, K = I + H;
  std::vector<double> out(static_cast<size_t>(batch * R));
  for (int64_t b = 0; b < batch; ++b) {
    for (int64_t r = 0; r < R; ++r) {
      double acc = m.bias[static_cast<size_t>(r)];
      for (int64_t k = 0; k < I; ++k)
        acc += m.weights[static_cast<size_t>(r * K + k)] * x[static_cast<size_t>(b * I + k)];
      for (int64_t k = 0; k < H; ++k)
        acc += m.weights[static_cast<size_t>(r * K + I + k)] * h[static_cast<size_t>(b * H + k)];
      out[static_cast<size_t>(b * R + r)] = acc;
    }
  }
  return out;
}

double clamp_q312_real(double v) {
  return std::clamp(v, -8.0, 32767.0 / 4096.0);
}

TensorI8 recurrent_sequence(const std::string& what, const TensorI8& x, int64_t input_size,
                            int64_t hidden_size,
                            const std::function<const TensorI8&(const TensorI8&)>& step) {
  if (x.shape.size() != 3 || x.shape[2] != input_size || x.size() != x.shape[0] * x.shape[1] * x.shape[2]) {
    throw InputError(what + ": input " + shape_str(x.shape) + " is not [T][batch][" +
                     std::to_string(input_size) + "]");
  }
  const int64_t T = x.shape[0], batch = x.shape[1];
  TensorI8 out({T, batch, hidden_size});
  TensorI8 xt({batch, input_size});
  for (int64_t t = 0; t < T; ++t) {
    std::copy_n(x.data.begin() + t * batch * input_size, batch * input_size, xt.data.begin());
    const TensorI8& h = step(xt);
    std::copy(h.data.begin(), h.data.end(), out.data.begin() + t * batch * hidden_size);
  }
  return out;
}

}  // namespace npusim::quant
