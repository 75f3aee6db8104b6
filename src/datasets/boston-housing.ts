/**
 * `datasets.bostonHousing.loadData({ testSplit = 0.2, seed = 113 })`: Keras's Boston housing
 * prices (506 samples, 13 features) from `boston_housing.npz`, shuffled by NumPy's seeded
 * RandomState exactly as Keras does, then cut at 1 - testSplit. float32 Tensors [n, 13] and [n].
 */
import { Tensor } from '../tensor/tensor.js';
import { type DatasetFileOptions, datasetFile, KERAS_DATASETS_URL } from './dataset-file.js';
import { parseNpz } from './npy.js';
import { NumpyRandomState } from './numpy-random.js';

export type BostonSplit = [x: Tensor, y: Tensor];
export interface BostonLoadOptions extends DatasetFileOptions {
  testSplit?: number;
  seed?: number;
}

export async function loadData(options: BostonLoadOptions = {}): Promise<[train: BostonSplit, test: BostonSplit]> {
  const who = 'datasets.bostonHousing.loadData';
  const file = 'boston_housing.npz';
  const { testSplit = 0.2, seed = 113 } = options;
  if (!(testSplit >= 0 && testSplit < 1)) throw new Error(`${who}: testSplit must be in [0, 1), received ${testSplit}.`);
  const arrays = parseNpz(await datasetFile(who, file, KERAS_DATASETS_URL + file, options), file);
  const x = arrays.get('x');
  const y = arrays.get('y');
  if (!x || !y || !(x.values instanceof Float64Array) || !(y.values instanceof Float64Array) || x.shape.length !== 2) {
    throw new Error(`${who}: ${file} should hold numeric arrays 'x' [n, features] and 'y' [n].`);
  }
  const [n, features] = x.shape as [number, number];
  const order = new NumpyRandomState(seed).permutation(n);
  const cut = Math.floor(n * (1 - testSplit));
  const split = (rows: Int32Array): BostonSplit => {
    const xs = new Float32Array(rows.length * features);
    for (const [i, r] of rows.entries())
      xs.set((x.values as Float64Array).subarray(r * features, (r + 1) * features), i * features);
    return [
      new Tensor(xs, [rows.length, features]),
      new Tensor(
        Float32Array.from(rows, (r) => (y.values as Float64Array)[r] as number),
        [rows.length],
      ),
    ];
  };
  return [split(order.subarray(0, cut)), split(order.subarray(cut))];
}
