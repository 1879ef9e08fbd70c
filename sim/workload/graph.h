#pragma once
// The workload as a graph (DESIGN.md §3): each layer reads the output of the layers named in its
// Layer::inputs. These rules decide whether a producer's output is a valid input for a consumer and
// whether a whole loaded network chains.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/workload/layer.h"

// A namespace of its own: the driver still has file-local helpers of the same names.
namespace npusim::graph {

// Tensor shapes, channels last, for allocating the tensors that flow between layers:
//   conv, dwconv, maxpool, avgpool, add:  input [H][W][C], output [out_h][out_w][K]; with batch > 1 a
//                                         leading [batch] ([batch][H][W][C]), at batch 1 none;
//   fc:                                   input [batch][C], output [batch][K] (always with batch; an fc
//                                         given per time step has batch = batch * seq_len already);
//   lstm, gru:                            input [batch][seq_len][input_size], output
//                                         [batch][seq_len][hidden_size]: every hidden state, not the last.
std::vector<int64_t> input_shape(const Layer& L);
std::vector<int64_t> output_shape(const Layer& L);
int64_t element_count(const std::vector<int64_t>& shape);

// "" if `producer`'s output is exactly `consumer`'s input, else why not, as one line:
// "layer 'c' reads 56x56x64 but its producer 'p' writes 28x28x128" (shapes per batch element, then
// " (batch N)" when N > 1). Batch must match everywhere.
//  - conv, dwconv, pool, add read the producer's [out_h][out_w][K] as is (an fc producer is 1x1xK);
//  - fc flattens: C == the producer's elements per batch row; reading an lstm/gru, either the whole
//    sequence (same batch, C == seq_len * hidden_size) or one time step per row (batch == the
//    producer's batch * seq_len, C == hidden_size, the per-step form of an fc row);
//  - lstm/gru read [seq_len][input_size]: from an lstm/gru the same seq_len and hidden_size ==
//    input_size; from another op the same elements per batch row (or per time step, when the
//    producer's batch is batch * seq_len).
std::string producer_mismatch(const Layer& consumer, const Layer& producer);

// Completes the graph of a loaded npusim CSV and sets net.chained / net.independent_reason.
// On entry a layer's inputs are the names given in its 'inputs' cell ("" = the network input), or
// empty when the cell is empty or the column absent: it then reads the previous layer (the first
// layer reads the network input). Every layer that reads the network input must read the same shape.
// With `explicit_inputs` (the file has an 'inputs' column) the file asks for a graph, so a wrong
// producer count, an unknown, later or self reference, or a shape mismatch is an InputError
// "path:line: column 'inputs': ...". Without it, unknown names cannot occur and a mismatch (or an add,
// which cannot name its second producer) only makes the network independent.
void link_layers(Network& net, bool explicit_inputs);

}  // namespace npusim::graph
