/**
 * The Keras dataset loaders on small files in the datasets' real formats (written by
 * tools/gen_dataset_fixtures.py with NumPy and pickle), against what Keras's load_data
 * algorithms return for them (expected.json, computed there with NumPy's RandomState).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { datasets } from '../../src/index.js';

const DIR = join(__dirname, '..', 'fixtures', 'datasets');
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8'));
const rows = (t: { arraySync(): unknown }) => t.arraySync();

describe('datasets.imdb / reuters', () => {
  it('imdb: Keras order, start/oov chars, indexFrom', async () => {
    const [[xTrain, yTrain], [xTest, yTest]] = await datasets.imdb.loadData({ path: join(DIR, 'imdb.npz') });
    expect([
      [xTrain, rows(yTrain)],
      [xTest, rows(yTest)],
    ]).toEqual(expected.imdb_default);
  });
  it('imdb: numWords, skipTop, maxlen, seed', async () => {
    const out = await datasets.imdb.loadData({ path: join(DIR, 'imdb.npz'), numWords: 20, skipTop: 5, maxlen: 8, seed: 7 });
    expect(out.map(([x, y]) => [x, rows(y)])).toEqual(expected.imdb_options);
  });
  it('reuters: one shuffled set cut at testSplit', async () => {
    const path = join(DIR, 'reuters.npz');
    expect((await datasets.reuters.loadData({ path })).map(([x, y]) => [x, rows(y)])).toEqual(expected.reuters_default);
    const opts = { path, numWords: 25, maxlen: 9, testSplit: 0.3 };
    expect((await datasets.reuters.loadData(opts)).map(([x, y]) => [x, rows(y)])).toEqual(expected.reuters_options);
  });
  it('getWordIndex reads the JSON', async () => {
    expect(await datasets.imdb.getWordIndex({ path: join(DIR, 'word_index.json') })).toEqual({ the: 1, and: 2 });
  });
  it('a missing file is a clear offline error naming it, and nothing is downloaded', async () => {
    await expect(datasets.imdb.loadData({ path: join(DIR, 'nope.npz') })).rejects.toThrow(
      /nope\.npz not found.*download: true.*imdb\.npz/,
    );
  });
});

describe('datasets.bostonHousing', () => {
  it('shuffles with RandomState(113) and cuts at 80%', async () => {
    const [[xTrain, yTrain], [xTest, yTest]] = await datasets.bostonHousing.loadData({ path: join(DIR, 'boston_housing.npz') });
    const [[ex, ey], [tx, ty]] = expected.boston as number[][][][];
    expect(xTrain.shape).toEqual([7, 13]);
    const close = (a: unknown, b: unknown) =>
      expect((a as number[]).flat(2)).toEqual((b as number[]).flat(2).map((v) => Math.fround(v)));
    close(rows(xTrain), ex);
    close(rows(yTrain), ey);
    close(rows(xTest), tx);
    close(rows(yTest), ty);
  });
});

describe('datasets.fashionMnist / cifar10 / cifar100', () => {
  it('fashion-mnist from the gzipped IDX files', async () => {
    const [[x, y], [xt, yt]] = await datasets.fashionMnist.loadData({ path: join(DIR, 'fashion-mnist') });
    expect(x.shape).toEqual([3, 28, 28]);
    expect((rows(x) as number[][][]).map((img) => img.slice(0, 2).map((r) => r.slice(0, 2)))).toEqual(expected.fashion.train[0]);
    expect(rows(y)).toEqual(expected.fashion.train[1]);
    expect(rows(yt)).toEqual(expected.fashion.t10k[1]);
    expect(xt.shape).toEqual([2, 28, 28]);
  });
  it('cifar10 from the pickled batches, channels last, labels [n, 1]', async () => {
    const [[x, y], [xt, yt]] = await datasets.cifar10.loadData({ path: join(DIR, 'cifar-10-python.tar.gz') });
    expect(x.shape).toEqual([10, 32, 32, 3]);
    expect(y.shape).toEqual([10, 1]);
    const names = ['data_batch_1', 'data_batch_2', 'data_batch_3', 'data_batch_4', 'data_batch_5'];
    const firstRows = (rows(x) as number[][][][]).map((img) => img[0]?.slice(0, 2));
    expect(firstRows).toEqual(names.flatMap((n) => expected.cifar10[n][0]));
    expect((rows(y) as number[][]).flat()).toEqual(names.flatMap((n) => expected.cifar10[n][1]));
    expect((rows(yt) as number[][]).flat()).toEqual(expected.cifar10.test_batch[1]);
    expect(xt.shape).toEqual([2, 32, 32, 3]);
  });
  it('cifar100 fine and coarse labels', async () => {
    const path = join(DIR, 'cifar-100-python.tar.gz');
    const [[x, fine]] = await datasets.cifar100.loadData({ path });
    const [[, coarse], [, coarseTest]] = await datasets.cifar100.loadData({ path, labelMode: 'coarse' });
    expect((rows(x) as number[][][][]).map((img) => img[0]?.slice(0, 2))).toEqual(expected.cifar100.train[0]);
    expect((rows(fine) as number[][]).flat()).toEqual(expected.cifar100.train[1]);
    expect((rows(coarse) as number[][]).flat()).toEqual(expected.cifar100.train[2]);
    expect((rows(coarseTest) as number[][]).flat()).toEqual(expected.cifar100.test[2]);
    await expect(datasets.cifar100.loadData({ path, labelMode: 'medium' as never })).rejects.toThrow(/label_mode/);
  });
});
