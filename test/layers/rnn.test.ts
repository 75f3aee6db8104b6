/**
 * Recurrent layer behaviour beyond the PyTorch values (rnn-pytorch.test.ts): initial states,
 * returnState, stateful layers, dropout, custom cells, training, and the errors Keras gives.
 */
import { describe, expect, it } from 'vitest';
import * as capa from '../../src/index.js';
import { maxRelativeError } from '../helpers/close.js';

const L = capa.layers;
const seq = (b: number, t: number, f: number, seed = 1): capa.Tensor => capa.randomNormal([b, t, f], { seed });
const close = (a: capa.Tensor, b: capa.Tensor, tol = 1e-5): void => {
  expect(a.shape).toEqual(b.shape);
  expect(maxRelativeError(a.dataSync(), b.dataSync())).toBeLessThan(tol);
};

describe('recurrent layers: states', () => {
  it('returnState gives [output, h, c]; the same states passed back as initialState continue the sequence', () => {
    const lstm = new L.LSTM(4, { returnState: true });
    const x = seq(2, 6, 3);
    const [whole] = lstm.applyMulti(x) as [capa.Tensor];
    const first = lstm.applyMulti(capa.ops.slice(x, [0, 0, 0], [2, 3, 3]));
    expect(first.map((t) => t.shape)).toEqual([
      [2, 4],
      [2, 4],
      [2, 4],
    ]);
    const rest = lstm.applyMulti(capa.ops.slice(x, [0, 3, 0], [2, 3, 3]), { initialState: first.slice(1) });
    close(rest[0] as capa.Tensor, whole);
    // the extra-inputs form is the same call
    close(lstm.applyMulti([capa.ops.slice(x, [0, 3, 0], [2, 3, 3]), ...first.slice(1)])[0] as capa.Tensor, whole);
  });

  it('initial states as functional inputs (an encoder-decoder)', () => {
    const encIn = capa.Input({ shape: [5, 3] });
    const [, h, c] = new L.LSTM(4, { returnState: true }).applyMulti(encIn);
    const decIn = capa.Input({ shape: [4, 2] });
    const decoded = new L.LSTM(4, { returnSequences: true }).apply(decIn, {
      initialState: [h as capa.SymbolicTensor, c as capa.SymbolicTensor],
    });
    const model = new capa.Model([encIn, decIn], new L.Dense(2).apply(decoded));
    expect(model.outputShape).toEqual([null, 4, 2]);
    expect(model.applyMulti([seq(2, 5, 3), seq(2, 4, 2, 2)])[0]?.shape).toEqual([2, 4, 2]);
  });

  it('stateful: two halves in a row equal the whole sequence; resetStates starts over', () => {
    const layer = new L.GRU(3, { stateful: true, returnSequences: true, batchInputShape: [2, 3, 4] });
    const plain = new L.GRU(3, { returnSequences: true });
    const x = seq(2, 6, 4);
    plain.apply(x);
    layer.apply(capa.ops.slice(x, [0, 0, 0], [2, 3, 4]));
    layer.setWeights(plain.getWeights());
    layer.resetStates();
    const a = layer.apply(capa.ops.slice(x, [0, 0, 0], [2, 3, 4]));
    const b = layer.apply(capa.ops.slice(x, [0, 3, 0], [2, 3, 4]));
    close(capa.ops.concat([a, b], 1), plain.apply(x));
    layer.resetStates();
    close(layer.apply(capa.ops.slice(x, [0, 0, 0], [2, 3, 4])), a);
    expect(() => layer.apply(seq(3, 3, 4))).toThrow(
      'is stateful with batch size 2 (from its batchInputShape), but received a batch of 3',
    );
    expect(() => new L.LSTM(2).resetStates()).toThrow('resetStates() needs a stateful layer');
  });
});

describe('recurrent layers: dropout, custom cells, training', () => {
  it('dropout applies in training only; recurrentDropout in training runs the cell loop', () => {
    const layer = new L.LSTM(4, { dropout: 0.5, recurrentDropout: 0.3 });
    const x = seq(2, 5, 3);
    const inference = layer.apply(x);
    close(layer.apply(x), inference);
    expect(maxRelativeError(layer.apply(x, { training: true }).dataSync(), inference.dataSync())).toBeGreaterThan(1e-3);
    expect(layer.usesFusedOp(false)).toBe(true);
    expect(layer.usesFusedOp(true)).toBe(false);
    expect(new L.GRU(2, { dropout: 0.5 }).usesFusedOp(true)).toBe(true);
    expect(() => new L.GRU(2, { dropout: 1.5 })).toThrow('GRUCell: `dropout` must be a number in [0, 1]');
  });

  it("a user's cell (a Layer with stateSize and callMulti) runs in RNN and trains", async () => {
    class MinimalRNNCell extends L.Layer {
      readonly stateSize = 3;
      kernel: capa.Variable | null = null;
      recurrent: capa.Variable | null = null;
      override build(inputShape: (number | null)[]): void {
        this.kernel = this.addWeight('kernel', { shape: [inputShape[1] as number, 3] });
        this.recurrent = this.addWeight('recurrent', { shape: [3, 3], initializer: 'orthogonal' });
      }
      override callMulti([x, h]: capa.Tensor[]): capa.Tensor[] {
        const out = capa.ops.tanh(
          capa.ops.add(capa.ops.matmul(x as capa.Tensor, this.kernel!), capa.ops.matmul(h as capa.Tensor, this.recurrent!)),
        );
        return [out, out];
      }
    }
    const model = new capa.Sequential([new L.RNN(new MinimalRNNCell(), { inputShape: [5, 2] }), new L.Dense(1)]);
    expect(model.countParams()).toBe(2 * 3 + 3 * 3 + 3 + 1);
    model.compile({ optimizer: 'adam', loss: 'mse' });
    const x = seq(16, 5, 2);
    const y = capa.ops.sum(x, [1, 2]).reshape([16, 1]);
    const history = await model.fit(x, y, { epochs: 15, batchSize: 8, verbose: 0 });
    const loss = history.history.loss as number[];
    expect(loss[loss.length - 1]).toBeLessThan(loss[0] as number);
  });

  it('StackedRNNCells equals the same cells as stacked layers', () => {
    const a = new L.LSTMCell(3);
    const b = new L.GRUCell(2);
    const stacked = new L.RNN(new L.StackedRNNCells([a, b]), { returnSequences: true });
    const x = seq(2, 4, 3);
    const y = stacked.apply(x);
    const first = new L.RNN(a, { returnSequences: true }).apply(x);
    close(y, new L.RNN(b, { returnSequences: true }).apply(first));
  });
});

describe('recurrent layers: errors name the layer, the expected and the received', () => {
  it('a rank-2 input, symbolic and eager', () => {
    expect(() => new L.LSTM(4, { name: 'enc' }).apply(capa.Input({ shape: [8] }))).toThrow(
      'Input 0 of layer "enc" is incompatible with the layer: expected ndim=3 ([batch, timesteps, features]), found ndim=2. Full shape received: (None, 8)',
    );
    expect(() => new L.GRU(4, { name: 'g' }).apply(capa.zeros([2, 8]))).toThrow('Input 0 of layer "g" is incompatible');
  });

  it('a mask of the wrong shape', () => {
    const mask = capa.tensor([[1, 1, 0]], [1, 3], 'int32');
    expect(() => new L.SimpleRNN(2, { name: 'rnn' }).apply(seq(1, 4, 2), { mask })).toThrow(
      'Layer "rnn": the mask should have shape [1, 4] (the input\'s batch and time axes), received [1, 3].',
    );
  });

  it('initial states of the wrong number or shape', () => {
    const lstm = new L.LSTM(3, { name: 'dec' });
    const x = seq(2, 4, 2);
    expect(() => lstm.apply(x, { initialState: [capa.zeros([2, 3])] })).toThrow(
      'Layer "dec" expects 2 initial state(s) (state sizes [3, 3]), received 1.',
    );
    expect(() => lstm.apply(x, { initialState: [capa.zeros([2, 3]), capa.zeros([2, 4])] })).toThrow(
      'Layer "dec": initial state 1 should have shape [2, 3] ([batch, units]), received [2, 4].',
    );
    expect(() => new L.Dense(2).apply(capa.zeros([2, 2]), { initialState: [capa.zeros([2, 2])] })).toThrow(
      'takes no initialState',
    );
  });

  it('Bidirectional with a non-recurrent layer or an unknown merge mode', () => {
    expect(() => new L.Bidirectional(new L.Dense(2) as unknown as capa.layers.LSTM)).toThrow(
      'Bidirectional: please initialize it with a recurrent layer',
    );
    expect(() => new L.Bidirectional(new L.LSTM(2), { mergeMode: 'max' as 'sum' })).toThrow('Bidirectional: invalid merge mode');
  });
});
