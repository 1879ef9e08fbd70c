// Fuzz target: NumPy .npy files (sim/quant/npy.h), through every reader.
#include <cstdint>
#include <string>

#include "sim/common/error.h"
#include "sim/quant/npy.h"
#include "tests/fuzz/fuzz_common.h"

namespace {

template <class F>
void expect_input_error_or_value(F&& read) {
  try {
    (void)read();
  } catch (const npusim::InputError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = npusim::fuzz::write_input(npusim::fuzz::as_string(data, size), "input.npy");
  expect_input_error_or_value([&] { return npusim::quant::read_npy_value(path); });
  expect_input_error_or_value([&] { return npusim::quant::read_npy_i8(path); });
  expect_input_error_or_value([&] { return npusim::quant::read_npy_i32(path); });
  expect_input_error_or_value([&] { return npusim::quant::read_npy_f32(path); });
  return 0;
}
