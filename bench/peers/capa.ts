/**
 * capa's side of the benchmark, on the backend given by --variant (native | js), through the
 * public API a user calls (ops, Sequential + compile + trainOnBatch, applications + predict).
 */
import * as capa from '../../src/index.js';
import { type PeerResults, parsePeerArgs, printResults, SEQUENCE, timeRuns, toUnit, WORKLOADS, type Workload } from '../lib.js';
import { mnistCnn, recurrentModel, transformerModel } from './capa-models.js';

const { ops, layers, Sequential } = capa;
const args = parsePeerArgs(process.argv);
const backend = args.variant === 'js' ? 'js' : 'native';
capa.setBackend(backend);

/** Workloads that take minutes per run on the TypeScript backend; run with --full. */
const SLOW_ON_JS = new Set(['sgemm-2048-1t', 'sgemm-2048-2t', 'vgg19-fwd', 'resnet50-train']);

function oneHot(batch: number, classes: number): capa.Tensor {
  return capa.utils.toCategorical(
    capa.tensor(
      Int32Array.from({ length: batch }, (_, i) => i % classes),
      [batch],
    ),
    classes,
  );
}

/** Builds the workload and returns one run plus the samples each run processes. */
function prepare(w: Workload): { run: () => unknown; samplesPerRun?: number } {
  if (w.id.startsWith('sgemm')) {
    const n = w.id.includes('2048') ? 2048 : 1024;
    const a = capa.randomUniform([n, n], { seed: 1 });
    const b = capa.randomUniform([n, n], { seed: 2 });
    return { run: () => ops.matmul(a, b) };
  }
  if (w.id.startsWith('conv')) {
    const x = capa.randomNormal([8, 56, 56, 64], { seed: 1 });
    const k = capa.randomNormal([3, 3, 64, 64], { seed: 2 });
    if (w.id === 'conv-fwd') return { run: () => ops.conv2d(x, k, { padding: 'same' }) };
    const dy = capa.randomNormal([8, 56, 56, 64], { seed: 3 });
    const grads = capa.grads((a, b) => ops.conv2d(a, b, { padding: 'same' }));
    return { run: () => grads([x, k], dy) };
  }
  if (w.id === 'mnist-cnn-train') {
    const model = mnistCnn(capa);
    const x = capa.randomUniform([64, 28, 28, 1], { seed: 1 });
    const y = oneHot(64, 10);
    return { run: () => model.trainOnBatch(x, y), samplesPerRun: w.samplesPerRun };
  }
  if (w.id === 'mlp-train') {
    const model = new Sequential([
      new layers.Dense(100, { inputDim: 100, activation: 'sigmoid' }),
      new layers.Dense(10, { activation: 'softmax' }),
    ]);
    model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy' });
    const x = capa.randomNormal([128, 100], { seed: 1 });
    const y = oneHot(128, 10);
    return { run: () => model.trainOnBatch(x, y) };
  }
  if (w.id === 'vgg19-fwd' || w.id === 'resnet50-fwd' || w.id === 'mobilenetv2-fwd') {
    const { VGG19, ResNet50, MobileNetV2 } = capa.applications;
    const model = w.id === 'vgg19-fwd' ? VGG19() : w.id === 'resnet50-fwd' ? ResNet50() : MobileNetV2();
    const x = capa.randomUniform([1, 224, 224, 3], { seed: 1 });
    return { run: () => model.predictOnBatch(x) };
  }
  if (w.id === 'resnet50-train') {
    const model = capa.applications.ResNet50();
    model.compile({
      optimizer: new capa.optimizers.SGD({ learningRate: 0.01, momentum: 0.9 }),
      loss: 'categorical_crossentropy',
    });
    const x = capa.randomUniform([8, 224, 224, 3], { seed: 1 });
    const y = oneHot(8, 1000);
    return { run: () => model.trainOnBatch(x, y) };
  }
  if (w.id === 'lstm-train' || w.id === 'gru-train' || w.id === 'transformer-train') {
    const model =
      w.id === 'transformer-train' ? transformerModel(capa) : recurrentModel(capa, w.id === 'lstm-train' ? 'lstm' : 'gru');
    model.compile({ optimizer: 'adam', loss: 'mse' });
    const shape =
      w.id === 'transformer-train'
        ? [SEQUENCE.transformer.batch, SEQUENCE.transformer.steps, SEQUENCE.transformer.dModel]
        : [SEQUENCE.recurrent.batch, SEQUENCE.recurrent.steps, SEQUENCE.recurrent.features];
    const x = capa.randomNormal(shape, { seed: 1 });
    const y = capa.randomNormal([shape[0] as number, SEQUENCE.classes], { seed: 2 });
    return { run: () => model.trainOnBatch(x, y) };
  }
  throw new Error(`unknown workload ${w.id}`);
}

const results: PeerResults = {};
for (const w of WORKLOADS) {
  if (!args.items.has(w.id)) continue;
  if (backend === 'js' && SLOW_ON_JS.has(w.id) && !args.full) {
    results[w.id] = { value: null, samplesMs: [], note: 'minutes per run; --full' };
    continue;
  }
  capa.setNumThreads(w.threads);
  const { run, samplesPerRun } = prepare(w);
  const samplesMs = await timeRuns(run, { reps: args.reps, budgetMs: w.budgetMs });
  results[w.id] = { value: toUnit(w, samplesMs, samplesPerRun), samplesMs };
  console.error(`capa-${backend} ${w.id}: ${results[w.id]?.value?.toFixed(2)} ${w.unit}`);
}
printResults(results);
