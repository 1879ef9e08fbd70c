#include "models/systolic/im2col_unit_rtl.h"

#include <stdexcept>

#ifndef NPUSIM_SOURCE_DIR
#error "NPUSIM_SOURCE_DIR must point at the repository (RTL and plugin shim sources)"
#endif

namespace npusim::systolic {

namespace {
// Rejected before anything is verilated.
const Im2colShape& checked(const Im2colShape& shape) {
  if (shape.lanes < 1 || shape.b < 1 || shape.depth < 1 || shape.lw < 1)
    throw std::invalid_argument("im2col_unit: LANES, B, DEPTH and LW must be >= 1");
  return shape;
}
}  // namespace

cosim::RtlBuildSpec im2col_rtl_spec(const Im2colShape& shape, Im2colFault fault, bool trace) {
  const std::string root = NPUSIM_SOURCE_DIR;
  cosim::RtlBuildSpec spec;
  spec.top = "im2col_unit";
  spec.sources = {root + "/rtl/systolic/im2col_unit.v"};
  spec.params = {{"LANES", std::to_string(shape.lanes)},
                 {"B", std::to_string(shape.b)},
                 {"DEPTH", std::to_string(shape.depth)},
                 {"LW", std::to_string(shape.lw)}};
  if (fault == Im2colFault::Bank) spec.defines.push_back("NPUSIM_FAULT_IM2COL_BANK");
  spec.shim = root + "/models/systolic/im2col_unit_plugin.cpp";
  spec.include_dirs = {root};
  spec.key_files = {root + "/models/systolic/im2col_unit_plugin_abi.h", root + "/models/common/verilated_shim.h"};
  spec.trace = trace;
  return spec;
}

Im2colUnitRtl::Im2colUnitRtl(const Im2colShape& shape, Im2colFault fault, const std::string& vcd_path,
                             const std::string& cache_dir)
    : shape_(checked(shape)),
      out_(shape),
      rtl_(im2col_rtl_spec(shape, fault, !vcd_path.empty()), "npusim_im2col", NPUSIM_IM2COL_PLUGIN_ABI, vcd_path,
           cache_dir) {
  pins_.lanes = shape.lanes;
  pins_.b = shape.b;
  pins_.depth = shape.depth;
  pins_.lw = shape.lw;
  pins_.aw = shape.aw();
  pins_.out_valid = &out_.out_valid;
  pins_.out_data = out_.out_data.data();
}

void Im2colUnitRtl::step(const Im2colInputs& in) {
  pins_.rst = in.rst;
  pins_.ld_valid = in.ld_valid;
  pins_.ld_bank = in.ld_bank;
  pins_.rd_valid = in.rd_valid;
  pins_.rd_bank = in.rd_bank;
  pins_.ld_addr = in.ld_addr;
  pins_.ld_data = in.ld_data.data();
  pins_.ld_mask = in.ld_mask.data();
  pins_.rd_addr = in.rd_addr.data();
  pins_.rd_mask = in.rd_mask.data();
  rtl_.step(&pins_);
}

}  // namespace npusim::systolic
