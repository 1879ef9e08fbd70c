// Plugin shim compiled together with a Verilated im2col_unit (never part of the npusim binary): packs
// the per-lane pins into Verilator's port types bit by bit (read addresses are AW bits wide), clocks
// the model once per step and unpacks the outputs.
#include "models/common/verilated_shim.h"
#include "models/systolic/im2col_unit_plugin_abi.h"
#include NPUSIM_TOP_HEADER

namespace {
using Instance = npusim_shim::Instance<NPUSIM_TOP_CLASS>;
using npusim_shim::clear;
using npusim_shim::get_field;
using npusim_shim::put_field;
}  // namespace

extern "C" {

__attribute__((visibility("default"))) int npusim_im2col_abi() { return NPUSIM_IM2COL_PLUGIN_ABI; }

__attribute__((visibility("default"))) void* npusim_im2col_create(const char* vcd_path) {
  return new Instance(vcd_path);
}

__attribute__((visibility("default"))) void npusim_im2col_step(void* handle, NpusimIm2colPins* p) {
  auto* inst = static_cast<Instance*>(handle);
  inst->edge([p](NPUSIM_TOP_CLASS& t) {
    t.rst = p->rst & 1;
    t.ld_valid = p->ld_valid & 1;
    t.ld_bank = p->ld_bank & 1;
    t.rd_valid = p->rd_valid & 1;
    t.rd_bank = p->rd_bank & 1;
    clear(t.ld_addr);
    put_field(t.ld_addr, 0, p->aw, p->ld_addr);
    clear(t.ld_data);
    for (int q = 0; q < p->lw * p->b; ++q) put_field(t.ld_data, 8 * q, 8, static_cast<uint8_t>(p->ld_data[q]));
    clear(t.ld_mask);
    for (int l = 0; l < p->lw; ++l) put_field(t.ld_mask, l, 1, p->ld_mask[l] & 1u);
    clear(t.rd_addr);
    for (int i = 0; i < p->lanes; ++i) put_field(t.rd_addr, i * p->aw, p->aw, p->rd_addr[i]);
    clear(t.rd_mask);
    for (int i = 0; i < p->lanes; ++i) put_field(t.rd_mask, i, 1, p->rd_mask[i] & 1u);
  });
  const auto& t = *inst->top;
  *p->out_valid = static_cast<uint8_t>(t.out_valid & 1);
  for (int q = 0; q < p->lanes * p->b; ++q)
    p->out_data[q] = static_cast<int8_t>(static_cast<uint8_t>(get_field(t.out_data, 8 * q, 8)));
}

__attribute__((visibility("default"))) void npusim_im2col_destroy(void* handle) { delete static_cast<Instance*>(handle); }
}
