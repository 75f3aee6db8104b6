/**
 * The fused recurrent ops on Keras's LSTM(256) / GRU(256) workload: batch 64, 100 steps, input 128.
 * Forward (the input projection as one matmul, then the recurrence) and a training step's forward +
 * backward of sum(last output) w.r.t. kernel, recurrent kernel and bias, against PyTorch's nn.LSTM /
 * nn.GRU with the same thread count (bench/rnn_torch.py) when Debian's python3 has torch.
 *
 * Usage: npx tsx bench/rnn-ops.ts [native|js] [threads]
 */
import { spawnSync } from 'node:child_process';
import * as capa from '../src/index.js';

const backendName = process.argv[2] ?? 'native';
capa.setBackend(backendName);
const threads = Number(process.argv[3] ?? 0) || undefined;
if (threads !== undefined && backendName === 'native') capa.setNumThreads(threads);

const [B, T, I, U] = [64, 100, 128, 256];
const { ops } = capa;
const x = ops.randomNormal([B * T, I], { seed: 1 });

function medianMs(run: () => void, reps = 7): number {
  run();
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    run();
    samples.push(performance.now() - t0);
  }
  return samples.sort((a, b) => a - b)[reps >> 1] as number;
}

function workload(kind: 'lstm' | 'gru') {
  const gates = kind === 'lstm' ? 4 : 3;
  const kernel = ops.randomNormal([I, gates * U], { seed: 2, stddev: 0.05 });
  const recurrent = ops.randomNormal([U, gates * U], { seed: 3, stddev: 0.05 });
  const bias = ops.zeros([gates * U]);
  const recurrentBias = ops.zeros([gates * U]);
  const h0 = ops.zeros([B, U]);
  const lastOutput = (k: capa.Tensor, r: capa.Tensor, b: capa.Tensor): capa.Tensor => {
    const xProj = ops.reshape(ops.add(ops.matmul(x, k), b), [B, T, gates * U]);
    return kind === 'lstm' ? ops.lstmRecurrence(xProj, r, h0, h0).lastH : ops.gruRecurrence(xProj, r, recurrentBias, h0).lastH;
  };
  const step = capa.valueAndGrads((k: capa.Tensor, r: capa.Tensor, b: capa.Tensor) => ops.sum(lastOutput(k, r, b)));
  return {
    forward_ms: medianMs(() => lastOutput(kernel, recurrent, bias).dataSync()),
    train_step_ms: medianMs(() => {
      for (const g of step([kernel, recurrent, bias]).grads) g.dataSync();
    }),
  };
}

const capaResult = { lstm: workload('lstm'), gru: workload('gru') };
const usedThreads = backendName === 'native' ? (capa.nativeInfo()?.threads ?? 1) : 1;
console.log(`capa (${backendName}, ${usedThreads} threads):`, JSON.stringify(capaResult));
const torch = spawnSync('/usr/bin/python3', [new URL('./rnn_torch.py', import.meta.url).pathname, String(usedThreads)], {
  encoding: 'utf8',
});
if (torch.status === 0) {
  const peer = JSON.parse(torch.stdout.trim()) as Record<'lstm' | 'gru', { forward_ms: number; train_step_ms: number }>;
  console.log(`torch (${usedThreads} threads):`, JSON.stringify(peer));
  for (const kind of ['lstm', 'gru'] as const) {
    for (const key of ['forward_ms', 'train_step_ms'] as const) {
      const ratio = peer[kind][key] / capaResult[kind][key];
      console.log(
        `${kind} ${key.replace('_ms', '')}: capa ${capaResult[kind][key].toFixed(1)} ms, torch ${peer[kind][key].toFixed(1)} ms, capa speed ${ratio.toFixed(2)}x torch`,
      );
    }
  }
} else {
  console.log(`PyTorch not run: ${torch.stderr || torch.error}`);
}
