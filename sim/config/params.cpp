#include "sim/config/params.h"

#include "sim/common/error.h"

namespace npusim {

const ParamValues::Value& ParamValues::at(const std::string& key) const {
  const auto it = values_.find(key);
  if (it == values_.end()) throw std::logic_error("config key '" + key + "' was not declared or resolved");
  return it->second;
}

bool ParamValues::given(const std::string& key) const {
  const auto it = values_.find(key);
  return it != values_.end() && it->second.given;
}

int64_t ParamValues::integer(const std::string& key) const {
  return at(key).value.get<int64_t>();
}

double ParamValues::number(const std::string& key) const {
  return at(key).value.get<double>();
}

const std::string& ParamValues::str(const std::string& key) const {
  return at(key).value.get_ref<const std::string&>();
}

void ParamValues::resolve(const std::string& key, nlohmann::json v) {
  values_[key].value = std::move(v);
}

void ParamValues::fail(const std::string& key, const std::string& msg) const {
  const auto it = values_.find(key);
  if (it != values_.end() && it->second.overridden) throw InputError(source_ + ": --set " + key + ": " + msg);
  const std::string where = it == values_.end() || it->second.where.empty() ? source_ : it->second.where;
  throw InputError(where + ": " + key + ": " + msg);
}

nlohmann::json ParamValues::to_json() const {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [key, v] : values_) {
    if (v.value.is_null()) continue;
    nlohmann::json* node = &j;
    size_t start = 0;
    for (size_t dot = key.find('.'); dot != std::string::npos; dot = key.find('.', start)) {
      node = &(*node)[key.substr(start, dot - start)];
      start = dot + 1;
    }
    (*node)[key.substr(start)] = v.value;
  }
  return j;
}

}  // namespace npusim
