'use strict';
// A strict, self-contained reader and writer for TFLite model flatbuffers (the fields the npusim models and the
// single-operator test models use). Written for scripts/tflite-reference: it decodes a .tflite file into plain
// JS objects, lets the caller edit them (extra subgraph outputs, extra tensors and operators) and encodes a new,
// valid flatbuffer. Field ids follow TFLite's published schema (tensorflow/lite/schema/schema.fbs), as the repo's
// subset sim/workload/tflite/tflite_schema.fbs does.
//
// Strictness: a table field that this description does not know makes decode() throw, so nothing in a model can be
// dropped silently by a decode/encode round trip (a field typed 'DROP' would be dropped and reported through
// `decode(...).dropped`; none is at present).

// ---- type description ------------------------------------------------------------------------------------------
// Scalar types: size and DataView accessors.
const SCALARS = {
  bool: 1, byte: 1, ubyte: 1, short: 2, ushort: 2, int: 4, uint: 4, float: 4, long: 8, ulong: 8,
};

const vec = (t) => ({ vec: t });
const tab = (name) => ({ table: name });

// Union BuiltinOptions: union value -> options table name (values from the published schema).
const BUILTIN_OPTIONS = {
  1: 'Conv2DOptions', 2: 'DepthwiseConv2DOptions', 5: 'Pool2DOptions', 8: 'FullyConnectedOptions',
  9: 'SoftmaxOptions', 10: 'ConcatenationOptions', 11: 'AddOptions', 17: 'ReshapeOptions', 21: 'MulOptions',
  22: 'PadOptions', 27: 'ReducerOptions', 28: 'SubOptions', 30: 'SqueezeOptions', 32: 'StridedSliceOptions',
  38: 'DequantizeOptions', 71: 'UnidirectionalSequenceLSTMOptions', 89: 'QuantizeOptions',
};
const BUILTIN_OPTIONS_BY_NAME = Object.fromEntries(Object.entries(BUILTIN_OPTIONS).map(([k, v]) => [v, +k]));

// Tables: field list in id order; null = a field id we refuse (unknown to this description).
// Each field: [name, type, extra]; extra.union names the union whose type field precedes it.
const TABLES = {
  Model: [
    ['version', 'uint'], ['operator_codes', vec(tab('OperatorCode'))], ['subgraphs', vec(tab('SubGraph'))],
    ['description', 'string'], ['buffers', vec(tab('Buffer'))],
    ['metadata_buffer', vec('int')], ['metadata', vec(tab('Metadata'))], ['signature_defs', vec(tab('SignatureDef'))],
  ],
  Metadata: [['name', 'string'], ['buffer', 'uint']],
  SignatureDef: [
    ['inputs', vec(tab('TensorMap'))], ['outputs', vec(tab('TensorMap'))], ['signature_key', 'string'],
    ['deprecated_tag', 'string'], ['subgraph_index', 'uint'],
  ],
  TensorMap: [['name', 'string'], ['tensor_index', 'uint']],
  OperatorCode: [
    ['deprecated_builtin_code', 'byte'], ['custom_code', 'string'], ['version', 'int'], ['builtin_code', 'int'],
  ],
  SubGraph: [
    ['tensors', vec(tab('Tensor'))], ['inputs', vec('int')], ['outputs', vec('int')],
    ['operators', vec(tab('Operator'))], ['name', 'string'],
  ],
  Buffer: [['data', { vec: 'ubyte', align: 16 }], ['offset', 'ulong'], ['size', 'ulong']],
  Tensor: [
    ['shape', vec('int')], ['type', 'byte'], ['buffer', 'uint'], ['name', 'string'],
    ['quantization', tab('QuantizationParameters')], ['is_variable', 'bool'], ['sparsity', null],
    ['shape_signature', vec('int')], ['has_rank', 'bool'],
  ],
  QuantizationParameters: [
    ['min', vec('float')], ['max', vec('float')], ['scale', vec('float')], ['zero_point', vec('long')],
    ['details_type', null], ['details', null], ['quantized_dimension', 'int'],
  ],
  Operator: [
    ['opcode_index', 'uint'], ['inputs', vec('int')], ['outputs', vec('int')],
    ['builtin_options_type', 'ubyte'], ['builtin_options', { union: 'builtin_options_type' }],
    ['custom_options', vec('ubyte')], ['custom_options_format', 'byte'],
    ['mutating_variable_inputs', vec('bool')], ['intermediates', vec('int')],
  ],
  Conv2DOptions: [
    ['padding', 'byte'], ['stride_w', 'int'], ['stride_h', 'int'], ['fused_activation_function', 'byte'],
    ['dilation_w_factor', 'int'], ['dilation_h_factor', 'int'], ['quantized_bias_type', 'byte'],
  ],
  DepthwiseConv2DOptions: [
    ['padding', 'byte'], ['stride_w', 'int'], ['stride_h', 'int'], ['depth_multiplier', 'int'],
    ['fused_activation_function', 'byte'], ['dilation_w_factor', 'int'], ['dilation_h_factor', 'int'],
  ],
  Pool2DOptions: [
    ['padding', 'byte'], ['stride_w', 'int'], ['stride_h', 'int'], ['filter_width', 'int'],
    ['filter_height', 'int'], ['fused_activation_function', 'byte'],
  ],
  FullyConnectedOptions: [
    ['fused_activation_function', 'byte'], ['weights_format', 'byte'], ['keep_num_dims', 'bool'],
    ['asymmetric_quantize_inputs', 'bool'], ['quantized_bias_type', 'byte'],
  ],
  SoftmaxOptions: [['beta', 'float']],
  ConcatenationOptions: [['axis', 'int'], ['fused_activation_function', 'byte']],
  AddOptions: [['fused_activation_function', 'byte'], ['pot_scale_int16', 'bool']],
  SubOptions: [['fused_activation_function', 'byte'], ['pot_scale_int16', 'bool']],
  MulOptions: [['fused_activation_function', 'byte']],
  ReshapeOptions: [['new_shape', vec('int')]],
  PadOptions: [],
  ReducerOptions: [['keep_dims', 'bool']],
  SqueezeOptions: [['squeeze_dims', vec('int')]],
  StridedSliceOptions: [
    ['begin_mask', 'int'], ['end_mask', 'int'], ['ellipsis_mask', 'int'], ['new_axis_mask', 'int'],
    ['shrink_axis_mask', 'int'], ['offset', 'bool'],
  ],
  DequantizeOptions: [],
  QuantizeOptions: [],
  UnidirectionalSequenceLSTMOptions: [
    ['fused_activation_function', 'byte'], ['cell_clip', 'float'], ['proj_clip', 'float'], ['time_major', 'bool'],
    ['asymmetric_quantize_inputs', 'bool'], ['diagonal_recurrent_tensors', 'bool'],
  ],
};

// ---- decoding --------------------------------------------------------------------------------------------------
function readScalar(dv, pos, t) {
  switch (t) {
    case 'bool': return dv.getUint8(pos) !== 0;
    case 'byte': return dv.getInt8(pos);
    case 'ubyte': return dv.getUint8(pos);
    case 'short': return dv.getInt16(pos, true);
    case 'ushort': return dv.getUint16(pos, true);
    case 'int': return dv.getInt32(pos, true);
    case 'uint': return dv.getUint32(pos, true);
    case 'float': return dv.getFloat32(pos, true);
    case 'long': return dv.getBigInt64(pos, true);
    case 'ulong': return dv.getBigUint64(pos, true);
    default: throw new Error(`unknown scalar type ${t}`);
  }
}

function decode(bytes) {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const dropped = new Set();
  const check = (pos, n, what) => {
    if (pos < 0 || pos + n > buf.length) throw new Error(`${what} at ${pos}+${n} is outside the ${buf.length}-byte file`);
  };
  const deref = (pos) => { check(pos, 4, 'offset'); return pos + dv.getUint32(pos, true); };

  function readValue(pos, type, path) {
    if (typeof type === 'string') {
      if (type === 'string') {
        const p = deref(pos); check(p, 4, path);
        const n = dv.getUint32(p, true); check(p + 4, n, path);
        return buf.toString('utf8', p + 4, p + 4 + n);
      }
      check(pos, SCALARS[type], path);
      return readScalar(dv, pos, type);
    }
    if (type.table) return readTable(deref(pos), type.table, path);
    if (type.vec) {
      const p = deref(pos); check(p, 4, path);
      const n = dv.getUint32(p, true);
      const et = type.vec;
      if (et === 'ubyte') { check(p + 4, n, path); return Buffer.from(buf.subarray(p + 4, p + 4 + n)); }
      const out = [];
      for (let i = 0; i < n; i++) {
        const ep = p + 4 + i * (typeof et === 'string' && et !== 'string' ? SCALARS[et] : 4);
        out.push(readValue(ep, et, `${path}[${i}]`));
      }
      return out;
    }
    throw new Error(`bad type at ${path}`);
  }

  function readTable(pos, name, path) {
    const spec = TABLES[name];
    if (!spec) throw new Error(`${path}: table ${name} is not described`);
    check(pos, 4, path);
    const vt = pos - dv.getInt32(pos, true);
    check(vt, 4, `${path} vtable`);
    const vtLen = dv.getUint16(vt, true);
    check(vt, vtLen, `${path} vtable`);
    const nFields = (vtLen - 4) >> 1;
    const obj = {};
    for (let i = 0; i < nFields; i++) {
      const off = dv.getUint16(vt + 4 + 2 * i, true);
      if (off === 0) continue;
      const f = spec[i];
      if (!f || f[1] === null) throw new Error(`${path}: field id ${i} of ${name} is present but not described; refusing to drop it`);
      const [fname, ftype] = f;
      if (ftype === 'DROP') { dropped.add(`${name}.${fname}`); continue; }
      if (ftype.union) {
        const ut = obj[ftype.union];
        const uname = BUILTIN_OPTIONS[ut];
        if (!uname) throw new Error(`${path}: builtin options type ${ut} is not described`);
        obj[fname] = readTable(deref(pos + off), uname, `${path}.${fname}`);
        continue;
      }
      obj[fname] = readValue(pos + off, ftype, `${path}.${fname}`);
    }
    return obj;
  }

  if (buf.length < 8) throw new Error('file too short for a flatbuffer');
  const ident = buf.toString('latin1', 4, 8);
  const model = readTable(deref(0), 'Model', 'Model');
  return { model, identifier: ident, dropped: [...dropped] };
}

// ---- encoding --------------------------------------------------------------------------------------------------
// A front-to-back writer: every table or vector is written before the objects it refers to, so each uoffset
// points forward, as flatbuffers require. Scalars sit at positions aligned to their size; vector bodies at
// max(4, element size, requested alignment); a vtable is written just before its table.
class Writer {
  constructor() { this.buf = Buffer.alloc(1 << 16); this.len = 0; }
  ensure(n) {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length; while (cap < this.len + n) cap *= 2;
    const nb = Buffer.alloc(cap); this.buf.copy(nb, 0, 0, this.len); this.buf = nb;
  }
  pad(align, extra = 0) { while ((this.len + extra) % align !== 0) { this.ensure(1); this.buf[this.len++] = 0; } }
  reserve(n) { this.ensure(n); const p = this.len; this.buf.fill(0, p, p + n); this.len += n; return p; }
  scalar(pos, t, v) {
    const b = this.buf;
    switch (t) {
      case 'bool': b.writeUInt8(v ? 1 : 0, pos); break;
      case 'byte': b.writeInt8(v, pos); break;
      case 'ubyte': b.writeUInt8(v, pos); break;
      case 'short': b.writeInt16LE(v, pos); break;
      case 'ushort': b.writeUInt16LE(v, pos); break;
      case 'int': b.writeInt32LE(v, pos); break;
      case 'uint': b.writeUInt32LE(v, pos); break;
      case 'float': b.writeFloatLE(v, pos); break;
      case 'long': b.writeBigInt64LE(BigInt(v), pos); break;
      case 'ulong': b.writeBigUInt64LE(BigInt(v), pos); break;
      default: throw new Error(`unknown scalar type ${t}`);
    }
  }
  patchOffset(at, target) { this.buf.writeUInt32LE(target - at, at); }
}

function encode(model, identifier = 'TFL3') {
  const w = new Writer();
  const root = w.reserve(4);
  w.ensure(4); w.buf.write(identifier, w.len, 'latin1'); w.len += 4;
  const pos = writeTable(w, model, 'Model');
  w.patchOffset(root, pos);
  return Buffer.from(w.buf.subarray(0, w.len));
}

function writeValueDeferred(w, value, type) {
  // Writes a string, vector or table at the current end; returns its position.
  if (type === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    w.pad(4);
    const p = w.reserve(4 + bytes.length + 1);
    w.buf.writeUInt32LE(bytes.length, p); bytes.copy(w.buf, p + 4);
    return p;
  }
  if (type.table) return writeTable(w, value, type.table);
  if (type.vec) {
    const et = type.vec;
    const n = value.length;
    if (typeof et === 'string' && et !== 'string') {
      const es = SCALARS[et];
      const align = Math.max(4, es, type.align || 1);
      w.pad(align, 4);
      const p = w.reserve(4 + n * es);
      w.buf.writeUInt32LE(n, p);
      if (et === 'ubyte') Buffer.from(value).copy(w.buf, p + 4);
      else for (let i = 0; i < n; i++) w.scalar(p + 4 + i * es, et, value[i]);
      return p;
    }
    w.pad(4);
    const p = w.reserve(4 + 4 * n);
    w.buf.writeUInt32LE(n, p);
    for (let i = 0; i < n; i++) {
      const target = writeValueDeferred(w, value[i], et);
      w.patchOffset(p + 4 + 4 * i, target);
    }
    return p;
  }
  throw new Error('bad type');
}

function writeTable(w, obj, name) {
  const spec = TABLES[name];
  if (!spec) throw new Error(`table ${name} is not described`);
  for (const k of Object.keys(obj)) {
    if (!spec.some((f) => f[0] === k)) throw new Error(`${name}: unknown field ${k}`);
  }
  const present = [];
  spec.forEach((f, id) => {
    if (!f || f[1] === null || f[1] === 'DROP') return;
    if (obj[f[0]] === undefined || obj[f[0]] === null) return;
    present.push({ id, name: f[0], type: f[1] });
  });
  const nIds = present.length ? present[present.length - 1].id + 1 : 0;
  const vtLen = 4 + 2 * nIds;
  // vtable first
  w.pad(2);
  const vt = w.reserve(vtLen);
  // table: soffset then fields, each aligned to its own size
  w.pad(8);  // table start aligned so 8-byte fields can be aligned relative to it and the file
  const tpos = w.reserve(4);
  const slots = [];
  for (const f of present) {
    const isScalar = typeof f.type === 'string' && f.type !== 'string';
    const size = isScalar ? SCALARS[f.type] : 4;
    w.pad(size);
    const p = w.reserve(size);
    slots.push({ ...f, pos: p, isScalar });
  }
  const tEnd = w.len;
  w.buf.writeInt32LE(tpos - vt, tpos);
  w.buf.writeUInt16LE(vtLen, vt);
  w.buf.writeUInt16LE(tEnd - tpos, vt + 2);
  for (const s of slots) w.buf.writeUInt16LE(s.pos - tpos, vt + 4 + 2 * s.id);
  for (const s of slots) {
    if (s.isScalar) { w.scalar(s.pos, s.type, obj[s.name]); continue; }
    let target;
    if (s.type.union) {
      const uname = BUILTIN_OPTIONS[obj[s.type.union]];
      if (!uname) throw new Error(`${name}: union type ${obj[s.type.union]} not described`);
      target = writeTable(w, obj[s.name], uname);
    } else {
      target = writeValueDeferred(w, obj[s.name], s.type);
    }
    w.patchOffset(s.pos, target);
  }
  return tpos;
}

// ---- helpers ---------------------------------------------------------------------------------------------------
const TENSOR_TYPES = { 0: 'float32', 1: 'float16', 2: 'int32', 3: 'uint8', 4: 'int64', 6: 'bool', 7: 'int16', 9: 'int8' };
const TENSOR_TYPE_IDS = Object.fromEntries(Object.entries(TENSOR_TYPES).map(([k, v]) => [v, +k]));

// Builtin operator names, published values (the ones the npusim models and the op tests use, plus neighbours).
const BUILTIN_OPS = {
  0: 'ADD', 1: 'AVERAGE_POOL_2D', 2: 'CONCATENATION', 3: 'CONV_2D', 4: 'DEPTHWISE_CONV_2D', 6: 'DEQUANTIZE',
  9: 'FULLY_CONNECTED', 14: 'LOGISTIC', 17: 'MAX_POOL_2D', 18: 'MUL', 19: 'RELU', 21: 'RELU6', 22: 'RESHAPE',
  25: 'SOFTMAX', 28: 'TANH', 34: 'PAD', 40: 'MEAN', 41: 'SUB', 43: 'SQUEEZE', 44: 'UNIDIRECTIONAL_SEQUENCE_LSTM',
  45: 'STRIDED_SLICE', 114: 'QUANTIZE',
};
const BUILTIN_OP_IDS = Object.fromEntries(Object.entries(BUILTIN_OPS).map(([k, v]) => [v, +k]));

function opcodeOf(code) {
  // builtin_code is authoritative; deprecated_builtin_code holds it for codes below 127 in older files.
  const dep = code.deprecated_builtin_code || 0;
  const b = code.builtin_code || 0;
  return Math.max(dep, b);
}

// Absent scalar fields take the schema defaults (decode() leaves them undefined).
const tensorDtype = (t) => TENSOR_TYPES[t.type || 0];
const opcodeIndex = (op) => op.opcode_index || 0;

module.exports = {
  tensorDtype, opcodeIndex, decode, encode, TENSOR_TYPES, TENSOR_TYPE_IDS, BUILTIN_OPS, BUILTIN_OP_IDS, BUILTIN_OPTIONS_BY_NAME, opcodeOf,
};
