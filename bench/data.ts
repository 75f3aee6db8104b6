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

async function pipelineRate(
  root: string,
  workers: number,
  prefetch: number,
): Promise<{ imagesPerSecond: number; msPerBatch: number }> {
  const it = generator().flowFromDirectory(root, {
    targetSize: [224, 224],
    batchSize: BATCH,
    seed: 1,
    workers,
    prefetch,
    verbose: false,
  });
  await it.next(); // warm-up: worker start, sharp load
  const times: number[] = [];
  for (let b = 0; b < BATCHES; b++) {
    const t0 = performance.now();
    await it.next();
    times.push(performance.now() - t0);
  }
  const ms = median(times);
  return { imagesPerSecond: (BATCH / ms) * 1000, msPerBatch: ms };
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

async function trainingRate(root: string, workers: number, prefetch: number, model: capa.Sequential): Promise<number> {
  const it = generator().flowFromDirectory(root, {
    targetSize: [224, 224],
    batchSize: BATCH,
    seed: 2,
    workers,
    prefetch,
    verbose: false,
  });
  const [x0, y0] = (await it.next()) as [Tensor, Tensor];
  trainStep(model, x0, y0);
  const times: number[] = [];
  for (let b = 0; b < BATCHES; b++) {
    const t0 = performance.now();
    const [x, y] = (await it.next()) as [Tensor, Tensor];
    trainStep(model, x, y);
    times.push(performance.now() - t0);
  }
  return median(times);
}

async function main(): Promise<void> {
  const cores = availableParallelism();
  console.log(
    `capa data bench: ${IMAGES} JPEGs (320x240), batch ${BATCH}, 224x224, rescale + rotation + shift + flip; backend ${capa.getBackend()}, ${cores} cores`,
  );
  const root = await makeDataset();
  try {
    const workers = Math.max(1, Math.min(4, cores - 1));
    const rows: [string, number, number][] = [];
    for (const [label, w, p] of [
      ['main thread, no prefetch', 0, 0],
      ['main thread, prefetch 2', 0, 2],
      [`${workers} worker(s), no prefetch`, workers, 0],
      [`${workers} worker(s), prefetch 2`, workers, 2],
    ] as const) {
      const r = await pipelineRate(root, w, p);
      rows.push([label, r.imagesPerSecond, r.msPerBatch]);
    }
    const base = rows[0]?.[1] ?? 1;
    console.log('\npipeline alone (median over batches)');
    for (const [label, ips, ms] of rows)
      console.log(
        `  ${label.padEnd(28)} ${ips.toFixed(1).padStart(7)} images/s  ${ms.toFixed(0).padStart(6)} ms/batch  x${(ips / base).toFixed(2)}`,
      );

    const model = smallCnn();
    const x = capa.randomUniform([BATCH, 224, 224, 3], { minval: 0, maxval: 1, seed: 3 });
    const y = capa.tensor(
      Array.from({ length: BATCH * 2 }, (_, i) => (i % 2 === Math.floor(i / 2) % 2 ? 1 : 0)),
      [BATCH, 2],
    );
    trainStep(model, x, y);
    const stepTimes: number[] = [];
    for (let i = 0; i < BATCHES; i++) {
      const t0 = performance.now();
      trainStep(model, x, y);
      stepTimes.push(performance.now() - t0);
    }
    const step = median(stepTimes);
    console.log(`\nsmall CNN training step alone (${model.countParams()} params): ${step.toFixed(0)} ms/step`);
    console.log('training step fed by the pipeline (ms/step, lower is better)');
    const fedSerial = await trainingRate(root, 0, 0, model);
    const fedOverlap = await trainingRate(root, workers, 2, model);
    console.log(`  main thread, no prefetch      ${fedSerial.toFixed(0).padStart(6)} ms/step`);
    console.log(
      `  ${`${workers} worker(s), prefetch 2`.padEnd(28)} ${fedOverlap.toFixed(0).padStart(6)} ms/step  x${(fedSerial / fedOverlap).toFixed(2)} faster`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  process.exit(0);
}

void main();
