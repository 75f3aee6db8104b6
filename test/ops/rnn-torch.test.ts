/**
 * lstmRecurrence, gruRecurrence and simpleRnnRecurrence against PyTorch (fixtures from
 * tools/gen_rnn_fixtures.py: torch's LSTM/GRU/RNN cells in float64 with weights converted from
 * Keras's layouts, masks and goBackwards in Keras 3's semantics): forward outputs and the gradients
 * w.r.t. every input within 1e-4 relative, on every backend, also with poisoned output storage.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RnnActivation } from '../../src/backend/backend.js';
import * as capa from '../../src/index.js';
import { setStoragePoisoning } from '../../src/tensor/storage-pool.js';
import { lossOf, type OpCase, toTensor } from '../conformance/fixtures.js';
import { describeEachBackend } from '../helpers/backends.js';
import { maxRelativeError } from '../helpers/close.js';

const TOLERANCE = 1e-4;

interface Attrs {
  goBackwards: boolean;
  masked: boolean;
  zeroOutputForMask: boolean;
  resetAfter: boolean;
  bias: boolean;
  activation: RnnActivation;
}

const cases = (
  JSON.parse(readFileSync(new URL('../fixtures/rnn/recurrence.json', import.meta.url), 'utf8')) as { cases: OpCase[] }
).cases;

/** Runs a fixture case's op on its inputs in the fixture's order: xProj, R, states..., [mask], [recurrentBias]. */
function run(c: OpCase, inputs: capa.Tensor[]): capa.Tensor[] {
  const a = c.attrs as unknown as Attrs;
  const [x, r] = inputs as [capa.Tensor, capa.Tensor];
  const stateCount = c.op === 'lstm' ? 2 : 1;
  const rest = inputs.slice(2 + stateCount);
  const mask = a.masked ? (rest.shift() as capa.Tensor) : null;
  const common = { goBackwards: a.goBackwards, mask, zeroOutputForMask: a.zeroOutputForMask };
  if (c.op === 'lstm') {
    const out = capa.ops.lstmRecurrence(x, r, inputs[2] as capa.Tensor, inputs[3] as capa.Tensor, common);
    return [out.sequences, out.lastH, out.lastC];
  }
  if (c.op === 'gru') {
    const bias = a.bias ? (rest.shift() as capa.Tensor) : null;
    const out = capa.ops.gruRecurrence(x, r, bias, inputs[2] as capa.Tensor, { ...common, resetAfter: a.resetAfter });
    return [out.sequences, out.lastH];
  }
  const out = capa.ops.simpleRnnRecurrence(x, r, inputs[2] as capa.Tensor, { ...common, activation: a.activation });
  return [out.sequences, out.lastH];
}

for (const poisoned of [false, true]) {
  describeEachBackend(`recurrent ops against PyTorch${poisoned ? ', poisoned output storage' : ''}`, () => {
    let previous = false;
    beforeAll(() => {
      previous = setStoragePoisoning(poisoned);
    });
    afterAll(() => {
      setStoragePoisoning(previous);
    });
    for (const c of cases) {
      it(c.name, () => {
        const outs = run(c, c.inputs.map(toTensor));
        expect(outs.length).toBe(c.outputs.length);
        outs.forEach((o, i) => {
          const e = c.outputs[i]!;
          expect(o.shape, `output ${i} shape`).toEqual(e.shape);
          expect(maxRelativeError(o.dataSync(), e.values), `output ${i}`).toBeLessThanOrEqual(TOLERANCE);
        });
        const { diffIndices, inputs, f } = lossOf(c, (all) => run(c, all));
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
