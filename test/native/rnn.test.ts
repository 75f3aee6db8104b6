/**
 * The native recurrent kernels (native/src/kernels/rnn.cc) against the js reference, under every
 * instruction set: LSTM, GRU (both reset_after forms, with and without a recurrent bias) and
 * SimpleRNN (tanh, relu) forward and backward, on odd sizes with masks, goBackwards and
 * zeroOutputForMask, into output storage poisoned with NaN.
 */
import { expect, it } from 'vitest';
import { describeCase, hostAccess, rnnCases, rnnInputs, runRnnKernels } from '../helpers/rnn-kernels.js';
import { describeEachIsa, expectClose, js } from './harness.js';
import { addonOf } from './helpers/addon.js';

describeEachIsa('native recurrent kernels', (native, makeRng) => {
  it('match the reference forward and backward', () => {
    const rng = makeRng();
    for (let round = 0; round < 3; round++) {
      for (const c of rnnCases(rng)) {
        const inputs = rnnInputs(c, rng);
        const want = runRnnKernels(js, hostAccess, c, inputs);
        const got = runRnnKernels(native, hostAccess, c, inputs);
        expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
        for (const [name, values] of Object.entries(want))
          expectClose(got[name] as Float32Array, values, `${describeCase(c)}: ${name}`, 1e-5);
      }
    }
  });

  it('run a batch big enough to split the gate math over the pool', () => {
    const rng = makeRng();
    for (const kind of ['lstm', 'gru', 'simple'] as const) {
      const c = {
        kind,
        info: { batch: 37, steps: 5, units: 67, goBackwards: true, zeroOutputForMask: false },
        masked: true,
        resetAfter: kind === 'gru',
        bias: true,
        activation: 'tanh' as const,
      };
      const inputs = rnnInputs(c, rng);
      const want = runRnnKernels(js, hostAccess, c, inputs);
      const got = runRnnKernels(native, hostAccess, c, inputs);
      for (const [name, values] of Object.entries(want))
        expectClose(got[name] as Float32Array, values, `${describeCase(c)}: ${name}`, 1e-5);
    }
  });
});

describeEachIsa('native recurrent bindings', (native) => {
  it('check every array and the arguments past the twelfth before a kernel runs', () => {
    const addon = addonOf(native);
    const f32 = (n: number) => new Float32Array(n);
    const [b, t, u] = [2, 3, 4];
    const run = (hStates: number, back: unknown) =>
      addon.lstmSequence(
        f32(b * t * 4 * u),
        f32(u * 4 * u),
        f32(b * u),
        f32(b * u),
        null,
        f32(b * t * u),
        f32(hStates),
        f32((t + 1) * b * u),
        f32(t * b * 4 * u),
        b,
        t,
        u,
        back as boolean,
        false,
      );
    expect(() => run(t * b * u, false)).toThrow('lstmSequence: hStates holds 24 elements, (steps + 1) * batch * units need 32');
    expect(() => run((t + 1) * b * u, false)).not.toThrow();
  });
});
