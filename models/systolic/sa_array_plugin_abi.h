#pragma once
// C ABI between npusim and a Verilated sa_array plugin (see sim/cosim/rtl_plugin.h).
#include <stdint.h>

extern "C" {

#define NPUSIM_SA_PLUGIN_ABI 3

struct NpusimSaPins {
  int32_t rows, cols;
  int32_t act_lanes, act_rows, wgt_lanes, wgt_cols, out_lanes;  // see SaShape
  uint8_t rst, in_valid, in_first, in_last, w_wr;
  uint32_t w_row;
  const int8_t* a_in;
  const uint8_t* a_mask;
  const uint8_t* a_idx;  // [act_rows], 4-bit (ASPARSE)
  const int8_t* w_in;
  const uint8_t* w_idx;
  const uint8_t* w_mask;
  uint8_t* out_valid;  // written by the plugin
  int32_t* out_data;   // written by the plugin
};

// Exported by the plugin (resolved by cosim::RtlInstance<NpusimSaPins> with prefix "npusim_sa"):
//   int npusim_sa_abi(); void* npusim_sa_create(const char* vcd_path);
//   void npusim_sa_step(void* handle, NpusimSaPins* pins); void npusim_sa_destroy(void* handle);
}
