/** `datasets.cifar10.loadData()`: 50,000 / 10,000 32x32 colour images of 10 classes (Keras's files). */
import { type CifarSplit, cifarArchive, cifarBatches, member } from './cifar.js';
import type { DatasetFileOptions } from './dataset-file.js';

const FILE = 'cifar-10-python.tar.gz';
const URL = 'https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz';

export async function loadData(options: DatasetFileOptions = {}): Promise<[train: CifarSplit, test: CifarSplit]> {
  const who = 'datasets.cifar10.loadData';
  const archive = await cifarArchive(who, FILE, URL, options);
  const trainNames = [1, 2, 3, 4, 5].map((i) => `cifar-10-batches-py/data_batch_${i}`);
  const train = cifarBatches(
    who,
    trainNames.map((n) => member(archive, n, who, FILE)),
    trainNames,
    'labels',
  );
  const testName = 'cifar-10-batches-py/test_batch';
  const test = cifarBatches(who, [member(archive, testName, who, FILE)], [testName], 'labels');
  return [train, test];
}
