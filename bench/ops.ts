/**
 * capa's TypeScript backend next to TensorFlow.js's `cpu` backend on the same shapes, in one run:
 * conv2d forward (8x56x56x64 input, 3x3 kernel, 64 filters, 'same') and a 512x512x512 matmul.
 * Prints the median time over repeats, GFLOP/s, and the speed ratio (tfjs time / capa time).
 *
 *   npx tsx bench/ops.ts [--repeats N]
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as capa from '../src/index.js';

const repeatsArg = process.argv.indexOf('--repeats');
const REPEATS = repeatsArg > 0 ? Number(process.argv[repeatsArg + 1]) : 7;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Median milliseconds of `run` over REPEATS timed calls after one warm-up call. */
function time(run: () => void): number {
  run();
  const ms: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const t0 = performance.now();
    run();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

interface Row {
  name: string;
  flops: number;
  capaMs: number;
  tfjsMs: number;
}

function report(rows: Row[]): void {
  const gf = (flops: number, ms: number) => (flops / (ms * 1e6)).toFixed(2);
  console.log(`median of ${REPEATS} runs (after 1 warm-up), single thread, node ${process.version}`);
  console.log('benchmark                          capa-js ms  GFLOP/s   tfjs-cpu ms  GFLOP/s   speedup (tfjs/capa)');
  for (const r of rows) {
    console.log(
      `${r.name.padEnd(34)} ${r.capaMs.toFixed(1).padStart(10)} ${gf(r.flops, r.capaMs).padStart(8)} ` +
        `${r.tfjsMs.toFixed(1).padStart(13)} ${gf(r.flops, r.tfjsMs).padStart(8)}   ${(r.tfjsMs / r.capaMs).toFixed(2)}x`,
    );
  }
}

function conv2dBench(): Row {
  const [n, h, w, c, k, f] = [8, 56, 56, 64, 3, 64];
  const x = capa.randomNormal([n, h, w, c], { seed: 1 });
  const kernel = capa.randomNormal([k, k, c, f], { seed: 2 });
  const capaMs = time(() => {
    capa.ops.conv2d(x, kernel, { padding: 'same' });
  });
  const tx = tf.tensor4d(x.dataSync() as Float32Array, [n, h, w, c]);
  const tk = tf.tensor4d(kernel.dataSync() as Float32Array, [k, k, c, f]);
  // same numbers from both libraries (checked once, outside the timing)
  const ours = capa.ops.conv2d(x, kernel, { padding: 'same' }).dataSync();
  const theirs = tf.tidy(() => tf.conv2d(tx, tk, 1, 'same').dataSync());
  let worst = 0;
  for (let i = 0; i < ours.length; i += 97) worst = Math.max(worst, Math.abs((ours[i] as number) - (theirs[i] as number)));
  if (worst > 1e-2) throw new Error(`conv2d results differ from tfjs by ${worst}`);
  const tfjsMs = time(() => {
    tf.tidy(() => tf.conv2d(tx, tk, 1, 'same').dataSync());
  });
  return { name: 'conv2d 8x56x56x64 k3x3x64 same', flops: 2 * n * h * w * f * k * k * c, capaMs, tfjsMs };
}

function matmulBench(): Row {
  const s = 512;
  const a = capa.randomNormal([s, s], { seed: 3 });
  const b = capa.randomNormal([s, s], { seed: 4 });
  const capaMs = time(() => {
    capa.ops.matmul(a, b);
  });
  const ta = tf.tensor2d(a.dataSync() as Float32Array, [s, s]);
  const tb = tf.tensor2d(b.dataSync() as Float32Array, [s, s]);
  const tfjsMs = time(() => {
    tf.tidy(() => tf.matMul(ta, tb).dataSync());
  });
  return { name: 'matmul 512x512x512', flops: 2 * s * s * s, capaMs, tfjsMs };
}

async function main(): Promise<void> {
  capa.setBackend('js');
  // production mode: tfjs skips its debug checks (and its console banner), as deployed code would
  tf.enableProdMode();
  await tf.setBackend('cpu');
  report([conv2dBench(), matmulBench()]);
}

await main();
