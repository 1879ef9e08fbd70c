#include "models/fixynn/fixynn_front_block.h"

#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "models/fixynn/verilog_gen.h"
#include "sim/common/error.h"
#include "sim/common/rng.h"
#include "sim/cosim/rtl_plugin.h"

namespace fs = std::filesystem;

namespace npusim::fixynn {

namespace {

std::string hex(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

// Stage k of an observation port "s<k>_...", or of a chain end.
size_t port_stage(const std::string& port, size_t stages) {
  if (port.size() > 1 && port[0] == 's' && std::isdigit(static_cast<unsigned char>(port[1])))
    return std::stoul(port.substr(1));
  return port == "in_ready" ? 0 : stages - 1;
}

}  // namespace

FixedNet faulted_net(const FixedNet& net, int stage, int channel) {
  if (stage < 0 || static_cast<size_t>(stage) >= net.stages.size())
    throw InputError("fixynn: fault stage " + std::to_string(stage) + " is not in the net");
  FixedNet out = net;
  FixedStage& st = out.stages[static_cast<size_t>(stage)];
  FixedConv& conv = st.fused ? st.second : st.first;
  if (channel < 0 || channel >= conv.K)
    throw InputError("fixynn: fault channel " + std::to_string(channel) + " is not in stage " +
                     std::to_string(stage));
  const size_t per = conv.weights.size() / static_cast<size_t>(conv.K);
  for (size_t i = per * static_cast<size_t>(channel); i < per * static_cast<size_t>(channel + 1); ++i) {
    if (conv.weights[i] == 0) continue;
    const int8_t w = static_cast<int8_t>(static_cast<uint8_t>(conv.weights[i]) + 64);
    conv.weights[i] = w == 0 ? 1 : w;
    return out;
  }
  throw InputError("fixynn: stage " + std::to_string(stage) + " channel " + std::to_string(channel) +
                   " has no non-zero weight to change");
}

std::vector<std::string> FixynnFrontBlock::sources(const Shape& s) {
  const GeneratedRtl rtl = generate_fixynn_rtl(
      s.fault_stage >= 0 ? faulted_net(s.net, s.fault_stage, s.fault_channel) : s.net, top);
  std::string blob;
  for (const auto& [name, text] : rtl.files) blob += name + '\0' + text + '\0';
  // Content-addressed: equal RTL shares one directory (and so one plugin cache key).
  const std::string dir = cosim::rtl_user_cache_dir() + "/fixynn-rtl-" + hex(Rng::hash(blob));
  if (!fs::exists(dir + "/manifest.json")) {
    const std::string tmp = dir + ".tmp" + std::to_string(getpid());
    fs::remove_all(tmp);
    rtl.write_rtl(tmp);
    std::error_code ec;
    fs::rename(tmp, dir, ec);  // another process may have written it first; its copy is identical
    if (ec) fs::remove_all(tmp);
  }
  std::vector<std::string> files;
  for (const auto& [name, text] : rtl.files)
    if (fs::path(name).extension() == ".v") files.push_back(dir + "/" + name);
  return files;
}

std::map<std::string, std::string> FixynnFrontBlock::params(const Shape& s) {
  try {
    check_fixed_net(s.net);
  } catch (const InputError& e) {
    throw std::invalid_argument(e.what());
  }
  return {};
}

const std::vector<cosim::FaultDef<FrontFault>>& FixynnFrontBlock::faults() {
  static const std::vector<cosim::FaultDef<FrontFault>> none;
  return none;
}

bool FixynnFrontBlock::parse_shape(const std::vector<std::string>&, Shape*) {
  return false;
}

cosim::PortList<FrontInputs> FixynnFrontBlock::inputs(const Shape& s) {
  cosim::PortList<FrontInputs> p;
  p.scalar("rst", 1, &FrontInputs::rst)
      .scalar("in_valid", 1, &FrontInputs::in_valid)
      .vector("in_data", 8, static_cast<int>(s.net.stages.front().in_channels()), &FrontInputs::in_data)
      .scalar("out_ready", 1, &FrontInputs::out_ready);
  return p;
}

cosim::PortList<FrontOutputs> FixynnFrontBlock::outputs(const Shape& s) {
  using O = FrontOutputs;
  cosim::PortList<O> p;
  const int last_k = static_cast<int>(s.net.stages.back().out_channels());
  p.scalar("in_ready", 1, &O::in_ready)
      .scalar("out_valid", 1, &O::out_valid)
      .vector("out_data", 8, last_k, &O::out_data);
  for (size_t k = 0; k < s.net.stages.size(); ++k) {
    const std::string pre = "s" + std::to_string(k) + "_";
    const int lanes = static_cast<int>(s.net.stages[k].out_channels());
    p.lanes(
         {pre + "out_valid", 1, 1, false}, [k](const O& o, int) { return int64_t{o.stages[k].out_valid}; },
         [k](O& o, int, uint32_t v) { o.stages[k].out_valid = v != 0; })
        .lanes(
            {pre + "out_data", 8, lanes, true},
            [k](const O& o, int i) { return int64_t{o.stages[k].out_data[static_cast<size_t>(i)]}; },
            [k](O& o, int i, uint32_t v) {
              o.stages[k].out_data[static_cast<size_t>(i)] = static_cast<int8_t>(v);
            })
        .lanes(
            {pre + "in_ready", 1, 1, false}, [k](const O& o, int) { return int64_t{o.stages[k].in_ready}; },
            [k](O& o, int, uint32_t v) { o.stages[k].in_ready = v != 0; });
  }
  return p;
}

std::string FixynnFrontBlock::locate(const Core& core, const std::string& port, int lane) {
  const FixedNet& net = core.shape().net;
  const size_t s = port_stage(port, net.stages.size());
  std::string layers;
  for (const std::string& l : net.stages[s].layers) layers += (layers.empty() ? "" : "+") + l;
  if (layers.empty()) layers = net.stages[s].name;
  std::string where = "stage " + std::to_string(s) + " (" + layers + ")";
  if (port.size() >= 8 && port.compare(port.size() - 8, 8, "out_data") == 0)
    where += " channel " + std::to_string(lane);
  return where;
}

}  // namespace npusim::fixynn
