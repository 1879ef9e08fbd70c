#include "sim/config/arch_loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "sim/common/error.h"
#include "sim/common/text.h"
#include "sim/config/yaml_file.h"
#include "sim/family/family.h"
#include "sim/family/registry.h"

namespace npusim {

namespace {

std::vector<ParamSpec> make_common() {
  using K = ParamKind;
  return {
      {"name", K::String, "", true, 0, 0, {}, "", "design point name"},
      {"family", K::String, "", true, 0, 0, {}, "", "accelerator family (npusim list)"},
      {"clock_mhz", K::Number, "1000", false, 0, 1e6, {}, "MHz", "clock of the accelerator"},
      {"tech", K::String, "16nm", false, 0, 0, {}, "", "technology table configs/tech/<tech>.yaml"},
      {"dram.bytes_per_cycle", K::Number, "32", false, 0, 1e9, {}, "B/cycle", "DRAM port bandwidth"},
      {"precision.act_bits", K::Integer, "8", false, 2, 8, {}, "bit", "activation width"},
      {"precision.wgt_bits", K::Integer, "8", false, 2, 8, {}, "bit", "weight width"},
      {"precision.acc_bits", K::Integer, "32", false, 16, 32, {}, "bit", "accumulator width"},
      {"vector.lanes", K::Integer, "16", false, 1, 4096, {}, "lanes",
       "vector/post-processing unit (pool, add, gate math)"},
  };
}

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
  return out;
}

std::vector<std::string> split_dotted(const std::string& key) {
  std::vector<std::string> parts;
  std::stringstream ss(key);
  std::string p;
  while (std::getline(ss, p, '.')) parts.push_back(p);
  return parts;
}

std::string describe(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Scalar:
      return quote(n.Scalar());
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a mapping";
    default:
      return "nothing";
  }
}

// Sets root[k1][k2]...[kn] = value, turning missing or non-map intermediate nodes into maps.
void set_path(YAML::Node node, const std::vector<std::string>& keys, size_t i, const YAML::Node& value) {
  if (i + 1 == keys.size()) {
    node[keys[i]] = value;
    return;
  }
  YAML::Node child = node[keys[i]];
  if (!child.IsMap()) child = YAML::Node(YAML::NodeType::Map);
  set_path(child, keys, i + 1, value);
}

std::optional<YAML::Node> find_rec(const YAML::Node& n, const std::vector<std::string>& parts, size_t i) {
  if (!n.IsMap()) return std::nullopt;
  const YAML::Node child = n[parts[i]];  // const operator[]: never inserts
  if (!child.IsDefined()) return std::nullopt;
  if (i + 1 == parts.size()) return child;
  return find_rec(child, parts, i + 1);
}

// The key tree of a list of declarations: map keys and their children ("" is the root).
using Schema = std::map<std::string, std::vector<std::string>>;

Schema schema_of(const std::vector<ParamSpec>& specs) {
  Schema s;
  s[""];
  for (const auto& p : specs) {
    const auto parts = split_dotted(p.key);
    std::string parent;
    for (const auto& part : parts) {
      auto& children = s[parent];
      if (std::find(children.begin(), children.end(), part) == children.end()) children.push_back(part);
      parent = parent.empty() ? part : parent + "." + part;
    }
  }
  return s;
}

// Validates the (overridden) YAML tree against a schema and reads every declared value.
class Reader {
 public:
  Reader(std::string path, YAML::Node root, std::set<std::string> overridden, const std::vector<ParamSpec>& specs)
      : path_(std::move(path)),
        root_(std::move(root)),
        overridden_(std::move(overridden)),
        specs_(specs),
        schema_(schema_of(specs)) {}

  bool is_map_key(const std::string& dotted) const {
    return dotted.empty() || (schema_.count(dotted) > 0 && !is_leaf(dotted));
  }
  bool is_leaf(const std::string& dotted) const {
    return std::any_of(specs_.begin(), specs_.end(), [&](const ParamSpec& p) { return p.key == dotted; });
  }
  bool is_known(const std::string& dotted) const { return is_leaf(dotted) || schema_.count(dotted) > 0; }

  std::string where(const std::string& key, const YAML::Node* at) const {
    if (is_overridden(key)) return path_ + ": --set " + key;
    std::string w = path_;
    if (at && at->IsDefined() && at->Mark().line >= 0) w += ":" + std::to_string(at->Mark().line + 1);
    return w + ": " + key;
  }
  [[noreturn]] void fail(const std::string& key, const YAML::Node* at, const std::string& msg) const {
    throw InputError(where(key, at) + ": " + msg);
  }

  // Unknown keys, duplicate keys and non-map values of map keys, at every level.
  void check_keys(const YAML::Node& node, const std::string& prefix, const std::string& family) const {
    std::set<std::string> seen;
    for (auto it = node.begin(); it != node.end(); ++it) {
      const YAML::Node key_node = it->first;
      std::string pos = path_;
      if (key_node.Mark().line >= 0) pos += ":" + std::to_string(key_node.Mark().line + 1);
      if (!key_node.IsScalar())
        throw InputError(pos + ": " + (prefix.empty() ? "" : prefix + ": ") + "keys must be plain names, got " +
                         describe(key_node));
      const std::string dotted = prefix.empty() ? key_node.Scalar() : prefix + "." + key_node.Scalar();
      if (!is_known(dotted))
        throw InputError(pos + ": unknown key " + quote(dotted) + " (family " + family + " expects one of " +
                         join(schema_.at(prefix), ", ") + ")");
      if (!seen.insert(key_node.Scalar()).second) fail(dotted, &key_node, "duplicate key");
      const YAML::Node value = it->second;
      if (is_map_key(dotted)) {
        if (!value.IsMap())
          fail(dotted, &value, "expected a mapping {" + join(schema_.at(dotted), ", ") + "}, got " + describe(value));
        check_keys(value, dotted, family);
      }
    }
  }

  std::optional<YAML::Node> find(const std::string& dotted) const {
    return find_rec(root_, split_dotted(dotted), 0);
  }

  // Reads and validates every declared key into `out`.
  void read_all(ParamValues& out) const {
    for (const auto& p : specs_) {
      ParamValues::Value v;
      const auto node = find(p.key);
      if (!node) {
        if (p.required) {
          std::string hint;
          if (const size_t dot = p.key.find('.'); dot != std::string::npos)
            hint = " (" + p.key.substr(0, dot) + ": {" + join(schema_.at(p.key.substr(0, dot)), ", ") + "})";
          throw InputError(path_ + ": missing required key '" + p.key + "'" + hint);
        }
        if (p.def.empty()) continue;  // resolved by the family
        v.value = parse(p, p.def, nullptr);
      } else {
        if (!node->IsScalar()) fail(p.key, &*node, "expected " + expectation(p) + ", got " + describe(*node));
        v.value = parse(p, node->Scalar(), &*node);
        v.overridden = is_overridden(p.key);
        if (node->Mark().line >= 0) v.where = path_ + ":" + std::to_string(node->Mark().line + 1);
        v.given = true;
      }
      out.set(p.key, std::move(v));
    }
  }

 private:
  static std::string expectation(const ParamSpec& p) {
    switch (p.kind) {
      case ParamKind::Integer:
        return p.lo == 1 && p.hi >= 2147483647.0
                   ? "a positive integer"
                   : "an integer in " + std::to_string(static_cast<int64_t>(p.lo)) + ".." +
                         std::to_string(static_cast<int64_t>(p.hi));
      case ParamKind::Number:
        return p.lo == 0 ? "a positive number" : "a number in " + std::to_string(p.lo) + ".." + std::to_string(p.hi);
      case ParamKind::Choice:
        return "one of " + join(p.choices, ", ");
      case ParamKind::String:
        return "a string";
    }
    return "a value";
  }

  nlohmann::json parse(const ParamSpec& p, const std::string& text, const YAML::Node* at) const {
    const std::string bad = "expected " + expectation(p) + ", got " + quote(text);
    switch (p.kind) {
      case ParamKind::Integer: {
        const auto i = parse_int(text);
        if (!i || *i < p.lo || *i > p.hi) fail(p.key, at, bad);
        return *i;
      }
      case ParamKind::Number: {
        const auto d = parse_double(text);
        if (!d || (p.lo == 0 ? *d <= 0 : *d < p.lo) || *d > p.hi) fail(p.key, at, bad);
        return *d;
      }
      case ParamKind::Choice:
        if (std::find(p.choices.begin(), p.choices.end(), text) == p.choices.end()) fail(p.key, at, bad);
        return text;
      case ParamKind::String:
        if (trim(text).empty()) fail(p.key, at, "expected a non-empty string");
        return text;
    }
    return nullptr;
  }

  bool is_overridden(const std::string& key) const {
    for (const std::string& o : overridden_)
      if (key == o || key.compare(0, o.size() + 1, o + ".") == 0) return true;
    return false;
  }

  std::string path_;
  YAML::Node root_;
  std::set<std::string> overridden_;
  const std::vector<ParamSpec>& specs_;
  Schema schema_;
};

}  // namespace

const std::vector<ParamSpec>& common_params() {
  static const std::vector<ParamSpec> p = make_common();
  return p;
}

ArchConfig load_arch(const std::string& path, const std::vector<std::string>& overrides) {
  YAML::Node root = load_yaml_file(path, "arch config");
  if (!root.IsDefined() || root.IsNull()) throw InputError(path + ": empty arch config");
  if (!root.IsMap()) {
    const int line = root.Mark().line >= 0 ? root.Mark().line + 1 : 1;
    throw InputError(path + ":" + std::to_string(line) + ": expected a mapping of keys (name, family, ...)");
  }

  // --set overrides, applied to the tree before validation (their keys are checked once the family,
  // which may itself be overridden, is known).
  std::set<std::string> overridden;
  for (const std::string& ov : overrides) {
    const size_t eq = ov.find('=');
    if (eq == std::string::npos) throw InputError("--set " + quote(ov) + ": expected key=value");
    const std::string key = trim(ov.substr(0, eq));
    const std::string value = trim(ov.substr(eq + 1));
    if (key.empty()) throw InputError("--set " + quote(ov) + ": empty key (expected key=value)");
    const auto parts = split_dotted(key);
    if (std::any_of(parts.begin(), parts.end(), [](const std::string& s) { return s.empty(); }))
      throw InputError("--set " + printable(key) + ": unknown key");
    YAML::Node v;
    try {
      v = YAML::Load(value);
    } catch (const YAML::Exception&) {
      v = YAML::Node(value);  // not valid YAML on its own: take it as a plain string
    }
    set_path(root, parts, 0, v);
    overridden.insert(key);
  }

  // The family decides which other keys exist.
  const YAML::Node fam = root["family"];
  if (!fam.IsDefined()) throw InputError(path + ": missing required key 'family' (one of " + join(family_names(), ", ") + ")");
  const std::string family_name = fam.IsScalar() ? fam.Scalar() : "";
  const Family* family = find_family(family_name);
  if (!family) {
    const std::string at = overridden.count("family") ? path + ": --set family"
                                                       : path + ":" + std::to_string(fam.Mark().line + 1) + ": family";
    throw InputError(at + ": expected one of " + join(family_names(), ", ") + ", got " +
                     (fam.IsScalar() ? quote(fam.Scalar()) : describe(fam)));
  }
  std::vector<ParamSpec> specs = common_params();
  for (const auto& p : family->params()) specs.push_back(p);

  Reader r(path, root, overridden, specs);
  for (const auto& key : overridden)
    if (!r.is_known(key)) throw InputError("--set " + printable(key) + ": unknown key (family " + family_name + ")");
  r.check_keys(root, "", family_name);

  ArchConfig c;
  c.source = path;
  c.values = ParamValues(path);
  r.read_all(c.values);
  c.name = c.values.str("name");
  c.family = family_name;
  c.clock_mhz = c.values.number("clock_mhz");
  c.tech = c.values.str("tech");
  c.dram_bytes_per_cycle = c.values.number("dram.bytes_per_cycle");
  c.act_bits = static_cast<int>(c.values.integer("precision.act_bits"));
  c.wgt_bits = static_cast<int>(c.values.integer("precision.wgt_bits"));
  c.acc_bits = static_cast<int>(c.values.integer("precision.acc_bits"));
  c.vector_lanes = static_cast<int>(c.values.integer("vector.lanes"));
  c.family_config = family->configure(c.values);
  return c;
}

}  // namespace npusim
