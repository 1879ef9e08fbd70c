# The cim family's run path (plain C++ apart from the engine's SystemC shell): the layers' programmed tiles
# (analog kernel), the engine's work and functional path, costs, error statistics, the layer mapping and the
# hardware. The registration (cim_family.cpp) is in models/CMakeLists.txt's npusim_models.
add_library(npusim_cim_family STATIC ${CMAKE_CURRENT_LIST_DIR}/layer_analog.cpp ${CMAKE_CURRENT_LIST_DIR}/layer_work.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cim_cost.cpp ${CMAKE_CURRENT_LIST_DIR}/error_stats.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cim_layer_mapping.cpp ${CMAKE_CURRENT_LIST_DIR}/cim_hardware.cpp)
target_link_libraries(npusim_cim_family PUBLIC npusim_cim_engine_sc npusim_cim_device npusim_cim_mapping npusim_sim)
