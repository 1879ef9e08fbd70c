// Plugin shim compiled together with a Verilated sa_array (never part of the npusim binary): packs the
// per-lane pins into Verilator's port types, clocks the model once per step and unpacks the outputs.
#include "models/common/verilated_shim.h"
#include "models/systolic/sa_array_plugin_abi.h"
#include NPUSIM_TOP_HEADER

namespace {
using Instance = npusim_shim::Instance<NPUSIM_TOP_CLASS>;
using npusim_shim::get_lane;
using npusim_shim::put_lanes;
}  // namespace

extern "C" {

__attribute__((visibility("default"))) int npusim_sa_abi() { return NPUSIM_SA_PLUGIN_ABI; }

__attribute__((visibility("default"))) void* npusim_sa_create(const char* vcd_path) { return new Instance(vcd_path); }

__attribute__((visibility("default"))) void npusim_sa_step(void* handle, NpusimSaPins* p) {
  auto* inst = static_cast<Instance*>(handle);
  inst->edge([p](NPUSIM_TOP_CLASS& t) {
    t.rst = p->rst;
    t.in_valid = p->in_valid;
    t.in_first = p->in_first;
    t.in_last = p->in_last;
    t.w_wr = p->w_wr;
    t.w_row = p->w_row;
    put_lanes(t.a_in, p->act_lanes, 8, reinterpret_cast<const uint8_t*>(p->a_in));
    put_lanes(t.a_mask, p->act_rows, 1, p->a_mask);
    put_lanes(t.a_idx, p->act_rows, 4, p->a_idx);
    put_lanes(t.w_in, p->wgt_lanes, 8, reinterpret_cast<const uint8_t*>(p->w_in));
    put_lanes(t.w_idx, p->wgt_lanes, 4, p->w_idx);
    put_lanes(t.w_mask, p->wgt_cols, 1, p->w_mask);
  });
  const auto& t = *inst->top;
  for (int c = 0; c < p->cols; ++c) p->out_valid[c] = static_cast<uint8_t>(get_lane(t.out_valid, c, 1));
  for (int q = 0; q < p->out_lanes; ++q) p->out_data[q] = static_cast<int32_t>(get_lane(t.out_data, q, 32));
}

__attribute__((visibility("default"))) void npusim_sa_destroy(void* handle) { delete static_cast<Instance*>(handle); }
}
