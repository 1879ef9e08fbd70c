#include "models/systolic/sa_array_rtl.h"

#include <stdexcept>

#ifndef NPUSIM_SOURCE_DIR
#error "NPUSIM_SOURCE_DIR must point at the repository (RTL and plugin shim sources)"
#endif

namespace npusim::systolic {

cosim::RtlBuildSpec sa_rtl_spec(const SaShape& shape, SaFault fault, bool trace) {
  const std::string root = NPUSIM_SOURCE_DIR;
  cosim::RtlBuildSpec spec;
  spec.top = "sa_array";
  spec.sources = {root + "/rtl/systolic/sa_pe.v", root + "/rtl/systolic/sa_array.v"};
  spec.params = {{"ROWS", std::to_string(shape.rows)},
                 {"COLS", std::to_string(shape.cols)},
                 {"DATAFLOW", std::to_string(shape.dataflow)},
                 {"A", std::to_string(shape.a)},
                 {"B", std::to_string(shape.b)},
                 {"C", std::to_string(shape.c)},
                 {"P", std::to_string(shape.p)},
                 {"SPARSE", shape.sparse ? "1" : "0"},
                 {"ASPARSE", shape.asparse ? "1" : "0"}};
  if (fault == SaFault::AccClear) spec.defines.push_back("NPUSIM_FAULT_ACC_CLEAR");
  if (fault == SaFault::ColSkew) spec.defines.push_back("NPUSIM_FAULT_COL_SKEW");
  if (fault == SaFault::MuxIdx) spec.defines.push_back("NPUSIM_FAULT_MUX_IDX");
  spec.shim = root + "/models/systolic/sa_array_plugin.cpp";
  spec.include_dirs = {root};
  spec.key_files = {root + "/models/systolic/sa_array_plugin_abi.h", root + "/models/common/verilated_shim.h"};
  spec.trace = trace;
  return spec;
}

SaArrayRtl::SaArrayRtl(const SaShape& shape, SaFault fault, const std::string& vcd_path,
                       const std::string& cache_dir)
    : shape_(shape),
      out_(shape),
      rtl_(sa_rtl_spec(shape, fault, !vcd_path.empty()), "npusim_sa", NPUSIM_SA_PLUGIN_ABI, vcd_path, cache_dir) {
  pins_.rows = shape.rows;
  pins_.cols = shape.cols;
  pins_.act_lanes = shape.act_lanes();
  pins_.act_rows = shape.act_rows();
  pins_.wgt_lanes = shape.wgt_lanes();
  pins_.wgt_cols = shape.wgt_cols();
  pins_.out_lanes = shape.out_lanes();
  pins_.out_valid = out_.out_valid.data();
  pins_.out_data = out_.out_data.data();
}

void SaArrayRtl::step(const SaInputs& in) {
  pins_.rst = in.rst;
  pins_.in_valid = in.in_valid;
  pins_.in_first = in.in_first;
  pins_.in_last = in.in_last;
  pins_.w_wr = in.w_wr;
  pins_.w_row = in.w_row;
  pins_.a_in = in.a_in.data();
  pins_.a_mask = in.a_mask.data();
  pins_.a_idx = in.a_idx.data();
  pins_.w_in = in.w_in.data();
  pins_.w_idx = in.w_idx.data();
  pins_.w_mask = in.w_mask.data();
  rtl_.step(&pins_);
}

}  // namespace npusim::systolic
