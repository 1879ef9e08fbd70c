#pragma once
// Technology table of one node (configs/tech/<node>.yaml): per-action energies, per-component areas,
// logic leakage, SRAM cost points by size and the calibration factor, every entry with its unit and
// source. Entries published at another node are scaled to this node by tech_scale() when loaded.
// Asking for a component the table does not have is an InputError naming it (never a default).
#include <map>
#include <string>
#include <vector>

namespace npusim::cost {

struct TechEntry {
  double value = 0;    // as published, at `at`
  std::string unit;    // pJ | um2 | nW/um2 | 1
  std::string at;      // node the figure was published at ("none": not node-scaled)
  std::string source;  // where it comes from
  double scaled = 0;   // at this table's node (energies also times the calibration factor)
};

struct SramCost {
  double read_pj_per_bit = 0, write_pj_per_bit = 0, area_mm2 = 0, leak_mw = 0;
};

class TechTable {
 public:
  // Reads and validates a table; InputError with file and key on any problem.
  static TechTable load(const std::string& path);
  // configs/tech/<node>.yaml next to the arch config's configs/arch/ directory, else the source tree's.
  static TechTable for_node(const std::string& node, const std::string& arch_source = "");

  const std::string& node() const { return node_; }
  double node_nm() const { return node_nm_; }
  const std::string& path() const { return path_; }
  double energy_pj(const std::string& component) const;  // per action, scaled and calibrated
  double area_um2(const std::string& component) const;   // per component, scaled
  double logic_leak_nw_per_um2() const { return leak_.scaled; }
  double logic_energy_factor() const { return calibration_.value; }
  // A named calibration factor of the table (InputError if absent).
  double calibration_factor(const std::string& name) const;
  // An SRAM macro of `kib` KiB: interpolated in log(size) between the table's points (clamped and
  // extrapolated linearly in area/leakage per KiB beyond them), scaled from the points' node.
  SramCost sram(double kib) const;
  // Every entry, for `npusim list`: section, name, published value and unit, node, scaled value, source.
  struct Row {
    std::string section, name, unit, at, source;
    double value = 0, scaled = 0;
  };
  std::vector<Row> rows() const;

 private:
  std::string path_, node_;
  double node_nm_ = 0;
  std::map<std::string, TechEntry> energy_, area_;
  TechEntry leak_, calibration_;
  std::map<std::string, TechEntry> factors_;  // calibration section, logic_energy_factor included
  struct SramPoint {
    double kib, read, write, area, leak;
  };
  std::vector<SramPoint> sram_;
  std::string sram_at_, sram_source_;
  double sram_energy_scale_ = 1, sram_area_scale_ = 1;
};

}  // namespace npusim::cost
