/**
 * The inputs' masks of the attention layers (Keras's query/value/key `_keras_mask`): MultiHeadAttention
 * combines them into the attention mask as Keras's `_compute_attention_mask` does, and Attention
 * masks the padded sources and zeroes the padded targets.
 */
import { expect, it } from 'vitest';
import * as capa from '../../src/index.js';
import { describeEachBackend } from '../helpers/backends.js';
import { expectTensorClose } from '../helpers/close.js';

const L = capa.layers;

describeEachBackend('attention layers with input masks', () => {
  it('MultiHeadAttention: query and value masks are the attention mask query[:, :, None] & value[:, None, :]', () => {
    const q = capa.randomNormal([2, 3, 4], { seed: 1 });
    const v = capa.randomNormal([2, 5, 4], { seed: 2 });
    const queryMask = capa.tensor([1, 1, 0, 1, 1, 1], [2, 3]);
    const valueMask = capa.tensor([1, 1, 1, 0, 0, 1, 0, 1, 1, 1], [2, 5]);
    const mha = new L.MultiHeadAttention({ numHeads: 2, keyDim: 3 });
    const [byMasks, probs] = mha.applyMulti([q, v], { masks: [queryMask, valueMask], returnAttentionScores: true });
    const attentionMask = capa.ops.mul(capa.ops.expandDims(queryMask, 2), capa.ops.expandDims(valueMask, 1));
    const byAttentionMask = mha.apply([q, v], { attentionMask });
    expect(Array.from(byMasks!.dataSync())).toEqual(Array.from(byAttentionMask.dataSync()));
    // a padded source gets no attention; a padded target attends to nothing (Keras's masked softmax)
    const p = probs!.arraySync() as number[][][][];
    expect(p[0]![1]![1]![3]).toBe(0);
    expect(p[0]![0]![2]!.every((x) => x === 0)).toBe(true);
    expect(p[1]![1]![0]!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it('Attention: padded sources get no weight and padded targets give zeros', () => {
    const q = capa.randomNormal([1, 2, 3], { seed: 3 });
    const v = capa.randomNormal([1, 4, 3], { seed: 4 });
    const layer = new L.Attention();
    const [out, weights] = layer.applyMulti([q, v], {
      masks: [capa.tensor([1, 0], [1, 2]), capa.tensor([1, 1, 0, 1], [1, 4])],
      returnAttentionScores: true,
    });
    const w = weights!.arraySync() as number[][][];
    expect(w[0]![0]![2]).toBe(0);
    expect((out!.arraySync() as number[][][])[0]![1]!.every((x) => x === 0)).toBe(true);
    // the present target is attention over the present sources only
    const kept = capa.ops.gather(v, [0, 1, 3], 1);
    const expected = layer.apply([capa.ops.slice(q, [0, 0, 0], [1, 1, 3]), kept]);
    expectTensorClose(capa.ops.slice(out!, [0, 0, 0], [1, 1, 3]), { shape: expected.shape, values: expected.dataSync() }, 1e-6);
  });
});
