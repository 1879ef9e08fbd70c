#include "models/fixynn/fixed_stage_core.h"

#include <algorithm>
#include <string>

#include "sim/common/error.h"

namespace npusim::fixynn {
namespace {

quant::Requant requant_of(const FixedConv& c) {
  quant::Requant rq;
  rq.output_zero_point = c.output_zero_point;
  rq.multiplier = c.multiplier;
  rq.shift = c.shift;
  rq.act_min = c.act_min, rq.act_max = c.act_max;
  rq.rounding = c.single_rounding ? quant::Rounding::Single : quant::Rounding::Double;
  return rq;
}

void check_conv(const FixedConv& c, const std::string& what) {
  const int64_t cg = c.depthwise ? 1 : c.C;
  const auto k = static_cast<size_t>(c.K);
  if (c.weights.size() != static_cast<size_t>(c.K * c.R * c.S * cg) || c.bias.size() != k ||
      c.multiplier.size() != k || c.shift.size() != k || (c.depthwise && c.K != c.C)) {
    throw InputError(what + ": weights, bias or requantization do not match the conv's shape");
  }
}

}  // namespace

FixedStageCore::FixedStageCore(const FixedStage& stage, int adder_pipeline) : stage_(stage) {
  const std::string what = "fixynn: stage '" + stage.name + "'";
  if (adder_pipeline != 0) {
    throw InputError(what + ": adder_pipeline " + std::to_string(adder_pipeline) +
                     " (the cycle core implements 0 only so far)");
  }
  check_conv(stage_.first, what);
  if (stage_.fused) {
    check_conv(stage_.second, what);
    if (stage_.second.R != 1 || stage_.second.S != 1 || stage_.second.C != stage_.first.K) {
      throw InputError(what + ": the fused conv is not a 1x1 reading the first conv's output");
    }
  }
  first_taps_ = make_taps(stage_.first);
  first_rq_ = requant_of(stage_.first);
  if (stage_.fused) {
    second_taps_ = make_taps(stage_.second);
    second_rq_ = requant_of(stage_.second);
  }
  rows_ = stage_.buffer_rows();
  pixels_ = stage_.H * stage_.W;
  outputs_ = stage_.OH * stage_.OW;
  buffer_.assign(static_cast<size_t>(rows_ * stage_.W * stage_.first.C), 0);
  out_data_.assign(static_cast<size_t>(stage_.out_channels()), 0);
  window_.assign(static_cast<size_t>(stage_.first.R * stage_.first.S), nullptr);
  mid_.assign(static_cast<size_t>(stage_.first.K), 0);
  reset();
}

FixedStageCore::Taps FixedStageCore::make_taps(const FixedConv& c) {
  Taps t;
  const int64_t cg = c.depthwise ? 1 : c.C;
  for (int64_t k = 0; k < c.K; ++k) {
    t.start.push_back(static_cast<int32_t>(t.tap.size()));
    for (int64_t rs = 0; rs < c.R * c.S; ++rs) {
      for (int64_t ci = 0; ci < cg; ++ci) {
        const int8_t w = c.weights[static_cast<size_t>((k * c.R * c.S + rs) * cg + ci)];
        if (w == 0) continue;  // zero weights contribute no term
        t.tap.push_back(static_cast<int32_t>(rs));
        t.channel.push_back(static_cast<int32_t>(c.depthwise ? k : ci));
        t.weight.push_back(w);
      }
    }
  }
  t.start.push_back(static_cast<int32_t>(t.tap.size()));
  return t;
}

void FixedStageCore::reset() {
  std::fill(buffer_.begin(), buffer_.end(), 0);
  std::fill(out_data_.begin(), out_data_.end(), 0);
  received_ = next_ = 0;
  out_valid_ = false;
  emitted_ = accepted_ = frame_ended_ = false;
}

bool FixedStageCore::window_complete(int64_t index) const {
  const FixedStage& s = stage_;
  const int64_t oy = index / s.OW, ox = index % s.OW;
  const int64_t top = oy * s.stride_h - s.pad_top, left = ox * s.stride_w - s.pad_left;
  const int64_t last_row = std::min(top + (s.first.R - 1) * s.dilation, s.H - 1);
  const int64_t last_col = std::min(left + (s.first.S - 1) * s.dilation, s.W - 1);
  return received_ > last_row * s.W + last_col;
}

bool FixedStageCore::in_ready() const {
  if (received_ >= pixels_) return false;
  if (next_ >= outputs_) return true;
  // The incoming row's slot holds row r - rows; it may go once output `next` no longer needs it.
  const int64_t row = received_ / stage_.W;
  const int64_t top = (next_ / stage_.OW) * stage_.stride_h - stage_.pad_top;
  return row - rows_ < top;
}

void FixedStageCore::eval_comb(StagePorts& p) const {
  p.in_ready = in_ready();
  p.out_valid = out_valid_;
  p.out_data = out_data_;
}

void FixedStageCore::tick(const StagePorts& p) {
  const bool free = !out_valid_ || p.out_ready;  // output register free or being consumed
  emitted_ = next_ < outputs_ && window_complete(next_) && free;
  accepted_ = p.in_valid && in_ready();
  frame_ended_ = received_ == pixels_ && next_ == outputs_ && free;
  // The emit reads the buffer as it was before this edge's write.
  if (emitted_) {
    compute(next_, out_data_);
    out_valid_ = true;
    ++next_;
  } else if (out_valid_ && p.out_ready) {
    out_valid_ = false;
  }
  if (accepted_) {
    const int64_t c = stage_.first.C;
    if (static_cast<int64_t>(p.in_data.size()) != c) {
      throw InputError("fixynn: stage '" + stage_.name + "': in_data has " +
                       std::to_string(p.in_data.size()) + " channels, expected " + std::to_string(c));
    }
    const int64_t row = received_ / stage_.W, col = received_ % stage_.W;
    std::copy_n(p.in_data.begin(), c, buffer_.begin() + ((row % rows_) * stage_.W + col) * c);
    ++received_;
  }
  if (frame_ended_) received_ = next_ = 0;
}

void FixedStageCore::compute(int64_t index, std::vector<int8_t>& out) {
  const FixedStage& s = stage_;
  const FixedConv& f = s.first;
  const int64_t oy = index / s.OW, ox = index % s.OW;
  const int64_t top = oy * s.stride_h - s.pad_top, left = ox * s.stride_w - s.pad_left;
  for (int64_t i = 0; i < f.R; ++i) {
    const int64_t row = top + i * s.dilation;
    for (int64_t j = 0; j < f.S; ++j) {
      const int64_t col = left + j * s.dilation;
      const bool inside = row >= 0 && row < s.H && col >= 0 && col < s.W;
      window_[static_cast<size_t>(i * f.S + j)] =
          inside ? buffer_.data() + ((row % rows_) * s.W + col) * f.C : nullptr;
    }
  }
  std::vector<int8_t>& y = s.fused ? mid_ : out;
  const int32_t zp = f.input_zero_point;
  for (int64_t k = 0; k < f.K; ++k) {
    int32_t acc = f.bias[static_cast<size_t>(k)];
    for (int32_t e = first_taps_.start[k]; e < first_taps_.start[k + 1]; ++e) {
      const int8_t* px = window_[first_taps_.tap[e]];
      if (px) acc += (px[first_taps_.channel[e]] - zp) * first_taps_.weight[e];
    }
    y[static_cast<size_t>(k)] = quant::requantize(acc, first_rq_, k);
  }
  if (!s.fused) return;
  const FixedConv& g = s.second;
  for (int64_t k = 0; k < g.K; ++k) {
    int32_t acc = g.bias[static_cast<size_t>(k)];
    for (int32_t e = second_taps_.start[k]; e < second_taps_.start[k + 1]; ++e) {
      acc += (mid_[second_taps_.channel[e]] - g.input_zero_point) * second_taps_.weight[e];
    }
    out[static_cast<size_t>(k)] = quant::requantize(acc, second_rq_, k);
  }
}

}  // namespace npusim::fixynn
