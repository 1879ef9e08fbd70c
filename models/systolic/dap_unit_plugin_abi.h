#pragma once
// C ABI between npusim and a Verilated dap_unit plugin (see sim/cosim/rtl_plugin.h). One array element
// per slot; the shim packs and unpacks the ports bit by bit (IW-bit out_idx lanes need not divide 32).
#include <stdint.h>

extern "C" {

#define NPUSIM_DAP_PLUGIN_ABI 1

struct NpusimDapPins {
  int32_t lanes, bz, iw;  // see DapShape
  uint8_t rst, in_valid;
  uint32_t nnz;           // only the low 5 bits are on the port
  const int8_t* in_data;  // [lanes][bz]
  uint8_t* out_valid;     // written by the plugin
  int8_t* out_data;       // [lanes][bz], written by the plugin
  uint8_t* out_idx;       // [lanes][bz], written by the plugin
};

// Exported by the plugin (resolved by cosim::RtlInstance<NpusimDapPins> with prefix "npusim_dap"):
//   int npusim_dap_abi(); void* npusim_dap_create(const char* vcd_path);
//   void npusim_dap_step(void* handle, NpusimDapPins* pins); void npusim_dap_destroy(void* handle);
}
