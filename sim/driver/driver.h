#pragma once
// The network executor (DESIGN.md §3). It runs the workload graph in order with real tensors flowing:
// a layer's input is its producers' output as the accelerator computed it (chained), or, for a table
// whose rows do not chain, a tensor drawn from the seed (independent). Weights, biases and
// quantization parameters come from named seed streams; each layer's output scale is set from its
// real accumulator range. The golden network runs the same graph on sim/quant with the family's golden
// semantics (prepared weights, hardware input transformation), and every layer the family runs is
// compared with it bit-exactly on the same input. Pool and add run on the vector unit.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "sim/config/arch_config.h"
#include "sim/family/family.h"
#include "sim/stats/layer_stats.h"
#include "sim/workload/layer.h"

namespace npusim {

struct RunOptions {
  uint64_t seed = 1;
  bool fast = false;  // closed forms only; no tensors unless `values` or an output below asks for them
  bool values = false;  // --fast --values: tensors computed on the golden ops (not simulated)
  BackendOptions backend;
  std::string only_layer;  // run just this layer (its producers run on the golden ops only)
  MappingOptions mapping;
  std::string input_npy;                 // network input (chained networks); empty: drawn from the seed
  std::vector<std::string> more_inputs;  // a real model's further inputs (its graph inputs 1, 2, ...)
  std::string output_npy;                // write the network's final tensor here
  // Compare the network's final tensor with this .npy (e.g. the same design's noise-free output): error
  // statistics and arg-max agreement in RunReport::compare_output.
  std::string compare_npy;
  std::string dump_dir;                  // write every layer's output tensor here (<layer>.npy)
  bool independent = false;  // run every layer on tensors drawn from the seed even if the graph chains
  // Requantization of conv/dwconv/fc outputs: "double" (TFLite's reference kernels: rounding doubling high
  // multiply, then rounding right shift) or "single" (one rounding of the 64-bit product, as runtimes built
  // with TFLITE_SINGLE_ROUNDING do).
  std::string rounding = "double";
  // A real model's golden kernels where TFLite's differ (sim/driver/tflite_golden.h): "reference"
  // (register_ref.cc) or "builtin" (the default resolver's optimized kernels on x86/wasm: conv/fc requantize
  // once through ruy, softmax from a float table, ...), and the integer LSTM's arithmetic: "tflm" (TFLM),
  // "tflite" (TFLite today) or "tflite-2021" (TFLite before its hidden zero-point fix; docs/tflm_lstm.md).
  std::string kernels = "reference";
  std::string lstm = "tflm";
  // Called with the prepared operands of every segment a family maps (Family::map_segment), e.g. for a
  // generator that turns a segment's weights into RTL; forces values (with --fast: golden values).
  std::function<void(size_t first, const std::vector<LayerOperands>& ops)> on_segment;
};

// One part of a pipelined design (Family::pipeline_parts) over one frame.
struct PartTotals {
  std::string name, first_layer;
  int64_t layers = 0, macs = 0, frame_cycles = 0;
  double clock_mhz = 0, frame_s = 0, idle_s = 0;  // idle: per frame period, waiting for the slowest part
  double energy_pj = 0, tops = 0, tops_per_w = 0, area_mm2 = 0;
  double energy_core_pj = 0, tops_per_w_core = 0;  // without DRAM
};

struct RunTotals {
  int64_t cycles = 0, macs = 0, executed_macs = 0, stall_cycles = 0, dram_bytes = 0;
  double utilization = 0.0, latency_s = 0.0, tops = 0.0;
  int verified = 0, failed = 0, not_checked = 0;
  int statistical = 0;  // layers of inexact hardware, compared as error statistics
  // Energy and area (sim/cost, configs/tech/<node>.yaml). Core = everything but DRAM.
  std::map<std::string, double> energy_by_category_pj, area_by_category_um2;
  double energy_pj = 0, energy_core_pj = 0, area_mm2 = 0;
  double tops_per_w_effective = 0, tops_per_w_executed = 0;            // dense-equivalent / issued ops
  double tops_per_w_core_effective = 0, tops_per_w_core_executed = 0;  // excluding DRAM
  double tops_per_mm2 = 0;
  std::string tech_table;         // the table's path
  bool energy_estimated = false;  // --fast: activity estimated
  // A pipelined design: its parts, and the steady-state frame period (latency_s is then the sum of the
  // parts' frame times and tops the throughput at one frame per period).
  std::vector<PartTotals> pipeline;
  double frame_period_s = 0;
};

struct RunReport {
  ArchConfig arch;
  std::string summary;  // the family's one-line description of the design
  std::string workload, workload_path;
  uint64_t seed = 0;
  std::string backend;
  bool fast = false;
  std::string execution;              // "chained" | "independent"
  std::string execution_reason;       // why independent
  bool values = true;                 // tensors were computed
  std::vector<std::string> memories;  // the design's SRAMs (every layer reports traffic for each)
  std::vector<LayerStats> layers;
  RunTotals total;
  uint64_t lockstep_cycles = 0;
  std::string lockstep_blocks;
  // A real model's run (null for layer tables): the semantics followed, the input used, and for designs
  // that change weights or activations (DBB, DAP) how far the output is from the unchanged model's.
  nlohmann::json model;
  // --compare-output: {file, changed_fraction, mean/max |error| LSB, snr_db, argmax_same}.
  nlohmann::json compare_output;
};

RunReport run_network(const ArchConfig& arch, const Network& net, const RunOptions& opts);

// Bit-exact comparison of accumulators and outputs with golden; `note` says what matched or where the
// first difference is.
// Mean and largest |out - golden| in LSB and the share of elements that differ.
nlohmann::json error_statistics(const TensorI8& out, const TensorI8& golden);

bool compare_outputs(const TensorI32& acc, const TensorI8& out, const TensorI32& golden_acc,
                     const TensorI8& golden_out, std::string* note);

std::string shape_string(const Layer& layer);

}  // namespace npusim
