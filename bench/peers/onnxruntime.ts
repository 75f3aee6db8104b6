/**
 * ONNX Runtime (onnxruntime-node, CPU execution provider) on the inference workloads, an anchor
 * for capa's inference speed: the models are bench/torch_bench.py's PyTorch definitions exported
 * with torch.onnx.export (`--export-onnx`, run by run.ts into the bench cache), fed NCHW float32.
 *
 *   tsx bench/peers/onnxruntime.ts --models DIR --items resnet50-fwd [--reps 5]
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { type PeerResults, parsePeerArgs, printResults, timeRuns, toUnit, WORKLOADS } from '../lib.js';

const args = parsePeerArgs(process.argv);
const modelsAt = process.argv.indexOf('--models');
const dir = modelsAt >= 0 ? process.argv[modelsAt + 1] : undefined;
if (!dir) throw new Error('onnxruntime peer: --models DIR (the exported .onnx files) is required');

const results: PeerResults = {};
for (const w of WORKLOADS) {
  if (!args.items.has(w.id) || !w.anchors?.includes('onnxruntime')) continue;
  const path = join(dir, `${w.id}.onnx`);
  if (!existsSync(path)) throw new Error(`onnxruntime peer: no model ${path} (bench/torch_bench.py --export-onnx writes it)`);
  const session = await ort.InferenceSession.create(path, {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    intraOpNumThreads: w.threads,
    interOpNumThreads: 1,
  });
  const input = session.inputNames[0] as string;
  const x = new ort.Tensor(
    'float32',
    Float32Array.from({ length: 3 * 224 * 224 }, (_, i) => (i % 255) / 255),
    [1, 3, 224, 224],
  );
  const samplesMs = await timeRuns(() => session.run({ [input]: x }), { reps: args.reps, budgetMs: w.budgetMs });
  results[w.id] = { value: toUnit(w, samplesMs), samplesMs, note: `onnxruntime-node ${ort.env.versions.common} cpu fp32` };
  console.error(`onnxruntime ${w.id}: ${results[w.id]?.value?.toFixed(2)} ${w.unit}`);
  await session.release();
}
printResults(results);
