/**
 * Issue 18, defect 6 (pooling part): maxPool2d(x, 1e10, { padding: 'same' }) ran for minutes on
 * both backends, as the kernels walked every cell of the window, padding included. Windows are now
 * clipped to the input, and sizes beyond int32 (which TensorFlow cannot take either) are refused.
 * Run in a child process so a regression is killed instead of hanging the suite.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runInChild } from './helpers/child.js';

const ENGINES = fileURLToPath(new URL('../helpers/engines.ts', import.meta.url));

describe('pooling with a window far larger than the input', () => {
  it('finishes in well under a second per case on every engine, with the global max/mean', async () => {
    const r = await runInChild(
      `
      const { engines } = await import(${JSON.stringify(ENGINES)});
      const { ops } = capa;
      const x = capa.randomNormal([2, 5, 7, 3], { seed: 1 });
      const report = [];
      for (const engine of engines()) {
        engine.use();
        const time = (name, f) => {
          const t0 = performance.now();
          const value = f();
          report.push({ engine: engine.name, name, ms: performance.now() - t0, value: Array.from(value.dataSync()) });
        };
        const huge = 2 ** 31 - 1;
        time('max', () => ops.maxPool2d(x, huge, { padding: 'same' }));
        time('avg', () => ops.avgPool2d(x, huge, { padding: 'same' }));
        time('max s1', () => ops.maxPool2d(x, [huge, 3], { padding: 'same', strides: 1 }));
        time('max grad', () => capa.grad((t) => ops.sum(ops.maxPool2d(t, huge, { padding: 'same', strides: 1 })))(x));
        time('avg grad', () => capa.grad((t) => ops.sum(ops.avgPool2d(t, huge, { padding: 'same', strides: 1 })))(x));
        for (const size of [1e10, 2 ** 31]) {
          try {
            ops.maxPool2d(x, size, { padding: 'same' });
            report.push({ engine: engine.name, name: 'refuse ' + size, error: null });
          } catch (e) {
            report.push({ engine: engine.name, name: 'refuse ' + size, error: e.message });
          }
        }
      }
      console.log(JSON.stringify(report));
      `,
      { timeoutMs: 60_000 },
    );
    expect(r.timedOut, r.stderr).toBe(false);
    expect(r.error, r.stderr).toBeNull();
    const report = JSON.parse(r.stdout.trim()) as {
      engine: string;
      name: string;
      ms?: number;
      value?: number[];
      error?: string;
    }[];
    const x = await import('../../src/index.js').then((capa) => capa.randomNormal([2, 5, 7, 3], { seed: 1 }).dataSync());
    const perImage = (i: number, c: number) => Array.from({ length: 35 }, (_, p) => x[i * 105 + p * 3 + c] as number);
    const globalMax = [0, 1].flatMap((i) => [0, 1, 2].map((c) => Math.max(...perImage(i, c))));
    const globalMean = [0, 1].flatMap((i) => [0, 1, 2].map((c) => perImage(i, c).reduce((a, b) => a + b) / 35));
    for (const row of report) {
      const what = `${row.engine} ${row.name}`;
      if (row.name.startsWith('refuse')) {
        expect(row.error, what).toMatch(/maxPool2d: poolSize must be a positive integer up to 2147483647/);
        continue;
      }
      expect(row.ms, what).toBeLessThan(1000);
      if (row.name === 'max') expect(row.value, what).toEqual(globalMax.map(Math.fround));
      for (const [i, v] of (row.value ?? []).entries()) {
        if (row.name === 'avg') expect(v, what).toBeCloseTo(globalMean[i] as number, 5);
        if (row.name === 'avg grad') expect(v, what).toBeCloseTo(1, 5);
      }
      if (row.name === 'max grad')
        expect(
          row.value?.reduce((a, b) => a + b),
          what,
        ).toBe(2 * 5 * 7 * 3);
    }
    expect(report.length).toBeGreaterThanOrEqual(7);
  });
});
