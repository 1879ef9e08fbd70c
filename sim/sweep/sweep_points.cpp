#include "sim/sweep/sweep_points.h"

#include <algorithm>
#include <cstdio>
#include <numeric>
#include <set>
#include <stdexcept>

#include "sim/common/error.h"
#include "sim/common/rng.h"
#include "sim/common/text.h"
#include "sim/config/arch_loader.h"

namespace npusim {

namespace {

std::string hex64(uint64_t h) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

// Config keys, options.<name> and (with a report) derived figures.
Expr::Lookup point_lookup(const SweepOptions& o, const nlohmann::json& values, const nlohmann::json* report) {
  return [&o, &values, report](const std::string& name) -> std::optional<ExprValue> {
    if (name.rfind("options.", 0) == 0) return o.value(name.substr(8));
    if (is_derived_figure(name)) return report ? derived_value(*report, name) : std::nullopt;
    return config_value(values, name);
  };
}

// Sets a dotted key in a nested JSON object (for constraint values of points the loader rejected).
void set_dotted(nlohmann::json& j, const std::string& key, const std::string& text) {
  nlohmann::json* node = &j;
  size_t start = 0;
  for (size_t dot = key.find('.'); dot != std::string::npos; dot = key.find('.', start)) {
    node = &(*node)[key.substr(start, dot - start)];
    start = dot + 1;
  }
  const auto d = parse_double(text);
  (*node)[key.substr(start)] = d ? nlohmann::json(*d) : nlohmann::json(text);
}

class Expander {
 public:
  explicit Expander(const SweepSpec& s) : s_(s), base_json_(s.base_config.to_json()) {}

  // The point at grid index `index` (last axis fastest), or nullopt if a constraint rejects it.
  std::optional<SweepPoint> make(uint64_t index) {
    SweepPoint p;
    p.grid_index = index;
    p.options = s_.options;
    std::vector<size_t> digit(s_.axes.size());
    for (size_t a = s_.axes.size(); a-- > 0;) {
      const uint64_t k = s_.axes[a].settings.size();
      digit[a] = static_cast<size_t>(index % k);
      index /= k;
    }
    std::string option_error;  // a long axis has only some values checked at load (sweep_spec.cpp)
    for (size_t a = 0; a < s_.axes.size(); ++a) {
      const SweepAxis& axis = s_.axes[a];
      for (size_t k = 0; k < axis.keys.size(); ++k) {
        const std::string& value = axis.settings[digit[a]][k];
        if (axis.is_option(k)) {
          const std::string err = p.options.set(axis.keys[k].substr(8), value);
          if (!err.empty() && option_error.empty()) option_error = axis.keys[k] + ": " + err;
        } else {
          p.overrides.push_back(axis.keys[k] + "=" + value);
        }
      }
    }
    nlohmann::json values;
    try {
      p.config = load_arch(s_.base, p.overrides);
      values = p.config->to_json();
      p.config_hash = config_hash(*p.config);
    } catch (const InputError& e) {
      p.error = e.what();  // an invalid combination: kept, the runner records the error
      values = base_json_;
      for (const auto& ov : p.overrides) {
        const size_t eq = ov.find('=');
        set_dotted(values, ov.substr(0, eq), ov.substr(eq + 1));
      }
      std::string all;
      for (const auto& ov : p.overrides) all += ov + "\n";
      p.config_hash = hex64(Rng::hash("invalid\n" + base_json_.dump() + "\n" + all));
    }
    if (p.error.empty()) p.error = option_error;
    if (p.error.empty()) p.error = p.options.check();
    const Expr::Lookup lookup = point_lookup(p.options, values, nullptr);
    for (const SweepConstraint* c : s_.config_constraints()) {
      try {
        if (!c->expr.holds(lookup)) return std::nullopt;
      } catch (const ExprError& e) {
        if (!p.error.empty()) continue;  // cannot judge a config the loader rejected
        std::string desc;
        for (const auto& ov : p.overrides) desc += (desc.empty() ? "" : " ") + ov;
        throw InputError(s_.where(c->line) + ": constraints: " + quote(c->expr.text()) + " at position " +
                         std::to_string(e.pos + 1) + ": " + e.what() + " (point " + desc + ")");
      }
    }
    return p;
  }

 private:
  const SweepSpec& s_;
  nlohmann::json base_json_;
};

std::string describe_constraints(const SweepSpec& s) {
  std::string out;
  for (const SweepConstraint* c : s.config_constraints())
    out += std::string(out.empty() ? "" : ", ") + "line " + std::to_string(c->line) + " " +
           quote(c->expr.text());
  return out;
}

}  // namespace

std::string config_hash(const ArchConfig& config) {
  nlohmann::json j = config.to_json();
  j.erase("name");
  return hex64(Rng::hash(j.dump()));
}

std::optional<ExprValue> config_value(const nlohmann::json& config_json, const std::string& dotted_key) {
  const nlohmann::json* node = &config_json;
  size_t start = 0;
  while (true) {
    const size_t dot = dotted_key.find('.', start);
    const std::string part =
        dotted_key.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!node->is_object() || !node->contains(part)) return std::nullopt;
    node = &(*node)[part];
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  if (node->is_boolean()) return ExprValue::number(node->get<bool>());
  if (node->is_number()) return ExprValue::number(node->get<double>());
  if (node->is_string()) return ExprValue::string(node->get<std::string>());
  return std::nullopt;
}

SweepPoints expand_sweep(const SweepSpec& spec) {
  SweepPoints out;
  out.grid_size = spec.grid_size();
  const uint64_t G = out.grid_size;
  const bool random = spec.sampling.mode == SweepSampling::Mode::Random;
  const std::string axes_at = spec.where(spec.axes.empty() ? 1 : spec.axes.front().line);
  if (!random && G > kMaxEnumeratedGrid)
    throw InputError(axes_at + ": axes: the grid has " +
                     (G == UINT64_MAX ? "more than 2^64" : std::to_string(G)) + " points (more than " +
                     std::to_string(kMaxEnumeratedGrid) + "); use sampling: {mode: random, points: N}");

  Expander ex(spec);
  const auto budget = static_cast<uint64_t>(std::max<int64_t>(spec.sampling.points, 0));
  auto take = [&](uint64_t index) {
    if (auto p = ex.make(index))
      out.points.push_back(std::move(*p));
    else
      ++out.rejected;
  };
  if (!random) {
    for (uint64_t i = 0; i < G; ++i) take(i);
  } else if (G <= kMaxEnumeratedGrid) {
    // A seeded shuffle of the grid, taken until the budget is met: a sample without replacement.
    std::vector<uint64_t> order(G);
    std::iota(order.begin(), order.end(), 0);
    Rng rng(spec.sampling.seed, "sweep sampling");
    for (uint64_t i = G; i > 1; --i)
      std::swap(order[i - 1], order[rng.uniform(0, static_cast<int64_t>(i - 1))]);
    for (uint64_t i = 0; i < G && out.points.size() < budget; ++i) take(order[i]);
    if (budget >= G)
      out.note = "random: a budget of " + std::to_string(budget) + " points, the grid has " +
                 std::to_string(G) + ": all of them";
  } else {
    // Too many to enumerate: draw index tuples directly (as one index; G < 2^64 here or saturated).
    Rng rng(spec.sampling.seed, "sweep sampling");
    std::set<std::vector<size_t>> seen;
    const uint64_t max_draws = 100 * budget + 1000;
    for (uint64_t d = 0; d < max_draws && out.points.size() < budget; ++d) {
      std::vector<size_t> tuple;
      uint64_t index = 0;
      for (const auto& a : spec.axes) {
        tuple.push_back(static_cast<size_t>(rng.uniform(0, static_cast<int64_t>(a.settings.size()) - 1)));
        index = index * a.settings.size() + tuple.back();  // wraps only for saturated grids
      }
      if (seen.insert(tuple).second) take(index);
    }
  }
  if (random && out.points.size() < budget && out.rejected > 0)
    out.note = "random: " + std::to_string(out.points.size()) + " of a budget of " + std::to_string(budget) +
               " points satisfy the constraints";
  if (out.points.empty())
    throw InputError(axes_at + ": constraints: no point of the " + std::to_string(G) +
                     "-point grid satisfies the constraints (" + describe_constraints(spec) + ")");

  std::sort(out.points.begin(), out.points.end(),
            [](const SweepPoint& a, const SweepPoint& b) { return a.grid_index < b.grid_index; });
  // Different overrides may resolve to the same config (e.g. a value equal to the default): run it once.
  std::set<std::string> seen;
  std::vector<SweepPoint> unique;
  for (auto& p : out.points)
    if (seen.insert(p.config_hash + "|" + p.options.canonical()).second) unique.push_back(std::move(p));
  if (unique.size() < out.points.size())
    out.note += std::string(out.note.empty() ? "" : "; ") +
                std::to_string(out.points.size() - unique.size()) +
                " point(s) resolve to the config of an earlier one and were dropped";
  out.points = std::move(unique);
  for (size_t p = 0; p < out.points.size(); ++p)
    for (size_t w = 0; w < spec.workloads.size(); ++w)
      out.runs.push_back(
          {p, w, {out.points[p].config_hash, spec.workloads[w].label, out.points[p].options.canonical()}});
  return out;
}

std::optional<ExprValue> derived_value(const nlohmann::json& report, const std::string& figure) {
  if (!is_derived_figure(figure) || !report.contains("total")) return std::nullopt;
  const std::string key = figure == "tops_per_w" ? "tops_per_w_effective" : figure;
  const auto& t = report["total"];
  if (!t.contains(key) || !t[key].is_number()) return std::nullopt;
  return ExprValue::number(t[key].get<double>());
}

std::string check_runner_constraints(const SweepSpec& spec, const SweepPoint& point,
                                     const nlohmann::json& report) {
  const nlohmann::json values = point.config ? point.config->to_json() : nlohmann::json::object();
  const Expr::Lookup lookup = point_lookup(point.options, values, &report);
  for (const SweepConstraint* c : spec.runner_constraints()) {
    try {
      if (!c->expr.holds(lookup))
        return spec.where(c->line) + ": " + quote(c->expr.text()) + " does not hold";
    } catch (const ExprError& e) {
      return spec.where(c->line) + ": " + quote(c->expr.text()) + " at position " +
             std::to_string(e.pos + 1) + ": " + e.what();
    }
  }
  return "";
}

std::vector<SweepRun> shard(const std::vector<SweepRun>& runs, int i, int n) {
  if (n < 1 || i < 0 || i >= n)
    throw std::invalid_argument("shard " + std::to_string(i) + "/" + std::to_string(n));
  std::vector<SweepRun> out;
  for (const auto& r : runs)
    if (Rng::hash(r.key.str()) % static_cast<uint64_t>(n) == static_cast<uint64_t>(i)) out.push_back(r);
  return out;
}

std::pair<int, int> parse_shard(const std::string& text) {
  const size_t slash = text.find('/');
  const auto i = slash == std::string::npos ? std::nullopt : parse_int(text.substr(0, slash));
  const auto n = slash == std::string::npos ? std::nullopt : parse_int(text.substr(slash + 1));
  if (!i || !n || *n < 1 || *i < 0 || *i >= *n || *n > 1000000)
    throw InputError("--shard " + quote(text) + ": expected i/N with 0 <= i < N");
  return {static_cast<int>(*i), static_cast<int>(*n)};
}

}  // namespace npusim
