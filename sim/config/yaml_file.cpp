#include "sim/config/yaml_file.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/common/error.h"
#include "sim/common/text.h"

namespace npusim {

YAML::Node load_yaml_file(const std::string& path, const std::string& what) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw InputError(path + ": cannot open " + what + " (is a directory)");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open " + what);
  std::stringstream buf;
  buf << in.rdbuf();
  try {
    return YAML::Load(buf.str());
  } catch (const YAML::Exception& e) {
    const int line = e.mark.line >= 0 ? e.mark.line + 1 : 1;
    throw InputError(path + ":" + std::to_string(line) + ": YAML syntax error: " + printable(e.msg));
  }
}

}  // namespace npusim
