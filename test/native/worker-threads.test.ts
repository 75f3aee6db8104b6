/**
 * capa in worker_threads: every worker loads its own copy of the TypeScript modules but all share
 * the one native addon (its thread pool, scratch buffers and settings). Concurrent callers must
 * get exactly what a lone caller gets (the kernels are deterministic for a given thread count and
 * instruction set, which every worker inherits), and must never hang.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as capa from '../../src/index.js';
import { nativeBackend } from './harness.js';
import { type FitResult, OP_CASES, type OpsReport, runOp, startJob, startLine, trainSmallCnn } from './helpers/thread-jobs.js';

const WORKERS = 4;
const OPS_PER_WORKER = 200;
/** Generous for a 2-core machine (the ops take about a second there); only a hang gets near it. */
const JOB_TIMEOUT_MS = 60_000;

describe.skipIf(!nativeBackend)('native backend in worker_threads', () => {
  const before = { backend: capa.getBackend(), threads: capa.nativeInfo()?.threads ?? 1 };
  beforeAll(() => {
    capa.setBackend('native');
    // More than one thread even on a 1-CPU machine, so the pool's workers take part.
    capa.setNumThreads(3);
  });
  afterAll(() => {
    capa.setNumThreads(before.threads);
    capa.setBackend(before.backend);
  });

  it(`${WORKERS} workers × ${OPS_PER_WORKER} matmuls and convolutions at once match a lone caller bit for bit`, async () => {
    const expected = OP_CASES.map((c) => runOp(c).slice());
    // Each worker starts at another case, so different kernels and shapes run at the same time.
    const start = startLine(WORKERS);
    const reports = await Promise.all(
      Array.from({ length: WORKERS }, (_, w) =>
        startJob<OpsReport>({ job: 'ops', expected, ops: OPS_PER_WORKER, offset: w * 3, start }, JOB_TIMEOUT_MS),
      ),
    );
    for (const [w, report] of reports.entries()) {
      expect(report.firstMismatch, `worker ${w}: case ${JSON.stringify(OP_CASES[report.firstMismatch?.case ?? 0])}`).toBeNull();
      expect(report.ops).toBe(OPS_PER_WORKER);
    }
  });

  it('2 workers training a small CNN at once end with the weights and losses of training alone', async () => {
    const alone = await trainSmallCnn();
    const start = startLine(2);
    const results = await Promise.all([0, 1].map(() => startJob<FitResult>({ job: 'fit', start }, JOB_TIMEOUT_MS)));
    for (const result of results) {
      expect(result.losses).toEqual(alone.losses);
      expect(result.weights.length).toBe(alone.weights.length);
      for (const [i, w] of result.weights.entries())
        expect(Array.from(w), `weight ${i}`).toEqual(Array.from(alone.weights[i] ?? []));
    }
  });

  it("a worker's setIsa switches its own instruction set, not the other threads'", async () => {
    const mine = capa.nativeInfo()?.isa;
    const other = capa.nativeInfo()?.isas.find((isa) => isa !== mine);
    if (!other) return; // a CPU with one instruction set has nothing to switch
    expect(await startJob<string | null>({ job: 'isa', isa: other }, JOB_TIMEOUT_MS)).toBe(other);
    expect(capa.nativeInfo()?.isa).toBe(mine);
  });
});
