# Hardware IM2COL unit (docs/im2col_unit.md): C++ core and RTL adapter in npusim_sa_core, plus the RTL
# plugin variants its lockstep test uses, prebuilt into the read-only cache (target im2col_rtl_plugins).
# Included at the end of models/CMakeLists.txt.
target_sources(npusim_sa_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/systolic/im2col_unit_core.cpp
  ${CMAKE_CURRENT_LIST_DIR}/systolic/im2col_unit_rtl.cpp)

add_executable(npusim_im2col_prebuild ${CMAKE_CURRENT_LIST_DIR}/systolic/im2col_prebuild_main.cpp)
target_link_libraries(npusim_im2col_prebuild PRIVATE npusim_sa_core)

# LANESxBxDEPTHxLW[:bank]
set(NPUSIM_TEST_IM2COL_VARIANTS 1x1x1x1 4x2x10x3 16x8x48x4 3x1x2x5 4x2x10x3:bank)
set(_im2col_deps ${CMAKE_SOURCE_DIR}/rtl/systolic/im2col_unit.v
  ${CMAKE_CURRENT_LIST_DIR}/systolic/im2col_unit_plugin.cpp ${CMAKE_CURRENT_LIST_DIR}/systolic/im2col_unit_plugin_abi.h
  ${CMAKE_CURRENT_LIST_DIR}/common/verilated_shim.h)
npusim_prebuild_rtl(TARGET im2col_rtl_plugins TOOL npusim_im2col_prebuild BLOCK im2col_unit DEPS ${_im2col_deps}
  VARIANTS ${NPUSIM_TEST_IM2COL_VARIANTS})
