#include "models/fixynn/fixed_pipeline_core.h"

#include <string>

#include "sim/common/error.h"

namespace npusim::fixynn {

FixedPipelineCore::FixedPipelineCore(const FixedNet& net) : net_(net) {
  if (net_.stages.empty()) throw InputError("fixynn: a front end with no stages");
  for (size_t s = 0; s < net_.stages.size(); ++s) {
    const FixedStage& st = net_.stages[s];
    if (s > 0) {
      const FixedStage& p = net_.stages[s - 1];
      if (st.H != p.OH || st.W != p.OW || st.in_channels() != p.out_channels()) {
        throw InputError("fixynn: stage '" + st.name + "' does not read stage '" + p.name +
                         "''s output shape");
      }
    }
    stages_.emplace_back(st, net_.adder_pipeline);
  }
  ports_.resize(stages_.size());
  for (size_t s = 0; s < stages_.size(); ++s) {
    ports_[s].in_data.assign(static_cast<size_t>(net_.stages[s].in_channels()), 0);
    ports_[s].out_data.assign(static_cast<size_t>(net_.stages[s].out_channels()), 0);
  }
}

void FixedPipelineCore::reset() {
  for (FixedStageCore& st : stages_) st.reset();
}

void FixedPipelineCore::eval_comb() {
  for (size_t s = 0; s < stages_.size(); ++s) stages_[s].eval_comb(ports_[s]);
  for (size_t s = 0; s + 1 < stages_.size(); ++s) {
    ports_[s + 1].in_valid = ports_[s].out_valid;
    ports_[s + 1].in_data = ports_[s].out_data;
    ports_[s].out_ready = ports_[s + 1].in_ready;
  }
}

void FixedPipelineCore::tick() {
  for (size_t s = 0; s < stages_.size(); ++s) stages_[s].tick(ports_[s]);
}

}  // namespace npusim::fixynn
