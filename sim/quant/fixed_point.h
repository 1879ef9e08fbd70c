#pragma once
// TFLite / gemmlowp integer requantization arithmetic. A real multiplier M is represented as a Q31
// fixed-point mantissa m in [2^30, 2^31) and a power-of-two exponent e with M ~= m * 2^(e - 31).
// Applying it to an int32 x uses only integer ops, so the golden model is bit-exact with TFLite's
// reference kernels (and with any hardware that implements the same recipe).
#include <cstdint>
#include <string>

namespace npusim::quant {

// How multiply_by_quantized_multiplier rounds. Double = TFLite's default build (gemmlowp high multiply
// rounded, then a rounding right shift: two roundings). Single = TFLite built with
// TFLITE_SINGLE_ROUNDING=1 (one 64-bit product, one rounding).
enum class Rounding { Double, Single };

// "double" / "single"; parse_rounding throws InputError for anything else.
const char* rounding_name(Rounding r);
Rounding parse_rounding(const std::string& name);

// a * b / 2^31 rounded to nearest (gemmlowp's nudge makes exact ties go toward +infinity:
// 0.5 -> 1, -0.5 -> 0), i.e. the high half of the doubled product. The only overflow case is
// INT32_MIN * INT32_MIN (= +1.0 in Q31), which saturates to INT32_MAX.
int32_t saturating_rounding_doubling_high_mul(int32_t a, int32_t b);

// x / 2^exponent, rounding half away from zero (gemmlowp RoundingDivideByPOT; an arithmetic shift
// alone would round toward -inf). exponent must be in [0, 31].
int32_t rounding_divide_by_pot(int32_t x, int exponent);

// x * multiplier * 2^shift / 2^31 exactly as TFLite's reference MultiplyByQuantizedMultiplier:
// shift > 0 is a left shift applied *before* the high multiply (keeps precision), shift <= 0 a
// rounding right shift applied after. The left shift wraps on overflow like TFLite's int32 math.
int32_t multiply_by_quantized_multiplier(int32_t x, int32_t multiplier, int shift);

// The same product with the chosen rounding. Single (TFLITE_SINGLE_ROUNDING):
//   (x * multiplier + 2^(30 - shift)) >> (31 - shift), 64-bit, arithmetic shift, for shift in
//   [-31, 30] (ties go toward +infinity), saturated to int32 (TFLite only DCHECKs the range).
// Throws std::invalid_argument for a single-rounding shift outside [-31, 30] (a caller bug:
// quantize_multiplier never produces one).
int32_t multiply_by_quantized_multiplier(int32_t x, int32_t multiplier, int shift, Rounding rounding);

// TFLite QuantizeMultiplier: splits `real` into a Q31 mantissa and an exponent (real ~= multiplier *
// 2^(shift - 31)). Exactly 0 gives (0, 0); a mantissa that rounds up to 2^31 is halved and the
// exponent bumped; values so small that the shift would be < -31 flush to (0, 0).
// Throws InputError for NaN or infinity.
void quantize_multiplier(double real, int32_t* multiplier, int* shift);

// Under Rounding::Single TFLite additionally saturates a shift above 30 to (2^31 - 1, 30), since the
// single-rounding product cannot shift left by more than 30. Double is the plain overload.
void quantize_multiplier(double real, int32_t* multiplier, int* shift, Rounding rounding);

}  // namespace npusim::quant
