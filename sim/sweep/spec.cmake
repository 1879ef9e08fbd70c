# The sweep spec (issue 14): YAML spec, constraint expressions, expansion into points and shards.
add_library(npusim_sweep_spec STATIC ${CMAKE_CURRENT_LIST_DIR}/sweep_spec.cpp ${CMAKE_CURRENT_LIST_DIR}/sweep_expr.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sweep_range.cpp ${CMAKE_CURRENT_LIST_DIR}/sweep_options.cpp ${CMAKE_CURRENT_LIST_DIR}/sweep_points.cpp)
target_link_libraries(npusim_sweep_spec PUBLIC npusim_config npusim_common nlohmann_json::nlohmann_json PRIVATE yaml-cpp)
