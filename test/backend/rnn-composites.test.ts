/**
 * The recurrent composite defaults (BaseBackend, on the toy backend's primitives over opaque
 * storage) agree with the js backend's fused loops on odd sizes, masks, goBackwards,
 * zeroOutputForMask, both GRU forms and both SimpleRNN activations, forward and backward.
 */
import { expect, it } from 'vitest';
import { JsBackend } from '../../src/backend/js/index.js';
import { describeCase, type HostAccess, hostAccess, rnnCases, rnnInputs, runRnnKernels } from '../helpers/rnn-kernels.js';
import { expectClose, Rng } from '../native/harness.js';
import { ToyBackend } from './toy-backend.js';

const js = new JsBackend();
const toy = new ToyBackend({ opaque: true });
const boxed: HostAccess = {
  put: (values) => toy.upload(Float32Array.from(values)),
  output: (n) => toy.allocate('float32', n),
  get: (storage) => toy.readSync(storage) as Float32Array,
};

it('recurrent defaults match the js kernels', () => {
  const rng = new Rng(20261202);
  for (const c of rnnCases(rng)) {
    const inputs = rnnInputs(c, rng);
    const want = runRnnKernels(js, hostAccess, c, inputs);
    const got = runRnnKernels(toy, boxed, c, inputs);
    expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
    for (const [name, values] of Object.entries(want))
      expectClose(got[name] as Float32Array, values, `${describeCase(c)}: ${name}`, 1e-5);
  }
});
