/**
 * The architectures `capa train` offers: two small networks trained from scratch, and transfer
 * learning on a Keras application (base without its top, frozen, then GlobalAveragePooling2D,
 * Dense, Dropout and a softmax classifier — the notebook's recipe).
 */
import * as capa from '../index.js';
import type { Model } from '../models/functional.js';
import { CliError } from './errors.js';
import type { PixelPreprocessing } from './model-files.js';

export interface ArchitectureRequest {
  imageSize: [number, number];
  channels: number;
  classes: number;
  /** Application weights: 'imagenet', a local file, or null for random initialization. */
  weights: string | null;
  /** Train the application's layers too (otherwise they are frozen). */
  fineTune: boolean;
}

export interface Architecture {
  name: string;
  description: string;
  /** Default square image size. */
  defaultSize: number;
  /** Applications need RGB input. */
  rgbOnly: boolean;
  preprocessing: PixelPreprocessing;
  build(request: ArchitectureRequest): Promise<Model>;
}

const { Conv2D, Dense, Dropout, Flatten, GlobalAveragePooling2D, MaxPooling2D } = capa.layers;

function classifierHead(features: capa.SymbolicTensor, classes: number): capa.SymbolicTensor {
  let x = new GlobalAveragePooling2D().apply(features) as capa.SymbolicTensor;
  x = new Dense(256, { activation: 'relu' }).apply(x) as capa.SymbolicTensor;
  x = new Dropout(0.5).apply(x) as capa.SymbolicTensor;
  return new Dense(classes, { activation: 'softmax' }).apply(x) as capa.SymbolicTensor;
}

type ApplicationFactory = capa.applications.ApplicationBuilder<capa.applications.ApplicationOptions>;

function transfer(
  name: string,
  label: string,
  factory: ApplicationFactory,
  preprocessing: PixelPreprocessing,
  minSize: number,
): Architecture {
  return {
    name,
    description: `transfer learning on ${label} (no top; frozen unless --fine-tune), GlobalAveragePooling2D, Dense(256), Dropout, Dense`,
    defaultSize: 96,
    rgbOnly: true,
    preprocessing,
    async build({ imageSize, classes, weights, fineTune }) {
      if (imageSize[0] < minSize || imageSize[1] < minSize) {
        throw new CliError(
          `${label} needs images of at least ${minSize}x${minSize}; got ${imageSize[0]}x${imageSize[1]} (use --image-size)`,
        );
      }
      const inputShape = [imageSize[0], imageSize[1], 3];
      let base: Model;
      try {
        base = await factory({ includeTop: false, weights, inputShape });
      } catch (error) {
        throw new CliError(`cannot load ${label} weights: ${(error as Error).message}`);
      }
      base.trainable = fineTune;
      const input = capa.Input({ shape: inputShape });
      const output = classifierHead(base.apply(input) as capa.SymbolicTensor, classes);
      return new capa.Model({ inputs: input, outputs: output, name: `${name}_transfer` });
    },
  };
}

export const ARCHITECTURES: readonly Architecture[] = [
  {
    name: 'cnn',
    description: 'a small CNN from scratch: 3 conv/pool stages (32, 64, 128 filters), global pooling, dropout, softmax',
    defaultSize: 64,
    rgbOnly: false,
    preprocessing: 'rescale',
    async build({ imageSize, channels, classes }) {
      const input = capa.Input({ shape: [imageSize[0], imageSize[1], channels] });
      let x = input;
      for (const filters of [32, 64, 128]) {
        x = new Conv2D(filters, 3, { activation: 'relu', padding: 'same' }).apply(x) as capa.SymbolicTensor;
        if (filters !== 128) x = new MaxPooling2D(2).apply(x) as capa.SymbolicTensor;
      }
      x = new GlobalAveragePooling2D().apply(x) as capa.SymbolicTensor;
      x = new Dropout(0.3).apply(x) as capa.SymbolicTensor;
      const output = new Dense(classes, { activation: 'softmax' }).apply(x) as capa.SymbolicTensor;
      return new capa.Model({ inputs: input, outputs: output, name: 'cnn' });
    },
  },
  {
    name: 'mlp',
    description: 'a multilayer perceptron: Flatten, Dense(256), Dropout, Dense(128), softmax',
    defaultSize: 32,
    rgbOnly: false,
    preprocessing: 'rescale',
    async build({ imageSize, channels, classes }) {
      return new capa.Sequential(
        [
          new Flatten({ inputShape: [imageSize[0], imageSize[1], channels] }),
          new Dense(256, { activation: 'relu' }),
          new Dropout(0.3),
          new Dense(128, { activation: 'relu' }),
          new Dense(classes, { activation: 'softmax' }),
        ],
        { name: 'mlp' },
      );
    },
  },
  transfer('resnet50', 'ResNet50', capa.applications.ResNet50, 'caffe', 32),
  transfer('vgg16', 'VGG16', capa.applications.VGG16, 'caffe', 32),
  transfer('vgg19', 'VGG19', capa.applications.VGG19, 'caffe', 32),
  transfer('mobilenetv2', 'MobileNetV2', capa.applications.MobileNetV2, 'tf', 32),
];

export function findArchitecture(name: string): Architecture {
  const architecture = ARCHITECTURES.find((a) => a.name === name.toLowerCase());
  if (!architecture) {
    throw new CliError(`unknown architecture '${name}'; choose one of: ${ARCHITECTURES.map((a) => a.name).join(', ')}`);
  }
  return architecture;
}
