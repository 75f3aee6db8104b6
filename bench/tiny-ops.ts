/**
 * Per-op overhead on tiny tensors: the engine's share of an op (allocation, argument checks,
 * tensor construction) dominates at these sizes, so this is where a change to the engine shows.
 * Usage: npx tsx bench/tiny-ops.ts [js|native] [rounds]
 */
import * as capa from '../src/index.js';

const backendName = process.argv[2] ?? 'native';
const rounds = Number(process.argv[3] ?? 7);
capa.setBackend(backendName as 'js' | 'native');

const a = capa.randomNormal([4, 4], { seed: 1 });
const b = capa.randomNormal([4], { seed: 2 });
const m = capa.randomNormal([8, 8], { seed: 3 });
const x = capa.randomNormal([1, 6, 6, 2], { seed: 4 });
const k = capa.randomNormal([3, 3, 2, 4], { seed: 5 });

const workloads: Record<string, () => void> = {
  'add [4,4]+[4]': () => capa.ops.add(a, b),
  'matmul 8x8': () => capa.ops.matmul(m, m),
  'sum [4,4] axis 1': () => capa.ops.sum(a, 1),
  'relu [4,4]': () => capa.ops.relu(a),
  'conv2d 6x6x2 k3': () => capa.ops.conv2d(x, k),
};

const N = 10_000;
for (const [name, run] of Object.entries(workloads)) {
  for (let i = 0; i < 1000; i++) run();
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < N; i++) run();
    times.push(((performance.now() - t0) * 1000) / N);
  }
  times.sort((p, q) => p - q);
  console.log(`${backendName} ${name.padEnd(18)} median ${(times[rounds >> 1] as number).toFixed(3)} µs/op`);
}
