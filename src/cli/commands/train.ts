/**
 * `capa train <dir>`: trains an image classifier on a folder with one sub-folder per class,
 * through ImageDataGenerator (optional augmentation, validation split) and ModelCheckpoint,
 * then reports on the validation images and writes the model, its labels and pictures.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import * as capa from '../../index.js';
import { plotConfusionMatrix } from '../../plot/confusion-matrix.js';
import { plotHistory } from '../../plot/history.js';
import { plotModel } from '../../plot/plot-model.js';
import type { ImageDataGeneratorOptions } from '../../preprocessing/image/image-data-generator.js';
import { ARCHITECTURES, findArchitecture } from '../architectures.js';
import type { CommandSpec, OptionValues } from '../args.js';
import { evaluateFolder, pixelOptions, printEvaluation } from '../classify.js';
import { CliError, usageError } from '../errors.js';
import { formatSeconds } from '../format.js';
import { applyMaxImagePixels, inspectClassFolder, MAX_IMAGE_PIXELS_OPTION } from '../image-folder.js';
import { loadModelFile, type ModelLabels, writeModelLabels } from '../model-files.js';
import { prepareOutputFolder } from '../output-folder.js';
import type { Command } from './index.js';

const spec: CommandSpec = {
  name: 'train',
  summary: 'Train an image classifier on a folder of images (one sub-folder per class).',
  positionals: [{ name: 'dir', description: 'folder with one sub-folder of images per class (png, jpg, bmp, ppm, tif)' }],
  options: [
    {
      name: 'architecture',
      short: 'a',
      kind: 'string',
      default: 'cnn',
      valueName: 'NAME',
      description: `network: ${ARCHITECTURES.map((a) => a.name).join(', ')}`,
    },
    {
      name: 'weights',
      kind: 'string',
      valueName: 'FILE',
      description:
        "application weights: a Keras 'notop' .h5 file, or 'imagenet' (from ~/.capa/models, else a download); without it the base starts random and is trained",
    },
    {
      name: 'fine-tune',
      kind: 'boolean',
      description: "train the application's layers too (default: frozen when --weights is given)",
    },
    {
      name: 'image-size',
      kind: 'string',
      valueName: 'HxW',
      description: 'resize images to H x W, or N for N x N (default: 64 for cnn, 32 for mlp, 96 for applications)',
    },
    {
      name: 'color-mode',
      kind: 'string',
      choices: ['auto', 'rgb', 'grayscale'],
      default: 'auto',
      description: 'channels (auto: grayscale if the first image is)',
    },
    { name: 'epochs', short: 'e', kind: 'integer', min: 1, default: 10, description: 'training epochs' },
    { name: 'batch-size', short: 'b', kind: 'integer', min: 1, default: 32, description: 'images per step' },
    { name: 'learning-rate', kind: 'number', min: 0, default: 0.001, description: 'Adam learning rate' },
    {
      name: 'validation-split',
      kind: 'number',
      min: 0,
      max: 0.9,
      default: 0.2,
      description: 'fraction of each class held out for validation',
    },
    { name: 'augment', kind: 'boolean', description: 'turn on a standard augmentation (rotation 10, shift 0.1, zoom 0.1)' },
    { name: 'rotation', kind: 'number', min: 0, max: 180, valueName: 'DEG', description: 'random rotation range in degrees' },
    {
      name: 'shift',
      kind: 'number',
      min: 0,
      max: 1,
      valueName: 'FRAC',
      description: 'random width/height shift, fraction of the size',
    },
    { name: 'zoom', kind: 'number', min: 0, max: 1, valueName: 'FRAC', description: 'random zoom range' },
    { name: 'flip', kind: 'boolean', description: 'random horizontal flips' },
    {
      name: 'output',
      short: 'o',
      kind: 'string',
      valueName: 'DIR',
      default: 'capa-train-output',
      description: 'folder for best_model.keras, capa-labels.json and pictures',
    },
    { name: 'seed', kind: 'integer', min: 0, default: 1, description: 'random seed' },
    MAX_IMAGE_PIXELS_OPTION,
  ],
  examples: [
    'capa train photos/ --epochs 5 --augment',
    'capa train photos/ --architecture resnet50 --weights resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5 --image-size 128',
    'capa train digits/ --image-size 28 --color-mode grayscale --rotation 10 --zoom 0.1',
  ],
};

function parseImageSize(text: string | undefined, fallback: number): [number, number] {
  if (text === undefined) return [fallback, fallback];
  const match = /^(\d+)(?:x(\d+))?$/i.exec(text.trim());
  if (!match) throw usageError(`--image-size expects N or HxW (e.g. 64 or 96x128); received '${text}'`, 'train');
  const height = Number(match[1]);
  const width = Number(match[2] ?? match[1]);
  if (height < 1 || width < 1 || height > 4096 || width > 4096)
    throw usageError(`--image-size ${text} is out of range (1 to 4096)`, 'train');
  return [height, width];
}

function augmentation(options: OptionValues): ImageDataGeneratorOptions {
  const preset = Boolean(options.augment);
  return {
    rotationRange: (options.rotation as number | undefined) ?? (preset ? 10 : 0),
    widthShiftRange: (options.shift as number | undefined) ?? (preset ? 0.1 : 0),
    heightShiftRange: (options.shift as number | undefined) ?? (preset ? 0.1 : 0),
    zoomRange: (options.zoom as number | undefined) ?? (preset ? 0.1 : 0),
    horizontalFlip: Boolean(options.flip),
  };
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function imageChannels(file: string): Promise<number> {
  const image = await capa.preprocessing.image.loadImg(file, { colorMode: 'rgb' });
  const pixels = capa.preprocessing.image.imgToArray(image).dataSync();
  // Grey images decode to three equal channels.
  for (let i = 0; i < pixels.length; i += 3) if (pixels[i] !== pixels[i + 1] || pixels[i] !== pixels[i + 2]) return 3;
  return 1;
}

export const trainCommand: Command = {
  spec,
  async run({ positionals, options }) {
    const started = performance.now();
    const dir = positionals[0]!;
    const architecture = findArchitecture(String(options.architecture));
    applyMaxImagePixels(options);
    const folder = await inspectClassFolder(dir);
    if (folder.classes.length < 2)
      throw new CliError(`'${dir}' has one class ('${folder.classes[0]}'); a classifier needs at least two class sub-folders`);
    const imageSize = parseImageSize(options['image-size'] as string | undefined, architecture.defaultSize);
    let colorMode = String(options['color-mode']) as 'auto' | 'rgb' | 'grayscale';
    if (colorMode === 'auto')
      colorMode = architecture.rgbOnly || (await imageChannels(folder.firstImage)) === 3 ? 'rgb' : 'grayscale';
    if (architecture.rgbOnly && colorMode === 'grayscale')
      throw new CliError(`${architecture.name} takes RGB images; drop --color-mode grayscale`);
    const weights = (options.weights as string | undefined) ?? null;
    if (weights !== null && weights !== 'imagenet' && !(await isFile(weights)))
      throw new CliError(`weights file '${weights}' does not exist`);
    if (weights !== null && architecture.preprocessing === 'rescale')
      throw new CliError(
        `--weights applies to the applications (resnet50, vgg16, vgg19, mobilenetv2), not to ${architecture.name}`,
      );
    let fineTune = Boolean(options['fine-tune']);
    if (architecture.rgbOnly && weights === null) {
      console.log(
        `Note: no --weights given, so ${architecture.name} starts from random weights and all of it is trained. ` +
          "Pass --weights imagenet (read from ~/.capa/models, else downloaded) or the Keras 'notop' .h5 file for a pretrained base.",
      );
      fineTune = true;
    }
    const output = resolve(String(options.output));
    await prepareOutputFolder(output);
    capa.setSeed(Number(options.seed));
    const validationSplit = Number(options['validation-split']);
    const pixels = pixelOptions(architecture.preprocessing);
    const { ImageDataGenerator } = capa.preprocessing.image;
    const generator = new ImageDataGenerator({ ...pixels, ...augmentation(options), validationSplit, augmentValidation: false });
    const flow = { targetSize: imageSize, colorMode, batchSize: Number(options['batch-size']), seed: Number(options.seed) };
    const train = generator.flowFromDirectory(dir, { ...flow, subset: validationSplit > 0 ? 'training' : null });
    const validation =
      validationSplit > 0 ? generator.flowFromDirectory(dir, { ...flow, subset: 'validation', shuffle: false }) : null;
    const hasValidation = validation !== null && validation.samples > 0;
    if (validationSplit > 0 && !hasValidation)
      console.log('Note: the validation split left no validation images (too few per class); training without validation.');

    const model = await architecture.build({
      imageSize,
      channels: colorMode === 'rgb' ? 3 : 1,
      classes: train.numClasses,
      weights,
      fineTune,
    });
    model.compile({
      optimizer: new capa.optimizers.Adam({ learningRate: Number(options['learning-rate']) }),
      loss: 'categorical_crossentropy',
      metrics: ['accuracy'],
    });
    model.summary({ printFn: (line: string) => console.log(line) });
    const bestPath = resolve(output, 'best_model.keras');
    const monitor = hasValidation ? 'val_loss' : 'loss';
    const checkpoint = new capa.callbacks.ModelCheckpoint({ filepath: bestPath, monitor, saveBestOnly: true, verbose: 1 });
    const history = await model.fit(train, {
      epochs: Number(options.epochs),
      ...(hasValidation ? { validationData: validation } : {}),
      callbacks: [checkpoint],
      verbose: 1,
    });
    const labels: ModelLabels = {
      classes: Object.keys(train.classIndices),
      colorMode,
      targetSize: imageSize,
      preprocessing: architecture.preprocessing,
      architecture: architecture.name,
    };
    await writeModelLabels(output, labels);
    const written = ['best_model.keras', 'capa-labels.json'];
    await plotHistory(history, { toFile: resolve(output, 'history.png'), title: `${architecture.name} on ${dir}` });
    await plotModel(model, { toFile: resolve(output, 'model.png'), showShapes: true, showTrainable: true });
    written.push('history.png', 'model.png');

    if (hasValidation) {
      console.log('\nThe best checkpoint on the validation images:');
      const best = await loadModelFile(bestPath);
      const evaluation = await evaluateFolder(best, validation, labels.classes);
      printEvaluation(evaluation, (line) => console.log(line));
      await plotConfusionMatrix(evaluation.confusion, {
        labels: labels.classes,
        toFile: resolve(output, 'confusion_matrix.png'),
        title: 'Validation images',
      });
      written.push('confusion_matrix.png');
    }
    console.log(`\nWrote to ${output}/: ${written.join(', ')} (${formatSeconds((performance.now() - started) / 1000)})`);
  },
};
