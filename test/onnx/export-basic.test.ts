import { beforeEach, describe, expect, it } from 'vitest';
import * as capa from '../../src/index.js';
import { expectOrtMatches } from './helpers/ort.js';

const { layers } = capa;

describe('onnx export: small models in ONNX Runtime', () => {
  beforeEach(() => {
    capa.clearSession();
    capa.setSeed(1);
  });

  it('MNIST CNN (the notebook model) predicts as in capa', async () => {
    const model = new capa.Sequential([
      new layers.Conv2D(32, [3, 3], { activation: 'relu', inputShape: [28, 28, 1] }),
      new layers.MaxPooling2D([2, 2]),
      new layers.Conv2D(64, [3, 3], { activation: 'relu' }),
      new layers.MaxPooling2D([2, 2]),
      new layers.Flatten(),
      new layers.Dropout(0.5),
      new layers.Dense(10, { activation: 'softmax' }),
    ]);
    const bytes = await capa.onnx.exportModelToBytes(model);
    const x = capa.randomUniform([2, 28, 28, 1], { minval: 0, maxval: 1, seed: 3 });
    const diff = await expectOrtMatches(model, bytes, [x]);
    console.log('mnist diff', diff);
  });
});
