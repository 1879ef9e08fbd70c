#include "sim/config/yaml_file.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/common/error.h"
#include "sim/common/input_file.h"
#include "sim/common/text.h"

namespace npusim {

YAML::Node load_yaml_file(const std::string& path, const std::string& what) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw InputError(path + ": cannot open " + what + " (is a directory)");
  const std::optional<std::string> text = read_whole_file(path);
  if (!text) throw InputError(path + ": cannot open " + what);
  try {
    return YAML::Load(*text);
  } catch (const YAML::Exception& e) {
    const int line = e.mark.line >= 0 ? e.mark.line + 1 : 1;
    throw InputError(path + ":" + std::to_string(line) + ": YAML syntax error: " + printable(e.msg));
  }
}

}  // namespace npusim
