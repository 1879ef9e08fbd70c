// Fuzz target: npusim workload CSV through load_workload (sim/workload/workload_loader.h),
// which detects the format from the header line.
#include <cstdint>
#include <string>

#include "sim/common/error.h"
#include "sim/workload/workload_loader.h"
#include "tests/fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = npusim::fuzz::write_input(npusim::fuzz::as_string(data, size), "workload_csv.csv");
  try {
    (void)npusim::load_workload(path);
  } catch (const npusim::InputError&) {
  }
  return 0;
}
