/**
 * The PyTorch op conformance suite (test/conformance: the same fixtures and op table) on the
 * webgpu backend in Node (SwiftShader when no GPU is present): forward values and the gradients of
 * sum(output * dy), read with `await data()`, within 1e-4 relative of torch's float64 results.
 * Skipped, with the reason, where no WebGPU adapter exists.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as capa from '../../src/index.js';
import { loadFamilies, lossOf, toTensor } from '../conformance/fixtures.js';
import { runOp } from '../conformance/op-table.js';
import { maxRelativeError } from '../helpers/close.js';
import { startWebGpu } from '../helpers/webgpu.js';

const TOLERANCE = 1e-4;
/**
 * Ops that read tensor indices on the host to validate them (src/ops/indexing.ts), which needs
 * `readSync`; on webgpu they throw the contract's error naming `await tensor.data()` instead.
 */
const READS_INDICES_ON_HOST = new Set(['gather', 'oneHot']);
const unavailable = await startWebGpu();

for (const { family, cases } of loadFamilies()) {
  describe.skipIf(unavailable !== null)(`PyTorch oracle on webgpu: ${family}`, () => {
    let previous: capa.BackendName;
    beforeAll(async () => {
      previous = capa.getBackend();
      await capa.setBackend('webgpu');
    });
    afterAll(() => capa.setBackend(previous));
    for (const c of cases) {
      if (READS_INDICES_ON_HOST.has(c.op)) {
        it.skip(`${c.name} (its indices are validated on the host, which needs readSync)`, () => {});
        continue;
      }
      it(c.name, async () => {
        const outs = runOp(c.op, c.inputs.map(toTensor), c.attrs);
        expect(outs.length).toBe(c.outputs.length);
        for (const [i, o] of outs.entries()) {
          const e = c.outputs[i]!;
          expect(o.backend).toBe('webgpu');
          expect(o.shape, `output ${i} shape`).toEqual(e.shape);
          expect(o.dtype, `output ${i} dtype`).toBe(e.dtype);
          expect(maxRelativeError(await o.data(), e.values), `output ${i}`).toBeLessThanOrEqual(TOLERANCE);
        }
        if (!c.grads.some((g) => g)) return;
        const { diffIndices, inputs, f } = lossOf(c, (all) => runOp(c.op, all, c.attrs));
        const { grads } = capa.valueAndGrads(f)(diffIndices.map((k) => inputs[k]!));
        for (const [j, k] of diffIndices.entries()) {
          const e = c.grads[k]!;
          const g = grads[j]!;
          expect(g.shape, `grad ${k} shape`).toEqual(e.shape);
          expect(maxRelativeError(await g.data(), e.values), `grad of input ${k}`).toBeLessThanOrEqual(TOLERANCE);
        }
      });
    }
  });
}
