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
import { median, timeRuns } from './lib.js';

const backendName = process.argv[2] ?? 'native';
capa.setBackend(backendName);
const threads = Number(process.argv[3] ?? 0) || undefined;
if (threads !== undefined && backendName === 'native') capa.setNumThreads(threads);

const [B, T, I, U] = [64, 100, 128, 256];
const { ops } = capa;
const x = ops.randomNormal([B * T, I], { seed: 1 });
/** 7 timed runs at least, within 30 s (bench/lib.ts's warm-up and budget). */
const REPS = { reps: 7, budgetMs: 30_000 };

async function workload(kind: 'lstm' | 'gru') {
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
    forward_ms: median(await timeRuns(() => lastOutput(kernel, recurrent, bias).dataSync(), REPS)),
    train_step_ms: median(
      await timeRuns(() => {
        for (const g of step([kernel, recurrent, bias]).grads) g.dataSync();
      }, REPS),
    ),
  };
}

const capaResult = { lstm: await workload('lstm'), gru: await workload('gru') };
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
