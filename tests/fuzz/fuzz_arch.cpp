// Fuzz target: arch config YAML (sim/config/arch_loader.h) with --set overrides. The input is the YAML
// file up to the first NUL byte; each line after it is one "dotted.key=value" override.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/common/error.h"
#include "sim/config/arch_loader.h"
#include "tests/fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string in = npusim::fuzz::as_string(data, size);
  const size_t sep = in.find('\0');
  std::vector<std::string> overrides;
  if (sep != std::string::npos) {
    const std::string tail = in.substr(sep + 1);
    size_t start = 0;
    while (start <= tail.size()) {
      const size_t end = tail.find('\n', start);
      overrides.push_back(tail.substr(start, end == std::string::npos ? std::string::npos : end - start));
      if (end == std::string::npos) break;
      start = end + 1;
    }
  }
  const std::string path = npusim::fuzz::write_input(in.substr(0, sep), "arch.yaml");
  try {
    (void)npusim::load_arch(path, overrides);
  } catch (const npusim::InputError&) {
  }
  return 0;
}
