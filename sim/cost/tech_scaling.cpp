#include "sim/cost/tech_scaling.h"

#include <cmath>
#include <iterator>
#include <sstream>

#include "sim/common/error.h"
#include "sim/common/text.h"

namespace npusim::cost {

namespace {

struct NodePoint {
  double nm, energy, area;  // relative to 45 nm
};

// Stillmaker & Baas 2017 via hwcomponents (see the header), largest node first.
constexpr NodePoint kTable[] = {
    {65, 1.241, 1.500}, {45, 1.0, 1.0},     {40, 1 / 1.151, 1 / 1.462}, {32, 0.659, 0.460},
    {28, 0.513, 0.377}, {22, 0.294, 0.252}, {16, 0.174, 0.190},         {7, 0.094, 0.059},
};

ScaleFactors relative_to_45(double nm) {
  if (!(nm >= 7.0 && nm <= 65.0)) {
    std::ostringstream s;
    s << "technology node " << nm << " nm is outside the scaling table (7..65 nm)";
    throw InputError(s.str());
  }
  for (size_t i = 0; i + 1 < std::size(kTable); ++i) {
    const NodePoint& hi = kTable[i];
    const NodePoint& lo = kTable[i + 1];
    if (nm <= hi.nm && nm >= lo.nm) {
      const double t = std::log(nm / hi.nm) / std::log(lo.nm / hi.nm);
      return {std::exp(std::log(hi.energy) + t * (std::log(lo.energy) - std::log(hi.energy))),
              std::exp(std::log(hi.area) + t * (std::log(lo.area) - std::log(hi.area)))};
    }
  }
  return {1.0, 1.0};  // unreachable: the range check covers the table
}

}  // namespace

double parse_node_nm(const std::string& node, const std::string& what) {
  std::string s = trim(node);
  if (s.size() >= 2 && s.substr(s.size() - 2) == "nm") s = trim(s.substr(0, s.size() - 2));
  const auto v = parse_double(s);
  if (!v || *v <= 0) throw InputError(what + ": expected a technology node like '16nm', got " + quote(node));
  return *v;
}

ScaleFactors tech_scale(double from_nm, double to_nm) {
  const ScaleFactors a = relative_to_45(from_nm), b = relative_to_45(to_nm);
  return {b.energy / a.energy, b.area / a.area};
}

}  // namespace npusim::cost
