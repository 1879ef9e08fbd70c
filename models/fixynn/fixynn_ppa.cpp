#include "models/fixynn/fixynn_ppa.h"

#include <algorithm>

namespace npusim::fixynn {

DeepFreezeConstants deepfreeze_constants(const cost::TechTable& tech, double clock_mhz) {
  // The table's energies carry the logic calibration factor; the authors' constants must not.
  const double uncal = 1.0 / tech.logic_energy_factor();
  const double w_per_pj = 1e-12 * clock_mhz * 1e6;  // one action per cycle
  DeepFreezeConstants k;
  k.clock_mhz = clock_mhz;
  k.mac_power_w = tech.energy_pj("fixynn_df_mac_bit") * uncal * w_per_pj;
  k.sram_power_w = tech.energy_pj("fixynn_df_sram_bit") * uncal * w_per_pj;
  k.reg_power_w = tech.energy_pj("fixynn_df_reg_bit") * uncal * w_per_pj;
  k.mac_area_mm2 = tech.area_um2("fixynn_df_mac_bit") * 1e-6;
  k.sram_area_mm2 = tech.area_um2("fixynn_df_sram_bit") * 1e-6;
  k.reg_area_mm2 = tech.area_um2("fixynn_df_reg_bit") * 1e-6;
  return k;
}

FixedPpa fixynn_ppa(const FixedNet& net, const DeepFreezeConstants& k) {
  FixedPpa p;
  const int64_t a = net.a_bits, w = net.w_bits;
  int64_t max_cycles = 0;
  for (const FixedStage& st : net.stages) {
    StagePpa s;
    s.name = st.name;
    // A fused stage is one DEPTHWISE_SEPARABLE_CONV_2D layer in DeepFreeze: nnz of both convs.
    s.nnz_weights = st.nonzero_weights();
    const double mac_bits = static_cast<double>(s.nnz_weights * a * w);
    s.mac_area_mm2 = mac_bits * k.mac_area_mm2;
    s.mac_power_w = mac_bits * k.mac_power_w;
    // The authors' line buffer: input_shape[1] (H) x K_h x K_w x a_bits. It differs from a buffer of
    // K_h rows of W pixels of C channels (the SRAM the README describes): it multiplies H (not W) by the
    // kernel's width and leaves the channels out. The generated design instead keeps buffer_rows() =
    // (R-1)*dilation + 2 full rows of W x C pixels in registers and reads the window straight from
    // them (no separate register window), so it is counted below as its own figure.
    s.sram_bits = st.H * st.first.R * st.first.S * a;
    s.reg_buffer_bits = st.first.C * st.first.R * st.first.S * a;
    s.buffer_area_mm2 = s.sram_bits * k.sram_area_mm2 + s.reg_buffer_bits * k.reg_area_mm2;
    s.buffer_power_w = s.sram_bits * k.sram_power_w + s.reg_buffer_bits * k.reg_power_w;
    s.npusim_buffer_bits = st.buffer_rows() * st.W * st.in_channels() * a;
    // The generated buffer is a register array; it is priced at the authors' register-buffer constant
    // (equal to their SRAM constant, model_ppa.py).
    s.npusim_buffer_area_mm2 = s.npusim_buffer_bits * k.reg_area_mm2;
    s.npusim_buffer_power_w = s.npusim_buffer_bits * k.reg_power_w;
    s.cycles = st.H * st.W;
    max_cycles = std::max(max_cycles, s.cycles);
    p.area_mm2 += s.area_mm2();
    p.power_w += s.power_w();
    p.npusim_area_mm2 += s.npusim_area_mm2();
    p.npusim_power_w += s.npusim_power_w();
    p.stages.push_back(s);
  }
  p.frame_time_us = k.clock_mhz > 0 ? static_cast<double>(max_cycles) / k.clock_mhz : 0.0;
  return p;
}

FixedPpa fixynn_ppa(const FixedNet& net, const cost::TechTable& tech) {
  return fixynn_ppa(net, deepfreeze_constants(tech));
}

}  // namespace npusim::fixynn
