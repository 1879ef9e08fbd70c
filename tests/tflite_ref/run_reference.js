#!/usr/bin/env node
'use strict';
// Runs TensorFlow Lite's own interpreter (the WebAssembly build shipped in the npm package @tensorflow/tfjs-tflite)
// on .tflite models and records every operator's output tensor, for npusim's bit-exactness tests.
//
//   node run_reference.js --npm-dir DIR --models SRC_DIR --out OUT_DIR [--only NAME ...] [--no-cross-check]
//
// For each SRC_DIR/*.tflite (file name order) it writes OUT_DIR/<model>.input{0,1}.npy (or
// <model>.input{0,1}_<k>.npy for the k-th input of a model with several inputs) and OUT_DIR/<model>.ref.json.
// Called by scripts/tflite-reference; see tests/tflite_ref/README.md for the method and the file format.

const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const fb = require('./tflite_fb.js');
const { npyBytes } = require('./npy.js');
const { splitmix64 } = require('./prng.js');

const PKG = '@tensorflow/tfjs-tflite';
const PKG_VERSION = '0.0.1-alpha.10';
// The plain (no SIMD, no threads) build of the package's interpreter, and its sha256, pinned.
const WASM_JS = 'wasm/tflite_web_api_cc.js';
const WASM_BIN = 'wasm/tflite_web_api_cc.wasm';
const WASM_SHA256 = 'f1eb42f96ae91e5ef34e2f833f011373ca1c40fdc9d4062ec21eb07b886ea54f';

// ---- arguments -------------------------------------------------------------------------------------------------
function parseArgs(argv) {
  const a = { only: [], crossCheck: true };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const val = () => { if (i + 1 >= argv.length) throw new Error(`${k} needs a value`); return argv[++i]; };
    if (k === '--npm-dir') a.npmDir = val();
    else if (k === '--models') a.models = val();
    else if (k === '--out') a.out = val();
    else if (k === '--only') a.only.push(val());
    else if (k === '--no-cross-check') a.crossCheck = false;
    else throw new Error(`unknown argument ${k}`);
  }
  if (!a.npmDir || !a.models || !a.out) throw new Error('usage: run_reference.js --npm-dir DIR --models SRC_DIR --out OUT_DIR');
  return a;
}

// ---- deterministic inputs --------------------------------------------------------------------------------------
// input0: uniform int8 over [-128, 127] from splitmix64: state += 0x9E3779B97F4A7C15, z = mix(state) (the
// published splitmix64 finaliser), value = (z >> 56) - 128. Seed for the k-th model input: 0x6E7075736D + k
// ("npusm" in ASCII). Float32 inputs: (z >> 40) / 2^24 mapped to [-1, 1) times 1.25 * 128 * s, where s is the
// scale of the int8 tensor the float input feeds (the QUANTIZE output), so about 20 % of values saturate.
// input1: a smooth pattern around the tensor's zero point zp, over the flat row-major index i:
//   a(i) = |(3 i) mod 160 - 80| - 40        (triangle wave, period 160/3, amplitude 40)
//   b(i) = |floor(i / 16) mod 48 - 24| - 12  (slow triangle wave, amplitude 12)
//   c    = clamp(zp, -76, 75)                (the zero point, moved inward so that c +- 52 stays in int8)
//   v(i) = c + a(i) + b(i)                   (within [-128, 127], no clipping)
// For the k-th input of a model with several inputs, i is replaced by i + 29 k (k = 0 for single-input models).
// Float32 inputs: v(i) = s * (a(i) + b(i)) / 2 (half-integers in units of s: exercises round-half cases).
const SEED_BASE = 0x6E7075736Dn;
const tri = (i) => Math.abs(((3 * i) % 160) - 80) - 40;
const slow = (i) => Math.abs((Math.floor(i / 16) % 48) - 24) - 12;
const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));

function makeInput(which, k, tensor, floatScale) {
  const n = tensor.shape.reduce((x, y) => x * y, 1);
  const dtype = fb.tensorDtype(tensor);
  const zp = tensor.quantization && tensor.quantization.zero_point && tensor.quantization.zero_point.length
    ? Number(tensor.quantization.zero_point[0]) : 0;
  const out = new Array(n);
  if (which === 0) {
    const next = splitmix64(SEED_BASE + BigInt(k));
    for (let i = 0; i < n; i++) {
      const z = next();
      if (dtype === 'int8') out[i] = Number(z >> 56n) - 128;
      else if (dtype === 'float32') out[i] = Math.fround((Number(z >> 40n) / 2 ** 24 * 2 - 1) * 1.25 * 128 * floatScale);
      else throw new Error(`no input generator for dtype ${dtype}`);
    }
  } else {
    for (let i = 0; i < n; i++) {
      const d = tri(i + 29 * k) + slow(i + 29 * k);
      if (dtype === 'int8') out[i] = clamp(zp, -76, 75) + d;
      else if (dtype === 'float32') out[i] = Math.fround(floatScale * d / 2);
      else throw new Error(`no input generator for dtype ${dtype}`);
    }
  }
  return { dtype, shape: tensor.shape.slice(), values: out };
}

// ---- the interpreter -------------------------------------------------------------------------------------------
async function loadInterpreter(npmDir) {
  const pkgDir = path.resolve(npmDir, 'node_modules', PKG);
  const pj = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  if (pj.version !== PKG_VERSION) throw new Error(`${PKG} in ${npmDir} is ${pj.version}, need ${PKG_VERSION}`);
  const wasm = fs.readFileSync(path.join(pkgDir, WASM_BIN));
  const sha = crypto.createHash('sha256').update(wasm).digest('hex');
  if (sha !== WASM_SHA256) {
    throw new Error(`${WASM_BIN} has sha256 ${sha}, expected ${WASM_SHA256}`);
  }
  const factory = require(path.join(pkgDir, WASM_JS));
  const compiled = await WebAssembly.compile(wasm);
  return { factory, compiled, wasmSha256: sha };
}

// A new instance of the wasm module (own memory, own runtime state) for every interpreter.
async function freshModule(interp) {
  const log = [];
  const M = await interp.factory({
    instantiateWasm: (imports, receive) => {
      const inst = new WebAssembly.Instance(interp.compiled, imports);
      receive(inst);
      return inst.exports;
    },
    print: (s) => log.push(s),
    printErr: (s) => log.push(s),
  });
  return { M, log };
}

// One fresh interpreter, in a fresh instance of the wasm module, per call: feeds the inputs, invokes, returns every subgraph output and the profiler's
// list of executed nodes (builtin op names, or "TfLiteXNNPackDelegate" for a delegated partition).
async function invoke(interp, modelBytes, feeds) {
  const { M, log } = await freshModule(interp);
  const p = M._malloc(modelBytes.length);
  M.HEAPU8.set(modelBytes, p);
  let runner = null;
  try {
    const r = M.TFLiteWebModelRunner.CreateFromBufferAndOptions(p, modelBytes.length,
      { numThreads: 1, enableProfiling: true, maxProfilingBufferEntries: 4096 });
    if (!r.ok()) throw new Error(`interpreter creation failed: ${r.errorMessage()} ${log.join(' | ')}`);
    runner = r.value();
    const ins = runner.GetInputs();
    if (ins.size() !== feeds.length) throw new Error(`model has ${ins.size()} inputs, ${feeds.length} fed`);
    for (let i = 0; i < feeds.length; i++) {
      const t = ins.get(i);
      const d = t.data();
      if (d.length !== feeds[i].values.length) throw new Error(`input ${i}: ${d.length} elements, fed ${feeds[i].values.length}`);
      if (t.dataType !== feeds[i].dtype) throw new Error(`input ${i}: dtype ${t.dataType}, fed ${feeds[i].dtype}`);
      d.set(feeds[i].values);
    }
    if (!runner.Infer()) throw new Error(`invoke failed: ${log.join(' | ')}`);
    const outs = runner.GetOutputs();
    const results = [];
    for (let i = 0; i < outs.size(); i++) {
      const t = outs.get(i);
      const d = t.data();
      results.push({
        id: t.id, name: t.name, dtype: t.dataType,
        shape: t.shape === '' ? [] : t.shape.split(',').map(Number),
        data: d.slice(),  // copy out of the wasm heap
      });
    }
    const prof = runner.GetProfilingResults();
    const nodes = [];
    for (let i = 0; i < prof.size(); i++) nodes.push(prof.get(i).nodeType);
    return { results, nodes, log: log.slice() };
  } finally {
    if (runner) runner.delete();
    M._free(p);
  }
}

// The web runner's profiler sometimes reports no events at all for a model, depending only on where the model's
// bytes and the interpreter's allocations land in the wasm heap (seen with the op models: padding the model's
// description string by a few bytes makes the events appear; the outputs are the same either way). Such a run is
// repeated with the description padded by 4 more bytes, up to 32 times; every attempt must give bit-identical
// outputs, and the first attempt with a profile is returned. Deterministic: each attempt is a fresh wasm instance.
async function invokeProfiled(interp, model, feeds, what) {
  let first = null;
  for (let attempt = 0; attempt < 32; attempt++) {
    const m = attempt === 0 ? model : { ...model, description: `${model.description || ''}${' '.repeat(4 * attempt)}` };
    const res = await invoke(interp, fb.encode(m), feeds);
    if (first === null) first = res;
    const same = res.results.length === first.results.length && res.results.every((r, i) =>
      Buffer.compare(Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength),
        Buffer.from(first.results[i].data.buffer, first.results[i].data.byteOffset, first.results[i].data.byteLength)) === 0);
    if (!same) throw new Error(`${what}: outputs changed between attempts ${0} and ${attempt} (padding the description only)`);
    if (res.nodes.length) return res;
  }
  throw new Error(`${what}: the profiler reported no executed nodes in 32 attempts`);
}

// ---- model edits -----------------------------------------------------------------------------------------------
// (1) every operator output becomes a subgraph output (after the original outputs), so that its value survives
//     the invocation; (2) when `dynamic` is set, a side branch RESHAPE(input 0, shape) with the shape fed as an
//     extra int32 model input: its output is a dynamic-sized tensor, and TFLite refuses to apply a delegate that
//     only supports static-sized tensors (XNNPACK) to a graph with one, so the default XNNPACK delegate is not
//     applied and every operator runs on TFLite's builtin kernels. The branch reads input 0 and feeds nothing.
function editModel(model, { dynamic }) {
  const m = structuredClone(model);
  const sg = m.subgraphs[0];
  const outs = [...sg.outputs];
  for (const op of sg.operators) for (const t of op.outputs) if (t >= 0 && !outs.includes(t)) outs.push(t);
  sg.outputs = outs;
  let dynShapeElems = null;
  if (dynamic) {
    const src = sg.tensors[sg.inputs[0]];
    dynShapeElems = src.shape.reduce((x, y) => x * y, 1);
    const shapeIdx = sg.tensors.length;
    sg.tensors.push({ shape: [1], type: fb.TENSOR_TYPE_IDS.int32, buffer: 0, name: 'npusim_ref/dynamic_shape' });
    const outIdx = sg.tensors.length;
    const t = { shape: [dynShapeElems], type: src.type || 0, buffer: 0, name: 'npusim_ref/dynamic_reshape' };
    if (src.quantization) t.quantization = src.quantization;
    sg.tensors.push(t);
    let oc = m.operator_codes.findIndex((c) => fb.opcodeOf(c) === fb.BUILTIN_OP_IDS.RESHAPE && !c.custom_code);
    if (oc < 0) {
      oc = m.operator_codes.length;
      m.operator_codes.push({ deprecated_builtin_code: fb.BUILTIN_OP_IDS.RESHAPE, version: 1, builtin_code: fb.BUILTIN_OP_IDS.RESHAPE });
    }
    sg.operators.push({ opcode_index: oc, inputs: [sg.inputs[0], shapeIdx], outputs: [outIdx] });
    sg.inputs = [...sg.inputs, shapeIdx];
  }
  return { model: m, dynShapeElems };
}

// ---- recording -------------------------------------------------------------------------------------------------
const sha256 = (typed) => crypto.createHash('sha256')
  .update(Buffer.from(typed.buffer, typed.byteOffset, typed.byteLength)).digest('hex');
const num = (v) => (typeof v === 'bigint' ? Number(v) : v);
function sumOf(typed) {
  let s = 0;
  for (const v of typed) s += num(v);
  return s;
}

function opName(model, op) {
  const code = model.operator_codes[fb.opcodeIndex(op)];
  if (code.custom_code) return `CUSTOM:${code.custom_code}`;
  const id = fb.opcodeOf(code);
  return fb.BUILTIN_OPS[id] || `BUILTIN_${id}`;
}

// ---- JSON with one-line number arrays --------------------------------------------------------------------------
function toJson(v, indent = '') {
  const next = indent + '  ';
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === 'number' || typeof x === 'string')) return `[${v.map((x) => JSON.stringify(x)).join(', ')}]`;
    if (v.length === 0) return '[]';
    return `[\n${v.map((x) => next + toJson(x, next)).join(',\n')}\n${indent}]`;
  }
  if (v && typeof v === 'object') {
    const keys = Object.keys(v);
    if (keys.length === 0) return '{}';
    return `{\n${keys.map((k) => `${next}${JSON.stringify(k)}: ${toJson(v[k], next)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(v);
}

// ---- one model -------------------------------------------------------------------------------------------------
async function processModel(interp, file, outDir, crossCheck) {
  const base = path.basename(file, '.tflite');
  const bytes = fs.readFileSync(file);
  const { model } = fb.decode(bytes);
  if (model.subgraphs.length !== 1) throw new Error(`${base}: ${model.subgraphs.length} subgraphs; only one is supported`);
  const sg = model.subgraphs[0];
  const ops = sg.operators.map((op, i) => ({ index: i, name: opName(model, op), outputs: op.outputs.filter((t) => t >= 0) }));

  // A float32 model input is quantized by the QUANTIZE op that reads it: its generator uses that op's output scale.
  const floatScaleFor = (tIdx) => {
    const q = sg.operators.find((op) => op.inputs.includes(tIdx) && opName(model, op) === 'QUANTIZE');
    if (!q) return 0.05;
    return sg.tensors[q.outputs[0]].quantization.scale[0];
  };

  const builtin = editModel(model, { dynamic: true });
  const xnn = crossCheck ? editModel(model, { dynamic: false }) : null;

  const inputsMeta = [];
  const runs = [];
  const xnnSummary = [];
  for (const which of [0, 1]) {
    const feeds = [];
    const files = [];
    sg.inputs.forEach((tIdx, k) => {
      const t = sg.tensors[tIdx];
      const inp = makeInput(which, k, t, fb.tensorDtype(t) === 'float32' ? floatScaleFor(tIdx) : 0);
      const fname = sg.inputs.length === 1 ? `${base}.input${which}.npy` : `${base}.input${which}_${k}.npy`;
      fs.writeFileSync(path.join(outDir, fname), npyBytes(inp.dtype, inp.shape, inp.values));
      feeds.push(inp);
      files.push(fname);
      inputsMeta.push({ file: fname, tensor: tIdx, name: t.name, shape: inp.shape, dtype: inp.dtype,
        generator: which === 0 ? `uniform: splitmix64, seed 0x6E7075736D + ${k} (tests/tflite_ref/README.md)` : `smooth: clamp(zp, -76, 75) + a(i) + b(i), triangle waves (tests/tflite_ref/README.md)` });
    });

    const dynFeed = { dtype: 'int32', shape: [1], values: [builtin.dynShapeElems] };
    const res = await invokeProfiled(interp, builtin.model, [...feeds, dynFeed], base);

    // Every node the profiler saw must be a builtin operator, in model order, plus the side-branch RESHAPE.
    const expected = [...ops.map((o) => o.name), 'RESHAPE'];
    if (res.nodes.join(',') !== expected.join(',')) {
      throw new Error(`${base}: executed nodes [${res.nodes.join(', ')}] are not the model's builtin operators [${expected.join(', ')}]`);
    }
    const byTensor = new Map();
    builtin.model.subgraphs[0].outputs.forEach((tIdx, i) => {
      const r = res.results[i];
      if (r.name !== sg.tensors[tIdx].name) throw new Error(`${base}: output ${i} is ${r.name}, expected ${sg.tensors[tIdx].name}`);
      byTensor.set(tIdx, r);
    });

    const tensors = [];
    for (const o of ops) {
      for (const tIdx of o.outputs) {
        const r = byTensor.get(tIdx);
        tensors.push({
          operator: o.index, op: o.name, tensor: tIdx, name: r.name, shape: r.shape, dtype: r.dtype,
          sha256: sha256(r.data), head: Array.from(r.data.subarray(0, 16), num), sum: sumOf(r.data),
        });
      }
    }
    const finalOutputs = sg.outputs.map((tIdx) => {
      const r = byTensor.get(tIdx);
      return { tensor: tIdx, name: r.name, shape: r.shape, dtype: r.dtype, values: Array.from(r.data, num) };
    });
    const run = { input: files.length === 1 ? files[0] : files, executed: res.nodes.slice(0, -1), tensors, final_outputs: finalOutputs };

    if (crossCheck) {
      // The same inputs on the same edit without the dynamic side branch: the stock default XNNPACK delegate is
      // applied. Recorded as evidence of what the exclusion changes.
      const xr = await invokeProfiled(interp, xnn.model, feeds, base);
      let differing = 0;
      let maxAbs = 0;
      xnn.model.subgraphs[0].outputs.forEach((tIdx, i) => {
        const a = byTensor.get(tIdx).data;
        const b = xr.results[i].data;
        let diff = false;
        for (let j = 0; j < a.length; j++) {
          const d = Math.abs(num(a[j]) - num(b[j]));
          if (d > 0) { diff = true; if (d > maxAbs) maxAbs = d; }
        }
        if (diff) differing++;
      });
      run.stock_xnnpack_run = {
        executed: xr.nodes,
        tensors_differing: differing,
        of: xnn.model.subgraphs[0].outputs.length,
        max_abs_difference: maxAbs,
      };
      xnnSummary.push(`${differing}/${xnn.model.subgraphs[0].outputs.length} tensors differ (max |d| ${maxAbs}), ${xr.nodes.filter((n) => n === 'TfLiteXNNPackDelegate').length} XNNPACK partitions`);
    }
    runs.push(run);
  }

  const doc = {
    model: path.basename(file),
    model_sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
    interpreter: {
      package: `${PKG}@${PKG_VERSION}`,
      build: `${WASM_BIN} (no SIMD, no threads), sha256 ${interp.wasmSha256}`,
      api: 'TFLiteWebModelRunner (tflite_web_api), numThreads 1, profiling on',
      tflite_version: 'not reported by the package',
    },
    kernels: 'builtin: TFLite BuiltinOpResolver kernels (the optimized builtin variants where TFLite has them, not the kReference ones); the default XNNPACK delegate was excluded by a side-branch RESHAPE with a run-time shape input, whose dynamic-sized output makes TFLite refuse static-only delegates; checked per run: the profiler lists only builtin operator nodes, one per model operator in order, and no TfLiteXNNPackDelegate node',
    edits: 'run on a re-encoded copy: every operator output added to the subgraph outputs; side branch RESHAPE(input 0, npusim_ref/dynamic_shape) -> npusim_ref/dynamic_reshape with the shape fed as an extra int32 input; nothing else changed',
    inputs: inputsMeta,
    runs,
  };
  fs.writeFileSync(path.join(outDir, `${base}.ref.json`), `${toJson(doc)}\n`);
  const nT = runs[0].tensors.length;
  console.log(`${base}: ${ops.length} operators, ${nT} tensors per run${crossCheck ? `; stock XNNPACK run: ${xnnSummary.join('; ')}` : ''}`);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const interp = await loadInterpreter(args.npmDir);
  fs.mkdirSync(args.out, { recursive: true });
  let files = fs.readdirSync(args.models).filter((f) => f.endsWith('.tflite')).sort();
  if (args.only.length) files = files.filter((f) => args.only.includes(path.basename(f, '.tflite')));
  if (!files.length) throw new Error(`no .tflite models in ${args.models}`);
  for (const f of files) await processModel(interp, path.join(args.models, f), args.out, args.crossCheck);
}

main().catch((e) => { console.error(`run_reference: ${e.message}`); process.exit(1); });
