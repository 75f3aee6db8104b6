/**
 * TensorFlow.js's binary weight format: a manifest (`weightsManifest`: groups of `{paths,
 * weights: [{name, shape, dtype, quantization?}]}`) and shard files holding each group's weights
 * back to back, little-endian, split across shards at arbitrary byte boundaries. Quantized
 * weights (uint8/uint16 affine `v * scale + min`, or float16) are dequantized on load, exactly as
 * tfjs-core's `decodeWeights` does; saving can quantize the same way.
 */
import { SavingError } from '../errors.js';
import { float16BitsToFloat32, float32ToFloat16Bits } from './float16.js';
import { parseShardChecks, readGroupShards, type ShardChecks, type ShardReader, safeShardPath, shardChecksOf } from './shards.js';

export type TfjsDType = 'float32' | 'int32' | 'bool' | 'string' | 'complex64';
export type TfjsQuantizationDType = 'uint8' | 'uint16' | 'float16';

export interface TfjsQuantization {
  dtype: TfjsQuantizationDType;
  scale?: number;
  min?: number;
  original_dtype?: string;
}

export interface TfjsWeightSpec {
  name: string;
  shape: number[];
  dtype: TfjsDType;
  /** 'model' or 'optimizer' (tfjs marks optimizer state this way). */
  group?: string;
  quantization?: TfjsQuantization;
}

export interface TfjsWeightsGroup {
  paths: string[];
  weights: TfjsWeightSpec[];
  /** Written by capa: each shard's size and CRC-32, checked at load (tfjs ignores them). */
  shardBytes?: number[];
  shardCrc32?: number[];
}

/** A weight as capa keeps it: float32 or int32 values, row-major. */
export interface NamedWeight {
  name: string;
  shape: number[];
  data: Float32Array | Int32Array;
  group?: string;
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function bytesPerValue(spec: TfjsWeightSpec, label: string): number {
  if (spec.quantization) {
    const q = spec.quantization.dtype;
    if (q === 'uint8') return 1;
    if (q === 'uint16' || q === 'float16') return 2;
    throw new SavingError(
      label,
      `weight '${spec.name}' has unknown quantization dtype '${String(q)}' (expected uint8, uint16 or float16).`,
    );
  }
  if (spec.dtype === 'float32' || spec.dtype === 'int32') return 4;
  if (spec.dtype === 'bool') return 1;
  throw new SavingError(
    label,
    `weight '${spec.name}' has dtype '${spec.dtype}', which capa cannot load (float32, int32 and bool only).`,
  );
}

function decodeOne(spec: TfjsWeightSpec, bytes: Uint8Array, label: string): Float32Array | Int32Array {
  const size = sizeOf(spec.shape);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const q = spec.quantization;
  if (q) {
    if (q.dtype === 'float16') {
      if (spec.dtype !== 'float32')
        throw new SavingError(label, `weight '${spec.name}': float16 quantization needs dtype float32, not ${spec.dtype}.`);
      const out = new Float32Array(size);
      for (let i = 0; i < size; i++) out[i] = float16BitsToFloat32(view.getUint16(2 * i, true));
      return out;
    }
    if (typeof q.scale !== 'number' || typeof q.min !== 'number') {
      throw new SavingError(label, `weight '${spec.name}' is quantized to ${q.dtype} but its manifest lacks 'scale' and 'min'.`);
    }
    const read = q.dtype === 'uint8' ? (i: number) => view.getUint8(i) : (i: number) => view.getUint16(2 * i, true);
    if (spec.dtype === 'float32') {
      const out = new Float32Array(size);
      for (let i = 0; i < size; i++) out[i] = read(i) * q.scale + q.min;
      return out;
    }
    if (spec.dtype === 'int32') {
      const out = new Int32Array(size);
      for (let i = 0; i < size; i++) out[i] = Math.round(read(i) * q.scale + q.min);
      return out;
    }
    throw new SavingError(label, `weight '${spec.name}': ${q.dtype} quantization of dtype ${spec.dtype} is not supported.`);
  }
  if (spec.dtype === 'float32') {
    const out = new Float32Array(size);
    for (let i = 0; i < size; i++) out[i] = view.getFloat32(4 * i, true);
    return out;
  }
  if (spec.dtype === 'int32') {
    const out = new Int32Array(size);
    for (let i = 0; i < size; i++) out[i] = view.getInt32(4 * i, true);
    return out;
  }
  const out = new Int32Array(size);
  for (let i = 0; i < size; i++) out[i] = view.getUint8(i) ? 1 : 0;
  return out;
}

function checkSpec(spec: unknown, label: string, where: string): asserts spec is TfjsWeightSpec {
  const s = spec as Partial<TfjsWeightSpec> | null;
  if (!s || typeof s !== 'object' || typeof s.name !== 'string')
    throw new SavingError(label, `${where}: a weight entry has no 'name'.`);
  if (!Array.isArray(s.shape) || !s.shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new SavingError(label, `${where}: weight '${s.name}' has an invalid 'shape' ${JSON.stringify(s.shape)}.`);
  }
  if (typeof s.dtype !== 'string') throw new SavingError(label, `${where}: weight '${s.name}' has no 'dtype'.`);
}

/** A manifest group, checked: canonical shard paths, weight specs and their byte lengths. */
interface ParsedGroup {
  where: string;
  paths: string[];
  specs: TfjsWeightSpec[];
  lengths: number[];
  checks: ShardChecks | null;
}

function parseGroup(group: unknown, label: string, where: string): ParsedGroup {
  const g = group as Partial<TfjsWeightsGroup> | null;
  if (!g || typeof g !== 'object' || !Array.isArray(g.paths) || !Array.isArray(g.weights)) {
    throw new SavingError(label, `${where} should have 'paths' and 'weights' lists.`);
  }
  const paths = g.paths.map((path) => {
    if (typeof path !== 'string') throw new SavingError(label, `${where}: a shard path is not a string.`);
    return safeShardPath(path, label);
  });
  const specs: TfjsWeightSpec[] = [];
  const lengths: number[] = [];
  for (const spec of g.weights as unknown[]) {
    checkSpec(spec, label, where);
    specs.push(spec);
    lengths.push(sizeOf(spec.shape) * bytesPerValue(spec, label));
  }
  return { where, paths, specs, lengths, checks: parseShardChecks(g as Record<string, unknown>, paths.length, label, where) };
}

/**
 * Decodes every group of a weights manifest, reading shards through `shards` (paths relative to
 * model.json). Every path, name and size is checked before any shard is read, and no more bytes
 * are read than the weights need. Errors name the weight and the shards when sizes disagree.
 */
export async function decodeWeightsManifest(manifest: unknown, shards: ShardReader, label: string): Promise<NamedWeight[]> {
  if (!Array.isArray(manifest))
    throw new SavingError(label, `'weightsManifest' should be a list of groups, got ${typeof manifest}.`);
  const groups = manifest.map((group, g) => parseGroup(group, label, `weightsManifest[${g}]`));
  const seenPaths = new Set<string>();
  const seenNames = new Set<string>();
  for (const group of groups) {
    for (const path of group.paths) {
      if (seenPaths.has(path))
        throw new SavingError(label, `${group.where} lists shard '${path}' twice; each shard holds its own bytes.`);
      seenPaths.add(path);
    }
    for (const spec of group.specs) {
      if (seenNames.has(spec.name)) throw new SavingError(label, `weight '${spec.name}' appears twice in the manifest.`);
      seenNames.add(spec.name);
    }
  }
  const out: NamedWeight[] = [];
  for (const { where, paths, specs, lengths, checks } of groups) {
    const needed = lengths.reduce((a, b) => a + b, 0);
    const tooShort = (total: number) => {
      let offset = 0;
      let i = 0;
      while (offset + lengths[i]! <= total) offset += lengths[i++]!;
      return new SavingError(
        label,
        `weight '${specs[i]!.name}' needs bytes ${offset}..${offset + lengths[i]!} of ${where}, but its shards (${paths.join(', ')}) hold ${total} bytes; a shard is truncated or missing.`,
      );
    };
    const bytes = await readGroupShards(paths, needed, checks, shards, tooShort, label, where);
    let offset = 0;
    for (const [i, spec] of specs.entries()) {
      const weight: NamedWeight = {
        name: spec.name,
        shape: [...spec.shape],
        data: decodeOne(spec, bytes.subarray(offset, offset + lengths[i]!), label),
      };
      if (spec.group !== undefined) weight.group = spec.group;
      out.push(weight);
      offset += lengths[i]!;
    }
  }
  return out;
}

export interface EncodeOptions {
  /** Quantize float32 weights to this type (tfjs-converter's `--quantize_*`), or store them as is. */
  quantization?: TfjsQuantizationDType | null;
  /** Largest shard, in bytes (tfjs-converter's default is 4 MiB). */
  shardBytes?: number;
  /** A name for this save, put in its shard names (see `encodeWeights`). */
  saveId?: string;
}

export interface EncodedWeights {
  group: TfjsWeightsGroup;
  shards: { path: string; bytes: Uint8Array }[];
}

/** Affine quantization parameters with zero exactly representable, as tfjs-converter nudges them. */
function affineParameters(data: Float32Array, levels: number): { scale: number; min: number } {
  let lo = 0;
  let hi = 0;
  for (const v of data) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (hi === lo) return { scale: 1, min: lo };
  const scale = (hi - lo) / (levels - 1);
  const zeroPoint = Math.round(-lo / scale);
  return { scale, min: -zeroPoint * scale };
}

function encodeOne(weight: NamedWeight, quantization: TfjsQuantizationDType | null): { spec: TfjsWeightSpec; bytes: Uint8Array } {
  const size = weight.data.length;
  const isFloat = weight.data instanceof Float32Array;
  const spec: TfjsWeightSpec = { name: weight.name, shape: [...weight.shape], dtype: isFloat ? 'float32' : 'int32' };
  if (weight.group !== undefined) spec.group = weight.group;
  if (quantization && isFloat) {
    const data = weight.data as Float32Array;
    if (quantization === 'float16') {
      const bytes = new Uint8Array(2 * size);
      const view = new DataView(bytes.buffer);
      for (let i = 0; i < size; i++) view.setUint16(2 * i, float32ToFloat16Bits(data[i]!), true);
      spec.quantization = { dtype: 'float16' };
      return { spec, bytes };
    }
    const levels = quantization === 'uint8' ? 256 : 65536;
    const { scale, min } = affineParameters(data, levels);
    const bytes = new Uint8Array((quantization === 'uint8' ? 1 : 2) * size);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < size; i++) {
      const q = Math.min(levels - 1, Math.max(0, Math.round((data[i]! - min) / scale)));
      if (quantization === 'uint8') view.setUint8(i, q);
      else view.setUint16(2 * i, q, true);
    }
    spec.quantization = { dtype: quantization, scale, min };
    return { spec, bytes };
  }
  const bytes = new Uint8Array(4 * size);
  const view = new DataView(bytes.buffer);
  if (isFloat) for (let i = 0; i < size; i++) view.setFloat32(4 * i, weight.data[i]!, true);
  else for (let i = 0; i < size; i++) view.setInt32(4 * i, weight.data[i]!, true);
  return { spec, bytes };
}

/** The shard file names of one save: `group1-shard{i}of{n}.bin`, or `group1-shard{i}of{n}.{saveId}.bin`. */
export function shardName(index: number, count: number, saveId?: string): string {
  return `group1-shard${index + 1}of${count}${saveId ? `.${saveId}` : ''}.bin`;
}

/**
 * Encodes weights as one manifest group. With a `saveId`, the shard names carry it and the group
 * records each shard's size and CRC-32, so a save never overwrites the shards an older model.json
 * points at and a load can tell when shards do not belong to their model.json.
 */
export function encodeWeights(weights: readonly NamedWeight[], options: EncodeOptions = {}): EncodedWeights {
  const shardBytes = options.shardBytes ?? 4 * 1024 * 1024;
  if (!(Number.isSafeInteger(shardBytes) && shardBytes > 0))
    throw new Error(`encodeWeights: shardBytes must be a positive whole number, got ${shardBytes}.`);
  const encoded = weights.map((w) => encodeOne(w, options.quantization ?? null));
  const all = new Uint8Array(encoded.reduce((n, e) => n + e.bytes.length, 0));
  let at = 0;
  for (const { bytes } of encoded) {
    all.set(bytes, at);
    at += bytes.length;
  }
  const count = Math.max(1, Math.ceil(all.length / shardBytes));
  const shards = Array.from({ length: count }, (_, i) => ({
    path: shardName(i, count, options.saveId),
    bytes: all.subarray(i * shardBytes, Math.min(all.length, (i + 1) * shardBytes)),
  }));
  const group: TfjsWeightsGroup = { paths: shards.map((s) => s.path), weights: encoded.map((e) => e.spec) };
  if (options.saveId) Object.assign(group, shardChecksOf(shards.map((s) => s.bytes)));
  return { group, shards };
}
