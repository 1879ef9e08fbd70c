// Build-time helper: verilates and compiles sa_array plugins into a cache directory, so the test
// suite finds them prebuilt.
// Usage: npusim_rtl_prebuild DIR VARIANT...   VARIANT = ROWSxCOLS:os|ws[:tAxBxC][:pP][:sparse][:asparse][:FAULT]
// with FAULT one of acc_clear, col_skew, mux_idx.
#include <iostream>
#include <sstream>
#include <string>

#include "models/systolic/sa_array_rtl.h"

namespace {

bool parse_variant(const std::string& v, npusim::systolic::SaShape* shape, npusim::systolic::SaFault* fault) {
  std::istringstream ss(v);
  std::string tok;
  char x = 0, y = 0;
  if (!std::getline(ss, tok, ':')) return false;
  std::istringstream dims(tok);
  if (!(dims >> shape->rows >> x >> shape->cols) || x != 'x') return false;
  if (!std::getline(ss, tok, ':') || (tok != "os" && tok != "ws")) return false;
  shape->dataflow = tok == "ws";
  shape->p = 0;
  while (std::getline(ss, tok, ':')) {
    std::istringstream t(tok.substr(1));
    if (tok[0] == 't') {
      if (!(t >> shape->a >> x >> shape->b >> y >> shape->c) || x != 'x' || y != 'x') return false;
    } else if (tok[0] == 'p') {
      if (!(t >> shape->p)) return false;
    } else if (tok == "sparse") {
      shape->sparse = true;
    } else if (tok == "asparse") {
      shape->asparse = true;
    } else if (tok == "acc_clear") {
      *fault = npusim::systolic::SaFault::AccClear;
    } else if (tok == "col_skew") {
      *fault = npusim::systolic::SaFault::ColSkew;
    } else if (tok == "mux_idx") {
      *fault = npusim::systolic::SaFault::MuxIdx;
    } else {
      return false;
    }
  }
  if (shape->p == 0) shape->p = shape->b;  // dense tensor PE: one multiplier per activation
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: npusim_rtl_prebuild DIR ROWSxCOLS:os|ws[:tAxBxC][:pP][:sparse][:asparse][:acc_clear|col_skew|mux_idx] ...\n";
    return 2;
  }
  const std::string dir = argv[1];
  try {
    for (int i = 2; i < argc; ++i) {
      npusim::systolic::SaShape shape;
      npusim::systolic::SaFault fault = npusim::systolic::SaFault::None;
      if (!parse_variant(argv[i], &shape, &fault)) {
        std::cerr << "bad variant '" << argv[i] << "'\n";
        return 2;
      }
      npusim::systolic::SaArrayRtl rtl(shape, fault, "", dir);
      std::cout << argv[i] << " -> " << rtl.plugin_path() << "\n";
    }
  } catch (const std::exception& e) {
    std::cerr << "npusim_rtl_prebuild: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
