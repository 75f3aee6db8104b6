/** The edge-case table (edge-table.ts) on every engine: the same values everywhere, TensorFlow's. */
import { expect, it } from 'vitest';
import { describeEachEngine } from '../helpers/each-engine.js';
import { edgeRows } from './edge-table.js';

function same(actual: number, expected: number, signedZero: boolean): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  if (signedZero && expected === 0) return Object.is(actual, expected);
  if (actual === expected) return true;
  return Number.isFinite(expected) && Math.abs(actual - expected) <= 1e-6 * Math.max(1, Math.abs(expected));
}

describeEachEngine('edge cases', () => {
  for (const row of edgeRows) {
    it(row.name, () => {
      const expected = row.expect;
      if (!Array.isArray(expected)) {
        expect(row.run).toThrow(expected.throws);
        return;
      }
      const actual = Array.from(row.run().dataSync());
      expect(actual.length).toBe(expected.length);
      const wrong = actual.flatMap((v, i) =>
        same(v, expected[i] as number, row.signedZero ?? false) ? [] : [`[${i}] ${v} (expected ${expected[i]})`],
      );
      expect(wrong, `${row.name}: ${actual.join(', ')}`).toEqual([]);
    });
  }
});
