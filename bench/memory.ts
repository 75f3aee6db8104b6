/**
 * Resident-set check: a training loop of many steps must not grow the process's memory. Trains
 * the MNIST CNN of the benchmark (batch 64, Adam) with trainOnBatch and prints the RSS after the
 * warm-up and every 250 steps; the growth from the first sample to the last is the figure.
 *
 *   npx tsx bench/memory.ts [--steps 2000] [--backend native|js]
 */
import * as capa from '../src/index.js';

const argv = process.argv.slice(2);
const opt = (name: string, fallback: string): string => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? (argv[i + 1] ?? fallback) : fallback;
};
const steps = Number(opt('steps', '2000'));
capa.setBackend(opt('backend', 'native') as capa.BackendName);

const { layers, Sequential } = capa;
const model = new Sequential([
  new layers.Conv2D(32, 3, { activation: 'relu', inputShape: [28, 28, 1] }),
  new layers.Conv2D(64, 3, { activation: 'relu' }),
  new layers.MaxPooling2D(2),
  new layers.Flatten(),
  new layers.Dense(128, { activation: 'relu' }),
  new layers.Dense(10, { activation: 'softmax' }),
]);
model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy' });
// A few different batches, as a data pipeline would hand them over.
const batches = [1, 2, 3, 4].map((seed) => ({
  x: capa.randomUniform([64, 28, 28, 1], { seed }),
  y: capa.utils.toCategorical(
    capa.tensor(
      Int32Array.from({ length: 64 }, (_, i) => (i * seed) % 10),
      [64],
    ),
    10,
  ),
}));

const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);
const warmup = 50;
const samples: { step: number; rss: number; heap: number; external: number }[] = [];
const start = performance.now();
for (let step = 1; step <= steps + warmup; step++) {
  const b = batches[step % batches.length] as (typeof batches)[number];
  await model.trainOnBatch(b.x, b.y);
  const n = step - warmup;
  if (n === 0 || (n > 0 && n % 250 === 0)) {
    const m = process.memoryUsage();
    samples.push({ step: n, rss: m.rss, heap: m.heapUsed, external: m.external });
    console.log(
      `step ${String(n).padStart(5)}  rss ${mb(m.rss).padStart(7)} MiB  heap ${mb(m.heapUsed).padStart(6)} MiB  external ${mb(m.external).padStart(7)} MiB`,
    );
  }
}
const first = samples[0] as (typeof samples)[number];
const last = samples[samples.length - 1] as (typeof samples)[number];
const peak = Math.max(...samples.map((s) => s.rss));
console.log(
  `${steps} steps on ${capa.getBackend()} in ${((performance.now() - start) / 1000).toFixed(1)} s: ` +
    `rss ${mb(first.rss)} MiB after warm-up -> ${mb(last.rss)} MiB at the end (${last.rss >= first.rss ? '+' : ''}${mb(last.rss - first.rss)} MiB), peak ${mb(peak)} MiB`,
);
