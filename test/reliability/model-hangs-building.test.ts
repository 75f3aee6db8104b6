/**
 * Issue 18, defect 6: building and loading models must be linear. On the probed main,
 * `Sequential.add` of 2,000 layers took 8.5 s (every add re-mapped the whole graph, and the
 * "Graph disconnected" check scanned a list per node), a 4,000-layer config took 36 s, a
 * 100k-layer one never finished (and its depth-first walk was recursive), a functional config
 * listed backwards was quadratic (one pass over every layer per layer made), and so was writing
 * the config of a layer called many times (each node's index found by a scan).
 *
 * The cases run in one child process that times each piece of work itself (start-up excluded)
 * and is killed if it hangs. Measured: 25-110 ms per 2k/4k case and about 1 s for 100k layers
 * on an idle machine, 0.3-0.6 s and 4-5 s with the 2 cores ten times oversubscribed. The
 * bounds leave room for such load and stay far below the quadratic times (8.5 s, 36 s, hours).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type ChildResult, runInChild } from './helpers/child.js';

const SCRIPT = `
const { Sequential, InputLayer, layers, deserializeLayer } = capa;
// One line per case as it finishes, so a case that hangs does not hide the others' times.
const time = <T>(what: string, work: () => T): T => {
  const start = performance.now();
  const result = work();
  console.log(JSON.stringify({ [what]: performance.now() - start }));
  return result;
};
const activations = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ class_name: 'Activation', config: { name: 'act_' + i, activation: 'relu' } }));
const sequentialConfig = (n: number) =>
  JSON.stringify({
    class_name: 'Sequential',
    config: { name: 'deep', layers: [{ class_name: 'InputLayer', config: { name: 'in', batch_input_shape: [null, 4] } }, ...activations(n)] },
  });
/** A functional chain in0 -> act_0 -> ... whose layer list runs from the output back to the input. */
const backwardFunctionalConfig = (n: number) => {
  const names = ['in0', ...activations(n).map((l) => l.config.name)];
  const entries = activations(n).map((l, i) => ({ ...l, name: l.config.name, inbound_nodes: [[[names[i], 0, 0, {}]]] }));
  entries.unshift({ class_name: 'InputLayer', config: { name: 'in0', batch_input_shape: [null, 4] }, name: 'in0', inbound_nodes: [] } as never);
  return JSON.stringify({
    class_name: 'Functional',
    config: { name: 'chain', layers: entries.reverse(), input_layers: [['in0', 0, 0]], output_layers: [[names[n], 0, 0]] },
  });
};

time('add2000', () => {
  const model = new Sequential();
  model.add(new InputLayer({ batchShape: [null, 4] }));
  for (let i = 0; i < 2000; i++) model.add(new layers.Dense(2));
  if (model.layers.length !== 2000 || model.outputShape[1] !== 2) throw new Error('wrong model');
});
const text4k = sequentialConfig(4000);
const m4k = time('load4000', () => deserializeLayer(JSON.parse(text4k)) as InstanceType<typeof Sequential>);
time('summary4000', () => m4k.summary({ printFn: () => {} }));
const textBack = backwardFunctionalConfig(4000);
const back = time('loadBackward4000', () => deserializeLayer(JSON.parse(textBack)) as InstanceType<typeof capa.Model>);
if (back.layers.length !== 4001) throw new Error('backward config: ' + back.layers.length + ' layers');
// One Dense called 20,000 times in a chain: each node's index in the config was found by
// scanning the layer's earlier nodes (O(k^2) for k calls).
const shared = new layers.Dense(4);
const sharedInput = capa.Input({ shape: [4] });
let sharedChain = sharedInput;
for (let i = 0; i < 20_000; i++) sharedChain = shared.apply(sharedChain) as typeof sharedInput;
const sharedModel = new capa.Model({ inputs: sharedInput, outputs: sharedChain });
time('configShared20000', () => {
  sharedModel.configFor('keras3');
  sharedModel.configFor('keras2');
});
const text100k = sequentialConfig(100_000);
const m100k = time('load100000', () => deserializeLayer(JSON.parse(text100k)) as InstanceType<typeof Sequential>);
time('summary100000', () => m100k.summary({ printFn: () => {} }));
if (m100k.layers.length !== 100_000) throw new Error('100k config: ' + m100k.layers.length + ' layers');
`;

describe('model building and loading are linear (issue 18, defect 6)', () => {
  let child: ChildResult;
  let times: Record<string, number>;
  beforeAll(async () => {
    child = await runInChild(SCRIPT, { timeoutMs: 120_000 });
    const lines = child.stdout.split('\n').filter((line) => line.startsWith('{'));
    times = Object.assign({}, ...lines.map((line) => JSON.parse(line)));
  });

  it('runs every case to the end without a hang or an error', () => {
    expect(child.timedOut).toBe(false);
    expect(child.error).toBeNull();
  });

  it('adds 2,000 layers to a Sequential in under 2 s (was 8.5 s)', () => {
    expect(times.add2000).toBeLessThan(2000);
  });

  it('loads and summarizes a 4,000-layer config in under 2 s each (was 36 s)', () => {
    expect(times.load4000).toBeLessThan(2000);
    expect(times.summary4000).toBeLessThan(2000);
  });

  it('loads a 4,000-layer functional config listed from the output back in under 2 s', () => {
    expect(times.loadBackward4000).toBeLessThan(2000);
  });

  it('writes the config of a layer called 20,000 times in a model in under 2 s', () => {
    expect(times.configShared20000).toBeLessThan(2000);
  });

  it('loads and summarizes a 100,000-layer config in under 30 s each (never finished)', () => {
    // GC-bound: 100k layers are ~150 MB of objects.
    expect(times.load100000).toBeLessThan(30_000);
    expect(times.summary100000).toBeLessThan(30_000);
  });
});
