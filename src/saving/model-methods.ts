/**
 * Adds `save`, `saveWeights` and `loadWeights` to every Model (functional and Sequential) by
 * prototype augmentation, as ops/chain.ts does for Tensor. Imported for its side effect by
 * src/index.ts.
 */
import { Model } from '../models/functional.js';
import { type LoadWeightsOptions, loadWeights, type SaveOptions, saveModel, saveWeights } from './api.js';

declare module '../models/functional.js' {
  interface Model {
    /**
     * Saves the model: `.keras` (Keras 3, recommended), `.h5` (legacy Keras 2 HDF5), or a folder /
     * `model.json` (TensorFlow.js layers format). Written atomically.
     */
    save(path: string, options?: SaveOptions): Promise<void>;
    /** Saves the weights: `.weights.h5` (Keras 3 layout, optimizer state included) or `.h5` (Keras 2 layout). */
    saveWeights(path: string, options?: SaveOptions): Promise<void>;
    /** Loads weights from `.weights.h5`, `.h5` (by position, or `byName`), or `.keras`. */
    loadWeights(path: string, options?: LoadWeightsOptions): Promise<void>;
  }
}

Model.prototype.save = function save(this: Model, path: string, options?: SaveOptions): Promise<void> {
  return saveModel(this, path, options);
};

Model.prototype.saveWeights = function saveWeightsMethod(this: Model, path: string, options?: SaveOptions): Promise<void> {
  return saveWeights(this, path, options);
};

Model.prototype.loadWeights = function loadWeightsMethod(this: Model, path: string, options?: LoadWeightsOptions): Promise<void> {
  return loadWeights(this, path, options);
};
