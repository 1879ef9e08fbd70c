#pragma once
// The FixyNN authors' per-bit PPA model (ARM-software/DeepFreeze model_ppa.py, papers.md §4.2) as a pure
// function of a FixedNet and the per-bit constants of the technology table (configs/tech/<node>.yaml,
// entries fixynn_df_*). Next to the authors' line-buffer formula it reports the buffer npusim's generated
// design really has, priced with the same per-bit constants, so the two can be compared.
#include <cstdint>
#include <string>
#include <vector>

#include "models/fixynn/fixed_net.h"
#include "sim/cost/tech_table.h"

namespace npusim::fixynn {

// DeepFreeze's fixed-pipeline clock (model_ppa.py fixed_frequency_MHz); its powers are at this clock.
constexpr double kDeepFreezeClockMhz = 810.0;

// Per-bit constants at one node: area in mm², power in W at `clock_mhz`.
struct DeepFreezeConstants {
  double mac_area_mm2 = 0, mac_power_w = 0;    // per nnz_weight x a_bits x w_bits
  double sram_area_mm2 = 0, sram_power_w = 0;  // per line-buffer bit
  double reg_area_mm2 = 0, reg_power_w = 0;    // per register-buffer bit
  double clock_mhz = kDeepFreezeClockMhz;
};

// Reads fixynn_df_{mac,sram,reg}_bit (energy and area) from the table, without the logic calibration
// factor (the authors' model is reproduced as published); the energies per cycle become power at
// `clock_mhz`. A missing entry is the table's InputError naming it.
DeepFreezeConstants deepfreeze_constants(const cost::TechTable& tech, double clock_mhz = kDeepFreezeClockMhz);

struct StagePpa {
  std::string name;
  int64_t nnz_weights = 0;  // non-zero weights of both convs of a fused stage
  double mac_area_mm2 = 0, mac_power_w = 0;
  // The authors' buffer: SRAM of H x K_h x K_w x a_bits bits plus a register buffer of
  // C_in x K_h x K_w x a_bits bits (model_ppa.py; channels are not in the SRAM term).
  int64_t sram_bits = 0, reg_buffer_bits = 0;
  double buffer_area_mm2 = 0, buffer_power_w = 0;  // SRAM + register buffer
  // npusim's generated design: buffer_rows() x W x C x a_bits bits of line buffer, no separate window.
  int64_t npusim_buffer_bits = 0;
  double npusim_buffer_area_mm2 = 0, npusim_buffer_power_w = 0;
  int64_t cycles = 0;  // the authors' cycles per frame: input pixels H x W
  double area_mm2() const { return mac_area_mm2 + buffer_area_mm2; }
  double power_w() const { return mac_power_w + buffer_power_w; }
  double npusim_area_mm2() const { return mac_area_mm2 + npusim_buffer_area_mm2; }
  double npusim_power_w() const { return mac_power_w + npusim_buffer_power_w; }
};

struct FixedPpa {
  std::vector<StagePpa> stages;
  double area_mm2 = 0, power_w = 0;                // the authors' model
  double npusim_area_mm2 = 0, npusim_power_w = 0;  // with npusim's line buffers
  double frame_time_us = 0;  // max stage cycles / clock (stages run concurrently, model_ppa.py)
};

FixedPpa fixynn_ppa(const FixedNet& net, const DeepFreezeConstants& k);
FixedPpa fixynn_ppa(const FixedNet& net, const cost::TechTable& tech);

}  // namespace npusim::fixynn
