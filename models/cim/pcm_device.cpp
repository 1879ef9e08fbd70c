#include "models/cim/pcm_device.h"

#include <algorithm>
#include <cmath>

#include "models/cim/normal.h"
#include "sim/common/error.h"

namespace npusim::cim {

void validate(const PcmDevice& d) {
  if (!(d.g_min >= 0 && d.g_max > d.g_min)) throw InputError("cim PCM device: need 0 <= g_min < g_max");
  if (!(d.t0 > 0 && d.t_read > 0)) throw InputError("cim PCM device: t0 and t_read must be positive");
  if (d.prog_noise_scale < 0 || d.drift_scale < 0 || d.nu_std_scale < 0 || d.read_noise_scale < 0)
    throw InputError("cim PCM device: noise scales must be non-negative");
}

double prog_noise_sigma(const PcmDevice& d, double g_target) {
  const double x = g_target / d.g_max;
  const auto& c = d.prog_coeff;
  return (c[0] + c[1] * x + c[2] * x * x) * d.g_max / d.prog_g_ref;
}

double program_conductance(const PcmDevice& d, double g_target, Rng& programming) {
  const double n = standard_normal(programming);  // always drawn: stream position independent of scale
  return std::max(0.0, g_target + d.prog_noise_scale * prog_noise_sigma(d, g_target) * n);
}

namespace {
double nu_x(const PcmDevice& d, double g_target) {
  return std::max(std::abs(g_target) / d.g_max, d.nu_x_min);
}
}  // namespace

double drift_nu_mean(const PcmDevice& d, double g_target) {
  return std::clamp(d.nu_mean_a * std::log(nu_x(d, g_target)) + d.nu_mean_b, d.nu_mean_lo, d.nu_mean_hi);
}

double drift_nu_std(const PcmDevice& d, double g_target) {
  return std::clamp(d.nu_std_a * std::log(nu_x(d, g_target)) + d.nu_std_b, d.nu_std_lo, d.nu_std_hi);
}

double sample_drift_nu(const PcmDevice& d, double g_target, Rng& drift) {
  const double n = standard_normal(drift);
  const double nu = drift_nu_mean(d, g_target) + d.nu_std_scale * drift_nu_std(d, g_target) * n;
  return std::abs(nu) * d.drift_scale;
}

double drift_factor(const PcmDevice& d, double nu, double t_inference) {
  if (t_inference <= 0) return 1.0;
  return std::pow((t_inference + d.t0) / d.t0, -nu);
}

double drifted_conductance(const PcmDevice& d, double g_prog, double nu, double t_inference) {
  return g_prog * drift_factor(d, nu, t_inference);
}

double read_noise_q(const PcmDevice& d, double g) {
  const double x = std::max(std::pow(std::abs(g) / d.g_max, d.read_q_exp), d.read_q_x_min);
  return std::min(d.read_q_coeff / x, d.read_q_max);
}

double read_noise_rel_sigma(const PcmDevice& d, double g_for_q, double t_inference) {
  // The 1/f band runs from 1/t to 1/(2 t_read); t includes t0, so it is non-zero even at t_inference = 0.
  const double t = std::max(t_inference, 0.0) + d.t0;
  return read_noise_q(d, g_for_q) * std::sqrt(std::log((t + d.t_read) / (2.0 * d.t_read)));
}

double read_conductance_sigma(double g_drift, double sigma, Rng& read) {
  const double n = standard_normal(read);
  return std::max(0.0, g_drift + std::abs(g_drift) * sigma * n);
}

double read_conductance(const PcmDevice& d, double g_drift, double g_for_q, double t_inference, Rng& read) {
  return read_conductance_sigma(g_drift, d.read_noise_scale * read_noise_rel_sigma(d, g_for_q, t_inference),
                                read);
}

}  // namespace npusim::cim
