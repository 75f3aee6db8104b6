/**
 * FarmHash Fingerprint64 (farmhashna::Hash64), the hash behind TensorFlow's
 * `tf.strings.to_hash_bucket_fast`, which Keras's Hashing layer and the lookup layers' extra OOV
 * buckets use: implemented bit for bit so capa's bins equal Keras's. Also SipHash-2-4, TensorFlow's
 * `to_hash_bucket_strong` (Hashing with a salt). 64-bit arithmetic in BigInt, wrapped mod 2^64.
 */

const M = (x: bigint): bigint => BigInt.asUintN(64, x);
const K0 = 0xc3a5c85c97cb3127n;
const K1 = 0xb492b66fbe98f273n;
const K2 = 0x9ae16a3b2f90404fn;

const encoder = new TextEncoder();

function fetch64(s: Uint8Array, i: number): bigint {
  const v = new DataView(s.buffer, s.byteOffset + i, 8);
  return v.getBigUint64(0, true);
}
function fetch32(s: Uint8Array, i: number): bigint {
  const v = new DataView(s.buffer, s.byteOffset + i, 4);
  return BigInt(v.getUint32(0, true));
}
/** Rotate right. */
function rot(v: bigint, shift: bigint): bigint {
  return shift === 0n ? v : M((v >> shift) | (v << (64n - shift)));
}
const shiftMix = (v: bigint): bigint => v ^ (v >> 47n);

function hashLen16(u: bigint, v: bigint, mul: bigint): bigint {
  let a = M((u ^ v) * mul);
  a ^= a >> 47n;
  let b = M((v ^ a) * mul);
  b ^= b >> 47n;
  return M(b * mul);
}

function hashLen0to16(s: Uint8Array): bigint {
  const len = s.length;
  const n = BigInt(len);
  if (len >= 8) {
    const mul = M(K2 + n * 2n);
    const a = M(fetch64(s, 0) + K2);
    const b = fetch64(s, len - 8);
    const c = M(rot(b, 37n) * mul + a);
    const d = M((rot(a, 25n) + b) * mul);
    return hashLen16(c, d, mul);
  }
  if (len >= 4) {
    const mul = M(K2 + n * 2n);
    const a = fetch32(s, 0);
    return hashLen16(M(n + (a << 3n)), fetch32(s, len - 4), mul);
  }
  if (len > 0) {
    const a = BigInt(s[0] as number);
    const b = BigInt(s[len >> 1] as number);
    const c = BigInt(s[len - 1] as number);
    const y = BigInt.asUintN(32, a + (b << 8n));
    const z = BigInt.asUintN(32, n + (c << 2n));
    return M(shiftMix(M(y * K2) ^ M(z * K0)) * K2);
  }
  return K2;
}

function hashLen17to32(s: Uint8Array): bigint {
  const len = s.length;
  const mul = M(K2 + BigInt(len) * 2n);
  const a = M(fetch64(s, 0) * K1);
  const b = fetch64(s, 8);
  const c = M(fetch64(s, len - 8) * mul);
  const d = M(fetch64(s, len - 16) * K2);
  return hashLen16(M(rot(M(a + b), 43n) + rot(c, 30n) + d), M(a + rot(M(b + K2), 18n) + c), mul);
}

function hashLen33to64(s: Uint8Array): bigint {
  const len = s.length;
  const mul = M(K2 + BigInt(len) * 2n);
  const a = M(fetch64(s, 0) * K2);
  const b = fetch64(s, 8);
  const c = M(fetch64(s, len - 8) * mul);
  const d = M(fetch64(s, len - 16) * K2);
  const y = M(rot(M(a + b), 43n) + rot(c, 30n) + d);
  const z = hashLen16(y, M(a + rot(M(b + K2), 18n) + c), mul);
  const e = M(fetch64(s, 16) * mul);
  const f = fetch64(s, 24);
  const g = M((y + fetch64(s, len - 32)) * mul);
  const h = M((z + fetch64(s, len - 24)) * mul);
  return hashLen16(M(rot(M(e + f), 43n) + rot(g, 30n) + h), M(e + rot(M(f + a), 18n) + g), mul);
}

function weakHashLen32WithSeeds(s: Uint8Array, i: number, a0: bigint, b0: bigint): [bigint, bigint] {
  const w = fetch64(s, i);
  const x = fetch64(s, i + 8);
  const y = fetch64(s, i + 16);
  const z = fetch64(s, i + 24);
  let a = M(a0 + w);
  let b = rot(M(b0 + a + z), 21n);
  const c = a;
  a = M(a + x + y);
  b = M(b + rot(a, 44n));
  return [M(a + z), M(b + c)];
}

/** FarmHash Fingerprint64 of the bytes, as an unsigned 64-bit BigInt. */
export function fingerprint64(bytes: Uint8Array): bigint {
  const len = bytes.length;
  if (len <= 16) return hashLen0to16(bytes);
  if (len <= 32) return hashLen17to32(bytes);
  if (len <= 64) return hashLen33to64(bytes);
  const seed = 81n;
  let x = seed;
  let y = M(seed * K1 + 113n);
  let z = M(shiftMix(M(y * K2 + 113n)) * K2);
  let v: [bigint, bigint] = [0n, 0n];
  let w: [bigint, bigint] = [0n, 0n];
  x = M(x * K2 + fetch64(bytes, 0));
  const end = Math.floor((len - 1) / 64) * 64;
  const last64 = end + ((len - 1) & 63) - 63;
  let s = 0;
  do {
    x = M(rot(M(x + y + v[0] + fetch64(bytes, s + 8)), 37n) * K1);
    y = M(rot(M(y + v[1] + fetch64(bytes, s + 48)), 42n) * K1);
    x ^= w[1];
    y = M(y + v[0] + fetch64(bytes, s + 40));
    z = M(rot(M(z + w[0]), 33n) * K1);
    v = weakHashLen32WithSeeds(bytes, s, M(v[1] * K1), M(x + w[0]));
    w = weakHashLen32WithSeeds(bytes, s + 32, M(z + w[1]), M(y + fetch64(bytes, s + 16)));
    [z, x] = [x, z];
    s += 64;
  } while (s !== end);
  const mul = M(K1 + ((z & 0xffn) << 1n));
  s = last64;
  w[0] = M(w[0] + BigInt((len - 1) & 63));
  v[0] = M(v[0] + w[0]);
  w[0] = M(w[0] + v[0]);
  x = M(rot(M(x + y + v[0] + fetch64(bytes, s + 8)), 37n) * mul);
  y = M(rot(M(y + v[1] + fetch64(bytes, s + 48)), 42n) * mul);
  x ^= M(w[1] * 9n);
  y = M(y + v[0] * 9n + fetch64(bytes, s + 40));
  z = M(rot(M(z + w[0]), 33n) * mul);
  v = weakHashLen32WithSeeds(bytes, s, M(v[1] * mul), M(x + w[0]));
  w = weakHashLen32WithSeeds(bytes, s + 32, M(z + w[1]), M(y + fetch64(bytes, s + 16)));
  [z, x] = [x, z];
  return hashLen16(M(hashLen16(v[0], w[0], mul) + shiftMix(y) * K0 + z), M(hashLen16(v[1], w[1], mul) + x), mul);
}

/** SipHash-2-4 keyed by [k0, k1] (TensorFlow's StrongKeyedHash). */
export function sipHash24(key: readonly [bigint, bigint], bytes: Uint8Array): bigint {
  let v0 = 0x736f6d6570736575n ^ key[0];
  let v1 = 0x646f72616e646f6dn ^ key[1];
  let v2 = 0x6c7967656e657261n ^ key[0];
  let v3 = 0x7465646279746573n ^ key[1];
  const round = (): void => {
    v0 = M(v0 + v1);
    v1 = rotl(v1, 13n) ^ v0;
    v0 = rotl(v0, 32n);
    v2 = M(v2 + v3);
    v3 = rotl(v3, 16n) ^ v2;
    v0 = M(v0 + v3);
    v3 = rotl(v3, 21n) ^ v0;
    v2 = M(v2 + v1);
    v1 = rotl(v1, 17n) ^ v2;
    v2 = rotl(v2, 32n);
  };
  const len = bytes.length;
  const whole = len - (len % 8);
  for (let i = 0; i < whole; i += 8) {
    const m = fetch64(bytes, i);
    v3 ^= m;
    round();
    round();
    v0 ^= m;
  }
  let last = BigInt(len & 0xff) << 56n;
  for (let i = 0; i < len % 8; i++) last |= BigInt(bytes[whole + i] as number) << BigInt(8 * i);
  v3 ^= last;
  round();
  round();
  v0 ^= last;
  v2 ^= 0xffn;
  for (let i = 0; i < 4; i++) round();
  return v0 ^ v1 ^ v2 ^ v3;
}
function rotl(v: bigint, shift: bigint): bigint {
  return M((v << shift) | (v >> (64n - shift)));
}

/** `tf.strings.to_hash_bucket_fast`: Fingerprint64 of the UTF-8 bytes, modulo `numBuckets`. */
export function hashBucketFast(value: string, numBuckets: number): number {
  return Number(fingerprint64(encoder.encode(value)) % BigInt(numBuckets));
}

/** `tf.strings.to_hash_bucket_strong`: SipHash-2-4 with the key, modulo `numBuckets`. */
export function hashBucketStrong(value: string, numBuckets: number, key: readonly [bigint, bigint]): number {
  return Number(sipHash24(key, encoder.encode(value)) % BigInt(numBuckets));
}
