#pragma once
// The Verilated RTL of dap_unit behind the same DapUnitIf as the C++ core. The parameter set is
// verilated and compiled on first use (sim/cosim/rtl_plugin.h).
#include <memory>
#include <string>

#include "models/systolic/dap_unit_core.h"
#include "models/systolic/dap_unit_plugin_abi.h"
#include "sim/cosim/rtl_instance.h"

namespace npusim::systolic {

// Fault for the lockstep self-test (preprocessor define in rtl/systolic/dap_unit.v).
enum class DapFault { None, Tie };

cosim::RtlBuildSpec dap_rtl_spec(const DapShape& shape, DapFault fault = DapFault::None, bool trace = false);

class DapUnitRtl final : public DapUnitIf {
 public:
  // `vcd_path` non-empty: dump the RTL's internal signals there (builds a traced variant).
  DapUnitRtl(const DapShape& shape, DapFault fault = DapFault::None, const std::string& vcd_path = "",
             const std::string& cache_dir = "");
  DapUnitRtl(const DapUnitRtl&) = delete;
  DapUnitRtl& operator=(const DapUnitRtl&) = delete;
  const DapShape& shape() const override { return shape_; }
  void step(const DapInputs& in) override;
  const DapOutputs& outputs() const override { return out_; }
  const std::string& plugin_path() const { return rtl_.path(); }

 private:
  DapShape shape_;
  DapOutputs out_;
  cosim::RtlInstance<NpusimDapPins> rtl_;
  NpusimDapPins pins_{};
};

}  // namespace npusim::systolic
