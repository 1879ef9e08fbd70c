#include "sim/workload/scalesim_loader.h"

#include <map>

#include "sim/common/text.h"

namespace npusim::workload_csv {

namespace {

const std::vector<std::string> kScaleSimConv = {"layername",   "ifmapheight", "ifmapwidth", "filterheight",
                                                "filterwidth", "channels",    "numfilter",  "strides"};
const std::vector<std::string> kScaleSimGemm = {"layer", "m", "n", "k"};

// Drops the empty fields a trailing comma leaves.
std::vector<std::string> drop_trailing_empty(std::vector<std::string> v) {
  while (v.size() > 1 && v.back().empty()) v.pop_back();
  return v;
}

}  // namespace

WorkloadFormat detect_format(const std::string& path, const SourceLine& hdr) {
  std::vector<std::string> norm;
  for (const std::string& f : drop_trailing_empty(split_csv(path, hdr))) norm.push_back(lower_nospace(f));
  if (norm == kScaleSimConv) return WorkloadFormat::ScaleSimConv;
  if (!norm.empty() && norm[0] == "layername") norm[0] = "layer";
  if (norm == kScaleSimGemm) return WorkloadFormat::ScaleSimGemm;
  if (!norm.empty() && norm[0] == "layer")
    fail(path, hdr.number,
         "unrecognised SCALE-Sim topology header (expected 'Layer name, IFMAP Height, IFMAP Width, Filter "
         "Height, "
         "Filter Width, Channels, Num Filter, Strides,' or 'Layer, M, N, K,')");
  return WorkloadFormat::Npusim;
}

void parse_scalesim(const std::string& path, const std::vector<SourceLine>& lines, WorkloadFormat fmt,
                    Network& net) {
  const std::vector<std::string> names = drop_trailing_empty(split_csv(path, lines.front()));
  std::map<std::string, int> seen;
  for (size_t li = 1; li < lines.size(); ++li) {
    const SourceLine& sl = lines[li];
    const std::vector<std::string> f = drop_trailing_empty(split_csv(path, sl));
    if (f.size() != names.size())
      fail(path, sl.number,
           "expected " + std::to_string(names.size()) + " fields (SCALE-Sim " +
               (fmt == WorkloadFormat::ScaleSimConv ? "conv" : "GEMM") + " topology), got " +
               std::to_string(f.size()));
    auto num = [&](size_t i) {
      auto v = parse_int(f[i]);
      if (!v || *v < 1 || *v > kMaxValue)
        fail(path, sl.number,
             "column " + quote(names[i]) + ": expected a positive integer, got " + quote(f[i]));
      return *v;
    };
    if (f[0].empty()) fail(path, sl.number, "column " + quote(names[0]) + ": layer name is empty");
    Layer L;
    if (fmt == WorkloadFormat::ScaleSimConv) {
      L.name = f[0];
      L.op = OpType::Conv;
      L.H = num(1);
      L.W = num(2);
      L.R = num(3);
      L.S = num(4);
      L.C = num(5);
      L.K = num(6);
      L.stride_h = L.stride_w = num(7);
      if (L.R > L.H)
        fail(path, sl.number,
             "column " + quote(names[3]) + ": filter height " + std::to_string(L.R) +
                 " exceeds the IFMAP height " + std::to_string(L.H) +
                 " (SCALE-Sim convolutions are unpadded)");
      if (L.S > L.W)
        fail(path, sl.number,
             "column " + quote(names[4]) + ": filter width " + std::to_string(L.S) +
                 " exceeds the IFMAP width " + std::to_string(L.W) +
                 " (SCALE-Sim convolutions are unpadded)");
      L.out_h = conv_out_size(L.H, 0, 0, L.R, L.stride_h);
      L.out_w = conv_out_size(L.W, 0, 0, L.S, L.stride_w);
    } else {
      const int64_t M = num(1), N = num(2), K = num(3);
      L = gemm_layer(f[0], M, K, N);
    }
    L.source = path + ":" + std::to_string(sl.number);
    if (static_cast<long double>(L.out_h) * L.out_w * L.batch * L.K * L.R * L.S * L.C > kMaxMacs)
      fail(path, sl.number, "layer " + quote(L.name) + " is too large (MAC count overflows)");
    check_unique(seen, L, path, sl.number);
    net.layers.push_back(std::move(L));
  }
  net.chained = false;
  net.independent_reason = "SCALE-Sim topology: rows are independent layers";
}

}  // namespace npusim::workload_csv
