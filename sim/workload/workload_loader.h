#pragma once
// Workload loading (DESIGN.md §4). Three formats, detected from the first non-comment line:
//  - npusim CSV: header-driven, column order free, unknown/duplicate columns are errors;
//  - SCALE-Sim conv topology: "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width,
//    Channels, Num Filter, Strides," (valid convolution, one stride for both dims);
//  - SCALE-Sim GEMM topology: "Layer, M, N, K," (an M×K by K×N GEMM -> fc with batch=M, C=K, K=N).
// Every error is an InputError whose message is one line "path:line: ..." naming the column, except a
// file that cannot be opened ("path: cannot open workload file").
//
// npusim CSV columns (values are trimmed; blank lines and lines starting with '#' are skipped):
//   required: name, op (conv | dwconv | fc | pool (= maxpool) | maxpool | avgpool | add | lstm | gru)
//   conv/dwconv:      H,W,C,K,R,S,stride_h,stride_w
//   maxpool/avgpool:  H,W,C,R,S,stride_h,stride_w       (K optional, must equal C)
//   add:              H,W,C                             (K = C, R = S = 1, strides 1 if given)
//   fc:               C,K (H,W,R,S optional, must be 1) or input_size,hidden_size[,seq_len] (then
//                     C = input_size, K = hidden_size, batch = batch * seq_len: one GEMM for the sequence)
//   lstm/gru:         input_size,hidden_size,seq_len
//   optional: pad_top,pad_bottom,pad_left,pad_right (default 0), groups (default 1; dwconv: C),
//             dilation (1), batch (1), w_bits,a_bits (2..8, default 8), w_nnz,a_nnz (1..8),
//             w_density,a_density (0..1), act_file,wgt_file (.npy, resolved relative to the CSV's
//             directory, must exist), out_h,out_w (checked against the computed output size).
// A column that does not apply to a row's op (e.g. H on an lstm row) must be left empty.
//
// The graph (column 'inputs', see graph.h): the names of the layers whose output the row reads,
// separated by '|' (e.g. "layer1.0.conv2|maxpool"; spaces around names are ignored); the word `input`
// names the network input, so no layer may be called `input`. An add takes exactly two producers, every
// other op one. An empty cell, or no 'inputs' column at all, means the previous row (the first row reads
// the network input); an add has no such default. Producers must come earlier in the file. The loaded
// Layer::inputs hold the resolved names, "" (kNetworkInput) for the network input.
// A file without an 'inputs' column is a plain layer list: if its rows do not chain (shapes, or an add
// that cannot name its second producer) it loads as independent layers with Network::independent_reason
// naming the first row that breaks the chain. With an 'inputs' column the file asks for a graph, so a
// shape mismatch is an error "path:line: column 'inputs': ...", like a wrong producer count or an
// unknown, later or self reference. SCALE-Sim topologies never chain (their rows are independent layers)
// and their layers have no inputs.
#include <cstdint>
#include <string>

#include "sim/workload/layer.h"

namespace npusim {

enum class WorkloadFormat { Npusim, ScaleSimConv, ScaleSimGemm };

const char* to_string(WorkloadFormat f);

// Loads and validates a workload file; throws InputError on any problem.
Network load_workload(const std::string& path);

// Output size of one spatial dimension:
//   floor((in + pad_a + pad_b - dilation*(kernel-1) - 1) / stride) + 1.
// Returns a value < 1 when the (dilated) kernel does not fit the padded input. stride must be >= 1.
int64_t conv_out_size(int64_t in, int64_t pad_a, int64_t pad_b, int64_t kernel, int64_t stride,
                      int64_t dilation = 1);

// An M×K by K×N GEMM as an fc layer (batch = M, C = K, K = N), with derived fields filled in.
// Throws InputError if a dimension is < 1.
Layer gemm_layer(const std::string& name, int64_t M, int64_t K, int64_t N);

}  // namespace npusim
