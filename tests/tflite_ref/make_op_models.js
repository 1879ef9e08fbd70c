#!/usr/bin/env node
'use strict';
// Builds the single-operator TFLite test models of tests/data/tflite_ops: one small int8 model per operator (or
// operator variant) that the shipped models do not exercise, with realistic scales and non-zero zero points.
//
//   node make_op_models.js --out DIR
//
// The models are written with tests/tflite_ref/tflite_fb.js (field ids of TFLite's published schema, as in
// sim/workload/tflite/tflite_schema.fbs). Constant weights and biases come from splitmix64 seeded with the FNV-1a
// hash of the model name; the output is byte-for-byte deterministic.

const fs = require('fs');
const path = require('path');
const fb = require('./tflite_fb.js');
const { splitmix64, fnv1a } = require('./prng.js');

// ---- deterministic constants -----------------------------------------------------------------------------------
function rng(name) {
  const next = splitmix64(fnv1a(name));
  // integer uniform in [lo, hi]
  const int = (lo, hi) => lo + Number(next() % BigInt(hi - lo + 1));
  return { next, int };
}

// ---- a tiny model builder --------------------------------------------------------------------------------------
const f32 = Math.fround;
function bytesOf(dtype, values) {
  const A = { int8: Int8Array, int32: Int32Array, float32: Float32Array }[dtype];
  const t = A.from(values);
  return Buffer.from(t.buffer, t.byteOffset, t.byteLength);
}

class ModelBuilder {
  constructor(name) {
    this.name = name;
    this.tensors = [];
    this.buffers = [{}];  // buffer 0: the empty buffer every tensor without data refers to
    this.codes = [];
    this.ops = [];
    this.inputs = [];
    this.outputs = [];
  }
  // q: { scale: number | number[], zp: number | number[], dim?: quantized dimension }
  tensor(name, dtype, shape, q, data) {
    const t = { shape, type: fb.TENSOR_TYPE_IDS[dtype], buffer: 0, name };
    if (data) {
      t.buffer = this.buffers.length;
      this.buffers.push({ data: bytesOf(dtype, data) });
    }
    if (q) {
      const scale = Array.isArray(q.scale) ? q.scale : [q.scale];
      const zp = Array.isArray(q.zp) ? q.zp : new Array(scale.length).fill(q.zp);
      t.quantization = { scale: scale.map(f32), zero_point: zp.map(BigInt) };
      if (q.dim !== undefined) t.quantization.quantized_dimension = q.dim;
    }
    this.tensors.push(t);
    return this.tensors.length - 1;
  }
  op(opName, version, inputs, outputs, optionsName, options) {
    const code = fb.BUILTIN_OP_IDS[opName];
    if (code === undefined) throw new Error(`unknown op ${opName}`);
    let idx = this.codes.findIndex((c) => c.builtin_code === code && c.version === version);
    if (idx < 0) {
      idx = this.codes.length;
      this.codes.push({ deprecated_builtin_code: Math.min(code, 127), version, builtin_code: code });
    }
    const o = { opcode_index: idx, inputs, outputs };
    if (optionsName) {
      o.builtin_options_type = fb.BUILTIN_OPTIONS_BY_NAME[optionsName];
      o.builtin_options = options || {};
    }
    this.ops.push(o);
  }
  encode() {
    return fb.encode({
      version: 3,
      operator_codes: this.codes,
      subgraphs: [{ tensors: this.tensors, inputs: this.inputs, outputs: this.outputs, operators: this.ops, name: 'main' }],
      description: `npusim single-operator test model ${this.name} (tests/tflite_ref/make_op_models.js)`,
      buffers: this.buffers,
    });
  }
}

// Padding and activation enums of the schema.
const SAME = 0;
const VALID = 1;
const NONE = 0;
const RELU6 = 3;

// ---- the models ------------------------------------------------------------------------------------------------
// Each function returns a ModelBuilder. Shapes are NHWC; weights OHWI (conv) and 1HWC (depthwise).
const MODELS = {};

// Elementwise binary ops with two run-time int8 inputs of different quantization.
function binary(name, opName, optionsName, xShape, yShape, qx, qy, qo, outShape) {
  const m = new ModelBuilder(name);
  const x = m.tensor('x', 'int8', xShape, qx);
  const y = m.tensor('y', 'int8', yShape, qy);
  const out = m.tensor('out', 'int8', outShape, qo);
  m.op(opName, 2, [x, y], [out], optionsName, { fused_activation_function: NONE });
  m.inputs = [x, y];
  m.outputs = [out];
  return m;
}
MODELS.sub_int8 = () => binary('sub_int8', 'SUB', 'SubOptions', [1, 4, 4, 8], [1, 4, 4, 8],
  { scale: 0.06, zp: 5 }, { scale: 0.045, zp: -12 }, { scale: 0.1, zp: 2 }, [1, 4, 4, 8]);
MODELS.mul_int8 = () => binary('mul_int8', 'MUL', 'MulOptions', [1, 4, 4, 8], [1, 4, 4, 8],
  { scale: 0.05, zp: -1 }, { scale: 0.07, zp: 4 }, { scale: 0.25, zp: -3 }, [1, 4, 4, 8]);
MODELS.add_broadcast_int8 = () => binary('add_broadcast_int8', 'ADD', 'AddOptions', [1, 4, 4, 8], [1, 1, 1, 8],
  { scale: 0.05, zp: -3 }, { scale: 0.08, zp: 10 }, { scale: 0.09, zp: -6 }, [1, 4, 4, 8]);

// Unary int8 -> int8 elementwise ops on 512 elements (the uniform input covers every int8 value).
function unary(name, opName, version, qx, qo, optionsName) {
  const m = new ModelBuilder(name);
  const x = m.tensor('x', 'int8', [1, 16, 16, 2], qx);
  const out = m.tensor('out', 'int8', [1, 16, 16, 2], qo);
  m.op(opName, version, [x], [out], optionsName, optionsName ? {} : undefined);
  m.inputs = [x];
  m.outputs = [out];
  return m;
}
// LOGISTIC and TANH int8 outputs have fixed quantization in TFLite: 1/256 zp -128 and 1/128 zp 0.
MODELS.logistic_int8 = () => unary('logistic_int8', 'LOGISTIC', 2, { scale: 0.0625, zp: 3 }, { scale: 1 / 256, zp: -128 });
MODELS.tanh_int8 = () => unary('tanh_int8', 'TANH', 2, { scale: 0.03, zp: -2 }, { scale: 1 / 128, zp: 0 });
MODELS.relu_int8 = () => unary('relu_int8', 'RELU', 2, { scale: 0.04, zp: 10 }, { scale: 0.025, zp: -128 });
MODELS.relu6_int8 = () => unary('relu6_int8', 'RELU6', 2, { scale: 0.05, zp: 0 }, { scale: 6 / 255, zp: -128 });
MODELS.quantize_int8_int8 = () => unary('quantize_int8_int8', 'QUANTIZE', 2, { scale: 0.05, zp: 3 }, { scale: 0.03, zp: -20 });

MODELS.quantize_float32_int8 = () => {
  const m = new ModelBuilder('quantize_float32_int8');
  const x = m.tensor('x', 'float32', [1, 16, 16, 2]);
  const out = m.tensor('out', 'int8', [1, 16, 16, 2], { scale: 0.0392, zp: -5 });
  m.op('QUANTIZE', 2, [x], [out]);
  m.inputs = [x];
  m.outputs = [out];
  return m;
};

MODELS.dequantize_int8_float32 = () => {
  const m = new ModelBuilder('dequantize_int8_float32');
  const x = m.tensor('x', 'int8', [1, 16, 16, 2], { scale: 0.0471, zp: 7 });
  const out = m.tensor('out', 'float32', [1, 16, 16, 2]);
  m.op('DEQUANTIZE', 2, [x], [out]);
  m.inputs = [x];
  m.outputs = [out];
  return m;
};

function pool(name, opName, inShape, outShape, filter, stride, padding, q) {
  const m = new ModelBuilder(name);
  const x = m.tensor('x', 'int8', inShape, q);
  const out = m.tensor('out', 'int8', outShape, q);
  m.op(opName, 2, [x], [out], 'Pool2DOptions', {
    padding, stride_w: stride, stride_h: stride, filter_width: filter, filter_height: filter, fused_activation_function: NONE,
  });
  m.inputs = [x];
  m.outputs = [out];
  return m;
}
// 8x8, 3x3 window, stride 2, SAME: total padding 1, all of it after (last row and column windows are cut).
MODELS.max_pool_2d_same = () => pool('max_pool_2d_same', 'MAX_POOL_2D', [1, 8, 8, 8], [1, 4, 4, 8], 3, 2, SAME, { scale: 0.05, zp: -7 });
// 7x7, 3x3 window, stride 2, SAME: one padding row/column each side; edge windows average 2x2, 2x3 or 3x2 values.
MODELS.average_pool_2d_same = () => pool('average_pool_2d_same', 'AVERAGE_POOL_2D', [1, 7, 7, 8], [1, 4, 4, 8], 3, 2, SAME, { scale: 0.04, zp: 9 });

MODELS.mean_hw_keepdims = () => {
  const m = new ModelBuilder('mean_hw_keepdims');
  const x = m.tensor('x', 'int8', [1, 6, 6, 8], { scale: 0.05, zp: -10 });
  const axes = m.tensor('axes', 'int32', [2], null, [1, 2]);
  const out = m.tensor('out', 'int8', [1, 1, 1, 8], { scale: 0.03, zp: 5 });
  m.op('MEAN', 2, [x, axes], [out], 'ReducerOptions', { keep_dims: true });
  m.inputs = [x];
  m.outputs = [out];
  return m;
};

MODELS.pad_int8 = () => {
  const m = new ModelBuilder('pad_int8');
  const q = { scale: 0.05, zp: 17 };  // padding takes the zero point's value
  const x = m.tensor('x', 'int8', [1, 5, 5, 3], q);
  const pads = m.tensor('paddings', 'int32', [4, 2], null, [0, 0, 1, 2, 2, 1, 0, 0]);
  const out = m.tensor('out', 'int8', [1, 8, 8, 3], q);
  m.op('PAD', 2, [x, pads], [out], 'PadOptions', {});
  m.inputs = [x];
  m.outputs = [out];
  return m;
};

MODELS.squeeze_int8 = () => {
  const m = new ModelBuilder('squeeze_int8');
  const q = { scale: 0.07, zp: -4 };
  const x = m.tensor('x', 'int8', [1, 1, 1, 10], q);
  const out = m.tensor('out', 'int8', [1, 10], q);
  m.op('SQUEEZE', 1, [x], [out], 'SqueezeOptions', { squeeze_dims: [1, 2] });
  m.inputs = [x];
  m.outputs = [out];
  return m;
};

MODELS.concatenation_channels = () => {
  const m = new ModelBuilder('concatenation_channels');
  // TFLite's int8 CONCATENATION requires every input to share the output's scale and zero point.
  const q = { scale: 0.05, zp: -4 };
  const x = m.tensor('x', 'int8', [1, 4, 4, 3], q);
  const y = m.tensor('y', 'int8', [1, 4, 4, 5], q);
  const out = m.tensor('out', 'int8', [1, 4, 4, 8], q);
  m.op('CONCATENATION', 2, [x, y], [out], 'ConcatenationOptions', { axis: 3, fused_activation_function: NONE });
  m.inputs = [x, y];
  m.outputs = [out];
  return m;
};

MODELS.strided_slice_int8 = () => {
  const m = new ModelBuilder('strided_slice_int8');
  const q = { scale: 0.05, zp: 6 };
  const x = m.tensor('x', 'int8', [1, 8, 8, 6], q);
  const begin = m.tensor('begin', 'int32', [4], null, [0, 1, 0, 1]);
  const end = m.tensor('end', 'int32', [4], null, [1, 7, 8, 5]);
  const strides = m.tensor('strides', 'int32', [4], null, [1, 2, 3, 1]);
  const out = m.tensor('out', 'int8', [1, 3, 3, 4], q);
  m.op('STRIDED_SLICE', 2, [x, begin, end, strides], [out], 'StridedSliceOptions', {
    begin_mask: 0, end_mask: 0, ellipsis_mask: 0, new_axis_mask: 0, shrink_axis_mask: 0,
  });
  m.inputs = [x];
  m.outputs = [out];
  return m;
};

// Per-channel int8 weights (symmetric, zero point 0) and int32 biases at scale input_scale * weight_scale[c].
function perChannelWeights(r, channels, perChannelCount, scaleLo, scaleHi) {
  const scales = [];
  for (let c = 0; c < channels; c++) scales.push(f32(scaleLo + (scaleHi - scaleLo) * r.int(0, 1000) / 1000));
  const w = [];
  for (let i = 0; i < channels * perChannelCount; i++) w.push(r.int(-127, 127));
  return { scales, w };
}

MODELS.conv_2d_dilation2_relu6 = () => {
  const name = 'conv_2d_dilation2_relu6';
  const r = rng(name);
  const m = new ModelBuilder(name);
  const inScale = 0.03;
  const x = m.tensor('x', 'int8', [1, 9, 9, 4], { scale: inScale, zp: -6 });
  const cout = 6;
  const { scales, w } = perChannelWeights(r, cout, 3 * 3 * 4, 0.004, 0.02);
  // weights are OHWI: w[o][h][w][i], channel o's 36 values contiguous, so channel-major generation fits
  const wt = m.tensor('w', 'int8', [cout, 3, 3, 4], { scale: scales, zp: 0, dim: 0 }, w);
  const bias = [];
  for (let c = 0; c < cout; c++) bias.push(r.int(-3000, 3000));
  const bt = m.tensor('b', 'int32', [cout], { scale: scales.map((s) => f32(inScale) * s), zp: 0, dim: 0 }, bias);
  const out = m.tensor('out', 'int8', [1, 9, 9, cout], { scale: 0.03, zp: -128 });
  m.op('CONV_2D', 3, [x, wt, bt], [out], 'Conv2DOptions', {
    padding: SAME, stride_w: 1, stride_h: 1, fused_activation_function: RELU6, dilation_w_factor: 2, dilation_h_factor: 2,
  });
  m.inputs = [x];
  m.outputs = [out];
  return m;
};

MODELS.depthwise_conv_2d_dm2 = () => {
  const name = 'depthwise_conv_2d_dm2';
  const r = rng(name);
  const m = new ModelBuilder(name);
  const inScale = 0.04;
  const cin = 4;
  const dm = 2;
  const cout = cin * dm;
  const x = m.tensor('x', 'int8', [1, 8, 8, cin], { scale: inScale, zp: 11 });
  // depthwise weights are 1HWC with C = cin * depth_multiplier, quantized along dimension 3
  const scales = [];
  for (let c = 0; c < cout; c++) scales.push(f32(0.005 + 0.02 * r.int(0, 1000) / 1000));
  const w = [];
  for (let i = 0; i < 3 * 3 * cout; i++) w.push(r.int(-127, 127));
  const wt = m.tensor('w', 'int8', [1, 3, 3, cout], { scale: scales, zp: 0, dim: 3 }, w);
  const bias = [];
  for (let c = 0; c < cout; c++) bias.push(r.int(-2000, 2000));
  const bt = m.tensor('b', 'int32', [cout], { scale: scales.map((s) => f32(inScale) * s), zp: 0, dim: 0 }, bias);
  const out = m.tensor('out', 'int8', [1, 4, 4, cout], { scale: 0.05, zp: -9 });
  m.op('DEPTHWISE_CONV_2D', 3, [x, wt, bt], [out], 'DepthwiseConv2DOptions', {
    padding: SAME, stride_w: 2, stride_h: 2, depth_multiplier: dm, fused_activation_function: NONE,
    dilation_w_factor: 1, dilation_h_factor: 1,
  });
  m.inputs = [x];
  m.outputs = [out];
  return m;
};

function main() {
  const argv = process.argv.slice(2);
  const i = argv.indexOf('--out');
  if (i < 0 || i + 1 >= argv.length) { console.error('usage: make_op_models.js --out DIR'); process.exit(2); }
  const out = argv[i + 1];
  fs.mkdirSync(out, { recursive: true });
  for (const [name, make] of Object.entries(MODELS)) {
    const bytes = make().encode();
    // decode again: the strict reader must accept what was written
    fb.decode(bytes);
    fs.writeFileSync(path.join(out, `${name}.tflite`), bytes);
  }
  console.log(`make_op_models: ${Object.keys(MODELS).length} models in ${out}`);
}

main();
