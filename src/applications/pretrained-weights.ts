/**
 * `weights: 'imagenet' | path` for the applications: fetches Keras's published file into the cache
 * (verifying its md5) or takes the given file, then loads it by layer name, requiring every layer
 * of the model that has weights to be in the file, so a wrong file (another architecture, or a
 * top/notop mix-up) fails with the missing layers named instead of leaving random weights.
 *
 *   const base = applications.ResNet50({ includeTop: false, weights: null });
 *   await applications.loadPretrainedWeights(base, { application: 'resnet50', weights: 'imagenet', includeTop: false });
 *
 * Loading is asynchronous (downloads, file reads, the HDF5 runtime's start-up), so it cannot run
 * inside the synchronous application builders.
 */
import type { Model } from '../models/functional.js';
import { loadWeights } from '../saving/api.js';
import { SavingError } from '../saving/errors.js';
import { sniffFormat } from '../saving/formats.js';
import { withH5Reader } from '../saving/hdf5/h5-reader.js';
import { readFileBytes } from '../saving/io/node-fs.js';
import { layersMissingFromFile, legacyWeightsGroup, readLegacyWeights } from '../saving/legacy/legacy-weights.js';
import { type ImagenetApplication, publishedWeightsFile } from './published-weights.js';
import { cachedWeightsFile, type WeightsCacheOptions } from './weights-cache.js';

export interface PretrainedWeightsRequest {
  /** Keras's module name: 'vgg16', 'vgg19', 'resnet50', 'mobilenet_v2'. */
  application: ImagenetApplication;
  /** 'imagenet' (Keras's published file) or the path of a weights file. */
  weights: string;
  includeTop: boolean;
  /** MobileNetV2 only. */
  alpha?: number;
  rows?: number;
}

/** Loads ImageNet (or local) weights into an application model built with `weights: null`. */
export async function loadPretrainedWeights(
  model: Model,
  request: PretrainedWeightsRequest,
  options: WeightsCacheOptions = {},
): Promise<void> {
  const path =
    request.weights === 'imagenet'
      ? await cachedWeightsFile(
          publishedWeightsFile(request.application, { includeTop: request.includeTop, alpha: request.alpha, rows: request.rows }),
          options,
        )
      : request.weights;
  const bytes = await readFileBytes(path);
  if (sniffFormat(bytes) !== 'hdf5') return loadWeights(model, path);
  await withH5Reader(bytes, path, async (reader) => {
    const group = legacyWeightsGroup(reader);
    if (group === null) {
      await loadWeights(model, path);
      return;
    }
    const missing = layersMissingFromFile(reader, group, model);
    if (missing.length > 0) {
      throw new SavingError(
        path,
        `has no weights for ${missing.length} layer(s) of ${model.name} (includeTop: ${request.includeTop}), e.g. [${missing
          .slice(0, 5)
          .map((n) => `'${n}'`)
          .join(', ')}]; it is not a weights file for this model.`,
      );
    }
    readLegacyWeights(reader, group, model, { byName: true });
  });
}
