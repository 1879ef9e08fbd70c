#include "models/cim/cim_engine_block.h"

#include <sstream>
#include <stdexcept>

#include "models/cim/cim_dpi_abi.h"

namespace npusim::cim {

namespace {

// What one RTL instance's DPI imports reach: the C table pointing at this session.
struct DpiContext {
  std::shared_ptr<const AnalogKernel> kernel;  // keeps the session's kernel alive
  AnalogSession session;
  NpusimCimDpi table{};
};

void dpi_dac_level(void* session, int32_t row, int32_t level) {
  static_cast<AnalogSession*>(session)->dac_level(row, level);
}
int32_t dpi_adc_code(void* session, int32_t pixel, int32_t ch, int32_t split) {
  return static_cast<AnalogSession*>(session)->adc_code(pixel, ch, split);
}

}  // namespace

std::vector<std::string> CimEngineBlock::sources() {
  return {"rtl/cim/cim_engine.v",      "rtl/cim/cim_controller.v", "rtl/cim/cim_pwm_dac.v",
          "rtl/cim/cim_adc_readout.v", "rtl/cim/cim_periphery.v",  "rtl/cim/cim_requant.v"};
}

std::shared_ptr<void> CimEngineBlock::make_dpi_context(const Shape& s) {
  auto ctx = std::make_shared<DpiContext>();
  ctx->kernel = s.kernel;
  ctx->session.kernel = s.kernel.get();
  ctx->session.levels.assign(static_cast<size_t>(s.n_in > 0 ? s.n_in : 0), 0);
  ctx->table = {&ctx->session, dpi_dac_level, dpi_adc_code};
  return std::shared_ptr<void>(ctx, &ctx->table);  // owns the context, points at the table
}

std::map<std::string, std::string> CimEngineBlock::params(const Shape& s) {
  if (s.n_in < 1 || s.k_max < 1 || s.s_max < 1 || s.lanes_in < 1 || s.lanes_out < 1 || s.n_in > 65535 ||
      s.k_max > 65535 || s.s_max > 255)
    throw std::invalid_argument("cim_engine: need 1 <= N_IN, K_MAX <= 65535, 1 <= S_MAX <= 255, lanes >= 1");
  return {{"N_IN", std::to_string(s.n_in)},
          {"K_MAX", std::to_string(s.k_max)},
          {"S_MAX", std::to_string(s.s_max)},
          {"LANES_IN", std::to_string(s.lanes_in)},
          {"LANES_OUT", std::to_string(s.lanes_out)}};
}

const std::vector<cosim::FaultDef<CimEngineFault>>& CimEngineBlock::faults() {
  static const std::vector<cosim::FaultDef<CimEngineFault>> f = {
      {"adc_clip", CimEngineFault::AdcClip, "NPUSIM_FAULT_CIM_ADC_CLIP"},
      {"periph_shift", CimEngineFault::PeriphShift, "NPUSIM_FAULT_CIM_PERIPH_SHIFT"}};
  return f;
}

bool CimEngineBlock::parse_shape(const std::vector<std::string>& tokens, Shape* s) {
  if (tokens.size() != 1) return false;
  std::istringstream dims(tokens[0]);
  char x[4] = {};
  return (dims >> s->n_in >> x[0] >> s->k_max >> x[1] >> s->s_max >> x[2] >> s->lanes_in >> x[3] >>
          s->lanes_out) &&
         dims.eof() && x[0] == 'x' && x[1] == 'x' && x[2] == 'x' && x[3] == 'x' && s->n_in >= 1 &&
         s->k_max >= 1 && s->s_max >= 1 && s->lanes_in >= 1 && s->lanes_out >= 1;
}

cosim::PortList<CimEngineInputs> CimEngineBlock::inputs(const Shape& s) {
  using I = CimEngineInputs;
  cosim::PortList<I> p;
  p.scalar("rst", 1, &I::rst)
      .scalar("cfg_valid", 1, &I::cfg_valid)
      .scalar("cfg_n_in", 16, &I::cfg_n_in)
      .scalar("cfg_k", 16, &I::cfg_k)
      .scalar("cfg_splits", 8, &I::cfg_splits)
      .scalar("cfg_slots", 16, &I::cfg_slots)
      .scalar("cfg_dac_shift", 3, &I::cfg_dac_shift)
      .scalar("cfg_adc_max", 32, &I::cfg_adc_max)
      .scalar("cfg_adc_cycles", 8, &I::cfg_adc_cycles)
      .scalar("cfg_out_zp", 8, &I::cfg_out_zp)
      .scalar("cfg_act_min", 8, &I::cfg_act_min)
      .scalar("cfg_act_max", 8, &I::cfg_act_max)
      .scalar("cfg_pixels", 24, &I::cfg_pixels)
      .scalar("par_valid", 1, &I::par_valid)
      .scalar("par_ch", 16, &I::par_ch)
      .scalar("par_m", 32, &I::par_m)
      .scalar("par_bias", 32, &I::par_bias)
      .scalar("par_qmult", 32, &I::par_qmult)
      .scalar("par_qshift", 8, &I::par_qshift)
      .scalar("in_valid", 1, &I::in_valid)
      .vector("in_data", 8, s.lanes_in, &I::in_data)
      .scalar("out_ready", 1, &I::out_ready);
  return p;
}

cosim::PortList<CimEngineOutputs> CimEngineBlock::outputs(const Shape& s) {
  using O = CimEngineOutputs;
  cosim::PortList<O> p;
  p.scalar("phase", 3, &O::phase)
      .scalar("cfg_ready", 1, &O::cfg_ready)
      .scalar("in_ready", 1, &O::in_ready)
      .scalar("pixel", 24, &O::pixel)
      .scalar("pwm_slot", 16, &O::pwm_slot)
      .scalar("pulse_rows", 16, &O::pulse_rows)
      .scalar("clip_count", 32, &O::clip_count)
      .scalar("out_valid", 1, &O::out_valid)
      .scalar("out_ch0", 16, &O::out_ch0)
      .scalar("out_pixel", 24, &O::out_pixel)
      .vector("out_sum", 32, s.lanes_out, &O::out_sum)
      .vector("out_data", 8, s.lanes_out, &O::out_data)
      .scalar("done", 1, &O::done);
  return p;
}

std::string CimEngineBlock::locate(const Core& core, const std::string& port, int lane) {
  if (port == "out_sum" || port == "out_data")
    return "channel " + std::to_string(core.outputs().out_ch0 + lane) +
           (port == "out_sum" ? " (adc readout)" : " (periphery)");
  if (port == "pulse_rows") return "pwm dac";
  if (port == "clip_count") return "adc readout";
  return "controller";
}

}  // namespace npusim::cim
