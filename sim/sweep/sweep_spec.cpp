#include "sim/sweep/sweep_spec.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>

#include "sim/common/error.h"
#include "sim/common/text.h"
#include "sim/config/arch_loader.h"
#include "sim/config/yaml_file.h"
#include "sim/family/family.h"
#include "sim/family/registry.h"
#include "sim/sweep/sweep_range.h"

namespace npusim {

namespace fs = std::filesystem;

namespace {

// The values of all axes together are held as text: a resource limit well above any useful sweep (a range
// alone is capped at RangeSpec::kMaxValues).
constexpr size_t kMaxAxisValues = 1000000;
// Applying a value to the base is a full arch load (about a millisecond): an axis with more values than this
// has this many of them checked when the spec is read, evenly spaced and both ends included; the others are
// checked when their point runs (a failed point is recorded with its error and the sweep goes on).
constexpr size_t kMaxCheckedPerAxis = 256;

const std::vector<std::string> kTopKeys = {"name",        "base",    "workloads", "axes",
                                           "constraints", "options", "sampling"};

std::string join(const std::vector<std::string>& v, const char* sep = ", ") {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
  return out;
}

int line_of(const YAML::Node& n) {
  return n.IsDefined() && n.Mark().line >= 0 ? n.Mark().line + 1 : 0;
}

// The repository root above `p` (a directory holding .git), or "" if none.
fs::path repo_root_of(const fs::path& p) {
  std::error_code ec;
  for (fs::path d = fs::weakly_canonical(p, ec).parent_path(); !d.empty(); d = d.parent_path()) {
    if (fs::exists(d / ".git", ec)) return d;
    if (d == d.root_path()) break;
  }
  return {};
}

class SpecReader {
 public:
  explicit SpecReader(SweepSpec& s) : s_(s), dir_(fs::path(s.path).parent_path()) {}

  [[noreturn]] void fail(const YAML::Node& at, const std::string& key, const std::string& msg) const {
    const int line = line_of(at);
    throw InputError(s_.path + (line ? ":" + std::to_string(line) : "") + ": " + key + ": " + msg);
  }

  std::string resolve(const std::string& rel) const {
    const fs::path p(rel);
    return (p.is_absolute() || dir_.empty() ? p : dir_ / p).lexically_normal().string();
  }

  std::string scalar(const YAML::Node& n, const std::string& key, const char* expected) const {
    if (!n.IsScalar() || trim(n.Scalar()).empty()) fail(n, key, std::string("expected ") + expected);
    return n.Scalar();
  }

  // A value as --set takes it: scalars verbatim, lists and mappings in YAML flow style.
  std::string value_text(const YAML::Node& n, const std::string& key) const {
    if (n.IsScalar()) return n.Scalar();
    if (n.IsNull() || !n.IsDefined()) fail(n, key, "empty value");
    YAML::Emitter e;
    e.SetMapFormat(YAML::Flow);
    e.SetSeqFormat(YAML::Flow);
    e << n;
    return e.c_str();
  }

  void read_base(const YAML::Node& n) {
    const std::string given = scalar(n, "base", "the path of an arch config");
    s_.base = resolve(given);
    std::error_code ec;
    if (!fs::is_regular_file(s_.base, ec))
      fail(n, "base", "no such file " + quote(given) + " (" + s_.base + ")");
    try {
      s_.base_config = load_arch(s_.base);
    } catch (const InputError& e) {
      fail(n, "base", e.what());
    }
  }

  void read_workloads(const YAML::Node& n) {
    if (!n.IsSequence() || n.size() == 0)
      fail(n, "workloads", "expected a non-empty list of .csv or .tflite files");
    const fs::path root = repo_root_of(s_.path);
    for (const YAML::Node& w : n) {
      const std::string given = scalar(w, "workloads", "a workload file (.csv or .tflite)");
      const std::string ext = fs::path(given).extension().string();
      if (ext != ".csv" && ext != ".tflite")
        fail(w, "workloads", quote(given) + ": expected a .csv or .tflite file");
      SweepSpec::Workload wl{resolve(given), given};
      std::error_code ec;
      if (!fs::is_regular_file(wl.path, ec))
        fail(w, "workloads", "no such file " + quote(given) + " (" + wl.path + ")");
      if (!root.empty()) {
        const fs::path rel = fs::weakly_canonical(wl.path, ec).lexically_relative(root);
        if (!rel.empty() && *rel.begin() != "..") wl.label = rel.generic_string();
      }
      s_.workloads.push_back(wl);
    }
  }

  // A list, a range {from, to, step|factor} or a single scalar: the values of one key.
  std::vector<std::string> axis_values(const YAML::Node& n, const std::string& key) const {
    std::vector<std::string> out;
    if (n.IsSequence()) {
      if (n.size() == 0) fail(n, key, "empty list of values");
      for (const YAML::Node& v : n) out.push_back(value_text(v, key));
    } else if (n.IsMap()) {
      RangeSpec r;
      for (auto it = n.begin(); it != n.end(); ++it) {
        const std::string k = it->first.Scalar();
        if (k != "from" && k != "to" && k != "step" && k != "factor")
          fail(it->first, key, "unknown range key " + quote(k) + " (expected from, to and step or factor)");
        const YAML::Node v = it->second;
        const auto d = v.IsScalar() ? parse_double(v.Scalar()) : std::nullopt;
        if (!d) fail(v, key, k + ": expected a number");
        r.set(k, *d, v.Scalar());
      }
      const std::string err = r.check();
      if (!err.empty()) fail(n, key, err);
      out = r.values();
    } else if (n.IsScalar()) {
      out.push_back(n.Scalar());
    } else {
      fail(n, key, "expected a list of values, a range {from, to, step|factor} or a zip group");
    }
    return out;
  }

  void read_axes(const YAML::Node& n) {
    if (!n.IsMap() || n.size() == 0) fail(n, "axes", "expected a non-empty mapping of keys to values");
    std::map<std::string, int> seen;  // key -> line of its axis
    for (auto it = n.begin(); it != n.end(); ++it) {
      SweepAxis a;
      a.name = scalar(it->first, "axes", "a key");
      a.line = line_of(it->first);
      const YAML::Node v = it->second;
      if (v.IsMap() && v["zip"].IsDefined()) {
        if (v.size() != 1) fail(v, a.name, "a zip group has only the key 'zip'");
        const YAML::Node z = v["zip"];
        if (!z.IsMap() || z.size() == 0)
          fail(z, a.name, "zip: expected a mapping of keys to lists of equal length");
        std::vector<std::vector<std::string>> cols;
        for (auto zt = z.begin(); zt != z.end(); ++zt) {
          const std::string key = scalar(zt->first, a.name, "a key");
          a.keys.push_back(key);
          cols.push_back(axis_values(zt->second, key));
          if (cols.back().size() != cols.front().size())
            fail(zt->second, a.name + "." + key,
                 "zip lists of unequal length (" + std::to_string(cols.back().size()) + " values, " +
                     a.keys.front() + " has " + std::to_string(cols.front().size()) + ")");
        }
        for (size_t i = 0; i < cols.front().size(); ++i) {
          a.settings.emplace_back();
          for (const auto& c : cols) a.settings.back().push_back(c[i]);
        }
      } else {
        a.keys = {a.name};
        for (auto& t : axis_values(v, a.name)) a.settings.push_back({t});
      }
      for (const auto& key : a.keys) {
        if (const auto [at, fresh] = seen.emplace(key, a.line); !fresh)
          fail(it->first, key,
               "varied by two axes (lines " + std::to_string(at->second) + " and " + std::to_string(a.line) +
                   ")");
      }
      axis_values_ += a.settings.size();
      if (axis_values_ > kMaxAxisValues)
        fail(it->first, a.name,
             "the axes have more than " + std::to_string(kMaxAxisValues) +
                 " values in all: too large to hold; use fewer or coarser values");
      check_axis(a, it->first);
      s_.axes.push_back(std::move(a));
    }
  }

  // The settings of an axis (up to kMaxCheckedPerAxis of them) applied to the base alone, through the loader
  // as --set: unknown keys and bad values fail here with the loader's own message. Keys that must change
  // together belong in a zip.
  void check_axis(const SweepAxis& a, const YAML::Node& at) const {
    const size_t n = a.settings.size();
    const size_t checked = std::min(n, kMaxCheckedPerAxis);
    for (size_t c = 0; c < checked; ++c) {
      const auto& setting = a.settings[checked == n ? c : c * (n - 1) / (checked - 1)];
      std::vector<std::string> ov;
      SweepOptions o;
      for (size_t k = 0; k < a.keys.size(); ++k) {
        if (a.is_option(k)) {
          const std::string err = o.set(a.keys[k].substr(8), setting[k]);
          if (!err.empty()) fail(at, a.keys[k], err);
        } else {
          ov.push_back(a.keys[k] + "=" + setting[k]);
        }
      }
      if (ov.empty()) continue;
      try {
        load_arch(s_.base, ov);
      } catch (const InputError& e) {
        std::string keys = join(a.keys, ",");
        fail(at, keys, "value " + quote(join(setting, ", ")) + " on the base: " + e.what());
      }
    }
  }

  void read_constraints(const YAML::Node& n) {
    if (!n.IsSequence()) fail(n, "constraints", "expected a list of expressions");
    std::set<std::string> keys;
    for (const auto& p : common_params()) keys.insert(p.key);
    if (const Family* f = find_family(s_.base_config.family))
      for (const auto& p : f->params()) keys.insert(p.key);
    for (const YAML::Node& c : n) {
      const std::string text = scalar(c, "constraints", "an expression");
      SweepConstraint sc;
      sc.line = line_of(c);
      const auto bad = [&](size_t pos, const std::string& msg) {
        fail(c, "constraints", quote(text) + " at position " + std::to_string(pos + 1) + ": " + msg);
      };
      try {
        sc.expr = Expr::parse(text);
      } catch (const ExprError& e) {
        bad(e.pos, e.what());
      }
      for (const auto& [id, pos] : sc.expr.identifiers()) {
        if (is_derived_figure(id) || keys.count(id)) continue;
        if (id.rfind("options.", 0) == 0 &&
            SweepOptions().set(id.substr(8), "").find("unknown") == std::string::npos)
          continue;
        bad(pos, "unknown key " + quote(id) + " (a " + s_.base_config.family +
                     " config key, options.<name> or " + join(derived_figures()) + ")");
      }
      sc.derived = sc.expr.uses_derived_figures();
      s_.constraints.push_back(std::move(sc));
    }
  }

  void read_options(const YAML::Node& n) {
    if (!n.IsMap()) fail(n, "options", "expected a mapping {fast, w_nnz, a_nnz, seed, ...}");
    for (auto it = n.begin(); it != n.end(); ++it) {
      const std::string key = scalar(it->first, "options", "an option name");
      if (!it->second.IsScalar()) fail(it->second, "options." + key, "expected a scalar value");
      const std::string err = s_.options.set(key, it->second.Scalar());
      if (!err.empty()) fail(it->first, "options." + key, err);
    }
  }

  void read_sampling(const YAML::Node& n) {
    if (!n.IsMap()) fail(n, "sampling", "expected {mode: grid} or {mode: random, points: N, seed: S}");
    for (auto it = n.begin(); it != n.end(); ++it) {
      const std::string k = it->first.Scalar();
      const YAML::Node v = it->second;
      const std::string text = v.IsScalar() ? v.Scalar() : "";
      if (k == "mode") {
        if (text == "grid")
          s_.sampling.mode = SweepSampling::Mode::Grid;
        else if (text == "random")
          s_.sampling.mode = SweepSampling::Mode::Random;
        else
          fail(v, "sampling.mode", "expected grid or random, got " + quote(text));
      } else if (k == "points") {
        const auto p = parse_int(text);
        if (!p || *p < 1)
          fail(v, "sampling.points", "expected a budget of at least 1 point, got " + quote(text));
        s_.sampling.points = *p;
      } else if (k == "seed") {
        const auto p = parse_int(text);
        if (!p || *p < 0) fail(v, "sampling.seed", "expected a non-negative integer, got " + quote(text));
        s_.sampling.seed = static_cast<uint64_t>(*p);
      } else {
        fail(it->first, "sampling", "unknown key " + quote(k) + " (expected mode, points, seed)");
      }
    }
    if (s_.sampling.mode == SweepSampling::Mode::Random && s_.sampling.points < 1)
      fail(n, "sampling.points", "random sampling needs a budget of at least 1 point");
    if (s_.sampling.mode == SweepSampling::Mode::Grid && n["points"].IsDefined())
      fail(n["points"], "sampling.points", "a point budget needs mode: random");
  }

 private:
  SweepSpec& s_;
  fs::path dir_;
  size_t axis_values_ = 0;  // settings of the axes read so far
};

}  // namespace

uint64_t SweepSpec::grid_size() const {
  uint64_t n = 1;
  for (const auto& a : axes) {
    const uint64_t k = a.settings.size();
    if (k && n > UINT64_MAX / k) return UINT64_MAX;
    n *= k;
  }
  return n;
}

std::vector<const SweepConstraint*> SweepSpec::config_constraints() const {
  std::vector<const SweepConstraint*> out;
  for (const auto& c : constraints)
    if (!c.derived) out.push_back(&c);
  return out;
}

std::vector<const SweepConstraint*> SweepSpec::runner_constraints() const {
  std::vector<const SweepConstraint*> out;
  for (const auto& c : constraints)
    if (c.derived) out.push_back(&c);
  return out;
}

SweepSpec load_sweep_spec(const std::string& path) {
  SweepSpec s;
  s.path = path;
  const YAML::Node root = load_yaml_file(path, "sweep spec");
  if (!root.IsMap()) throw InputError(path + ":1: expected a mapping of keys (" + join(kTopKeys) + ")");
  SpecReader r(s);
  std::set<std::string> seen;
  for (auto it = root.begin(); it != root.end(); ++it) {
    const std::string k = it->first.IsScalar() ? it->first.Scalar() : "";
    if (std::find(kTopKeys.begin(), kTopKeys.end(), k) == kTopKeys.end())
      r.fail(it->first, quote(k), "unknown key (expected one of " + join(kTopKeys) + ")");
    if (!seen.insert(k).second) r.fail(it->first, k, "duplicate key");
  }
  for (const char* required : {"base", "workloads", "axes"})
    if (!root[required].IsDefined()) throw InputError(path + ": missing required key '" + required + "'");
  s.name =
      root["name"].IsDefined() ? r.scalar(root["name"], "name", "a name") : fs::path(path).stem().string();
  r.read_base(root["base"]);
  r.read_workloads(root["workloads"]);
  if (root["options"].IsDefined()) r.read_options(root["options"]);
  r.read_axes(root["axes"]);
  // Options no axis varies must be valid together (a varied combination is a failed point instead).
  bool varied = false;
  for (const SweepAxis& a : s.axes)
    for (const std::string& k : a.keys) varied = varied || k == "options.fast" || k == "options.values";
  if (const std::string err = s.options.check(); !err.empty() && !varied)
    throw InputError(s.path + ": " + err);
  if (root["constraints"].IsDefined()) r.read_constraints(root["constraints"]);
  if (root["sampling"].IsDefined()) r.read_sampling(root["sampling"]);
  return s;
}

}  // namespace npusim
