#pragma once
// The Verilated RTL of im2col_unit behind the same Im2colUnitIf as the C++ core. The parameter set is
// verilated and compiled on first use (sim/cosim/rtl_plugin.h).
#include <memory>
#include <string>

#include "models/systolic/im2col_unit_core.h"
#include "models/systolic/im2col_unit_plugin_abi.h"
#include "sim/cosim/rtl_instance.h"

namespace npusim::systolic {

// Fault for the lockstep self-test (preprocessor define in rtl/systolic/im2col_unit.v).
enum class Im2colFault { None, Bank };

cosim::RtlBuildSpec im2col_rtl_spec(const Im2colShape& shape, Im2colFault fault = Im2colFault::None,
                                    bool trace = false);

class Im2colUnitRtl final : public Im2colUnitIf {
 public:
  // `vcd_path` non-empty: dump the RTL's internal signals there (builds a traced variant).
  Im2colUnitRtl(const Im2colShape& shape, Im2colFault fault = Im2colFault::None, const std::string& vcd_path = "",
                const std::string& cache_dir = "");
  Im2colUnitRtl(const Im2colUnitRtl&) = delete;
  Im2colUnitRtl& operator=(const Im2colUnitRtl&) = delete;
  const Im2colShape& shape() const override { return shape_; }
  void step(const Im2colInputs& in) override;
  const Im2colOutputs& outputs() const override { return out_; }
  const std::string& plugin_path() const { return rtl_.path(); }

 private:
  Im2colShape shape_;
  Im2colOutputs out_;
  cosim::RtlInstance<NpusimIm2colPins> rtl_;
  NpusimIm2colPins pins_{};
};

}  // namespace npusim::systolic
