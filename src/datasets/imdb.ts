/**
 * `datasets.imdb.loadData(...)`: Keras's IMDB reviews (25,000 train / 25,000 test, word ids by
 * frequency) from Keras's own `imdb.npz`, with load_data's arguments; `getWordIndex()` reads
 * `imdb_word_index.json`. Sequences come back as arrays of ids (ragged, like Keras's object
 * arrays; `utils.padSequences` makes a Tensor), labels as an int32 Tensor.
 */
import type { DatasetFileOptions } from './dataset-file.js';
import { loadWordSequences, wordIndex } from './word-dataset.js';
import type { WordSequenceOptions, WordSplit } from './word-sequences.js';

export type ImdbLoadOptions = WordSequenceOptions & DatasetFileOptions;

export function loadData(options: ImdbLoadOptions = {}): Promise<[train: WordSplit, test: WordSplit]> {
  return loadWordSequences('datasets.imdb.loadData', 'imdb.npz', options);
}

/** word -> id (before `indexFrom`), from imdb_word_index.json. */
export function getWordIndex(options: DatasetFileOptions = {}): Promise<Record<string, number>> {
  return wordIndex('datasets.imdb.getWordIndex', 'imdb_word_index.json', options);
}
