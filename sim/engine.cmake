# Framework libraries of sim/ that know no accelerator family.
# Golden evaluation of real .tflite models (TFLite reference-kernel semantics); its own library so the
# tflite unit tests link it without the rest of the driver.
# A .tflite model's UNIDIRECTIONAL_SEQUENCE_LSTM with TFLM's kernel (docs/tflm_lstm.md).
add_library(npusim_tflite_lstm STATIC ${CMAKE_CURRENT_LIST_DIR}/driver/tflite_lstm.cpp)
target_link_libraries(npusim_tflite_lstm PUBLIC npusim_quant npusim_tflite npusim_common)
add_library(npusim_tflite_golden STATIC ${CMAKE_CURRENT_LIST_DIR}/driver/tflite_golden.cpp)
target_link_libraries(npusim_tflite_golden PUBLIC npusim_tflite_lstm npusim_quant npusim_tflite npusim_common)
add_library(npusim_sim STATIC
  ${CMAKE_CURRENT_LIST_DIR}/driver/driver.cpp
  ${CMAKE_CURRENT_LIST_DIR}/driver/executor.cpp
  ${CMAKE_CURRENT_LIST_DIR}/driver/executor_helpers.cpp
  ${CMAKE_CURRENT_LIST_DIR}/driver/executor_model.cpp
  ${CMAKE_CURRENT_LIST_DIR}/driver/executor_totals.cpp
  ${CMAKE_CURRENT_LIST_DIR}/driver/golden.cpp
  ${CMAKE_CURRENT_LIST_DIR}/driver/quant_choice.cpp
  ${CMAKE_CURRENT_LIST_DIR}/driver/layer_operands.cpp
  ${CMAKE_CURRENT_LIST_DIR}/driver/model_layer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/driver/recurrent_cells.cpp
  ${CMAKE_CURRENT_LIST_DIR}/driver/tensor_source.cpp
  ${CMAKE_CURRENT_LIST_DIR}/driver/vector_unit.cpp
  ${CMAKE_CURRENT_LIST_DIR}/report/report.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cosim/rtl_plugin.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cosim/rtl_instance.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cosim/rtl_block.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cosim/rtl_prebuild.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cosim/port_trace.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cosim/vcd_writer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/app/commands.cpp
  ${CMAKE_CURRENT_LIST_DIR}/app/sweep_in_process.cpp)
target_link_libraries(npusim_sim PUBLIC npusim_sweep_runner npusim_tflite_golden npusim_quant npusim_workload npusim_tflite npusim_config npusim_common
  fmt::fmt nlohmann_json::nlohmann_json CLI11::CLI11 ${CMAKE_DL_LIBS})

# Extra flags of the Verilated RTL plugins built at run time (scripts/test-sanitize: the sanitizers); part
# of the plugin cache key, so differently built plugins never mix.
set(NPUSIM_PLUGIN_EXTRA_FLAGS "" CACHE STRING "extra C++ flags of the RTL plugins")
target_compile_definitions(npusim_sim PUBLIC
  NPUSIM_SOURCE_DIR="${CMAKE_SOURCE_DIR}"
  NPUSIM_RTL_PREBUILT_DIR="${NPUSIM_RTL_PREBUILT_DIR}"
  NPUSIM_VERILATOR_ROOT="${VERILATOR_ROOT}"
  NPUSIM_PLUGIN_CXXFLAGS="-O2 ${NPUSIM_ARCH_FLAG} ${NPUSIM_PLUGIN_EXTRA_FLAGS}")

# yosys synthesis + gate-level area estimate (docs/synth_area.md)
target_sources(npusim_sim PRIVATE ${CMAKE_CURRENT_LIST_DIR}/cost/synth_area.cpp)
# Energy and area model: technology tables, node scaling, pricing (configs/tech/CALIBRATION.md)
target_sources(npusim_sim PRIVATE ${CMAKE_CURRENT_LIST_DIR}/cost/tech_scaling.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cost/tech_table.cpp ${CMAKE_CURRENT_LIST_DIR}/cost/cost_model.cpp)

