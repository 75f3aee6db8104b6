/** `datasets.cifar100.loadData({ labelMode = 'fine' })`: 100 fine or 20 coarse classes (Keras's files). */
import { type CifarSplit, cifarArchive, cifarBatches, member } from './cifar.js';
import type { DatasetFileOptions } from './dataset-file.js';

const FILE = 'cifar-100-python.tar.gz';
const URL = 'https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz';

export interface Cifar100LoadOptions extends DatasetFileOptions {
  labelMode?: 'fine' | 'coarse';
}

export async function loadData(options: Cifar100LoadOptions = {}): Promise<[train: CifarSplit, test: CifarSplit]> {
  const who = 'datasets.cifar100.loadData';
  const labelMode = options.labelMode ?? 'fine';
  if (labelMode !== 'fine' && labelMode !== 'coarse') {
    throw new Error(`${who}: \`label_mode\` must be one of \`"fine"\`, \`"coarse"\`. Received: label_mode=${String(labelMode)}.`);
  }
  const archive = await cifarArchive(who, FILE, URL, options);
  const key = `${labelMode}_labels`;
  const read = (name: string) => cifarBatches(who, [member(archive, `cifar-100-python/${name}`, who, FILE)], [name], key);
  return [read('train'), read('test')];
}
