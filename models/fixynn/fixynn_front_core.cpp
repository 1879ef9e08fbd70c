#include "models/fixynn/fixynn_front_core.h"

#include <string>

#include "sim/common/error.h"

namespace npusim::fixynn {

FrontOutputs::FrontOutputs(const FrontShape& s) {
  for (const FixedStage& st : s.net.stages) {
    stages.emplace_back();
    stages.back().out_data.assign(static_cast<size_t>(st.out_channels()), 0);
  }
  if (!stages.empty()) out_data = stages.back().out_data;
}

FixynnFrontCore::FixynnFrontCore(const FrontShape& shape) : shape_(shape), core_(shape.net), out_(shape) {
  core_.reset();
  read_outputs();
}

void FixynnFrontCore::step(const FrontInputs& in) {
  if (in.rst) {  // reset wins over every handshake of the edge
    core_.reset();
  } else {
    StagePorts& first = core_.first_ports();
    if (in.in_data.size() != first.in_data.size())
      throw InputError("fixynn_top: in_data needs " + std::to_string(first.in_data.size()) + " channels");
    first.in_valid = in.in_valid;
    first.in_data = in.in_data;
    core_.set_out_ready(in.out_ready);
    core_.eval_comb();
    core_.tick();
  }
  read_outputs();
}

void FixynnFrontCore::read_outputs() {
  core_.eval_comb();
  for (size_t s = 0; s < core_.num_stages(); ++s) {
    const StagePorts& p = core_.ports(s);
    FrontStageOutputs& o = out_.stages[s];
    o.out_valid = p.out_valid;
    o.in_ready = p.in_ready;
    o.out_data = p.out_data;
  }
  out_.in_ready = out_.stages.front().in_ready;
  out_.out_valid = out_.stages.back().out_valid;
  out_.out_data = out_.stages.back().out_data;
}

}  // namespace npusim::fixynn
