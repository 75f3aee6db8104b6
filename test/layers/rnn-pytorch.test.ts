/**
 * Recurrent layers against PyTorch in float64 (tools/gen_rnn_layer_fixtures.py): outputs and the
 * gradients of sum(output * dy) with respect to the input and every weight, the weights set with
 * setWeights in Keras's layouts. Covers returnSequences, goBackwards, masks and Bidirectional.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as capa from '../../src/index.js';
import { describeEachBackend } from '../helpers/backends.js';
import { maxRelativeError } from '../helpers/close.js';

const L = capa.layers;

interface Array {
  shape: number[];
  values: number[];
}
interface Case {
  name: string;
  kind: 'lstm' | 'gru' | 'simple_rnn';
  units: number;
  return_sequences: boolean;
  go_backwards: boolean;
  reset_after: boolean;
  bidirectional: boolean;
  x: Array;
  mask: Array | null;
  weights: Array[];
  y: Array;
  dy: Array;
  dx: number[];
  dweights: number[][];
}

const fixtures = JSON.parse(readFileSync(new URL('../fixtures/layers/rnn.json', import.meta.url), 'utf8')) as { cases: Case[] };
const tensorOf = (a: Array, dtype: 'float32' | 'int32' = 'float32'): capa.Tensor => capa.tensor(a.values, a.shape, dtype);

/** tanh as a user function: not Keras's built-in, so the layer runs its cell step by step. */
const tanhByCell = L.customActivation('tanh_by_cell', (x) => capa.ops.tanh(x));

type Path = 'fused op' | 'cell loop';

function makeLayer(c: Case, path: Path): capa.layers.Layer {
  const activation = path === 'cell loop' ? tanhByCell : 'tanh';
  const options = { returnSequences: c.return_sequences, goBackwards: c.go_backwards, activation } as const;
  const rnn =
    c.kind === 'lstm'
      ? new L.LSTM(c.units, options)
      : c.kind === 'gru'
        ? new L.GRU(c.units, { ...options, resetAfter: c.reset_after })
        : new L.SimpleRNN(c.units, options);
  return c.bidirectional ? new L.Bidirectional(rnn) : rnn;
}

/** Output and gradients (input, then each weight) of sum(layer(x) * dy). */
export function runCase(layer: capa.layers.Layer, c: Case): { y: capa.Tensor; dx: capa.Tensor; dweights: capa.Tensor[] } {
  const x = new capa.Variable(tensorOf(c.x));
  const mask = c.mask ? tensorOf(c.mask, 'int32') : undefined;
  layer.apply(tensorOf(c.x), { mask });
  layer.setWeights(c.weights.map((w) => tensorOf(w)));
  let y: capa.Tensor | null = null;
  const { grads } = capa.variableGrads(
    () => {
      y = layer.apply(x, { mask, training: true });
      return capa.ops.sum(capa.ops.mul(y, tensorOf(c.dy)));
    },
    () => [x, ...layer.weights],
  );
  return { y: y as unknown as capa.Tensor, dx: grads[0] as capa.Tensor, dweights: grads.slice(1) as capa.Tensor[] };
}

function innerRnn(layer: capa.layers.Layer): capa.layers.LSTM | capa.layers.GRU | capa.layers.SimpleRNN {
  return (layer instanceof L.Bidirectional ? layer.forwardLayer : layer) as capa.layers.LSTM;
}

describeEachBackend('recurrent layers against PyTorch (float64)', () => {
  for (const path of ['fused op', 'cell loop'] as const) {
    // Bidirectional rebuilds its layers from their config, where a user's activation has no name to revive
    for (const c of fixtures.cases.filter((k) => path === 'fused op' || !k.bidirectional)) {
      it(`${c.name}, ${path}: outputs and gradients within 1e-4`, () => {
        const layer = makeLayer(c, path);
        expect(innerRnn(layer).usesFusedOp(true)).toBe(path === 'fused op');
        const { y, dx, dweights } = runCase(layer, c);
        expect(y.shape).toEqual(c.y.shape);
        expect(maxRelativeError(y.dataSync(), c.y.values)).toBeLessThan(1e-4);
        expect(maxRelativeError(dx.dataSync(), c.dx)).toBeLessThan(1e-4);
        expect(dweights.length).toBe(c.dweights.length);
        dweights.forEach((g, i) => {
          expect(maxRelativeError(g.dataSync(), c.dweights[i] as number[]), `weight ${i}`).toBeLessThan(1e-4);
        });
      });
    }
  }
});

describe('fixture coverage', () => {
  it('covers each layer kind, both GRU forms, masks, goBackwards and Bidirectional', () => {
    const kinds = new Set(fixtures.cases.map((c) => `${c.kind}${c.kind === 'gru' ? c.reset_after : ''}`));
    expect([...kinds].sort()).toEqual(['grufalse', 'grutrue', 'lstm', 'simple_rnn']);
    expect(fixtures.cases.some((c) => c.mask)).toBe(true);
    expect(fixtures.cases.some((c) => c.go_backwards)).toBe(true);
    expect(fixtures.cases.some((c) => c.bidirectional)).toBe(true);
  });
});
