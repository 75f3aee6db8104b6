import { describe, expect, it } from 'vitest';
import { runInChild } from './helpers/child.js';

describe('runInChild', () => {
  it('reports the thrown error and a peak RSS that sees a large allocation', async () => {
    const small = await runInChild(`throw new capa.SavingError('nope');`);
    expect(small.error).toMatch(/nope/);
    expect(small.peakRssMiB).toBeGreaterThan(10);
    const big = await runInChild(`const a = new Float32Array(100 * 1024 * 1024 / 4).fill(1); console.log(a[5]);`);
    expect(big.error).toBeNull();
    expect(big.stdout.trim()).toBe('1');
    expect(big.peakRssMiB).toBeGreaterThan(small.peakRssMiB + 80);
  });

  it('passes Node flags to the child', async () => {
    const r = await runInChild('console.log(typeof (globalThis as { gc?: unknown }).gc);', { nodeArgs: ['--expose-gc'] });
    expect(r.error).toBeNull();
    expect(r.stdout.trim()).toBe('function');
  });

  it('kills a child that hangs', async () => {
    const r = await runInChild('await new Promise(() => setInterval(() => {}, 1000));', { timeoutMs: 3000 });
    expect(r.timedOut).toBe(true);
    expect(r.error).toMatch(/without a report/);
  });
});
