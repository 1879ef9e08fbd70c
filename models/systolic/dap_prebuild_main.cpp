// Build-time helper: verilates and compiles dap_unit plugins into a cache directory, so the test suite
// finds them prebuilt.
// Usage: npusim_dap_prebuild DIR VARIANT...   VARIANT = LANESxBZ[:tie]
// (`tie`: the NPUSIM_FAULT_DAP_TIE fault variant).
#include <iostream>
#include <sstream>
#include <string>

#include "models/systolic/dap_unit_rtl.h"

namespace {

bool parse_variant(const std::string& v, npusim::systolic::DapShape* shape,
                   npusim::systolic::DapFault* fault) {
  std::istringstream ss(v);
  std::string tok;
  if (!std::getline(ss, tok, ':')) return false;
  std::istringstream dims(tok);
  char x = 0;
  if (!(dims >> shape->lanes >> x >> shape->bz) || x != 'x' || !dims.eof()) return false;
  while (std::getline(ss, tok, ':')) {
    if (tok == "tie")
      *fault = npusim::systolic::DapFault::Tie;
    else
      return false;
  }
  return shape->lanes >= 1 && shape->bz >= 1 && shape->bz <= 16;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: npusim_dap_prebuild DIR LANESxBZ[:tie] ...\n";
    return 2;
  }
  const std::string dir = argv[1];
  try {
    for (int i = 2; i < argc; ++i) {
      npusim::systolic::DapShape shape;
      npusim::systolic::DapFault fault = npusim::systolic::DapFault::None;
      if (!parse_variant(argv[i], &shape, &fault)) {
        std::cerr << "bad variant '" << argv[i] << "'\n";
        return 2;
      }
      npusim::systolic::DapUnitRtl rtl(shape, fault, "", dir);
      std::cout << argv[i] << " -> " << rtl.plugin_path() << "\n";
    }
  } catch (const std::exception& e) {
    std::cerr << "npusim_dap_prebuild: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
