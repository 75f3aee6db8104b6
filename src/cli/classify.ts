/**
 * What `demo`, `train`, `evaluate` and `predict` share: pixel preprocessing as recorded for a
 * model, image loading for single files, and the evaluation of a model on a folder iterator
 * (loss and metrics, predictions, sklearn's classification report and confusion matrix).
 */
import { type PreprocessMode, preprocessInput } from '../applications/imagenet-utils.js';
import type { DirectoryIterator } from '../data/iterators/directory-iterator.js';
import { classificationReport, confusionMatrix } from '../evaluation/index.js';
import * as capa from '../index.js';
import type { Model } from '../models/functional.js';
import type { ImageDataGeneratorOptions } from '../preprocessing/image/image-data-generator.js';
import type { Tensor } from '../tensor/tensor.js';
import { formatIntMatrix } from './format.js';
import type { ModelLabels, PixelPreprocessing } from './model-files.js';

/** The ImageDataGenerator options that prepare pixels as the model was trained on them. */
export function pixelOptions(preprocessing: PixelPreprocessing): ImageDataGeneratorOptions {
  if (preprocessing === 'rescale') return { rescale: 1 / 255 };
  const mode: PreprocessMode = preprocessing;
  return { preprocessingFunction: (x: Tensor) => preprocessInput(x, { mode }) };
}

/** Applies the model's pixel preprocessing to a batch of 0..255 images. */
export function preprocessBatch(x: Tensor, preprocessing: PixelPreprocessing): Tensor {
  if (preprocessing === 'rescale') return x.div(255);
  return preprocessInput(x, { mode: preprocessing });
}

/** Loads image files into one batch [n, height, width, channels] of 0..255 values. */
export async function loadImageBatch(paths: readonly string[], labels: ModelLabels): Promise<Tensor> {
  const images: Tensor[] = [];
  for (const path of paths) {
    const image = await capa.preprocessing.image.loadImg(path, { targetSize: labels.targetSize, colorMode: labels.colorMode });
    images.push(capa.preprocessing.image.imgToArray(image));
  }
  return capa.ops.stack(images, 0);
}

/** The index of the largest value of each row. */
export function argmaxRows(probabilities: Tensor): Int32Array {
  return Int32Array.from(capa.ops.argmax(probabilities, -1).dataSync());
}

export interface FolderEvaluation {
  metrics: Record<string, number>;
  /** True class of each image, in file order. */
  yTrue: Int32Array;
  /** Predicted class of each image, in file order. */
  yPred: Int32Array;
  probabilities: Tensor;
  report: string;
  confusion: number[][];
  accuracy: number;
}

/**
 * Evaluates a model on an unshuffled folder iterator: `model.evaluate`, then `model.predict`
 * and sklearn's report and confusion matrix on the same files in the same order.
 */
export async function evaluateFolder(
  model: Model,
  iterator: DirectoryIterator,
  classNames: readonly string[],
): Promise<FolderEvaluation> {
  if (iterator.shuffle)
    throw new Error('evaluateFolder: the iterator must not shuffle (predictions must line up with .classes).');
  iterator.reset();
  const metrics = await model.evaluate(iterator, { verbose: 1 });
  iterator.reset();
  const probabilities = await model.predict(iterator, { verbose: 1 });
  const yPred = argmaxRows(probabilities);
  const yTrue = Int32Array.from(iterator.classes);
  const labels = classNames.map((_, i) => i);
  const report = classificationReport(yTrue, yPred, { labels, targetNames: [...classNames] });
  const confusion = confusionMatrix(yTrue, yPred, { labels });
  const correct = yTrue.reduce((n, t, i) => n + (t === yPred[i] ? 1 : 0), 0);
  return { metrics, yTrue, yPred, probabilities, report, confusion, accuracy: correct / yTrue.length };
}

/** Prints the evaluation as the notebook would: metrics, report, confusion matrix. */
export function printEvaluation(evaluation: FolderEvaluation, print: (line: string) => void): void {
  const metrics = Object.entries(evaluation.metrics)
    .map(([name, value]) => `${name}: ${value.toFixed(4)}`)
    .join(' - ');
  print(`evaluate: ${metrics}`);
  print('');
  print('classification_report:');
  print(evaluation.report.trimEnd());
  print('');
  print('confusion_matrix (rows: true class, columns: predicted):');
  print(formatIntMatrix(evaluation.confusion));
}
