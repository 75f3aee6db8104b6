/**
 * `capa evaluate <model> <dir>`: loss and metrics of a saved model on a folder of labelled
 * images, then scikit-learn's classification report and confusion matrix.
 */
import { resolve } from 'node:path';
import * as capa from '../../index.js';
import { plotConfusionMatrix } from '../../plot/confusion-matrix.js';
import type { CommandSpec } from '../args.js';
import { evaluateFolder, pixelOptions, printEvaluation } from '../classify.js';
import { CliError } from '../errors.js';
import { applyMaxImagePixels, inspectClassFolder, MAX_IMAGE_PIXELS_OPTION } from '../image-folder.js';
import { loadModelFile, modelLabels } from '../model-files.js';
import type { Command } from './index.js';

const spec: CommandSpec = {
  name: 'evaluate',
  summary: 'Evaluate a saved model on a folder of images: metrics, classification report, confusion matrix.',
  positionals: [
    {
      name: 'model',
      description: 'a model file (.keras, .h5, model.json); capa-labels.json next to it gives class names and preprocessing',
    },
    { name: 'dir', description: 'folder with one sub-folder of images per class' },
  ],
  options: [
    { name: 'batch-size', short: 'b', kind: 'integer', min: 1, default: 32, description: 'images per batch' },
    { name: 'plot', kind: 'string', valueName: 'FILE', description: 'also draw the confusion matrix to FILE (.svg or .png)' },
    MAX_IMAGE_PIXELS_OPTION,
  ],
  examples: ['capa evaluate capa-train-output/best_model.keras test-photos/', 'capa evaluate model.keras digits/ --plot cm.png'],
};

export const evaluateCommand: Command = {
  spec,
  async run({ positionals, options }) {
    const [modelPath, dir] = positionals as [string, string];
    applyMaxImagePixels(options);
    const folder = await inspectClassFolder(dir);
    const model = await loadModelFile(modelPath);
    const labels = await modelLabels(modelPath, model);
    const outputs = model.outputShapes[0]?.at(-1);
    // Class folders map to the model's classes by name when the model knows them, else in sorted order.
    const known = labels.classes.length > 0 && folder.classes.every((c) => labels.classes.includes(c));
    const classes = known ? labels.classes : folder.classes;
    if (!known && typeof outputs === 'number' && folder.classes.length !== outputs) {
      throw new CliError(`'${dir}' has ${folder.classes.length} class folders but the model predicts ${outputs} classes`);
    }
    const iterator = new capa.preprocessing.image.ImageDataGenerator(pixelOptions(labels.preprocessing)).flowFromDirectory(dir, {
      targetSize: labels.targetSize,
      colorMode: labels.colorMode,
      classes,
      batchSize: Number(options['batch-size']),
      shuffle: false,
    });
    const evaluation = await evaluateFolder(model, iterator, classes);
    printEvaluation(evaluation, (line) => console.log(line));
    if (options.plot) {
      const file = resolve(String(options.plot));
      await plotConfusionMatrix(evaluation.confusion, { labels: classes, toFile: file, title: `${modelPath} on ${dir}` });
      console.log(`Confusion matrix drawn to ${file}`);
    }
  },
};
