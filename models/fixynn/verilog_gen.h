#pragma once
// Verilog generator of the FixyNN fixed-weight front end: one module per stage (fixynn_stage<s>.v), the top
// that chains them (<top_name>.v) and a manifest.json, all built from one FixedNet and implementing the
// cycle contract of docs/fixynn.md exactly (the C++ cycle core is compared with it in lockstep).
#include <map>
#include <string>

#include "models/fixynn/fixed_net.h"

namespace npusim::fixynn {

struct GeneratedRtl {
  std::string top_name;
  std::map<std::string, std::string> files;  // file name -> text; a map so iteration order is fixed

  // Writes every file into `dir` (created if missing), each atomically; manifest.json last, so a reader
  // that sees the manifest sees every module. InputError naming the path on failure.
  void write_rtl(const std::string& dir) const;
};

// Throws InputError naming the stage unless the generator can build `net` (consistent shapes, 8-bit
// operands, adder_pipeline 0, requantization parameters in TFLite's ranges).
void check_fixed_net(const FixedNet& net);

// Same FixedNet -> byte-identical files. Throws InputError for a net check_fixed_net rejects or a top
// name that is not a plain Verilog identifier (or collides with a stage module).
GeneratedRtl generate_fixynn_rtl(const FixedNet& net, const std::string& top_name = "fixynn_top");

}  // namespace npusim::fixynn
