#pragma once
// C ABI between npusim and a Verilated im2col_unit plugin (see sim/cosim/rtl_plugin.h). One array
// element per lane; the shim packs and unpacks the ports bit by bit (AW-bit rd_addr lanes need not
// divide 32).
#include <stdint.h>

extern "C" {

#define NPUSIM_IM2COL_PLUGIN_ABI 1

struct NpusimIm2colPins {
  int32_t lanes, b, depth, lw, aw;  // see Im2colShape
  uint8_t rst, ld_valid, ld_bank, rd_valid, rd_bank;
  uint32_t ld_addr;
  const int8_t* ld_data;   // [lw][b]
  const uint8_t* ld_mask;  // [lw]
  const uint32_t* rd_addr; // [lanes]
  const uint8_t* rd_mask;  // [lanes]
  uint8_t* out_valid;      // written by the plugin
  int8_t* out_data;        // [lanes][b], written by the plugin
};

// Exported by the plugin (resolved by cosim::RtlInstance<NpusimIm2colPins> with prefix "npusim_im2col"):
//   int npusim_im2col_abi(); void* npusim_im2col_create(const char* vcd_path);
//   void npusim_im2col_step(void* handle, NpusimIm2colPins* pins); void npusim_im2col_destroy(void* handle);
}
