/**
 * `datasets.reuters.loadData(...)`: Keras's Reuters newswires (46 topics) from `reuters.npz`,
 * with load_data's arguments plus `testSplit` (Keras's default 0.2: the data are one shuffled
 * set cut at 80%); `getWordIndex()` reads `reuters_word_index.json`; `getLabelNames()` lists the
 * 46 topics as Keras names them.
 */
import { Tensor } from '../tensor/tensor.js';
import { type DatasetFileOptions, datasetFile, KERAS_DATASETS_URL } from './dataset-file.js';
import { parseNpz } from './npy.js';
import { wordIndex } from './word-dataset.js';
import { processWordSequences, type WordSequenceOptions, type WordSplit } from './word-sequences.js';

export type ReutersLoadOptions = WordSequenceOptions & DatasetFileOptions & { testSplit?: number };

export async function loadData(options: ReutersLoadOptions = {}): Promise<[train: WordSplit, test: WordSplit]> {
  const who = 'datasets.reuters.loadData';
  const file = 'reuters.npz';
  const arrays = parseNpz(await datasetFile(who, file, KERAS_DATASETS_URL + file, options), file);
  const xs = arrays.get('x')?.values;
  const labels = arrays.get('y')?.values;
  if (!Array.isArray(xs) || !(labels instanceof Float64Array))
    throw new Error(`${who}: ${file} should hold an object array 'x' of sequences and numeric labels 'y'.`);
  const testSplit = options.testSplit ?? 0.2;
  if (!(testSplit >= 0 && testSplit <= 1)) throw new Error(`${who}: testSplit must be in [0, 1], received ${testSplit}.`);
  // Keras shuffles the whole set once, then cuts it: the shared body runs on it as the "train" split
  // (the one-sequence stand-in test split only follows it in the generator, so the order is Keras's)
  const [[x, yTensor]] = processWordSequences(who, [xs, labels], [[[]], new Float64Array(1)], options);
  const y = Array.from(yTensor.dataSync());
  const cut = Math.floor(x.length * (1 - testSplit));
  const label = (ys: number[]) => new Tensor(Int32Array.from(ys), [ys.length]);
  return [
    [x.slice(0, cut), label(y.slice(0, cut))],
    [x.slice(cut), label(y.slice(cut))],
  ];
}

export function getWordIndex(options: DatasetFileOptions = {}): Promise<Record<string, number>> {
  return wordIndex('datasets.reuters.getWordIndex', 'reuters_word_index.json', options);
}
