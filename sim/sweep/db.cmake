# The SQLite result store of sweeps (issue 14 points 2-4; docs/sweep_db.md). Debian's libsqlite3-dev.
find_package(SQLite3 REQUIRED)
add_library(npusim_sweep_db ${CMAKE_CURRENT_LIST_DIR}/sqlite_handle.cpp ${CMAKE_CURRENT_LIST_DIR}/result_db.cpp
            ${CMAKE_CURRENT_LIST_DIR}/result_schema.cpp ${CMAKE_CURRENT_LIST_DIR}/result_merge.cpp)
target_link_libraries(npusim_sweep_db PUBLIC npusim_common nlohmann_json::nlohmann_json PRIVATE SQLite::SQLite3)
