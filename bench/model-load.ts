/**
 * Model-file reading speed, to keep the defences against hostile files (bounded inflating, weights
 * checked against the file before the model is built) from slowing honest loads: a deflated
 * entry read by the bounded inflater next to fflate fed 1 MiB at a time with a preallocated
 * output (the reader before the bound), and whole-model loads from .keras (stored, as Keras
 * writes it, and deflated) and legacy .h5.
 *
 *   npx tsx bench/model-load.ts [--mib 48] [--units 1024] [--reps 5]
 *
 * Prints medians; the machine is shared, so compare rows of one run only.
 */
import { performance } from 'node:perf_hooks';
import { Inflate, unzipSync, zipSync } from 'fflate';
import * as capa from '../src/index.js';
import { loadModelFromBytes, saveModelToBytes } from '../src/saving/api.js';
import { inflateBounded } from '../src/saving/zip/bounded-inflate.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const MIB = arg('mib', 48);
const UNITS = arg('units', 1024);
const REPS = arg('reps', 5);

async function median(run: () => unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

/** A raw DEFLATE stream (level 1) of weight-like bytes: 6 random bits per byte, ratio about 1.3. */
function weightLikeStream(bytes: number): Uint8Array {
  const data = new Uint8Array(bytes);
  let state = 7;
  for (let i = 0; i < bytes; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    data[i] = (state >>> 24) & 0x3f;
  }
  const zip = zipSync({ w: [data, { level: 1 }] });
  const nameLength = new DataView(zip.buffer, zip.byteOffset).getUint16(26, true);
  const compressed = new DataView(zip.buffer, zip.byteOffset).getUint32(18, true);
  return zip.subarray(30 + nameLength, 30 + nameLength + compressed);
}

function plainInflate(packed: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let written = 0;
  const inflater = new Inflate((chunk) => {
    out.set(chunk, written);
    written += chunk.length;
  });
  const step = 1 << 20;
  for (let at = 0; at < packed.length; at += step) inflater.push(packed.subarray(at, at + step), at + step >= packed.length);
  return out;
}

const size = MIB << 20;
const packed = weightLikeStream(size);
const rows: [string, number][] = [];
rows.push([`inflate ${MIB} MiB, fflate 1 MiB pushes`, await median(() => plainInflate(packed, size))]);
rows.push([`inflate ${MIB} MiB, bounded`, await median(() => inflateBounded(packed, { maxBytes: size, maxRatio: 100 }))]);

const model = new capa.Sequential([
  new capa.layers.Dense(UNITS, { inputShape: [UNITS], activation: 'relu' }),
  new capa.layers.Dense(UNITS, { activation: 'relu' }),
  new capa.layers.Dense(10),
]);
const keras = await saveModelToBytes(model, 'keras');
const deflated = zipSync(
  Object.fromEntries(Object.entries(unzipSync(keras)).map(([name, bytes]) => [name, [bytes, { level: 1 }]])),
);
const h5 = await saveModelToBytes(model, 'h5');
const params = model.countParams();
rows.push([`load .keras stored, ${params} params`, await median(() => loadModelFromBytes(keras))]);
rows.push([`load .keras deflated, ${params} params`, await median(() => loadModelFromBytes(deflated))]);
rows.push([`load .h5, ${params} params`, await median(() => loadModelFromBytes(h5))]);

for (const [name, ms] of rows) console.log(`${name.padEnd(44)} ${ms.toFixed(0).padStart(6)} ms`);
