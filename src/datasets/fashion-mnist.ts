/**
 * `datasets.fashionMnist.loadData()`: Zalando's Fashion-MNIST (60,000 / 10,000 28x28 grayscale
 * images, 10 classes) from the four gzipped IDX files Keras downloads, in `path` (a folder) or
 * `~/.capa/datasets/fashion-mnist/`. Like mnist: float32 images 0..255 [n, 28, 28], int32 labels.
 */

import { nodeModules } from '../io/node.js';
import { Tensor } from '../tensor/tensor.js';
import { type DatasetFileOptions, datasetCacheDir, datasetFile, KERAS_DATASETS_URL } from './dataset-file.js';
import { type IdxArray, parseIdx } from './idx.js';

export type FashionSplit = [x: Tensor, y: Tensor];

const FILES = [
  'train-labels-idx1-ubyte.gz',
  'train-images-idx3-ubyte.gz',
  't10k-labels-idx1-ubyte.gz',
  't10k-images-idx3-ubyte.gz',
] as const;

export async function loadData(options: DatasetFileOptions = {}): Promise<[train: FashionSplit, test: FashionSplit]> {
  const who = 'datasets.fashionMnist.loadData';
  const { path, zlib } = await nodeModules();
  const dir = options.path ?? path.join(await datasetCacheDir(), 'fashion-mnist');
  const read = async (name: string) => {
    const bytes = await datasetFile(who, name, `${KERAS_DATASETS_URL}fashion-mnist/${name}`, {
      path: path.join(dir, name),
      download: options.download,
    });
    return parseIdx(new Uint8Array(zlib.gunzipSync(bytes)), name);
  };
  const [trainLabels, trainImages, testLabels, testImages] = (await Promise.all(FILES.map(read))) as [
    IdxArray,
    IdxArray,
    IdxArray,
    IdxArray,
  ];
  const split = (images: IdxArray, labels: IdxArray): FashionSplit => {
    if (images.shape.length !== 3 || labels.shape[0] !== images.shape[0])
      throw new Error(`${who}: image and label files do not match ([${images.shape}] vs [${labels.shape}]).`);
    return [new Tensor(Float32Array.from(images.data), images.shape), new Tensor(Int32Array.from(labels.data), labels.shape)];
  };
  return [split(trainImages, trainLabels), split(testImages, testLabels)];
}
