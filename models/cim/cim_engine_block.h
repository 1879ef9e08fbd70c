#pragma once
// Block descriptor of `cim_engine` (rtl/cim/cim_engine.v, cycle contract in cim_engine_core.h): its ports,
// RTL build (with the DPI-C imports of rtl/cim/cim_analog_dpi.cpp), fault variants, prebuild grammar and
// DPI context, from which sim/cosim derives the RTL adapter (cosim::RtlBlock<CimEngineBlock>) and the
// lockstep (cosim::Lockstep<CimEngineBlock>). Each RTL instance reads the shape's analog kernel through its
// own AnalogSession, so both sides of a lockstep see the same codes for the same levels.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "models/cim/cim_engine_core.h"
#include "sim/cosim/rtl_block.h"

namespace npusim::cim {

// Deliberate faults for the lockstep self-test (defines in rtl/cim): the ADC clip bound one LSB short,
// the periphery's Q16 rounding constant 2^14 instead of 2^15.
enum class CimEngineFault { None, AdcClip, PeriphShift };

struct CimEngineBlock : cosim::BlockTypes<CimEngineShape, CimEngineInputs, CimEngineOutputs, CimEngineIf,
                                          CimEngineCore, CimEngineFault> {
  static constexpr const char* top = "cim_engine";
  // The prebuild tool has no kernel to give; its variants only build the plugin.
  static constexpr const char* grammar = "N_INxK_MAXxS_MAXxLANES_INxLANES_OUT[:adc_clip|periph_shift]";
  static std::vector<std::string> sources();
  static std::vector<std::string> dpi_sources() { return {"rtl/cim/cim_analog_dpi.cpp"}; }
  // An NpusimCimDpi (models/cim/cim_dpi_abi.h) over a fresh AnalogSession of the shape's kernel.
  static std::shared_ptr<void> make_dpi_context(const Shape& s);
  static std::map<std::string, std::string> params(const Shape& s);
  static const std::vector<cosim::FaultDef<Fault>>& faults();
  static bool parse_shape(const std::vector<std::string>& tokens, Shape* s);
  static cosim::PortList<Inputs> inputs(const Shape& s);
  static cosim::PortList<Outputs> outputs(const Shape& s);
  // "channel N" for a lane of out_sum / out_data, else the submodule driving the port.
  static std::string locate(const Core& core, const std::string& port, int lane);
};

}  // namespace npusim::cim
