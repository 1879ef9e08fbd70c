#include "models/systolic/dap_unit_rtl.h"

#include <stdexcept>

#ifndef NPUSIM_SOURCE_DIR
#error "NPUSIM_SOURCE_DIR must point at the repository (RTL and plugin shim sources)"
#endif

namespace npusim::systolic {

namespace {
// Rejected before anything is verilated.
const DapShape& checked(const DapShape& shape) {
  if (shape.lanes < 1 || shape.bz < 1 || shape.bz > 16)
    throw std::invalid_argument("dap_unit: need LANES >= 1 and 1 <= BZ <= 16");
  return shape;
}
}  // namespace

cosim::RtlBuildSpec dap_rtl_spec(const DapShape& shape, DapFault fault, bool trace) {
  const std::string root = NPUSIM_SOURCE_DIR;
  cosim::RtlBuildSpec spec;
  spec.top = "dap_unit";
  spec.sources = {root + "/rtl/systolic/dap_unit.v"};
  spec.params = {{"LANES", std::to_string(shape.lanes)}, {"BZ", std::to_string(shape.bz)}};
  if (fault == DapFault::Tie) spec.defines.push_back("NPUSIM_FAULT_DAP_TIE");
  spec.shim = root + "/models/systolic/dap_unit_plugin.cpp";
  spec.include_dirs = {root};
  spec.key_files = {root + "/models/systolic/dap_unit_plugin_abi.h",
                    root + "/models/common/verilated_shim.h"};
  spec.trace = trace;
  return spec;
}

DapUnitRtl::DapUnitRtl(const DapShape& shape, DapFault fault, const std::string& vcd_path,
                       const std::string& cache_dir)
    : shape_(checked(shape)),
      out_(shape),
      rtl_(dap_rtl_spec(shape, fault, !vcd_path.empty()), "npusim_dap", NPUSIM_DAP_PLUGIN_ABI, vcd_path,
           cache_dir) {
  pins_.lanes = shape.lanes;
  pins_.bz = shape.bz;
  pins_.iw = shape.iw();
  pins_.out_valid = &out_.out_valid;
  pins_.out_data = out_.out_data.data();
  pins_.out_idx = out_.out_idx.data();
}

void DapUnitRtl::step(const DapInputs& in) {
  if (in.in_data.size() != out_.out_data.size())
    throw std::invalid_argument("dap_unit: in_data must hold LANES*BZ values");
  pins_.rst = in.rst;
  pins_.in_valid = in.in_valid;
  pins_.nnz = in.nnz;
  pins_.in_data = in.in_data.data();
  rtl_.step(&pins_);
}

}  // namespace npusim::systolic
