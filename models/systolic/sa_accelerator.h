#pragma once
// The SA accelerator as a SystemC module: buffers, DRAM port, sequencer and writeback (SaEngine) around
// an sa_array implementation chosen by the backend (C++ core, Verilated RTL, or both in lockstep).
// One SC_THREAD per accelerator advances the engine one clock at a time in plain C++ and keeps SystemC
// time in step with a quantum (temporal decoupling), so the kernel is not entered on every edge.
// The hardware is elaborated once per process; layers are jobs issued to it.
#include <memory>
#include <systemc>

#include "models/systolic/sa_engine.h"
#include "models/systolic/sa_pins.h"
#include "models/systolic/array_job.h"
#include "sim/family/family.h"

namespace npusim::systolic {

class SaAccelerator final : public sc_core::sc_module, public Hardware {
 public:
  SC_HAS_PROCESS(SaAccelerator);
  // `unit`, `dap`: the hardware IM2COL and DAP units of the same backend (null when the config has none).
  SaAccelerator(sc_core::sc_module_name name, const ArchConfig& arch, std::unique_ptr<SaArrayIf> array,
                std::unique_ptr<Im2colUnitIf> unit = nullptr, std::unique_ptr<DapUnitIf> dap = nullptr,
                uint64_t (*lockstep_counter)(const SaArrayIf&) = nullptr);
  // Cycle simulation of one job on the selected backend.
  ArrayJobResult run(const ArrayJob& job);
  uint64_t lockstep_cycles() const override { return lockstep_counter_ ? lockstep_counter_(*array_) : 0; }
  // The IM2COL unit is named only once a convolution has gone through it.
  std::string lockstep_blocks() const override;

 private:
  void main_thread();

  ArchConfig arch_;
  std::unique_ptr<SaArrayIf> array_;
  std::unique_ptr<Im2colUnitIf> unit_;
  std::unique_ptr<DapUnitIf> dap_;
  SaEngine engine_;
  uint64_t (*lockstep_counter_)(const SaArrayIf&);
  sc_core::sc_time period_;
  sc_core::sc_event job_event_;
  const ArrayJob* pending_ = nullptr;
  ArrayJobResult result_;
  std::exception_ptr error_;
  bool finished_ = false;
};

// The accelerator of an arch config on a backend (C++ core, Verilated RTL, or both in lockstep).
std::unique_ptr<SaAccelerator> make_sa(const ArchConfig& arch, const BackendOptions& opts);

}  // namespace npusim::systolic
