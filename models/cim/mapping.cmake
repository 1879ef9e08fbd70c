# The cim family's config section and the mapping of layers onto PCM tiles (plain C++, no SystemC).
add_library(npusim_cim_mapping STATIC ${CMAKE_CURRENT_LIST_DIR}/cim_config.cpp ${CMAKE_CURRENT_LIST_DIR}/cim_mapping.cpp
  ${CMAKE_CURRENT_LIST_DIR}/weight_programming.cpp)
target_link_libraries(npusim_cim_mapping PUBLIC npusim_workload npusim_config)
