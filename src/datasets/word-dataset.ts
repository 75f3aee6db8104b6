/** Reading Keras's imdb.npz / reuters.npz and their word-index JSON files. */
import { type DatasetFileOptions, datasetFile, KERAS_DATASETS_URL } from './dataset-file.js';
import { parseNpz } from './npy.js';
import { processWordSequences, type WordSequenceOptions, type WordSplit } from './word-sequences.js';

export async function loadWordSequences(
  who: string,
  file: string,
  options: WordSequenceOptions & DatasetFileOptions,
): Promise<[WordSplit, WordSplit]> {
  const arrays = parseNpz(await datasetFile(who, file, KERAS_DATASETS_URL + file, options), file);
  const get = (name: string) => {
    const a = arrays.get(name);
    if (!a) throw new Error(`${who}: ${file} has no array '${name}' (it holds ${[...arrays.keys()].join(', ')}).`);
    return a;
  };
  const xTrain = get('x_train').values;
  const xTest = get('x_test').values;
  const yTrain = get('y_train').values;
  const yTest = get('y_test').values;
  if (!Array.isArray(xTrain) || !Array.isArray(xTest) || !(yTrain instanceof Float64Array) || !(yTest instanceof Float64Array)) {
    throw new Error(`${who}: ${file} should hold object arrays of sequences x_train/x_test and numeric labels y_train/y_test.`);
  }
  return processWordSequences(who, [xTrain, yTrain], [xTest, yTest], options);
}

export async function wordIndex(who: string, file: string, options: DatasetFileOptions): Promise<Record<string, number>> {
  const bytes = await datasetFile(who, file, KERAS_DATASETS_URL + file, options);
  return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, number>;
}
