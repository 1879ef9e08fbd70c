// Fuzz target: design-space sweep specs (sim/sweep/sweep_spec.h), then their expansion into points (axes
// applied to the base, constraints evaluated) when the spec is small. The spec sits in the scratch
// directory, so its base and workloads name shipped files as configs/arch/..., workloads/... (see the
// corpus).
#include <cstdint>
#include <string>

#include "sim/common/error.h"
#include "sim/sweep/sweep_points.h"
#include "sim/sweep/sweep_spec.h"
#include "tests/fuzz/fuzz_common.h"

namespace {
// Each point is an arch load (about a millisecond): larger specs are read but not expanded.
constexpr uint64_t kMaxExpandedPoints = 64;
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = npusim::fuzz::write_input(npusim::fuzz::as_string(data, size), "spec.yaml");
  try {
    const npusim::SweepSpec s = npusim::load_sweep_spec(path);
    const bool random = s.sampling.mode == npusim::SweepSampling::Mode::Random;
    const uint64_t n = random ? static_cast<uint64_t>(s.sampling.points) : s.grid_size();
    if (n <= kMaxExpandedPoints) (void)npusim::expand_sweep(s);
  } catch (const npusim::InputError&) {
  }
  return 0;
}
