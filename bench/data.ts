/**
 * Data pipeline throughput: ImageDataGenerator.flowFromDirectory with rescale + rotation + shift +
 * flip at 224x224 from JPEG files, on the main thread and in worker threads, with and without
 * prefetch; next to a small CNN's training step on the same batches, alone and fed by the
 * pipeline (where prefetching workers let decoding overlap the step).
 *
 *   npx tsx bench/data.ts [--images 256] [--batch 32] [--batches 6]
 *
 * Prints medians; the machine is shared, so compare rows of one run only.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import * as capa from '../src/index.js';

const { ImageDataGenerator } = capa.preprocessing.image;
type Tensor = capa.Tensor;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const IMAGES = arg('images', 256);
const BATCH = arg('batch', 32);
const BATCHES = arg('batches', 6);

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

/** Photo-like JPEGs (smooth colour fields plus noise, 320x240 and 240x320), two classes. */
async function makeDataset(): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'capa-bench-data-'));
  for (let i = 0; i < IMAGES; i++) {
    const [w, h] = i % 3 === 0 ? [240, 320] : [320, 240];
    const raw = new Uint8Array(w * h * 3);
    const phase = i * 0.37;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const o = (y * w + x) * 3;
        raw[o] = 128 + 100 * Math.sin(x / 23 + phase);
        raw[o + 1] = 128 + 100 * Math.cos(y / 17 - phase);
        raw[o + 2] = (x + y + ((i * 7919 + x * 31 + y * 17) % 40)) % 256;
      }
    }
    const dir = join(root, i % 2 === 0 ? 'cats' : 'dogs');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, `${i}.jpg`),
      await sharp(raw, { raw: { width: w, height: h, channels: 3 } })
        .jpeg({ quality: 85 })
        .toBuffer(),
    );
  }
  return root;
}

function generator(): InstanceType<typeof ImageDataGenerator> {
  return new ImageDataGenerator({
    rescale: 1 / 255,
    rotationRange: 20,
    widthShiftRange: 0.1,
    heightShiftRange: 0.1,
    horizontalFlip: true,
  });
}

type Iter = ReturnType<InstanceType<typeof ImageDataGenerator>['flowFromDirectory']>;

function pipeline(root: string, workers: number, prefetch: number, seed: number): Iter {
  return generator().flowFromDirectory(root, {
    targetSize: [224, 224],
    batchSize: BATCH,
    seed,
    workers,
    prefetch,
    verbose: false,
  });
}

/** ms per batch for each of `batches` batches. */
async function timeBatches(it: Iter): Promise<number[]> {
  const times: number[] = [];
  for (let b = 0; b < BATCHES; b++) {
    const t0 = performance.now();
    await it.next();
    times.push(performance.now() - t0);
  }
  return times;
}

function smallCnn(): capa.Sequential {
  const L = capa.layers;
  return new capa.Sequential([
    new L.Conv2D(16, 3, { strides: 2, activation: 'relu', inputShape: [224, 224, 3] }),
    new L.MaxPooling2D(2),
    new L.Conv2D(32, 3, { strides: 2, activation: 'relu' }),
    new L.GlobalAveragePooling2D(),
    new L.Dense(2, { activation: 'softmax' }),
  ]);
}

/** One SGD step (forward, cross-entropy, gradients, update) through layers + autograd. */
function trainStep(model: capa.Sequential, x: Tensor, y: Tensor): void {
  const weights = model.trainableWeights;
  const { grads } = capa.variableGrads(() => {
    const p = capa.ops.clip(model.apply(x, { training: true }), 1e-7, 1 - 1e-7);
    return capa.ops.neg(capa.ops.mean(capa.ops.sum(capa.ops.mul(y, capa.ops.log(p)), -1)));
  }, weights);
  weights.forEach((w, i) => {
    w.assign(capa.ops.sub(w, capa.ops.mul(grads[i] as Tensor, 0.01)));
  });
}

/** ms per training step for `batches` steps, each fed by `it` (or by a fixed batch when `it` is null). */
async function timeSteps(model: capa.Sequential, it: Iter | null, fixed: [Tensor, Tensor]): Promise<number[]> {
  const times: number[] = [];
  for (let b = 0; b < BATCHES; b++) {
    const t0 = performance.now();
    const [x, y] = it === null ? fixed : ((await it.next()) as [Tensor, Tensor]);
    trainStep(model, x, y);
    times.push(performance.now() - t0);
  }
  return times;
}

async function main(): Promise<void> {
  const cores = availableParallelism();
  console.log(
    `capa data bench: ${IMAGES} JPEGs (320x240), batch ${BATCH}, 224x224, rescale + rotation + shift + flip; backend ${capa.getBackend()}, ${cores} cores`,
  );
  const root = await makeDataset();
  try {
    const workers = Math.max(1, Math.min(4, cores - 1));
    const ROUNDS = 3;
    // Configurations are measured in interleaved rounds (the machine is shared and noisy).
    const configs = [
      { label: 'main thread, no prefetch', workers: 0, prefetch: 0 },
      { label: 'main thread, prefetch 2', workers: 0, prefetch: 2 },
      { label: `${workers} worker(s), no prefetch`, workers, prefetch: 0 },
      { label: `${workers} worker(s), prefetch 2`, workers, prefetch: 2 },
    ];
    const iters = configs.map((c, i) => pipeline(root, c.workers, c.prefetch, 10 + i));
    for (const it of iters) await it.next(); // warm-up: worker start, sharp load, JIT
    const samples: number[][] = configs.map(() => []);
    for (let r = 0; r < ROUNDS; r++)
      for (let i = 0; i < configs.length; i++) samples[i]?.push(...(await timeBatches(iters[i] as Iter)));
    const rates = samples.map((t) => (BATCH / median(t)) * 1000);
    console.log(`\npipeline alone (median of ${ROUNDS * BATCHES} batches per row, rounds interleaved)`);
    configs.forEach((c, i) => {
      const ips = rates[i] as number;
      console.log(
        `  ${c.label.padEnd(28)} ${ips.toFixed(1).padStart(7)} images/s  ${((1000 * BATCH) / ips).toFixed(0).padStart(6)} ms/batch  x${(ips / (rates[0] as number)).toFixed(2)}`,
      );
    });

    const model = smallCnn();
    const x = capa.randomUniform([BATCH, 224, 224, 3], { minval: 0, maxval: 1, seed: 3 });
    const y = capa.tensor(
      Array.from({ length: BATCH * 2 }, (_, i) => (i % 2 === Math.floor(i / 2) % 2 ? 1 : 0)),
      [BATCH, 2],
    );
    trainStep(model, x, y);
    const serial = pipeline(root, 0, 0, 21);
    const overlapped = pipeline(root, workers, 2, 22);
    await serial.next();
    await overlapped.next();
    const alone: number[] = [];
    const fedSerial: number[] = [];
    const fedOverlap: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      alone.push(...(await timeSteps(model, null, [x, y])));
      fedSerial.push(...(await timeSteps(model, serial, [x, y])));
      fedOverlap.push(...(await timeSteps(model, overlapped, [x, y])));
    }
    const [a, s1, s2] = [median(alone), median(fedSerial), median(fedOverlap)];
    console.log(`\nsmall CNN (${model.countParams()} params), one SGD step on a batch of ${BATCH} at 224x224 (median ms/step)`);
    console.log(`  step alone (batch already in memory)      ${a.toFixed(0).padStart(6)} ms`);
    console.log(
      `  fed by the pipeline, main thread          ${s1.toFixed(0).padStart(6)} ms  (data adds ${(s1 - a).toFixed(0)} ms)`,
    );
    console.log(
      `  fed by ${workers} worker(s) + prefetch 2          ${s2.toFixed(0).padStart(6)} ms  (data adds ${(s2 - a).toFixed(0)} ms)`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  process.exit(0);
}

void main();
