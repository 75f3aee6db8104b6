/**
 * The sample files whose layout tools/keras_h5py_check.py verifies with h5py (the committed
 * result is test/fixtures/saving/h5py-check.json). Deterministic: same models, same weights.
 */
import { clearSession, type Model } from '../../../src/index.js';
import { saveModel, saveWeights } from '../../../src/saving/api.js';
import { augmentedCnn, functionalGraph, nestedModel, sequentialCnn } from './models.js';

export interface SampleFile {
  file: string;
  /** What the checker verifies: a `.keras` archive, a legacy `.h5` model, Keras 3 or Keras 2 weights. */
  kind: 'keras' | 'h5-model' | 'keras3-weights' | 'legacy-weights';
  write: (path: string) => Promise<void>;
}

function sample(file: string, kind: SampleFile['kind'], build: () => Model): SampleFile {
  return {
    file,
    kind,
    write: (path) => {
      // Automatic layer names depend on what was built before; start each sample from scratch.
      clearSession();
      return kind === 'keras3-weights' || kind === 'legacy-weights' ? saveWeights(build(), path) : saveModel(build(), path);
    },
  };
}

export const SAMPLE_FILES: SampleFile[] = [
  sample('sequential.keras', 'keras', sequentialCnn),
  sample('functional.keras', 'keras', functionalGraph),
  sample('nested.keras', 'keras', nestedModel),
  sample('augmented.keras', 'keras', augmentedCnn),
  sample('sequential.h5', 'h5-model', sequentialCnn),
  sample('functional.h5', 'h5-model', functionalGraph),
  sample('nested.h5', 'h5-model', nestedModel),
  sample('sequential.weights.h5', 'keras3-weights', sequentialCnn),
  sample('functional-legacy-weights.h5', 'legacy-weights', functionalGraph),
];
