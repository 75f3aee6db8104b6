/**
 * Per-op overhead on tiny tensors: at these sizes the engine's share of an op (allocation,
 * argument checks, tensor construction) dominates, so this is where a change to the engine shows.
 * Given another checkout's src/index.ts, runs both in one process, round by round in turn, so
 * both see the same machine load (the shared machines here are noisy), and prints both medians.
 *
 * Usage: npx tsx bench/tiny-ops.ts [js|native] [rounds] [other checkout's src/index.ts]
 */
import type * as Capa from '../src/index.js';

const backendName = process.argv[2] ?? 'native';
const rounds = Number(process.argv[3] ?? 9);
const otherPath = process.argv[4];
const N = 10_000;

type Workloads = Record<string, () => void>;

function workloads(capa: typeof Capa): Workloads {
  capa.setBackend(backendName);
  const a = capa.randomNormal([4, 4], { seed: 1 });
  const b = capa.randomNormal([4], { seed: 2 });
  const m = capa.randomNormal([8, 8], { seed: 3 });
  const x = capa.randomNormal([1, 6, 6, 2], { seed: 4 });
  const k = capa.randomNormal([3, 3, 2, 4], { seed: 5 });
  return {
    'add [4,4]+[4]': () => capa.ops.add(a, b),
    'matmul 8x8': () => capa.ops.matmul(m, m),
    'sum [4,4] axis 1': () => capa.ops.sum(a, 1),
    'relu [4,4]': () => capa.ops.relu(a),
    'conv2d 6x6x2 k3': () => capa.ops.conv2d(x, k),
  };
}

/** µs per op over N calls. */
function time(run: () => void): number {
  const t0 = performance.now();
  for (let i = 0; i < N; i++) run();
  return ((performance.now() - t0) * 1000) / N;
}

function median(xs: number[]): number {
  const s = [...xs].sort((p, q) => p - q);
  return s[s.length >> 1] as number;
}

const impls: [string, Workloads][] = [['this', workloads(await import('../src/index.js'))]];
if (otherPath) impls.push(['other', workloads(await import(otherPath))]);

for (const name of Object.keys(impls[0]?.[1] ?? {})) {
  const times = impls.map(() => [] as number[]);
  for (const [, w] of impls) for (let i = 0; i < 1000; i++) w[name]?.();
  for (let r = 0; r < rounds; r++) {
    // Alternate which goes first, so neither always inherits the other's garbage.
    const order = r % 2 === 0 ? impls.map((_, i) => i) : impls.map((_, i) => impls.length - 1 - i);
    for (const i of order) times[i]?.push(time((impls[i] as [string, Workloads])[1][name] as () => void));
  }
  const cells = impls.map(([label], i) => `${label} ${median(times[i] as number[]).toFixed(3)}`);
  console.log(`${backendName} ${name.padEnd(18)} median µs/op: ${cells.join('  ')}`);
}
