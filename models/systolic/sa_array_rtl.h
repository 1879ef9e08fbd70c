#pragma once
// The Verilated RTL of sa_array behind the same SaArrayIf as the C++ core. The parameter set is
// verilated and compiled on first use (sim/cosim/rtl_plugin.h).
#include <memory>
#include <string>
#include <vector>

#include "models/systolic/sa_array_plugin_abi.h"
#include "models/systolic/sa_pins.h"
#include "sim/cosim/rtl_instance.h"

namespace npusim::systolic {

// Faults for the lockstep self-test (preprocessor defines in rtl/systolic/sa_array.v).
enum class SaFault { None, AccClear, ColSkew, MuxIdx };

cosim::RtlBuildSpec sa_rtl_spec(const SaShape& shape, SaFault fault = SaFault::None, bool trace = false);

class SaArrayRtl final : public SaArrayIf {
 public:
  // `vcd_path` non-empty: dump the RTL's internal signals there (builds a traced variant).
  SaArrayRtl(const SaShape& shape, SaFault fault = SaFault::None, const std::string& vcd_path = "",
             const std::string& cache_dir = "");
  const SaShape& shape() const override { return shape_; }
  void step(const SaInputs& in) override;
  const SaOutputs& outputs() const override { return out_; }
  const std::string& plugin_path() const { return rtl_.path(); }

 private:
  SaShape shape_;
  SaOutputs out_;
  cosim::RtlInstance<NpusimSaPins> rtl_;
  NpusimSaPins pins_{};
};

}  // namespace npusim::systolic
