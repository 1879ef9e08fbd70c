'use strict';
// Minimal .npy (format 1.0) writer and reader for the dtypes the reference data uses.

const DESCR = { int8: '|i1', uint8: '|u1', int16: '<i2', int32: '<i4', float32: '<f4' };
const ARRAYS = { int8: Int8Array, uint8: Uint8Array, int16: Int16Array, int32: Int32Array, float32: Float32Array };

function npyBytes(dtype, shape, values) {
  const descr = DESCR[dtype];
  if (!descr) throw new Error(`npy: unsupported dtype ${dtype}`);
  const shapeStr = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeStr}, }`;
  // magic (6) + version (2) + header length (2) + header + '\n' is a multiple of 64, as numpy writes it
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 10 - 1, ' ') + '\n';
  const typed = ARRAYS[dtype].from(values);
  const out = Buffer.alloc(10 + header.length + typed.byteLength);
  out.write('\x93NUMPY', 0, 'latin1');
  out[6] = 1; out[7] = 0;
  out.writeUInt16LE(header.length, 8);
  out.write(header, 10, 'latin1');
  Buffer.from(typed.buffer, typed.byteOffset, typed.byteLength).copy(out, 10 + header.length);
  return out;
}

function readNpy(buf) {
  if (buf.toString('latin1', 0, 6) !== '\x93NUMPY') throw new Error('npy: bad magic');
  const hlen = buf[6] === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const hstart = buf[6] === 1 ? 10 : 12;
  const header = buf.toString('latin1', hstart, hstart + hlen);
  const descr = /'descr':\s*'([^']+)'/.exec(header)[1];
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header)[1].split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const dtype = Object.keys(DESCR).find((k) => DESCR[k] === descr);
  if (!dtype) throw new Error(`npy: unsupported descr ${descr}`);
  const body = buf.subarray(hstart + hlen);
  const copy = Buffer.from(body);
  const values = new ARRAYS[dtype](copy.buffer, copy.byteOffset, copy.byteLength / ARRAYS[dtype].BYTES_PER_ELEMENT);
  return { dtype, shape, values };
}

module.exports = { npyBytes, readNpy, ARRAYS };
