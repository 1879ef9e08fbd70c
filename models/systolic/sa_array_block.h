#pragma once
// Block descriptor of `sa_array` (rtl/systolic/sa_array.v + sa_pe.v, docs/sa_array.md): its ports, RTL
// build, fault variants and prebuild grammar, from which sim/cosim derives the RTL adapter
// (cosim::RtlBlock<SaArrayBlock>) and the lockstep harness (cosim::Lockstep<SaArrayBlock>).
#include <map>
#include <string>
#include <vector>

#include "models/systolic/sa_array_core.h"
#include "sim/cosim/rtl_block.h"

namespace npusim::systolic {

// Faults for the lockstep self-test (preprocessor defines in rtl/systolic/sa_array.v).
enum class SaFault { None, AccClear, ColSkew, MuxIdx };

struct SaArrayBlock : cosim::BlockTypes<SaShape, SaInputs, SaOutputs, SaArrayIf, SaArrayCore, SaFault> {
  // The engine asks the array which PE drove a lane; in lockstep the model answers.
  template <class H>
  struct LockstepFace : SaArrayIf {
    std::string locate(int lane, bool data_lane) const override {
      return static_cast<const H*>(this)->model().locate(lane, data_lane);
    }
  };

  static constexpr const char* top = "sa_array";
  static constexpr const char* grammar =
      "ROWSxCOLS:os|ws[:tAxBxC][:pP][:sparse][:asparse][:acc_clear|col_skew|mux_idx]";
  static std::vector<std::string> sources() { return {"rtl/systolic/sa_pe.v", "rtl/systolic/sa_array.v"}; }
  static std::map<std::string, std::string> params(const Shape& s);
  static const std::vector<cosim::FaultDef<Fault>>& faults();
  static bool parse_shape(const std::vector<std::string>& tokens, Shape* s);
  static cosim::PortList<Inputs> inputs(const Shape& s);
  static cosim::PortList<Outputs> outputs(const Shape& s);
  static std::string locate(const Core& core, const std::string& port, int lane) {
    return core.locate(lane, port == "out_data");
  }
};

}  // namespace npusim::systolic
