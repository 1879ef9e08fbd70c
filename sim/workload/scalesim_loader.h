#pragma once
// SCALE-Sim topology files (conv "Layer name, IFMAP Height, ..., Strides," and GEMM "Layer, M, N, K,"),
// read unchanged as independent layers.
#include <string>
#include <vector>

#include "sim/workload/workload_csv.h"
#include "sim/workload/workload_loader.h"

namespace npusim::workload_csv {

// The format a header line announces (npusim CSV unless it is a SCALE-Sim header).
WorkloadFormat detect_format(const std::string& path, const SourceLine& hdr);
void parse_scalesim(const std::string& path, const std::vector<SourceLine>& lines, WorkloadFormat fmt, Network& net);

}  // namespace npusim::workload_csv
