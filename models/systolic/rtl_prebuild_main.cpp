// Build-time helper: verilates and compiles sa_array plugins into a cache directory, so the test
// suite finds them prebuilt. Usage: npusim_rtl_prebuild DIR ROWSxCOLS:os|ws[:acc_clear|col_skew] ...
#include <iostream>
#include <sstream>
#include <string>

#include "models/systolic/sa_array_rtl.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: npusim_rtl_prebuild DIR ROWSxCOLS:os|ws[:acc_clear|col_skew] ...\n";
    return 2;
  }
  const std::string dir = argv[1];
  try {
    for (int i = 2; i < argc; ++i) {
      const std::string v = argv[i];
      npusim::systolic::SaShape shape;
      char x = 0;
      const auto c1 = v.find(':');
      std::istringstream dims(v.substr(0, c1));
      if (!(dims >> shape.rows >> x >> shape.cols) || x != 'x' || c1 == std::string::npos) {
        std::cerr << "bad variant '" << v << "'\n";
        return 2;
      }
      const std::string rest = v.substr(c1 + 1);
      shape.dataflow = rest.rfind("ws", 0) == 0 ? 1 : 0;
      npusim::systolic::SaFault fault = npusim::systolic::SaFault::None;
      if (rest.find("acc_clear") != std::string::npos) fault = npusim::systolic::SaFault::AccClear;
      if (rest.find("col_skew") != std::string::npos) fault = npusim::systolic::SaFault::ColSkew;
      npusim::systolic::SaArrayRtl rtl(shape, fault, "", dir);
      std::cout << v << " -> " << rtl.plugin_path() << "\n";
    }
  } catch (const std::exception& e) {
    std::cerr << "npusim_rtl_prebuild: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
