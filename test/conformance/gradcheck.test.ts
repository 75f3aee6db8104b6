/**
 * The numerical gradient check (central differences in float32) for every differentiable op,
 * on the fixture inputs (drawn away from kinks by the generator). Ops whose fixtures sit on
 * ties on purpose are skipped: a numerical derivative there is one-sided by construction.
 */
import { expect, it } from 'vitest';
import * as capa from '../../src/index.js';
import { describeEachBackend } from '../helpers/backends.js';
import { loadFamilies, lossOf } from './fixtures.js';
import { runOp } from './op-table.js';

for (const { family, cases } of loadFamilies()) {
  describeEachBackend(`gradCheck: ${family}`, () => {
    for (const c of cases) {
      if (!c.grads.some((g) => g) || c.name.includes('ties')) continue;
      it(c.name, () => {
        const { diffIndices, inputs, f } = lossOf(c, (all) => runOp(c.op, all, c.attrs));
        const r = capa.gradCheck(
          f,
          diffIndices.map((k) => inputs[k]!),
          { epsilon: 1e-3, tolerance: 2e-2, maxElements: 24 },
        );
        expect(r.maxError, JSON.stringify(r.worst)).toBeLessThanOrEqual(2e-2);
      });
    }
  });
}
