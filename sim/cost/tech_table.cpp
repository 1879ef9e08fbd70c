#include "sim/cost/tech_table.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/common/error.h"
#include "sim/common/text.h"
#include "sim/config/yaml_file.h"
#include "sim/cost/tech_scaling.h"

namespace npusim::cost {

namespace {

std::string at_line(const std::string& path, const YAML::Node& n) {
  return path + ":" + std::to_string(n.Mark().line >= 0 ? n.Mark().line + 1 : 1);
}

double number(const std::string& path, const YAML::Node& n, const std::string& key) {
  if (!n.IsScalar()) throw InputError(at_line(path, n) + ": " + key + ": expected a number");
  const auto v = parse_double(n.as<std::string>());
  if (!v || !std::isfinite(*v) || *v < 0)
    throw InputError(at_line(path, n) + ": " + key + ": expected a non-negative number, got " +
                     quote(n.as<std::string>()));
  return *v;
}

std::string text(const std::string& path, const YAML::Node& m, const std::string& key,
                 const std::string& where) {
  const YAML::Node n = m[key];
  if (!n || !n.IsScalar() || n.as<std::string>().empty())
    throw InputError(at_line(path, m) + ": " + where + ": missing '" + key + "'");
  return n.as<std::string>();
}

void only_keys(const std::string& path, const YAML::Node& m, const std::vector<std::string>& keys,
               const std::string& where) {
  for (const auto& kv : m) {
    const std::string k = kv.first.as<std::string>();
    if (std::find(keys.begin(), keys.end(), k) == keys.end())
      throw InputError(at_line(path, kv.first) + ": " + where + ": unknown key " + quote(k));
  }
}

TechEntry entry(const std::string& path, const YAML::Node& m, const std::string& where,
                const std::string& unit) {
  if (!m.IsMap()) throw InputError(at_line(path, m) + ": " + where + ": expected {value, unit, at, source}");
  only_keys(path, m, {"value", "unit", "at", "source", "calibration"}, where);
  if (m["calibration"] && unit != "pJ")
    throw InputError(at_line(path, m) + ": " + where + ": 'calibration' names an energy's factor; not here");
  TechEntry e;
  if (!m["value"]) throw InputError(at_line(path, m) + ": " + where + ": missing 'value'");
  e.value = number(path, m["value"], where + ".value");
  e.unit = text(path, m, "unit", where);
  if (e.unit != unit)
    throw InputError(at_line(path, m) + ": " + where + ": unit " + quote(e.unit) + ", expected " +
                     quote(unit));
  e.at = m["at"] ? m["at"].as<std::string>() : "none";
  e.source = text(path, m, "source", where);
  return e;
}

double scale_from(const std::string& path, const std::string& at, double to_nm, bool energy,
                  const std::string& where) {
  if (at == "none") return 1.0;
  const double from = parse_node_nm(at, path + ": " + where + ".at");
  try {
    const ScaleFactors f = tech_scale(from, to_nm);
    return energy ? f.energy : f.area;
  } catch (const InputError& e) {
    throw InputError(path + ": " + where + ".at: " + e.what());
  }
}

}  // namespace

TechTable TechTable::load(const std::string& path) {
  const YAML::Node root = load_yaml_file(path, "technology table");
  if (!root.IsMap())
    throw InputError(path + ": expected a mapping (node, energy, area, leakage, sram, calibration)");
  only_keys(path, root, {"node", "energy", "area", "leakage", "sram", "calibration"}, "tech table");
  for (const char* k : {"node", "energy", "area", "leakage", "sram", "calibration"})
    if (!root[k]) throw InputError(path + ": missing required key '" + std::string(k) + "'");
  TechTable t;
  t.path_ = path;
  t.node_ = root["node"].as<std::string>();
  t.node_nm_ = parse_node_nm(t.node_, path + ": node");
  // Calibration first: logic_energy_factor multiplies every logic energy; further named factors multiply
  // only the energies that name them (`calibration: <factor>`), e.g. one family's own calibration.
  const YAML::Node cal = root["calibration"];
  if (!cal.IsMap()) throw InputError(at_line(path, cal) + ": calibration: expected a mapping of factors");
  if (!cal["logic_energy_factor"]) throw InputError(path + ": calibration: missing 'logic_energy_factor'");
  for (const auto& kv : cal) {
    const std::string name = kv.first.as<std::string>();
    TechEntry f = entry(path, kv.second, "calibration." + name, "1");
    f.scaled = f.value;
    t.factors_[name] = f;
  }
  t.calibration_ = t.factors_.at("logic_energy_factor");
  for (const auto& kv : root["energy"]) {
    const std::string name = kv.first.as<std::string>();
    TechEntry e = entry(path, kv.second, "energy." + name, "pJ");
    double factor = e.at == "none" ? 1.0 : t.calibration_.value;  // off-chip figures are not calibrated
    if (const YAML::Node c = kv.second["calibration"]) {
      const std::string f = c.as<std::string>();
      if (!t.factors_.count(f))
        throw InputError(at_line(path, c) + ": energy." + name + ".calibration: no factor " + quote(f) +
                         " in the calibration section");
      factor = t.factors_.at(f).value;
    }
    e.scaled = e.value * scale_from(path, e.at, t.node_nm_, true, "energy." + name) * factor;
    t.energy_[name] = e;
  }
  for (const auto& kv : root["area"]) {
    const std::string name = kv.first.as<std::string>();
    TechEntry e = entry(path, kv.second, "area." + name, "um2");
    e.scaled = e.value * scale_from(path, e.at, t.node_nm_, false, "area." + name);
    t.area_[name] = e;
  }
  const YAML::Node leak = root["leakage"];
  only_keys(path, leak, {"logic"}, "leakage");
  if (!leak["logic"]) throw InputError(path + ": leakage: missing 'logic'");
  t.leak_ = entry(path, leak["logic"], "leakage.logic", "nW/um2");
  // Leakage per area scales like energy per area.
  t.leak_.scaled = t.leak_.value * scale_from(path, t.leak_.at, t.node_nm_, true, "leakage.logic") /
                   scale_from(path, t.leak_.at, t.node_nm_, false, "leakage.logic");
  const YAML::Node sram = root["sram"];
  only_keys(path, sram, {"at", "source", "points"}, "sram");
  t.sram_at_ = text(path, sram, "at", "sram");
  t.sram_source_ = text(path, sram, "source", "sram");
  t.sram_energy_scale_ = scale_from(path, t.sram_at_, t.node_nm_, true, "sram");
  t.sram_area_scale_ = scale_from(path, t.sram_at_, t.node_nm_, false, "sram");
  if (!sram["points"] || !sram["points"].IsSequence() || sram["points"].size() < 2)
    throw InputError(at_line(path, sram) + ": sram.points: expected at least two size points");
  for (const auto& p : sram["points"]) {
    only_keys(path, p, {"kib", "read_pj_per_bit", "write_pj_per_bit", "area_mm2", "leak_mw"}, "sram.points");
    for (const char* k : {"kib", "read_pj_per_bit", "write_pj_per_bit", "area_mm2", "leak_mw"})
      if (!p[k]) throw InputError(at_line(path, p) + ": sram.points: missing '" + std::string(k) + "'");
    t.sram_.push_back({number(path, p["kib"], "sram.points.kib"),
                       number(path, p["read_pj_per_bit"], "read_pj_per_bit"),
                       number(path, p["write_pj_per_bit"], "write_pj_per_bit"),
                       number(path, p["area_mm2"], "area_mm2"), number(path, p["leak_mw"], "leak_mw")});
  }
  std::sort(t.sram_.begin(), t.sram_.end(),
            [](const SramPoint& a, const SramPoint& b) { return a.kib < b.kib; });
  return t;
}

TechTable TechTable::for_node(const std::string& node, const std::string& arch_source) {
  namespace fs = std::filesystem;
  std::vector<fs::path> dirs;
  if (!arch_source.empty()) dirs.push_back(fs::path(arch_source).parent_path().parent_path() / "tech");
  dirs.push_back(fs::path(NPUSIM_SOURCE_DIR) / "configs" / "tech");
  for (const auto& d : dirs) {
    const fs::path p = d / (node + ".yaml");
    std::error_code ec;
    if (fs::exists(p, ec)) return load(p.string());
  }
  throw InputError((arch_source.empty() ? std::string() : arch_source + ": ") + "tech: no technology table " +
                   quote(node + ".yaml") + " in " + dirs.back().string());
}

double TechTable::energy_pj(const std::string& component) const {
  const auto it = energy_.find(component);
  if (it == energy_.end()) throw InputError(path_ + ": no energy entry for component " + quote(component));
  return it->second.scaled;
}

double TechTable::calibration_factor(const std::string& name) const {
  const auto it = factors_.find(name);
  if (it == factors_.end()) throw InputError(path_ + ": no calibration factor " + quote(name));
  return it->second.value;
}

double TechTable::area_um2(const std::string& component) const {
  const auto it = area_.find(component);
  if (it == area_.end()) throw InputError(path_ + ": no area entry for component " + quote(component));
  return it->second.scaled;
}

SramCost TechTable::sram(double kib) const {
  if (kib <= 0) return {};
  // Per-bit energies interpolate in log(size); area and leakage per KiB too (clamped at the ends).
  const SramPoint* lo = &sram_.front();
  const SramPoint* hi = &sram_.back();
  for (size_t i = 0; i + 1 < sram_.size(); ++i)
    if (kib >= sram_[i].kib && kib <= sram_[i + 1].kib) {
      lo = &sram_[i];
      hi = &sram_[i + 1];
    }
  if (kib < sram_.front().kib) hi = lo = &sram_.front();
  if (kib > sram_.back().kib) lo = hi = &sram_.back();
  const double t = hi == lo ? 0.0 : std::log(kib / lo->kib) / std::log(hi->kib / lo->kib);
  auto lerp = [t](double a, double b) { return a + t * (b - a); };
  SramCost c;
  c.read_pj_per_bit = lerp(lo->read, hi->read) * sram_energy_scale_;
  c.write_pj_per_bit = lerp(lo->write, hi->write) * sram_energy_scale_;
  c.area_mm2 = lerp(lo->area / lo->kib, hi->area / hi->kib) * kib * sram_area_scale_;
  c.leak_mw = lerp(lo->leak / lo->kib, hi->leak / hi->kib) * kib * sram_energy_scale_;
  return c;
}

std::vector<TechTable::Row> TechTable::rows() const {
  std::vector<Row> r;
  for (const auto& [n, e] : energy_) r.push_back({"energy", n, e.unit, e.at, e.source, e.value, e.scaled});
  for (const auto& [n, e] : area_) r.push_back({"area", n, e.unit, e.at, e.source, e.value, e.scaled});
  r.push_back({"leakage", "logic", leak_.unit, leak_.at, leak_.source, leak_.value, leak_.scaled});
  for (const auto& [n, f] : factors_) r.push_back({"calibration", n, "1", "-", f.source, f.value, f.value});
  for (const auto& p : sram_)
    r.push_back({"sram", std::to_string(static_cast<int64_t>(p.kib)) + " KiB", "pJ/bit read", sram_at_,
                 sram_source_, p.read, p.read * sram_energy_scale_});
  return r;
}

}  // namespace npusim::cost
