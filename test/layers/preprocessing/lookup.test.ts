/** StringLookup and IntegerLookup against the examples in Keras 3's docstrings (their printed outputs). */
import { describe, expect, it } from 'vitest';
import { layers } from '../../../src/index.js';

const vocab = ['a', 'b', 'c', 'd'];

describe('StringLookup (Keras docstring examples)', () => {
  it('maps a known vocabulary, OOV to 0', () => {
    const layer = new layers.StringLookup({ vocabulary: vocab });
    const data = [
      ['a', 'c', 'd'],
      ['d', 'z', 'b'],
    ];
    expect(layer.apply(data).arraySync()).toEqual([
      [1, 3, 4],
      [4, 0, 2],
    ]);
    expect(layer.apply(data).dtype).toBe('int32');
  });

  it('adapt orders by count, ties by the token, both descending', () => {
    const layer = new layers.StringLookup();
    layer.adapt([
      ['a', 'c', 'd'],
      ['d', 'z', 'b'],
    ]);
    expect(layer.getVocabulary()).toEqual(['[UNK]', 'd', 'z', 'c', 'b', 'a']);
    expect(layer.vocabularySize()).toBe(6);
  });

  it('hashes OOV values into numOovIndices buckets with FarmHash (as Keras)', () => {
    const layer = new layers.StringLookup({ vocabulary: vocab, numOovIndices: 2 });
    expect(
      layer
        .apply([
          ['a', 'c', 'd'],
          ['m', 'z', 'b'],
        ])
        .arraySync(),
    ).toEqual([
      [2, 4, 5],
      [0, 1, 3],
    ]);
  });

  it('one_hot, multi_hot, count and tf_idf outputs', () => {
    const oneHot = new layers.StringLookup({ vocabulary: vocab, outputMode: 'one_hot' });
    expect(oneHot.apply(['a', 'b', 'c', 'd', 'z']).arraySync()).toEqual([
      [0, 1, 0, 0, 0],
      [0, 0, 1, 0, 0],
      [0, 0, 0, 1, 0],
      [0, 0, 0, 0, 1],
      [1, 0, 0, 0, 0],
    ]);
    const data = [
      ['a', 'c', 'd', 'd'],
      ['d', 'z', 'b', 'z'],
    ];
    expect(new layers.StringLookup({ vocabulary: vocab, outputMode: 'multi_hot' }).apply(data).arraySync()).toEqual([
      [0, 1, 0, 1, 1],
      [1, 0, 1, 0, 1],
    ]);
    expect(new layers.StringLookup({ vocabulary: vocab, outputMode: 'count' }).apply(data).arraySync()).toEqual([
      [0, 1, 0, 1, 2],
      [2, 0, 1, 0, 1],
    ]);
    const tfidf = new layers.StringLookup({ vocabulary: vocab, outputMode: 'tf_idf', idfWeights: [0.25, 0.75, 0.6, 0.4] });
    const out = tfidf.apply(data).arraySync() as number[][];
    const expected = [
      [0, 0.25, 0, 0.6, 0.8],
      [1.0, 0, 0.75, 0, 0.4],
    ];
    for (const [i, row] of out.entries())
      for (const [j, v] of row.entries()) expect(v).toBeCloseTo(expected[i]?.[j] as number, 6);
  });

  it('a mask token takes index 0 and invert maps indices back', () => {
    const masked = new layers.StringLookup({ vocabulary: vocab, maskToken: '' });
    expect(
      masked
        .apply([
          ['a', 'c', 'd'],
          ['d', '', 'b'],
        ])
        .arraySync(),
    ).toEqual([
      [2, 4, 5],
      [5, 0, 3],
    ]);
    const inverse = new layers.StringLookup({ vocabulary: vocab, invert: true });
    expect(
      inverse.invertValues([
        [1, 3, 4],
        [4, 0, 2],
      ]),
    ).toEqual([
      ['a', 'c', 'd'],
      ['d', '[UNK]', 'b'],
    ]);
  });

  it('refuses bad input with errors naming the layer', () => {
    const layer = new layers.StringLookup({ name: 'words' });
    expect(() => layer.apply(['a'])).toThrow(/StringLookup "words".*no vocabulary/);
    expect(() => new layers.StringLookup({ vocabulary: ['a', 'a'] })).toThrow(/repeated term/);
    const strict = new layers.StringLookup({ vocabulary: vocab, numOovIndices: 0 });
    expect(() => strict.apply(['a', 'q'])).toThrow(/num_oov_indices=0.*"q"/);
    expect(() => new layers.StringLookup({ vocabulary: vocab }).apply([['a', 'b'], ['c']])).toThrow(/rows of a rank-2 input/);
  });
});

describe('IntegerLookup (Keras docstring examples)', () => {
  const ivocab = [12, 36, 1138, 42];
  const data = [
    [12, 1138, 42],
    [42, 1000, 36],
  ];

  it('maps a known vocabulary, in a Tensor or arrays', () => {
    const layer = new layers.IntegerLookup({ vocabulary: ivocab });
    expect(layer.apply(data).arraySync()).toEqual([
      [1, 3, 4],
      [4, 0, 2],
    ]);
  });

  it('adapt and floor-mod OOV buckets', () => {
    const layer = new layers.IntegerLookup();
    layer.adapt(data);
    expect(layer.getVocabulary()).toEqual([-1, 42, 1138, 1000, 36, 12]);
    const withOov = [
      [12, 1138, 42],
      [37, 1000, 36],
    ];
    expect(new layers.IntegerLookup({ vocabulary: ivocab, numOovIndices: 2 }).apply(withOov).arraySync()).toEqual([
      [2, 4, 5],
      [1, 0, 3],
    ]);
  });

  it('multi_hot', () => {
    const layer = new layers.IntegerLookup({ vocabulary: ivocab, outputMode: 'multi_hot' });
    expect(
      layer
        .apply([
          [12, 1138, 42, 42],
          [42, 7, 36, 7],
        ])
        .arraySync(),
    ).toEqual([
      [0, 1, 0, 1, 1],
      [1, 0, 1, 0, 1],
    ]);
  });
});
