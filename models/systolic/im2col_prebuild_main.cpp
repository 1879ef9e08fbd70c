// Build-time helper: verilates and compiles im2col_unit plugins into a cache directory, so the test
// suite finds them prebuilt.
// Usage: npusim_im2col_prebuild DIR VARIANT...   VARIANT = LANESxBxDEPTHxLW[:bank]
// (`bank`: the NPUSIM_FAULT_IM2COL_BANK fault variant).
#include <iostream>
#include <sstream>
#include <string>

#include "models/systolic/im2col_unit_rtl.h"

namespace {

bool parse_variant(const std::string& v, npusim::systolic::Im2colShape* shape, npusim::systolic::Im2colFault* fault) {
  std::istringstream ss(v);
  std::string tok;
  if (!std::getline(ss, tok, ':')) return false;
  std::istringstream dims(tok);
  char x1 = 0, x2 = 0, x3 = 0;
  if (!(dims >> shape->lanes >> x1 >> shape->b >> x2 >> shape->depth >> x3 >> shape->lw) || x1 != 'x' || x2 != 'x' ||
      x3 != 'x' || !dims.eof())
    return false;
  while (std::getline(ss, tok, ':')) {
    if (tok == "bank")
      *fault = npusim::systolic::Im2colFault::Bank;
    else
      return false;
  }
  return shape->lanes >= 1 && shape->b >= 1 && shape->depth >= 1 && shape->lw >= 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: npusim_im2col_prebuild DIR LANESxBxDEPTHxLW[:bank] ...\n";
    return 2;
  }
  const std::string dir = argv[1];
  try {
    for (int i = 2; i < argc; ++i) {
      npusim::systolic::Im2colShape shape;
      npusim::systolic::Im2colFault fault = npusim::systolic::Im2colFault::None;
      if (!parse_variant(argv[i], &shape, &fault)) {
        std::cerr << "bad variant '" << argv[i] << "'\n";
        return 2;
      }
      npusim::systolic::Im2colUnitRtl rtl(shape, fault, "", dir);
      std::cout << argv[i] << " -> " << rtl.plugin_path() << "\n";
    }
  } catch (const std::exception& e) {
    std::cerr << "npusim_im2col_prebuild: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
