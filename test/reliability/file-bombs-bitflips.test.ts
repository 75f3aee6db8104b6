/**
 * Issue 18, defect 9 (HDF5 part): bit-flipped `.h5` (and `.keras`) files must fail with a one-line SavingError
 * naming the file, never with the HDF5 library's raw multi-line `HDF5-DIAG: Error detected ...`
 * stack, in the error or on stdout/stderr (hence a child process, whose output is captured).
 */
import { describe, expect, it } from 'vitest';
import { runInChild } from './helpers/child.js';

const FLIPS = 200;

describe('bit-flipped model files (issue 18, defect 9)', () => {
  it(`fail with a one-line SavingError naming the file, never an HDF5-DIAG stack (${FLIPS} seeded flips each of .h5 and .keras)`, async () => {
    const child = await runInChild(
      `const { saveModelToBytes, loadModelFromBytes } = await import(${JSON.stringify(new URL('../../src/saving/api.ts', import.meta.url).pathname)});
      const model = new capa.Sequential([new capa.layers.Dense(3, { inputShape: [4], name: 'dense' })]);
      let state = 12345;
      const random = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
      const bad: string[] = [];
      let refused = 0;
      for (const format of ['h5', 'keras']) {
        const good: Uint8Array = await saveModelToBytes(model, format);
        for (let i = 0; i < ${FLIPS}; i++) {
          const bytes = good.slice();
          const at = Math.floor(random() * bytes.length);
          bytes[at]! ^= 1 << Math.floor(random() * 8);
          const label = 'flip' + i + '.' + format;
          try {
            await loadModelFromBytes(bytes, { label });
          } catch (e) {
            refused++;
            const text = e instanceof Error ? e.name + ': ' + e.message : String(e);
            if (!text.startsWith('SavingError: ' + label + ': ') || text.includes('\\n') || text.includes('HDF5-DIAG')) {
              bad.push(label + ' byte ' + at + ': ' + text.slice(0, 200));
            }
          }
        }
      }
      console.log(JSON.stringify({ refused, bad }));`,
      { timeoutMs: 120_000 },
    );
    expect(child.error).toBeNull();
    const { refused, bad } = JSON.parse(child.stdout.trim().split('\n').pop()!) as { refused: number; bad: string[] };
    expect(bad).toEqual([]);
    // Enough of the flips hit structure (not weight values) for the check to mean something.
    expect(refused).toBeGreaterThan((2 * FLIPS) / 5);
    expect(child.stdout + child.stderr).not.toMatch(/HDF5-DIAG/);
  }, 150_000);
});
