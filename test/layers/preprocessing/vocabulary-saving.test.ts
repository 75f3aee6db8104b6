/**
 * Vocabularies through `.keras`: a learned vocabulary is an asset file
 * `assets/<layer path>/vocabulary.txt` (Keras 3's layout), a given one stays in the config; the
 * revived layers give identical outputs.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { Input, layers, Model, models, Sequential, tensor } from '../../../src/index.js';

const tmp = () => join(mkdtempSync(join(tmpdir(), 'capa-vocab-')), 'model.keras');

describe('vocabulary assets in .keras', () => {
  it('an adapted IntegerLookup inside a model', async () => {
    const lookup = new layers.IntegerLookup({ outputMode: 'multi_hot', maxTokens: 6 });
    lookup.adapt([
      [12, 1138, 42],
      [42, 1000, 36],
      [7, 7, 7],
    ]);
    const input = Input({ shape: [3], dtype: 'int32' });
    const model = new Model({ inputs: input, outputs: new layers.Dense(2).apply(lookup.apply(input)) });
    const path = tmp();
    await model.save(path);
    const entries = unzipSync(readFileSync(path));
    expect(new TextDecoder().decode(entries['assets/layers/integer_lookup/vocabulary.txt'])).toBe('-1\n7\n42\n1138\n1000\n36');
    const loaded = await models.loadModel(path);
    const x = tensor([
      [7, 42, 5],
      [1000, 36, 12],
    ]);
    expect((await loaded.predict(x)).arraySync()).toEqual((await model.predict(x)).arraySync());
  });

  it('an adapted TextVectorization and a StringLookup in a Sequential container', async () => {
    const vectorizer = new layers.TextVectorization({ outputSequenceLength: 5, maxTokens: 20 });
    vectorizer.adapt(['the cat sat on the mat', 'the dog ate my homework', 'cats and dogs']);
    const tfidf = new layers.TextVectorization({ outputMode: 'tf_idf' });
    tfidf.adapt(['the cat sat on the mat', 'the dog ate my homework', 'cats and dogs']);
    const lookup = new layers.StringLookup({ vocabulary: ['x', 'y'] });
    const model = new Sequential([vectorizer, tfidf, lookup]);
    const path = tmp();
    await model.save(path);
    const entries = unzipSync(readFileSync(path));
    expect(
      Object.keys(entries)
        .filter((n) => n.startsWith('assets/'))
        .sort(),
    ).toEqual([
      'assets/layers/text_vectorization/vocabulary.txt',
      'assets/layers/text_vectorization_1/idf_weights.json',
      'assets/layers/text_vectorization_1/vocabulary.txt',
    ]);
    const loaded = await models.loadModel(path);
    const [v2, t2, l2] = loaded.layers as [layers.TextVectorization, layers.TextVectorization, layers.StringLookup];
    const texts = ['the cat ate the homework', 'unknown words here'];
    expect(v2.getVocabulary()).toEqual(vectorizer.getVocabulary());
    expect(v2.apply(texts).arraySync()).toEqual(vectorizer.apply(texts).arraySync());
    expect(t2.apply(texts).arraySync()).toEqual(tfidf.apply(texts).arraySync());
    expect(l2.apply(['y', 'z']).arraySync()).toEqual([2, 0]);
  });
});
