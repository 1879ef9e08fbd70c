#pragma once
// Declared configuration keys. The common keys (arch_loader.cpp) and each family's keys are declared
// once as ParamSpecs (dotted key, kind, default, range or choices, unit, description); the same table
// drives validation of the YAML and of --set overrides, the resolved config in reports, and
// `npusim list`. ParamValues holds the validated values and can fail with the key's file and line.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace npusim {

enum class ParamKind { Integer, Number, Choice, String };

struct ParamSpec {
  std::string key;  // dotted path, e.g. "array.rows"; its parents are mappings in the YAML
  ParamKind kind = ParamKind::Integer;
  std::string def;  // default as YAML text; empty: required (if `required`) or resolved by the family
  bool required = false;
  double lo = 1, hi = 2147483647.0;  // Integer / Number range (inclusive; Number: lo exclusive if 0)
  std::vector<std::string> choices;  // Choice
  std::string unit;                  // e.g. "MHz", "KiB", "" for counts
  std::string desc;
};

class ParamValues {
 public:
  // `where` of a key: "file:line" of its value ("" when defaulted or given by --set).
  struct Value {
    nlohmann::json value;
    std::string where;
    bool given = false;       // present in the file or --set (not a default)
    bool overridden = false;  // given by --set
  };

  explicit ParamValues(std::string source = "") : source_(std::move(source)) {}
  const std::string& source() const { return source_; }
  bool has(const std::string& key) const { return values_.count(key) > 0; }
  bool given(const std::string& key) const;
  int64_t integer(const std::string& key) const;
  double number(const std::string& key) const;
  const std::string& str(const std::string& key) const;
  void set(const std::string& key, Value v) { values_[key] = std::move(v); }
  // Resolved value written back by a family (e.g. a default derived from other keys).
  void resolve(const std::string& key, nlohmann::json v);
  // One-line InputError naming the file, line and key (or the --set option that gave it).
  [[noreturn]] void fail(const std::string& key, const std::string& msg) const;
  // Nested JSON of every value, mirroring the YAML (for reports; loads back as a config).
  nlohmann::json to_json() const;

 private:
  const Value& at(const std::string& key) const;
  std::string source_;
  std::map<std::string, Value> values_;
};

}  // namespace npusim
