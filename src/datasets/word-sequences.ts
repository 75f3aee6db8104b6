/**
 * The shared body of Keras's imdb and reuters `load_data`: a seeded NumPy shuffle, start and OOV
 * characters, `indexFrom` offsets, `maxlen` filtering, `numWords` / `skipTop` capping, exactly
 * as keras/src/datasets/imdb.py does (the same seed gives the same order and the same ids).
 */
import { Tensor } from '../tensor/tensor.js';
import { NumpyRandomState } from './numpy-random.js';

export interface WordSequenceOptions {
  numWords?: number | null;
  skipTop?: number;
  maxlen?: number | null;
  seed?: number;
  startChar?: number | null;
  oovChar?: number | null;
  indexFrom?: number;
}

/** Sequences as arrays of word ids (ragged, like Keras's object arrays) and labels as a Tensor. */
export type WordSplit = [x: number[][], y: Tensor];

function shuffled<T>(xs: T[], ys: Float64Array, rng: NumpyRandomState): [T[], number[]] {
  const p = rng.permutation(xs.length);
  return [Array.from(p, (i) => xs[i] as T), Array.from(p, (i) => ys[i] as number)];
}

export function processWordSequences(
  who: string,
  train: [unknown[], Float64Array],
  test: [unknown[], Float64Array],
  options: WordSequenceOptions,
): [WordSplit, WordSplit] {
  const { skipTop = 0, maxlen = null, seed = 113, startChar = 1, oovChar = 2, indexFrom = 3 } = options;
  const asLists = (xs: unknown[]) => xs.map((x) => (Array.isArray(x) ? (x as number[]) : Array.from(x as ArrayLike<number>)));
  const rng = new NumpyRandomState(seed);
  let [xTrain, yTrain] = shuffled(asLists(train[0]), train[1], rng);
  let [xTest, yTest] = shuffled(asLists(test[0]), test[1], rng);
  const prefix = (xs: number[][]) =>
    startChar !== null
      ? xs.map((x) => [startChar, ...x.map((w) => w + indexFrom)])
      : indexFrom
        ? xs.map((x) => x.map((w) => w + indexFrom))
        : xs;
  xTrain = prefix(xTrain);
  xTest = prefix(xTest);
  if (maxlen) {
    const keep = (xs: number[][], ys: number[]): [number[][], number[]] => {
      const idx = xs.map((x, i) => (x.length < maxlen ? i : -1)).filter((i) => i >= 0);
      return [idx.map((i) => xs[i] as number[]), idx.map((i) => ys[i] as number)];
    };
    [xTrain, yTrain] = keep(xTrain, yTrain);
    [xTest, yTest] = keep(xTest, yTest);
    if (xTrain.length === 0 || xTest.length === 0) {
      throw new Error(
        `${who}: after filtering for sequences shorter than maxlen=${maxlen}, no sequence was kept. Increase maxlen.`,
      );
    }
  }
  const all = [...xTrain, ...xTest];
  const numWords = options.numWords || all.reduce((m, x) => x.reduce((a, w) => Math.max(a, w), m), 0);
  const cap = (x: number[]) =>
    oovChar !== null ? x.map((w) => (skipTop <= w && w < numWords ? w : oovChar)) : x.filter((w) => skipTop <= w && w < numWords);
  const label = (ys: number[]) => new Tensor(Int32Array.from(ys), [ys.length]);
  return [
    [xTrain.map(cap), label(yTrain)],
    [xTest.map(cap), label(yTest)],
  ];
}
