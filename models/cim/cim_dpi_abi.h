#pragma once
/* C table through which the cim engine's RTL reaches the analog kernel (analog_kernel.h). The host puts a
 * pointer to one NpusimCimDpi per RTL instance in the plugin's DPI context (sim/cosim/dpi_context.h); the
 * DPI-C imports of rtl/cim (rtl/cim/cim_analog_dpi.cpp) forward to it. Plain C: the plugin is built apart
 * from npusim and shares no C++ symbols with it. */
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct NpusimCimDpi {
  void* session; /* the host's AnalogSession of this RTL instance */
  void (*dac_level)(void* session, int32_t row, int32_t level);
  int32_t (*adc_code)(void* session, int32_t pixel, int32_t ch, int32_t split);
};

#ifdef __cplusplus
}
#endif
