#pragma once
// Resolved architecture configuration (DESIGN.md §4). Loaded from YAML, with --set overrides applied
// before validation; unknown keys and impossible values are InputErrors naming the file and key.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace npusim {

enum class Dataflow { OS, WS };

const char* to_string(Dataflow d);  // "os" | "ws"

struct SparsityConfig {
  std::string mode = "dense";  // weights: dense | dbb | vdbb; activations: dense | zvcg | dap
  int block = 8;
  int nnz = 8;
};

struct ArchConfig {
  std::string name;
  std::string family = "systolic";  // systolic | fixynn | cim
  double clock_mhz = 1000.0;
  std::string tech = "16nm";
  int rows = 0, cols = 0;           // array of M x N (tensor) PEs
  int tpe_a = 1, tpe_b = 1, tpe_c = 1;
  Dataflow dataflow = Dataflow::OS;
  SparsityConfig weights{"dense", 8, 8};
  SparsityConfig activations{"dense", 8, 8};
  std::string im2col = "software";  // software | hardware
  // Hardware IM2COL register slots per bank (pixel blocks); 0 = 3 x activation rows + 1 (a 3-wide
  // kernel row at stride <= 2 in one load). Must be >= activation rows + 1 (one kernel column + pad).
  int64_t im2col_slots = 0;
  int64_t act_kib = 512, wgt_kib = 512, out_kib = 256;
  double dram_bytes_per_cycle = 32.0;
  int act_bits = 8, wgt_bits = 8, acc_bits = 32;
  int vector_lanes = 16;            // vector/post-processing unit (pool, add, requantize)
  std::string source;               // file it was read from

  // Fully resolved config as JSON (every key, defaults included), for reports. Same nesting and key
  // names as the YAML (array.rows, sparsity.weights.nnz, vector.lanes, ...); `source` is not included.
  nlohmann::json to_json() const;
};

}  // namespace npusim
