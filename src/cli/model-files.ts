/**
 * Model files for the CLI: loading with a one-line error when the file is not a model, and the
 * small side file `capa-labels.json` that `capa train` writes next to its model so `evaluate`
 * and `predict` know the class names and how images were prepared.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Model } from '../models/functional.js';
import { writeFileAtomic } from '../plot/output.js';
import { loadModel } from '../saving/api.js';
import { CliError } from './errors.js';

/** How pixels were scaled before training: 1/255, or an application's ImageNet preprocessing. */
export type PixelPreprocessing = 'rescale' | 'caffe' | 'tf' | 'torch';

export interface ModelLabels {
  classes: string[];
  colorMode: 'grayscale' | 'rgb';
  targetSize: [number, number];
  preprocessing: PixelPreprocessing;
  architecture?: string;
}

export const LABELS_FILE = 'capa-labels.json';

/** Loads a model, turning any failure into one line that names the file. */
export async function loadModelFile(path: string): Promise<Model> {
  try {
    return await loadModel(path, { compile: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new CliError(
      `cannot load a model from '${path}': ${message.startsWith(path) ? message.slice(path.length).replace(/^:\s*/, '') : message}`,
    );
  }
}

export async function writeModelLabels(folder: string, labels: ModelLabels): Promise<string> {
  const path = join(folder, LABELS_FILE);
  await writeFileAtomic(path, `${JSON.stringify(labels, null, 2)}\n`);
  return path;
}

/**
 * What `capa train` recorded next to the model, else what the model itself says: image size
 * and channels from its input shape, pixels scaled by 1/255, classes numbered.
 */
export async function modelLabels(modelPath: string, model: Model): Promise<ModelLabels> {
  try {
    const text = await readFile(join(dirname(modelPath), LABELS_FILE), 'utf8');
    return JSON.parse(text) as ModelLabels;
  } catch {
    const shape = model.inputShapes[0] ?? [];
    const [height, width, channels] = [shape[1], shape[2], shape[3]];
    if (shape.length !== 4 || typeof height !== 'number' || typeof width !== 'number') {
      throw new CliError(
        `model '${modelPath}' takes input of shape (${shape.map((d) => d ?? 'None').join(', ')}); capa needs an image model with a fixed [height, width, channels] input`,
      );
    }
    const outputs = model.outputShapes[0]?.at(-1) ?? 0;
    return {
      classes: Array.from({ length: outputs ?? 0 }, (_, i) => String(i)),
      colorMode: channels === 1 ? 'grayscale' : 'rgb',
      targetSize: [height, width],
      preprocessing: 'rescale',
    };
  }
}
