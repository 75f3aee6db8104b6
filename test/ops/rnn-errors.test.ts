/** The recurrent ops' argument checks, and gradients reaching the right output of the joint backward. */
import { describe, expect, it } from 'vitest';
import * as capa from '../../src/index.js';

const { ops } = capa;

function inputs(batch = 2, steps = 3, units = 4, gates = 4) {
  return {
    x: ops.randomNormal([batch, steps, gates * units], { seed: 1 }),
    r: ops.randomNormal([units, gates * units], { seed: 2, stddev: 0.3 }),
    h: ops.zeros([batch, units]),
  };
}

describe('recurrent op errors', () => {
  it('name the op, the argument, the expected and the received shape', () => {
    const { x, r, h } = inputs();
    expect(() => ops.lstmRecurrence(ops.zeros([2, 16]), r, h, h)).toThrow(
      "lstmRecurrence: xProj must be [batch, steps, 16] (4 * units for the recurrentKernel's 4 units), received shape [2, 16].",
    );
    expect(() => ops.lstmRecurrence(x, ops.zeros([4, 12]), h, h)).toThrow(
      'lstmRecurrence: recurrentKernel must be [units, 4 * units], received shape [4, 12].',
    );
    expect(() => ops.lstmRecurrence(x, r, ops.zeros([3, 4]), h)).toThrow(
      'lstmRecurrence: h0 must be [batch, units] = [2, 4], received shape [3, 4].',
    );
    expect(() => ops.lstmRecurrence(x, r, h, h, { mask: ops.ones([2, 4]) })).toThrow(
      'lstmRecurrence: mask must be [batch, steps] = [2, 3], received shape [2, 4].',
    );
    expect(() => ops.lstmRecurrence(ops.zeros([2, 0, 16]), r, h, h)).toThrow(
      'lstmRecurrence: the sequence needs at least one timestep',
    );
    const g = inputs(2, 3, 4, 3);
    expect(() => ops.gruRecurrence(g.x, g.r, ops.zeros([12]), g.h, { resetAfter: false })).toThrow(
      'gruRecurrence: recurrentBias must be null when resetAfter is false',
    );
    expect(() => ops.gruRecurrence(g.x, g.r, ops.zeros([2, 12]), g.h)).toThrow(
      'gruRecurrence: recurrentBias must be [3 * units] = [12], received shape [2, 12].',
    );
    const s = inputs(2, 3, 4, 1);
    expect(() => ops.simpleRnnRecurrence(s.x, s.r, s.h, { activation: 'sigmoid' as 'tanh' })).toThrow(
      "simpleRnnRecurrence: activation must be 'tanh' or 'relu', received \"sigmoid\".",
    );
  });
});

describe('recurrent op gradients through one output', () => {
  it('lastH alone gets the gradient of the last output (no mask: they are equal)', () => {
    const { x, r, h } = inputs();
    const c = ops.randomNormal([2, 4], { seed: 3 });
    const viaLast = capa.grads((xp: capa.Tensor, rk: capa.Tensor) => ops.sum(ops.lstmRecurrence(xp, rk, h, c).lastH));
    const viaSequence = capa.grads((xp: capa.Tensor, rk: capa.Tensor) =>
      ops.sum(ops.slice(ops.lstmRecurrence(xp, rk, h, c).sequences, [0, 2, 0], [2, 1, 4])),
    );
    const [a, b] = [viaLast([x, r]), viaSequence([x, r])];
    for (let i = 0; i < 2; i++) {
      expect(Array.from((a[i] as capa.Tensor).dataSync())).toEqual(Array.from((b[i] as capa.Tensor).dataSync()));
      expect(Math.max(...Array.from((a[i] as capa.Tensor).dataSync(), Math.abs))).toBeGreaterThan(0);
    }
  });

  it('an unused output contributes nothing: lastC alone differs from lastH alone', () => {
    const { x, r, h } = inputs();
    const viaC = capa.grads((xp: capa.Tensor) => ops.sum(ops.lstmRecurrence(xp, r, h, h).lastC))([x]);
    const viaH = capa.grads((xp: capa.Tensor) => ops.sum(ops.lstmRecurrence(xp, r, h, h).lastH))([x]);
    const gc = (viaC[0] as capa.Tensor).dataSync();
    const gh = (viaH[0] as capa.Tensor).dataSync();
    // the last step's output gate (x[0, 2, 12..16]) reaches lastH only
    const lastOutputGate = [44, 48] as const;
    expect(Array.from(gc.slice(...lastOutputGate)).every((v) => v === 0)).toBe(true);
    expect(Array.from(gh.slice(...lastOutputGate)).some((v) => v !== 0)).toBe(true);
  });
});
