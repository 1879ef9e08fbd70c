#pragma once
// A whole file's bytes, for the readers that parse text in one piece (configs, tool logs, sources hashed
// into cache keys). Callers decide what a missing file means.
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

namespace npusim {

// The file's contents, or nullopt when it cannot be opened.
inline std::optional<std::string> read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace npusim
