#pragma once
// Reads a YAML file for one of the configuration loaders: a missing file, a directory or a syntax error
// is a one-line InputError naming the file (and the line), `what` says what the file was meant to be.
#include <yaml-cpp/yaml.h>

#include <string>

namespace npusim {

YAML::Node load_yaml_file(const std::string& path, const std::string& what);

}  // namespace npusim
