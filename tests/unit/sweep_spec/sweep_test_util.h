#pragma once
// A temp directory with a systolic base config and a workload file, and sweep specs written next to them.
#include <string>

#include "sim/sweep/sweep_points.h"
#include "sim/sweep/sweep_spec.h"
#include "tests/unit/workload/test_util.h"

namespace npusim::test {

struct SweepDir {
  TempDir tmp;
  SweepDir() {
    tmp.write("base.yaml", "name: t\nfamily: systolic\narray: {rows: 8, cols: 4}\ntpe: {a: 2, b: 8, c: 2}\n");
    tmp.write("w.csv", "name,op,H,W,C,K,R,S,stride_h,stride_w\nc1,conv,8,8,8,8,3,3,1,1\n");
    tmp.write("v.csv", "name,op,H,W,C,K,R,S,stride_h,stride_w\nc1,conv,4,4,8,8,1,1,1,1\n");
  }
  // A spec on base.yaml and w.csv with `body` (axes, constraints, ...) after the two header lines.
  std::string spec(const std::string& body, const std::string& name = "s.yaml") const {
    return tmp.write(name, "base: base.yaml\nworkloads: [w.csv]\n" + body);
  }
  SweepPoints expand(const std::string& body) const { return expand_sweep(load_sweep_spec(spec(body))); }
};

}  // namespace npusim::test
