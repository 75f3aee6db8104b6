/**
 * Every op against PyTorch (fixtures from tools/gen_op_fixtures.py): forward values and the
 * gradients of sum(output * dy) for a random dy, computed by torch in float64 from the same
 * float32 inputs. Tolerance: |actual - expected| <= 1e-5 * max(|expected|, 1), elementwise.
 *
 * Everything runs twice: the second time with output storage poisoned (filled with NaN before
 * the kernel runs), as recycled storage may hold old values: an op or kernel that leaves part of
 * its output unwritten, or reads it before writing, fails there.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as capa from '../../src/index.js';
import { setStoragePoisoning } from '../../src/tensor/storage-pool.js';
import { describeEachBackend } from '../helpers/backends.js';
import { maxRelativeError } from '../helpers/close.js';
import { loadFamilies, lossOf, toTensor } from './fixtures.js';
import { runOp } from './op-table.js';

const TOLERANCE = 1e-5;

for (const poisoned of [false, true])
  for (const { family, cases } of loadFamilies()) {
    describeEachBackend(`PyTorch oracle: ${family}${poisoned ? ', poisoned output storage' : ''}`, () => {
      let previous = false;
      beforeAll(() => {
        previous = setStoragePoisoning(poisoned);
      });
      afterAll(() => {
        setStoragePoisoning(previous);
      });
      for (const c of cases) {
        it(c.name, () => {
          const outs = runOp(c.op, c.inputs.map(toTensor), c.attrs);
          expect(outs.length).toBe(c.outputs.length);
          outs.forEach((o, i) => {
            const e = c.outputs[i]!;
            expect(o.shape, `output ${i} shape`).toEqual(e.shape);
            expect(o.dtype, `output ${i} dtype`).toBe(e.dtype);
            expect(maxRelativeError(o.dataSync(), e.values), `output ${i}`).toBeLessThanOrEqual(TOLERANCE);
          });
          if (!c.grads.some((g) => g)) return;
          const { diffIndices, inputs, f } = lossOf(c, (all) => runOp(c.op, all, c.attrs));
          const { grads } = capa.valueAndGrads(f)(diffIndices.map((k) => inputs[k]!));
          diffIndices.forEach((k, j) => {
            const e = c.grads[k]!;
            const g = grads[j]!;
            expect(g.shape, `grad ${k} shape`).toEqual(e.shape);
            expect(maxRelativeError(g.dataSync(), e.values), `grad of input ${k}`).toBeLessThanOrEqual(TOLERANCE);
          });
        });
      }
    });
  }
