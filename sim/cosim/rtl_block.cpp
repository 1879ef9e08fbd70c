#include "sim/cosim/rtl_block.h"

#include <sstream>

#ifndef NPUSIM_SOURCE_DIR
#error "NPUSIM_SOURCE_DIR must point at the repository (RTL and plugin shim sources)"
#endif

namespace npusim::cosim {

namespace {
// "NPUSIM_IN_PORTS(X)=X(rst) X(in_valid)": the X-macro the shim expands once per port.
std::string port_macro(const char* macro, const std::vector<Port>& ports) {
  std::string d = std::string(macro) + "(X)=";
  for (const Port& p : ports) d += "X(" + p.name + ") ";
  return d;
}
}  // namespace

std::string rtl_source_root() { return NPUSIM_SOURCE_DIR; }

void add_plugin_shim(RtlBuildSpec& spec, const std::vector<Port>& inputs, const std::vector<Port>& outputs) {
  const std::string root = rtl_source_root();
  spec.shim = root + "/sim/cosim/plugin_shim.cpp";
  spec.shim_defines = {port_macro("NPUSIM_IN_PORTS", inputs), port_macro("NPUSIM_OUT_PORTS", outputs)};
  spec.include_dirs = {root};
  spec.key_files = {root + "/sim/cosim/plugin_abi.h", root + "/sim/cosim/verilated_shim.h",
                    root + "/sim/cosim/dpi_context.h"};
}

std::vector<std::string> split_variant(const std::string& variant) {
  std::vector<std::string> tokens;
  std::istringstream ss(variant);
  for (std::string tok; std::getline(ss, tok, ':');) tokens.push_back(tok);
  return tokens;
}

}  // namespace npusim::cosim
