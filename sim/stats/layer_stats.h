#pragma once
// What one layer cost: cycles, traffic and action counts. Filled by a family's mapping (or the vector
// unit), priced by sim/cost, read by the report. Family-specific figures go into `family` (a JSON
// object in the report), never into new fields here.
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace npusim {

struct LayerStats {
  std::string name, op, shape;
  std::string unit;             // "array" (the family's compute), "vector" (vector/post-processing unit)
  int64_t macs = 0;             // dense MACs of the layer (effective, dense-equivalent)
  int64_t executed_macs = 0;    // multiplier operations issued (skipped work excluded, padding included)
  int64_t cycles = 0;           // first command accepted .. last output written back to DRAM
  int64_t stall_cycles = 0;     // input slots lost to DRAM bandwidth / buffer space
  int64_t prologue_cycles = 0;  // initial operand fetch before compute can start
  double utilization = 0.0;     // executed_macs / (cycles * peak MACs per cycle)
  // Set by a mapping whose layer has hardware of its own (e.g. a fixed-weight stage), so the design's
  // peak MACs per cycle is not its denominator: the executor keeps `utilization` as given.
  bool own_utilization = false;
  double clock_mhz = 0;  // the clock the layer ran at (0: the design's clock_mhz)
  // Area of hardware that exists for this layer only (e.g. its weights as fixed logic), by category;
  // added to the design's area.
  std::map<std::string, double> dedicated_area_um2;
  // SRAM macros that exist for this layer only (name -> KiB, e.g. a fixed stage's line buffer): priced like
  // the design's memories (area into the design's, access energy from their size).
  std::map<std::string, double> dedicated_memory_kib;
  bool verified = false;
  bool exact_compare =
      true;                 // false: inexact hardware, compared as error statistics (family.error_vs_golden)
  std::string verify_note;  // what was compared, or why not
  // SRAM traffic per memory (names from Family::memories, e.g. act/wgt/out).
  std::map<std::string, int64_t> sram_read_bytes, sram_write_bytes;
  int64_t dram_read_bytes = 0, dram_write_bytes = 0;
  std::map<std::string, int64_t> actions;  // action name -> count (priced by sim/cost)
  // Energy (sim/cost): by category (MACs active, operand registers, SRAM act, DRAM, leakage, ...).
  std::map<std::string, double> energy_pj;
  double energy_total_pj = 0;
  // Share of int8 outputs at the ends of the output range (-1: not computed, e.g. --fast).
  double saturated_fraction = -1;
  // Share of the layer's input activations that are not the input zero point (real zeros), measured on the
  // values the layer read (-1: not measured). What zero gating, toggles and DAP see.
  double input_density = -1;
  // Weights the family's preparation changed (e.g. DBB pruning of a real model's weights; -1: not measured).
  int64_t weights_changed = -1, weights_total = 0;
  int model_operator = -1;  // the operator's index in a real model (-1: a layer table's layer)
  nlohmann::json family = nlohmann::json::object();  // family-specific figures
  std::string detail;                                // short family-specific cell for the table (e.g. "w4/8")
  std::vector<std::string> notes;                    // family-specific report lines
  int64_t dram_bytes() const { return dram_read_bytes + dram_write_bytes; }
  int64_t sram_read(const std::string& m) const {
    return sram_read_bytes.count(m) ? sram_read_bytes.at(m) : 0;
  }
  int64_t sram_write(const std::string& m) const {
    return sram_write_bytes.count(m) ? sram_write_bytes.at(m) : 0;
  }
  // Adds another job's cycles, traffic and actions (e.g. the time steps of a recurrent layer).
  void add(const LayerStats& s) {
    cycles += s.cycles;
    stall_cycles += s.stall_cycles;
    for (const auto& [k, v] : s.sram_read_bytes) sram_read_bytes[k] += v;
    for (const auto& [k, v] : s.sram_write_bytes) sram_write_bytes[k] += v;
    dram_read_bytes += s.dram_read_bytes;
    dram_write_bytes += s.dram_write_bytes;
    for (const auto& [k, v] : s.actions) actions[k] += v;
  }
};

}  // namespace npusim
