/**
 * Batch normalization over the last axis of x viewed as [rows, channels], in two dispatches where
 * BaseBackend's default takes a dozen: a per-channel reduction (one workgroup per channel, its
 * threads striding over the rows and combining in workgroup memory), then one elementwise pass.
 * - training: the reduction writes the batch mean, then the biased variance from a second walk
 *   over the centred values (as the js kernel does: no E[x²] - E[x]² cancellation);
 * - gradient: the reduction writes dBeta = Σ dy and dGamma = Σ dy·x̂, the pass
 *   dx = gamma / sqrt(var + eps) · (dy - (dBeta + x̂ · dGamma) / rows);
 * - inference and the training output: out = (x - mean) · gamma / sqrt(var + eps) + beta.
 * gamma and beta may be absent (1 and 0): each presence gets its own pipeline, as an unused
 * binding cannot be declared.
 */
import type { GpuStorage } from './buffers.js';
import { type GpuQueue, Params } from './queue.js';
import { bindings, elementGrid, gridFor, PARAMS, perElement } from './wgsl.js';

const WG = 64;

type Binding = readonly [string, string, 'read' | 'read_write'];

/**
 * A per-channel reduction kernel: each pass's `body` accumulates `acc` over rows r (x at X[r * C + c]),
 * then its `finish` sees the workgroup's `sum` (and may declare what later passes use).
 */
function channelReduction(
  binds: readonly Binding[],
  prologue: string,
  passes: readonly { body: string; finish: string }[],
): string {
  return `${PARAMS}
${bindings(binds)}
var<workgroup> part: array<f32, ${WG}>;
fn total(lid: u32, v: f32) -> f32 {
  part[lid] = v;
  workgroupBarrier();
  for (var s = ${WG / 2}u; s > 0u; s >>= 1u) {
    if (lid < s) { part[lid] = part[lid] + part[lid + s]; }
    workgroupBarrier();
  }
  let t = part[0];
  workgroupBarrier();
  return t;
}
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let rows = pu(0u);
  let C = pu(1u);
  let c = min(wid.x + wid.y * nwg.x, C - 1u);
  let live = wid.x + wid.y * nwg.x < C;
  ${prologue}
  var acc = 0.0;
  var sum = 0.0;
  ${passes
    .map(
      ({ body, finish }) => `acc = 0.0;
  for (var r = lid; r < rows; r += ${WG}u) { ${body} }
  sum = total(lid, acc);
  ${finish}`,
    )
    .join('\n  ')}
}`;
}

/** The elementwise pass, over x's `count` elements, with channel c = i % C. */
function channelPass(binds: readonly Binding[], body: string): string {
  return `${PARAMS}
${bindings(binds)}
${perElement(`
  let C = pu(1u);
  let c = i % C;
  ${body}`)}`;
}

/** params shared by every kernel: [count or rows, channels, epsilon, rows]. */
function paramsOf(first: number, channels: number, epsilon: number, rows: number): Params {
  return new Params().i(first, channels).f(epsilon).i(rows);
}

function normalize(
  q: GpuQueue,
  x: GpuStorage,
  mean: GpuStorage,
  variance: GpuStorage,
  gamma: GpuStorage | null,
  beta: GpuStorage | null,
  epsilon: number,
  channels: number,
  out: GpuStorage,
): void {
  const hasGamma = gamma !== null;
  const hasBeta = beta !== null;
  const pipeline = q.pipeline(`batchNorm:normalize:${hasGamma}:${hasBeta}`, () =>
    channelPass(
      [
        ['X', 'f32', 'read'],
        ['MEAN', 'f32', 'read'],
        ['VAR', 'f32', 'read'],
        ['O', 'f32', 'read_write'],
        ...(hasGamma ? ([['GAMMA', 'f32', 'read']] as const) : []),
        ...(hasBeta ? ([['BETA', 'f32', 'read']] as const) : []),
      ],
      `let scale = ${hasGamma ? 'GAMMA[c]' : '1.0'} / sqrt(VAR[c] + pf(2u));
  O[i] = (X[i] - MEAN[c]) * scale${hasBeta ? ' + BETA[c]' : ''};`,
    ),
  );
  const buffers = [x, mean, variance, out, ...(gamma ? [gamma] : []), ...(beta ? [beta] : [])].map((s) => s.buffer);
  const count = x.size;
  q.dispatch(pipeline, buffers, paramsOf(count, channels, epsilon, count / channels), elementGrid(count));
}

export function batchNormInference(
  q: GpuQueue,
  x: GpuStorage,
  mean: GpuStorage,
  variance: GpuStorage,
  gamma: GpuStorage | null,
  beta: GpuStorage | null,
  epsilon: number,
  channels: number,
  out: GpuStorage,
): void {
  normalize(q, x, mean, variance, gamma, beta, epsilon, channels, out);
}

export function batchNormTraining(
  q: GpuQueue,
  x: GpuStorage,
  gamma: GpuStorage | null,
  beta: GpuStorage | null,
  epsilon: number,
  channels: number,
  out: GpuStorage,
  mean: GpuStorage,
  variance: GpuStorage,
): void {
  const rows = x.size / channels;
  const pipeline = q.pipeline('batchNorm:moments', () =>
    channelReduction(
      [
        ['X', 'f32', 'read'],
        ['MEAN', 'f32', 'read_write'],
        ['VAR', 'f32', 'read_write'],
      ],
      'let n = max(f32(rows), 1.0);',
      [
        { body: 'acc += X[r * C + c];', finish: 'let m = sum / n; if (live && lid == 0u) { MEAN[c] = m; }' },
        {
          body: 'let d = X[r * C + c] - m; acc = fma(d, d, acc);',
          finish: 'if (live && lid == 0u) { VAR[c] = sum / n; }',
        },
      ],
    ),
  );
  q.dispatch(
    pipeline,
    [x, mean, variance].map((s) => s.buffer),
    paramsOf(rows, channels, epsilon, rows),
    gridFor(channels, 1),
  );
  normalize(q, x, mean, variance, gamma, beta, epsilon, channels, out);
}

export function batchNormGrad(
  q: GpuQueue,
  x: GpuStorage,
  dy: GpuStorage,
  mean: GpuStorage,
  variance: GpuStorage,
  gamma: GpuStorage | null,
  epsilon: number,
  channels: number,
  dx: GpuStorage,
  dGamma: GpuStorage,
  dBeta: GpuStorage,
): void {
  const rows = x.size / channels;
  const sums = q.pipeline('batchNorm:gradSums', () =>
    channelReduction(
      [
        ['X', 'f32', 'read'],
        ['DY', 'f32', 'read'],
        ['MEAN', 'f32', 'read'],
        ['VAR', 'f32', 'read'],
        ['DGAMMA', 'f32', 'read_write'],
        ['DBETA', 'f32', 'read_write'],
      ],
      'let inv = 1.0 / sqrt(VAR[c] + pf(2u)); let mu = MEAN[c];',
      [
        { body: 'acc += DY[r * C + c];', finish: 'if (live && lid == 0u) { DBETA[c] = sum; }' },
        {
          body: 'acc = fma(DY[r * C + c], (X[r * C + c] - mu) * inv, acc);',
          finish: 'if (live && lid == 0u) { DGAMMA[c] = sum; }',
        },
      ],
    ),
  );
  q.dispatch(
    sums,
    [x, dy, mean, variance, dGamma, dBeta].map((s) => s.buffer),
    paramsOf(rows, channels, epsilon, rows),
    gridFor(channels, 1),
  );
  const hasGamma = gamma !== null;
  const pass = q.pipeline(`batchNorm:gradPass:${hasGamma}`, () =>
    channelPass(
      [
        ['X', 'f32', 'read'],
        ['DY', 'f32', 'read'],
        ['MEAN', 'f32', 'read'],
        ['VAR', 'f32', 'read'],
        ['DGAMMA', 'f32', 'read'],
        ['DBETA', 'f32', 'read'],
        ['DX', 'f32', 'read_write'],
        ...(hasGamma ? ([['GAMMA', 'f32', 'read']] as const) : []),
      ],
      `let inv = 1.0 / sqrt(VAR[c] + pf(2u));
  let xHat = (X[i] - MEAN[c]) * inv;
  let rows = f32(pu(3u));
  DX[i] = ${hasGamma ? 'GAMMA[c] * ' : ''}inv * (DY[i] - (DBETA[c] + xHat * DGAMMA[c]) / rows);`,
    ),
  );
  const count = x.size;
  q.dispatch(
    pass,
    [x, dy, mean, variance, dGamma, dBeta, dx, ...(gamma ? [gamma] : [])].map((s) => s.buffer),
    paramsOf(count, channels, epsilon, rows),
    elementGrid(count),
  );
}
