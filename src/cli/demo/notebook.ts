/**
 * The first half of `capa demo`: the cells of the user's notebook "Redes profundas" (the same
 * cells as examples/01-redes-profundas.ts): Dense networks and their summaries, VGG19 built
 * block by block with a real forward pass, and the transfer-learning model on a frozen ResNet50.
 */
import * as capa from '../../index.js';
import { formatPythonShape } from '../../layers/engine/symbolic.js';
import type { Model } from '../../models/functional.js';
import { ProgressBar } from '../progress.js';

const { Conv2D, Dense, Dropout, Flatten, GlobalAveragePooling2D, MaxPooling2D } = capa.layers;

export interface NotebookModels {
  vgg19: Model;
  transfer: Model;
}

/** Applies a Sequential layer by layer so a long forward pass shows a progress bar. */
function applyWithProgress(model: capa.Sequential, x: capa.Tensor, label: string): capa.Tensor {
  const bar = new ProgressBar(label, model.layers.length, { unit: 'layers' });
  let y = x;
  for (const layer of model.layers) {
    y = layer.apply(y) as capa.Tensor;
    bar.tick();
  }
  bar.done();
  return y;
}

/** Runs the notebook's cells, printing what the notebook shows; returns the models worth drawing. */
export function runNotebookCells(print: (line: string) => void): NotebookModels {
  capa.clearSession();
  capa.setSeed(0);
  const cell = (number: string, code: string) => print(`\nIn [${number}]: ${code}`);
  const summary = (model: Model) => model.summary({ printFn: print });

  // The saved notebook's first model prints as dense_3 in sequential_2: earlier cells had made one.
  new capa.Sequential([new Dense(1, { inputDim: 100 }), new Dense(1)]);

  cell('4', 'model = Sequential(); model.add(Dense(1, input_dim=100, activation="sigmoid")); model.summary()');
  let model = new capa.Sequential();
  model.add(new Dense(1, { inputDim: 100, activation: 'sigmoid' }));
  summary(model);

  cell('5', 'model(keras.backend.random_normal((1, 100)))');
  const y = model.apply(capa.randomNormal([1, 100])) as capa.Tensor;
  print(y.toString());

  cell('6', 'a deep network: Dense(100, sigmoid) -> Dense(1, sigmoid)');
  model = new capa.Sequential();
  model.add(new Dense(100, { inputDim: 100, activation: 'sigmoid' }));
  model.add(new Dense(1, { inputDim: 100, activation: 'sigmoid' }));
  summary(model);

  cell('7', 'multiclass: Dense(100, sigmoid) -> Dense(10, softmax)');
  model = new capa.Sequential();
  model.add(new Dense(100, { inputDim: 100, activation: 'sigmoid' }));
  model.add(new Dense(10, { inputDim: 100, activation: 'softmax' }));
  summary(model);

  const vgg19 = new capa.Sequential();
  const conv = (filters: number, first = false) =>
    new Conv2D(filters, [3, 3], {
      ...(first ? { inputShape: [224, 224, 3] } : {}),
      strides: [1, 1],
      activation: 'relu',
      padding: 'same',
    });
  const pool = () => new MaxPooling2D([2, 2], { strides: [2, 2] });
  cell('10', 'VGG19, blocks 1 and 2');
  vgg19.add(conv(64, true));
  vgg19.add(conv(64));
  vgg19.add(pool());
  vgg19.add(conv(128));
  vgg19.add(conv(128));
  vgg19.add(pool());
  summary(vgg19);

  cell('11', 'modelVGG19(keras.backend.random_normal((1, 224, 224, 3))).shape');
  const out = applyWithProgress(vgg19, capa.randomNormal([1, 224, 224, 3]), 'VGG19 blocks 1-2 forward');
  print(formatPythonShape(out.shape));

  cell('12-15', 'blocks 3, 4 and 5');
  for (const filters of [256, 512, 512]) {
    for (let i = 0; i < 4; i++) vgg19.add(conv(filters));
    vgg19.add(pool());
  }
  print(`modelVGG19.output_shape = ${formatPythonShape(vgg19.outputShape)}`);
  print(`trainable parameters so far: ${vgg19.countParams().toLocaleString('en-US')}`);

  cell('17-21', 'Flatten, Dense(4096), Dense(4096), Dense(1000, softmax)');
  vgg19.add(new Flatten());
  print(`modelVGG19.output_shape[1] == (7 * 7 * 512): ${vgg19.outputShape[1] === 7 * 7 * 512 ? 'True' : 'False'}`);
  vgg19.add(new Dense(4096, { activation: 'relu' }));
  vgg19.add(new Dense(4096, { activation: 'relu' }));
  vgg19.add(new Dense(1000, { activation: 'softmax' }));
  summary(vgg19);

  cell('transfer', 'ResNet50(include_top=False) frozen, GlobalAveragePooling2D, Dense, Dropout, Dense');
  const base = capa.applications.ResNet50({ includeTop: false, weights: null, inputShape: [224, 224, 3] });
  base.trainable = false;
  const input = capa.Input({ shape: [224, 224, 3] });
  let x = base.apply(input) as capa.SymbolicTensor;
  x = new GlobalAveragePooling2D().apply(x) as capa.SymbolicTensor;
  x = new Dense(256, { activation: 'relu' }).apply(x) as capa.SymbolicTensor;
  x = new Dropout(0.5).apply(x) as capa.SymbolicTensor;
  const output = new Dense(10, { activation: 'softmax' }).apply(x) as capa.SymbolicTensor;
  const transfer = new capa.Model({ inputs: input, outputs: output, name: 'resnet50_transfer' });
  summary(transfer);
  print(
    '(weights: null here: ImageNet weights need a download; `capa train --architecture resnet50 --weights FILE` takes a local file.)',
  );
  return { vgg19, transfer };
}
