/**
 * What fit's event-loop turns between batches (src/training/event-loop.ts) cost: the step time
 * of the MNIST convnet (examples/mnist-cnn.ts, batch 128) and of a tiny MLP (the worst case:
 * sub-millisecond steps), with turns and without, in one run, alternating rounds, medians.
 *
 *   npx tsx bench/fit-yield.ts [rounds=5] [cnnSteps=6]
 *
 * Random data of MNIST's shape: the cost does not depend on the values.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import * as capa from '../src/index.js';
import { EventLoopTurns, setYieldEveryMs } from '../src/training/event-loop.js';

const rounds = Number(process.argv[2] ?? 5);
const cnnSteps = Number(process.argv[3] ?? 6);
const DEFAULT_YIELD_MS = setYieldEveryMs(Number.POSITIVE_INFINITY);
setYieldEveryMs(DEFAULT_YIELD_MS);

// How long each turn lasted, less the garbage collection V8 ran in it (work it had queued as
// tasks, done later or inside allocations when fit takes no turns): the cost of the turn itself.
const gcs: { start: number; end: number }[] = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcs.push({ start: e.startTime, end: e.startTime + e.duration });
}).observe({ entryTypes: ['gc'] });
let turnSpans: { start: number; end: number }[] = [];
const maybeYield = EventLoopTurns.prototype.maybeYield;
EventLoopTurns.prototype.maybeYield = async function timedYield(this: EventLoopTurns): Promise<void> {
  const start = performance.now();
  await maybeYield.call(this);
  const end = performance.now();
  if (end - start > 0.002) turnSpans.push({ start, end }); // a check that took no turn costs ~nothing
};
/** Each turn's milliseconds: [in all, without GC]. */
function turnCosts(spans: { start: number; end: number }[]): { all: number; withoutGc: number }[] {
  return spans.map(({ start, end }) => {
    const gc = gcs.filter((g) => g.start >= start && g.start < end).reduce((t, g) => t + (Math.min(g.end, end) - g.start), 0);
    return { all: end - start, withoutGc: end - start - gc };
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

interface Case {
  name: string;
  model: capa.Sequential;
  x: capa.Tensor;
  y: capa.Tensor;
  batchSize: number;
  steps: number;
}

function mnistCnn(): Case {
  const model = new capa.Sequential([
    new capa.layers.Conv2D(32, 3, { activation: 'relu', inputShape: [28, 28, 1] }),
    new capa.layers.MaxPooling2D(2),
    new capa.layers.Conv2D(64, 3, { activation: 'relu' }),
    new capa.layers.MaxPooling2D(2),
    new capa.layers.Flatten(),
    new capa.layers.Dropout(0.5),
    new capa.layers.Dense(10, { activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const n = 128 * cnnSteps;
  const y = capa.tensor(
    Array.from({ length: n }, (_, i) => i % 10),
    [n],
  );
  return { name: 'MNIST convnet, batch 128', model, x: capa.randomUniform([n, 28, 28, 1]), y, batchSize: 128, steps: cnnSteps };
}

function tinyMlp(): Case {
  const model = new capa.Sequential([
    new capa.layers.Dense(8, { inputShape: [4], activation: 'relu' }),
    new capa.layers.Dense(3),
  ]);
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  const steps = 2000;
  return {
    name: 'tiny MLP, batch 4',
    model,
    x: capa.randomNormal([4 * steps, 4]),
    y: capa.randomNormal([4 * steps, 3]),
    batchSize: 4,
    steps,
  };
}

/**
 * Milliseconds per step of one fit epoch. The clock stops after one more event-loop turn in both
 * modes: the tasks a turn runs (the engine's own, e.g. GC finalization) would otherwise run
 * after a fit without turns, outside its measured time.
 */
async function stepMs(c: Case, yieldEveryMs: number): Promise<number> {
  setYieldEveryMs(yieldEveryMs);
  const start = performance.now();
  await c.model.fit(c.x, c.y, { epochs: 1, batchSize: c.batchSize, verbose: 0, shuffle: false });
  await new Promise((resume) => setImmediate(resume));
  return (performance.now() - start) / c.steps;
}

for (const c of [tinyMlp(), mnistCnn()]) {
  await stepMs(c, DEFAULT_YIELD_MS); // warm-up
  const withTurns: number[] = [];
  const without: number[] = [];
  const turns: { all: number; withoutGc: number }[] = [];
  for (let r = 0; r < rounds; r++) {
    // Alternate which goes first, so drift in the machine's load hits both alike.
    const timedWithTurns = async () => {
      turnSpans = [];
      withTurns.push(await stepMs(c, DEFAULT_YIELD_MS));
      await new Promise((resume) => setImmediate(resume)); // the GC entries arrive a turn later
      turns.push(...turnCosts(turnSpans));
    };
    if (r % 2 === 0) {
      await timedWithTurns();
      without.push(await stepMs(c, Number.POSITIVE_INFINITY));
    } else {
      without.push(await stepMs(c, Number.POSITIVE_INFINITY));
      await timedWithTurns();
    }
  }
  const a = median(withTurns);
  const b = median(without);
  const turnsPerStep = turns.length / (rounds * c.steps);
  const turnAll = median(turns.map((t) => t.all));
  const turnOwn = median(turns.map((t) => t.withoutGc));
  console.log(
    `${c.name}: ${a.toFixed(3)} ms/step with turns every ${DEFAULT_YIELD_MS} ms, ${b.toFixed(3)} without ` +
      `(${(((a - b) / b) * 100).toFixed(2)}%, medians of ${rounds}); ${turnsPerStep.toFixed(2)} turns/step; ` +
      `median turn ${turnAll.toFixed(3)} ms, ${turnOwn.toFixed(3)} ms of it not GC: ${((turnOwn * turnsPerStep * 100) / a).toFixed(3)}% of a step`,
  );
}
setYieldEveryMs(DEFAULT_YIELD_MS);
