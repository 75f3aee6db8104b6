/** utils.textDatasetFromDirectory: class folders of .txt files, labels, split, maxLength, map into fit. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { layers, Sequential, utils } from '../../../src/index.js';

function corpus(): string {
  const dir = mkdtempSync(join(tmpdir(), 'capa-text-'));
  for (const [cls, texts] of Object.entries({
    neg: ['bad movie', 'awful plot', 'boring'],
    pos: ['great film', 'loved it', 'superb acting', 'fun'],
  })) {
    mkdirSync(join(dir, cls));
    for (const [i, t] of texts.entries()) writeFileSync(join(dir, cls, `${i}.txt`), t);
  }
  writeFileSync(join(dir, 'pos', 'skip.md'), 'not a txt file');
  return dir;
}

describe('utils.textDatasetFromDirectory', () => {
  it('reads every .txt with its class folder label', async () => {
    const ds = utils.textDatasetFromDirectory(corpus(), { batchSize: 4, seed: 1, verbose: false });
    expect(ds.classNames).toEqual(['neg', 'pos']);
    expect(ds.length).toBe(2);
    const seen: [string, number][] = [];
    for await (const batch of ds) {
      const [texts, y] = batch as [string[], { dataSync(): Int32Array }];
      for (const [i, t] of texts.entries()) seen.push([t, y.dataSync()[i] as number]);
    }
    expect(seen.sort()).toEqual(
      [
        ['awful plot', 0],
        ['bad movie', 0],
        ['boring', 0],
        ['fun', 1],
        ['great film', 1],
        ['loved it', 1],
        ['superb acting', 1],
      ].sort(),
    );
  });

  it('validation split without overlap, maxLength, label modes, errors', async () => {
    const dir = corpus();
    const [train, val] = utils.textDatasetFromDirectory(dir, {
      validationSplit: 0.3,
      subset: 'both',
      seed: 3,
      verbose: false,
      maxLength: 4,
    });
    expect(train.filePaths.length + val.filePaths.length).toBe(7);
    expect(new Set([...train.filePaths, ...val.filePaths]).size).toBe(7);
    for await (const [texts] of train) for (const t of texts) expect(t.length).toBeLessThanOrEqual(4);
    const cat = utils.textDatasetFromDirectory(dir, { labelMode: 'categorical', verbose: false, shuffle: false });
    for await (const [, y] of cat) expect(y?.shape).toEqual([7, 2]);
    expect(() => utils.textDatasetFromDirectory(dir, { validationSplit: 0.2, subset: 'training', verbose: false })).toThrow(
      /seed/,
    );
  });

  it('map(vectorize) feeds fit', async () => {
    const ds = utils.textDatasetFromDirectory(corpus(), { batchSize: 3, labelMode: 'binary', seed: 2, verbose: false });
    const vectorizer = new layers.TextVectorization({ outputMode: 'multi_hot' });
    await vectorizer.adapt(ds);
    const model = new Sequential([new layers.Dense(1, { activation: 'sigmoid', inputShape: [vectorizer.vocabularySize()] })]);
    model.compile({ optimizer: 'adam', loss: 'binary_crossentropy' });
    const history = await model.fit(
      ds.map((texts, y) => [vectorizer.apply(texts), y as never]),
      { epochs: 2, verbose: 0 },
    );
    expect(history.history.loss?.length).toBe(2);
  });
});
