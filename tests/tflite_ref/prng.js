'use strict';
// splitmix64 (Steele, Lea, Flood 2014; the published constants) and 32-bit FNV-1a: the deterministic generators of
// the reference inputs (run_reference.js) and of the op models' constants (make_op_models.js).
const MASK64 = (1n << 64n) - 1n;

// Returns next(): the next 64-bit output as a BigInt.
function splitmix64(seed) {
  let state = BigInt.asUintN(64, BigInt(seed));
  return () => {
    state = (state + 0x9E3779B97F4A7C15n) & MASK64;
    let z = state;
    z = ((z ^ (z >> 30n)) * 0xBF58476D1CE4E5B9n) & MASK64;
    z = ((z ^ (z >> 27n)) * 0x94D049BB133111EBn) & MASK64;
    return z ^ (z >> 31n);
  };
}

function fnv1a(s) {
  let h = 0x811C9DC5;
  for (const c of Buffer.from(s, 'utf8')) { h ^= c; h = Math.imul(h, 0x01000193) >>> 0; }
  return h;
}

module.exports = { splitmix64, fnv1a };
