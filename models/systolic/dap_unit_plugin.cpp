// Plugin shim compiled together with a Verilated dap_unit (never part of the npusim binary): packs the
// per-slot pins into Verilator's port types bit by bit (channel indices are IW bits wide), clocks the
// model once per step and unpacks the outputs.
#include "models/common/verilated_shim.h"
#include "models/systolic/dap_unit_plugin_abi.h"
#include NPUSIM_TOP_HEADER

namespace {
using Instance = npusim_shim::Instance<NPUSIM_TOP_CLASS>;
using npusim_shim::clear;
using npusim_shim::get_field;
using npusim_shim::put_field;
}  // namespace

extern "C" {

__attribute__((visibility("default"))) int npusim_dap_abi() {
  return NPUSIM_DAP_PLUGIN_ABI;
}

__attribute__((visibility("default"))) void* npusim_dap_create(const char* vcd_path) {
  return new Instance(vcd_path);
}

__attribute__((visibility("default"))) void npusim_dap_step(void* handle, NpusimDapPins* p) {
  auto* inst = static_cast<Instance*>(handle);
  const int n = p->lanes * p->bz;
  inst->edge([p, n](NPUSIM_TOP_CLASS& t) {
    t.rst = p->rst & 1;
    t.in_valid = p->in_valid & 1;
    clear(t.nnz);
    put_field(t.nnz, 0, 5, p->nnz);
    clear(t.in_data);
    for (int q = 0; q < n; ++q) put_field(t.in_data, 8 * q, 8, static_cast<uint8_t>(p->in_data[q]));
  });
  const auto& t = *inst->top;
  *p->out_valid = static_cast<uint8_t>(t.out_valid & 1);
  for (int q = 0; q < n; ++q) {
    p->out_data[q] = static_cast<int8_t>(static_cast<uint8_t>(get_field(t.out_data, 8 * q, 8)));
    p->out_idx[q] = static_cast<uint8_t>(get_field(t.out_idx, p->iw * q, p->iw));
  }
}

__attribute__((visibility("default"))) void npusim_dap_destroy(void* handle) {
  delete static_cast<Instance*>(handle);
}
}
