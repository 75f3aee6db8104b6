/**
 * Models from the notebook "Redes profundas" (seed/redes-profundas-keras-notebook.md) whose
 * summaries the browser must print exactly as Node does: built by the same code on both sides.
 */
import * as capa from '../../../src/index.js';

const { Dense, Conv2D, MaxPooling2D } = capa.layers;

/** The notebook's Dense model (100 -> 100 sigmoid -> 10 softmax). */
export function denseModel(): capa.Sequential {
  const model = new capa.Sequential();
  model.add(new Dense(100, { inputDim: 100, activation: 'sigmoid' }));
  model.add(new Dense(10, { inputDim: 100, activation: 'softmax' }));
  return model;
}

/** The notebook's first two VGG19 blocks. */
export function vgg19Blocks(): capa.Sequential {
  const model = new capa.Sequential();
  const conv = (filters: number, first = false) =>
    new Conv2D(filters, [3, 3], {
      ...(first ? { inputShape: [224, 224, 3] } : {}),
      strides: [1, 1],
      activation: 'relu',
      padding: 'same',
    });
  model.add(conv(64, true));
  model.add(conv(64));
  model.add(new MaxPooling2D([2, 2], { strides: [2, 2] }));
  model.add(conv(128));
  model.add(conv(128));
  model.add(new MaxPooling2D([2, 2], { strides: [2, 2] }));
  return model;
}

/** Both summaries, after clearSession so the automatic names match on both sides. */
export function notebookSummaries(): { dense: string; vgg19: string } {
  capa.clearSession();
  const quiet = { printFn: () => undefined };
  return { dense: denseModel().summary(quiet), vgg19: vgg19Blocks().summary(quiet) };
}

/** A small classifier saved by Node and loaded by the page (fixed seed: the same weights everywhere). */
export function smallClassifier(): capa.Sequential {
  capa.setSeed(7);
  const model = new capa.Sequential();
  model.add(new Dense(16, { inputShape: [4], activation: 'relu' }));
  model.add(new Dense(3, { activation: 'softmax' }));
  return model;
}

/** Inputs the page and Node both predict on. */
export function probeInputs(): capa.Tensor {
  return capa.tensor(
    Array.from({ length: 24 }, (_, i) => Math.sin(i * 0.7)),
    [6, 4],
  );
}
