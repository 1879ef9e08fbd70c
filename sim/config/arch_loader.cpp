#include "sim/config/arch_loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string_view>

#include "sim/common/error.h"
#include "sim/common/text.h"
#include "sim/config/yaml_file.h"

namespace npusim {

namespace {

constexpr int64_t kMaxValue = (int64_t{1} << 31) - 1;

// Map keys of the schema and their children; every other known key is a leaf.
const std::map<std::string, std::vector<std::string>>& schema() {
  static const std::map<std::string, std::vector<std::string>> s = {
      {"",
       {"name", "family", "clock_mhz", "tech", "array", "tpe", "dataflow", "sparsity", "im2col",
        "im2col_slots", "buffers", "dram", "precision", "vector"}},
      {"array", {"rows", "cols"}},
      {"tpe", {"a", "b", "c"}},
      {"sparsity", {"weights", "activations"}},
      {"sparsity.weights", {"mode", "block", "nnz"}},
      {"sparsity.activations", {"mode", "block", "nnz"}},
      {"buffers", {"act_kib", "wgt_kib", "out_kib"}},
      {"dram", {"bytes_per_cycle"}},
      {"precision", {"act_bits", "wgt_bits", "acc_bits"}},
      {"vector", {"lanes"}},
  };
  return s;
}

bool is_map_key(const std::string& dotted) {
  return schema().count(dotted) > 0;
}

bool is_known_key(const std::string& dotted) {
  const size_t dot = dotted.rfind('.');
  const std::string parent = dot == std::string::npos ? "" : dotted.substr(0, dot);
  const std::string child = dot == std::string::npos ? dotted : dotted.substr(dot + 1);
  auto it = schema().find(parent);
  if (it == schema().end() || child.empty()) return false;
  return std::find(it->second.begin(), it->second.end(), child) != it->second.end();
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

// Reads typed values out of the (overridden) YAML tree; all errors name the file, line and dotted key.
class ArchReader {
 public:
  ArchReader(std::string path, YAML::Node root, std::set<std::string> overridden)
      : path_(std::move(path)), root_(std::move(root)), overridden_(std::move(overridden)) {}

  // Error about `key`, located at its value in the file (or at `at`).
  [[noreturn]] void fail(const std::string& key, const std::string& msg) const {
    auto n = find(key);
    fail(key, n ? &*n : nullptr, msg);
  }
  [[noreturn]] void fail(const std::string& key, const YAML::Node* at, const std::string& msg) const {
    if (is_overridden(key)) throw InputError(path_ + ": --set " + key + ": " + msg);
    std::string where = path_;
    if (at && at->IsDefined() && at->Mark().line >= 0) where += ":" + std::to_string(at->Mark().line + 1);
    throw InputError(where + ": " + key + ": " + msg);
  }

  // Unknown keys, duplicate keys and non-map values of map keys, at every level.
  void check_keys(const YAML::Node& node, const std::string& prefix) const {
    std::set<std::string> seen;
    for (auto it = node.begin(); it != node.end(); ++it) {
      const YAML::Node key_node = it->first;
      if (!key_node.IsScalar()) {
        std::string pos = path_;
        if (key_node.Mark().line >= 0) pos += ":" + std::to_string(key_node.Mark().line + 1);
        throw InputError(pos + ": " + (prefix.empty() ? "" : prefix + ": ") +
                         "keys must be plain names, got " + describe(key_node));
      }
      const std::string dotted = prefix.empty() ? key_node.Scalar() : prefix + "." + key_node.Scalar();
      if (!is_known_key(dotted)) {
        std::string pos = path_;
        if (key_node.Mark().line >= 0) pos += ":" + std::to_string(key_node.Mark().line + 1);
        throw InputError(pos + ": unknown key " + quote(dotted) + " (expected one of " +
                         join(schema().at(prefix), ", ") + ")");
      }
      if (!seen.insert(key_node.Scalar()).second) fail(dotted, &key_node, "duplicate key");
      const YAML::Node value = it->second;
      if (is_map_key(dotted)) {
        if (!value.IsMap())
          fail(dotted, &value,
               "expected a mapping {" + join(schema().at(dotted), ", ") + "}, got " + describe(value));
        check_keys(value, dotted);
      }
    }
  }

  std::optional<YAML::Node> find(const std::string& dotted) const {
    return find_rec(root_, split_dotted(dotted), 0);
  }

  // A scalar leaf, or nullopt if absent; fails if present but not a scalar.
  std::optional<std::string> scalar(const std::string& key, const std::string& expectation) const {
    auto n = find(key);
    if (!n) return std::nullopt;
    if (!n->IsScalar()) fail(key, &*n, "expected " + expectation + ", got " + describe(*n));
    return n->Scalar();
  }

  std::string required_string(const std::string& key) const {
    auto v = scalar(key, "a string");
    if (!v) throw InputError(path_ + ": missing required key '" + key + "'");
    if (trim(*v).empty()) fail(key, "expected a non-empty string");
    return *v;
  }

  std::string string(const std::string& key, const std::string& def) const {
    auto v = scalar(key, "a string");
    if (!v) return def;
    if (trim(*v).empty()) fail(key, "expected a non-empty string");
    return *v;
  }

  std::string choice(const std::string& key, const std::string& def, const std::vector<std::string>& options,
                     bool required = false) const {
    const std::string expectation = "one of " + join(options, ", ");
    auto v = scalar(key, expectation);
    if (!v) {
      if (required) throw InputError(path_ + ": missing required key '" + key + "' (" + expectation + ")");
      return def;
    }
    if (std::find(options.begin(), options.end(), *v) == options.end())
      fail(key, "expected " + expectation + ", got " + quote(*v));
    return *v;
  }

  int64_t integer(const std::string& key, std::optional<int64_t> def, int64_t lo = 1,
                  int64_t hi = kMaxValue) const {
    const std::string expectation = hi == kMaxValue && lo == 1
                                        ? "a positive integer"
                                        : "an integer in " + std::to_string(lo) + ".." + std::to_string(hi);
    auto v = scalar(key, expectation);
    if (!v) {
      if (!def) throw InputError(path_ + ": missing required key '" + key + "'");
      return *def;
    }
    auto i = parse_int(*v);
    if (!i || *i < lo || *i > hi) fail(key, "expected " + expectation + ", got " + quote(*v));
    return *i;
  }

  double positive_number(const std::string& key, double def) const {
    auto v = scalar(key, "a positive number");
    if (!v) return def;
    auto d = parse_double(*v);
    if (!d || *d <= 0) fail(key, "expected a positive number, got " + quote(*v));
    return *d;
  }

 private:
  static std::optional<YAML::Node> find_rec(const YAML::Node& n, const std::vector<std::string>& parts,
                                            size_t i) {
    if (!n.IsMap()) return std::nullopt;
    const YAML::Node child = n[parts[i]];  // const operator[]: never inserts
    if (!child.IsDefined()) return std::nullopt;
    if (i + 1 == parts.size()) return child;
    return find_rec(child, parts, i + 1);
  }

  bool is_overridden(const std::string& key) const {
    for (const std::string& o : overridden_)
      if (key == o || key.compare(0, o.size() + 1, o + ".") == 0) return true;
    return false;
  }

  std::string path_;
  YAML::Node root_;
  std::set<std::string> overridden_;
};

SparsityConfig read_sparsity(const ArchReader& r, const std::string& side,
                             const std::vector<std::string>& modes) {
  SparsityConfig s;
  const std::string key = "sparsity." + side;
  s.mode = r.choice(key + ".mode", "dense", modes);
  s.block = static_cast<int>(r.integer(key + ".block", 8));
  s.nnz = static_cast<int>(r.integer(key + ".nnz", s.block));
  if (s.nnz > s.block)
    r.fail(key + ".nnz",
           "nnz (" + std::to_string(s.nnz) + ") exceeds the block size (" + std::to_string(s.block) + ")");
  return s;
}

}  // namespace

void check_supported(const ArchConfig& c) {
  const std::string where = c.source.empty() ? "" : c.source + ": ";
  auto unsupported = [&](const std::string& key, const std::string& value, const std::string& why) {
    throw InputError(where + key + ": '" + value + "' is not supported yet (" + why + ")");
  };
  if (c.family != "systolic") unsupported("family", c.family, "systolic arrays only");
  const bool dap = c.activations.mode == "dap";
  const bool scalar = c.tpe_a == 1 && c.tpe_b == 1 && c.tpe_c == 1 && c.weights.mode == "dense" && !dap;
  if (c.activations.mode == "zvcg" && c.dataflow == Dataflow::WS)
    unsupported("sparsity.activations.mode", "zvcg", "gating is counted at the OS array's operand edge");
  if (dap) {
    // The S2TA time-unrolled TPE: one activation (and its index) per row and cycle.
    if (c.tpe_b != 1)
      throw InputError(where +
                       "tpe.b: must be 1 with sparsity.activations.mode dap (the S2TA TPE takes one "
                       "non-zero activation per row and cycle), got " +
                       std::to_string(c.tpe_b));
    if (c.weights.mode == "vdbb")
      unsupported("sparsity.weights.mode", "vdbb", "with dap activations, weights are dense or dbb");
    if (c.weights.mode == "dbb" && c.weights.block != c.activations.block)
      throw InputError(where + "sparsity.weights.block: " + std::to_string(c.weights.block) +
                       " must equal sparsity.activations.block (" + std::to_string(c.activations.block) +
                       ") for dap activations");
    if (c.activations.block > 16)
      throw InputError(where + "sparsity.activations.block: at most 16 (4-bit indices), got " +
                       std::to_string(c.activations.block));
    if (c.im2col == "hardware")
      unsupported("im2col", "hardware", "the DAP unit reads software-im2col blocks");
    if (c.dataflow == Dataflow::WS) unsupported("dataflow", "ws", "the S2TA TPE is output-stationary");
  }
  if (c.dataflow == Dataflow::WS && !scalar)
    unsupported("dataflow", "ws", "the weight-stationary dataflow has scalar dense PEs only");
  if (c.im2col == "hardware" && c.dataflow == Dataflow::WS)
    unsupported("im2col", "hardware",
                "the IM2COL unit feeds the streamed activation rows of the OS dataflow");
  const int64_t act_rows = int64_t{c.rows} * c.tpe_a;
  if (c.im2col == "hardware" && c.im2col_slots != 0 && c.im2col_slots < act_rows + 1)
    throw InputError(where + "im2col_slots: at least activation rows + 1 = " + std::to_string(act_rows + 1) +
                     " (one kernel column of pixels plus the pad slot), got " +
                     std::to_string(c.im2col_slots));
  // The sparse PEs' weight indices are 4 bits wide.
  if (c.tpe_b > 16)
    throw InputError(where + "tpe.b: at most 16 (4-bit DBB indices), got " + std::to_string(c.tpe_b));
  if (c.weights.mode != "dense" && !dap && c.weights.block != c.tpe_b)
    throw InputError(where + "sparsity.weights.block: " + std::to_string(c.weights.block) +
                     " must equal tpe.b (" + std::to_string(c.tpe_b) + ") for " + c.weights.mode +
                     " weights");
}

ArchConfig load_arch(const std::string& path, const std::vector<std::string>& overrides) {
  YAML::Node root = load_yaml_file(path, "arch config");
  if (!root.IsDefined() || root.IsNull()) throw InputError(path + ": empty arch config");
  if (!root.IsMap()) {
    const int line = root.Mark().line >= 0 ? root.Mark().line + 1 : 1;
    throw InputError(path + ":" + std::to_string(line) +
                     ": expected a mapping of keys (name, family, array, ...)");
  }

  // --set overrides, applied to the tree before validation.
  std::set<std::string> overridden;
  for (const std::string& ov : overrides) {
    const size_t eq = ov.find('=');
    if (eq == std::string::npos) throw InputError("--set " + quote(ov) + ": expected key=value");
    const std::string key = trim(ov.substr(0, eq));
    const std::string value = trim(ov.substr(eq + 1));
    if (key.empty()) throw InputError("--set " + quote(ov) + ": empty key (expected key=value)");
    if (!is_known_key(key)) throw InputError("--set " + printable(key) + ": unknown key");
    YAML::Node v;
    try {
      v = YAML::Load(value);
    } catch (const YAML::Exception&) {
      v = YAML::Node(value);  // not valid YAML on its own: take it as a plain string
    }
    set_path(root, split_dotted(key), 0, v);
    overridden.insert(key);
  }

  ArchReader r(path, root, overridden);
  r.check_keys(root, "");

  ArchConfig c;
  c.source = path;
  c.name = r.required_string("name");
  c.family = r.choice("family", "systolic", {"systolic", "fixynn", "cim"}, /*required=*/true);
  c.clock_mhz = r.positive_number("clock_mhz", c.clock_mhz);
  c.tech = r.string("tech", c.tech);
  if (!r.find("array")) throw InputError(path + ": missing required key 'array' ({rows, cols})");
  c.rows = static_cast<int>(r.integer("array.rows", std::nullopt));
  c.cols = static_cast<int>(r.integer("array.cols", std::nullopt));
  c.tpe_a = static_cast<int>(r.integer("tpe.a", c.tpe_a));
  c.tpe_b = static_cast<int>(r.integer("tpe.b", c.tpe_b));
  c.tpe_c = static_cast<int>(r.integer("tpe.c", c.tpe_c));
  c.dataflow = r.choice("dataflow", "os", {"os", "ws"}) == "ws" ? Dataflow::WS : Dataflow::OS;
  c.weights = read_sparsity(r, "weights", {"dense", "dbb", "vdbb"});
  c.activations = read_sparsity(r, "activations", {"dense", "zvcg", "dap"});
  c.im2col = r.choice("im2col", c.im2col, {"software", "hardware"});
  c.im2col_slots = r.integer("im2col_slots", int64_t{3} * c.rows * c.tpe_a + 1);
  c.act_kib = r.integer("buffers.act_kib", c.act_kib);
  c.wgt_kib = r.integer("buffers.wgt_kib", c.wgt_kib);
  c.out_kib = r.integer("buffers.out_kib", c.out_kib);
  c.dram_bytes_per_cycle = r.positive_number("dram.bytes_per_cycle", c.dram_bytes_per_cycle);
  c.act_bits = static_cast<int>(r.integer("precision.act_bits", c.act_bits, 2, 8));
  c.wgt_bits = static_cast<int>(r.integer("precision.wgt_bits", c.wgt_bits, 2, 8));
  c.acc_bits = static_cast<int>(r.integer("precision.acc_bits", c.acc_bits, 16, 32));
  c.vector_lanes = static_cast<int>(r.integer("vector.lanes", c.vector_lanes));

  check_supported(c);
  return c;
}

}  // namespace npusim
