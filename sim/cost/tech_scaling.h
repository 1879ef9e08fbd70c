#pragma once
// Scaling of energy and area figures between technology nodes: the one function every tech table entry
// goes through when its source figure was published at another node.
//
// Factors relative to 45 nm (energy, area) are those of Stillmaker & Baas, "Scaling equations for the
// accurate prediction of CMOS device performance from 180 nm to 7 nm", Integration 58 (2017), as
// computed by Accelergy's hwcomponents (`hwcomponents/scaling/techscaling.py`, fixed version after
// commit 7c1e86b) and recorded in shared/reference/energy_area_numbers.md §3.6:
//   65: 1.241 / 1.500   45: 1 / 1   40: 1/1.151 / 1/1.462   32: 0.659 / 0.460   28: 0.513 / 0.377
//   22: 0.294 / 0.252   16: 0.174 / 0.190   7: 0.094 / 0.059
// Between table nodes the factors are interpolated linearly in log(factor) against log(node) (so 14 nm
// lies between 16 and 7 nm); outside [7, 65] nm scaling is refused.
#include <string>

namespace npusim::cost {

struct ScaleFactors {
  double energy = 1.0;
  double area = 1.0;
};

// "16nm", "65 nm", "14" -> 16, 65, 14 (nanometres); throws InputError naming `what` otherwise.
double parse_node_nm(const std::string& node, const std::string& what);
// Factors that take a figure at `from_nm` to `to_nm` (energy per action, area per component).
ScaleFactors tech_scale(double from_nm, double to_nm);

}  // namespace npusim::cost
