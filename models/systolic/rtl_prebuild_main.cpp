// Build-time helper: verilates and compiles plugins of the systolic family's RTL blocks into a cache
// directory, so the test suite finds them prebuilt (models/CMakeLists.txt).
//   npusim_rtl_prebuild BLOCK DIR VARIANT...   (run without arguments for each block's grammar)
#include "models/systolic/dap_unit_block.h"
#include "models/systolic/im2col_unit_block.h"
#include "models/systolic/sa_array_block.h"
#include "sim/cosim/rtl_prebuild.h"

int main(int argc, char** argv) {
  using namespace npusim;
  return cosim::rtl_prebuild_main(argc, argv,
                                  {cosim::prebuild_block<systolic::SaArrayBlock>(),
                                   cosim::prebuild_block<systolic::Im2colUnitBlock>(),
                                   cosim::prebuild_block<systolic::DapUnitBlock>()});
}
