#pragma once
// The systolic family's config section (DESIGN.md §4): array of M x N (tensor) PEs, TPE shape,
// dataflow, weight and activation sparsity, IM2COL, buffers. Declared as ParamSpecs (systolic_params),
// validated across keys by configure_systolic (what the models implement), kept as the typed config
// in ArchConfig::family_config.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/config/arch_config.h"
#include "sim/config/params.h"

namespace npusim {

enum class Dataflow { OS, WS };
const char* to_string(Dataflow d);  // "os" | "ws"

struct SparsityConfig {
  std::string mode = "dense";  // weights: dense | dbb | vdbb; activations: dense | zvcg | dap
  int block = 8;
  int nnz = 8;
};

struct SystolicConfig : FamilyConfig {
  int rows = 0, cols = 0;  // array of M x N (tensor) PEs
  int tpe_a = 1, tpe_b = 1, tpe_c = 1;
  Dataflow dataflow = Dataflow::OS;
  SparsityConfig weights{"dense", 8, 8};
  SparsityConfig activations{"dense", 8, 8};
  std::string im2col = "software";  // software | hardware
  // Hardware IM2COL register slots per bank (pixel blocks); default 3 x activation rows + 1 (a 3-wide
  // kernel row at stride <= 2 in one load). Must be >= activation rows + 1 (one kernel column + pad).
  int64_t im2col_slots = 0;
  int64_t act_kib = 512, wgt_kib = 512, out_kib = 256;
};

// The systolic section of an arch config (throws std::logic_error for another family's config).
inline const SystolicConfig& sys(const ArchConfig& arch) { return arch.family_as<SystolicConfig>(); }

std::vector<ParamSpec> systolic_params();
// Reads the declared values and checks that the combination is implemented (one-line InputErrors
// naming the file and key, or the --set option).
std::shared_ptr<const SystolicConfig> configure_systolic(ParamValues& values);

}  // namespace npusim

namespace npusim {
// A writable copy of the systolic section (copy on write: other holders of the config keep theirs),
// for tests and tools that derive design points from a loaded one.
inline SystolicConfig& edit_systolic(ArchConfig& arch) {
  auto copy = std::make_shared<SystolicConfig>(arch.family_config ? sys(arch) : SystolicConfig{});
  arch.family_config = copy;
  return *copy;
}
}  // namespace npusim
