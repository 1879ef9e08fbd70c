# The digital layer engine (cim_engine): C++ cycle core, block descriptor (RTL adapter and lockstep come
# from sim/cosim; RTL in rtl/cim with DPI-C into the analog kernel), layer driver.
add_library(npusim_cim_engine STATIC cim_engine_core.cpp cim_engine_block.cpp cim_layer_driver.cpp)
target_link_libraries(npusim_cim_engine PUBLIC npusim_cim_device npusim_sim)
# Its SystemC shell.
add_library(npusim_cim_engine_sc STATIC cim_engine_module.cpp)
target_link_libraries(npusim_cim_engine_sc PUBLIC npusim_cim_engine PkgConfig::PC_SYSTEMC)
