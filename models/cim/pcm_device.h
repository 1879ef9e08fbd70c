#pragma once
// PCM device statistics of AIHWKit's PCMLikeNoiseModel (reference/pcm_cim.md §1.1-1.4): programming
// noise, conductance-dependent drift exponent, drift law and accumulated 1/f read noise. Conductances are
// in µS, times in seconds. Plain C++; every random draw comes from an explicit Rng.
#include <array>

#include "sim/common/rng.h"

namespace npusim::cim {

struct PcmDevice {
  // §1.1 SinglePairConductanceConverter defaults.
  double g_max = 25.0;  // µS
  double g_min = 0.0;   // µS
  // §1.2 programming noise sigma = (c0 + c1 x + c2 x^2) * g_max / g_ref, x = g_T / g_max.
  std::array<double, 3> prog_coeff{0.26348, 1.9650, -1.1731};
  double prog_g_ref = 25.0;       // µS, prog_coeff_g_max_reference
  double prog_noise_scale = 1.0;  // 0 turns programming noise off
  // §1.3 drift exponent: mu = clamp(a ln x + b, lo, hi), sigma likewise, nu = |mu + sigma N| * scale.
  double nu_mean_a = -0.0155, nu_mean_b = 0.0244, nu_mean_lo = 0.049, nu_mean_hi = 0.1;
  double nu_std_a = -0.0125, nu_std_b = -0.0059, nu_std_lo = 0.008, nu_std_hi = 0.045;
  double nu_x_min = 1e-7;     // §1.3 clamp of |g_T|/g_max before ln
  double drift_scale = 1.0;   // §1.3 drift_scale; 0 turns drift off
  double nu_std_scale = 1.0;  // not in AIHWKit: 0 gives every device exactly mu_nu(x)
  // §1.4 drift law and 1/f read noise.
  double t0 = 20.0;        // s
  double t_read = 250e-9;  // s, read pulse width
  double read_q_coeff = 0.0088, read_q_exp = 0.65, read_q_x_min = 1e-3, read_q_max = 0.2;
  double read_noise_scale = 1.0;  // 0 turns read noise off
  // §1.4 known discrepancy (aihwkit #436): the docs take Q_s from g_T, the code from g_prog. The
  // maintainer said the docs are right, so the target is the default.
  bool read_q_from_programmed = false;
};

// Throws InputError unless 0 <= g_min < g_max, t0 > 0, t_read > 0 and every scale is non-negative.
void validate(const PcmDevice& d);

// Programming-noise sigma (µS) at target conductance g_target.
double prog_noise_sigma(const PcmDevice& d, double g_target);
// g_prog = max(0, g_T + scale * sigma * N(0,1)). Only the lower clamp, as in the reference: the tail above
// g_max is kept (the polynomial was fitted on it).
double program_conductance(const PcmDevice& d, double g_target, Rng& programming);

double drift_nu_mean(const PcmDevice& d, double g_target);
double drift_nu_std(const PcmDevice& d, double g_target);
// nu drawn once at programming time from the target conductance.
double sample_drift_nu(const PcmDevice& d, double g_target, Rng& drift);

// (t/t0)^-nu with t = t_inference + t0; exactly 1 for t_inference <= 0.
double drift_factor(const PcmDevice& d, double nu, double t_inference);
double drifted_conductance(const PcmDevice& d, double g_prog, double nu, double t_inference);

// Q_s(g) and the relative 1/f sigma Q_s * sqrt(ln((t + t_read) / (2 t_read))).
double read_noise_q(const PcmDevice& d, double g);
double read_noise_rel_sigma(const PcmDevice& d, double g_for_q, double t_inference);
// One read: max(0, g_drift + |g_drift| * scale * sigma_rel * N(0,1)), resampled on every call.
double read_conductance(const PcmDevice& d, double g_drift, double g_for_q, double t_inference, Rng& read);
// The same with sigma = read_noise_scale * read_noise_rel_sigma(...) precomputed (tiles cache it per t).
double read_conductance_sigma(double g_drift, double sigma, Rng& read);

}  // namespace npusim::cim
