/**
 * The notebook's ImageNet architectures (random weights, small inputs so the test stays quick on
 * a loaded machine) exported and run in ONNX Runtime: predictions within 1e-4 of capa's,
 * relative to the output's scale.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import * as capa from '../../src/index.js';
import { expectOrtMatches } from './helpers/ort.js';

const { applications } = capa;

async function check(model: capa.Model, inputShape: number[]): Promise<number> {
  const bytes = await capa.onnx.exportModelToBytes(model);
  const x = capa.randomUniform([2, ...inputShape], { minval: -1, maxval: 1, seed: 7 });
  return expectOrtMatches(model, bytes, [x]);
}

describe('onnx export: applications in ONNX Runtime', () => {
  beforeEach(() => {
    capa.clearSession();
    capa.setSeed(5);
  });

  it('VGG19 (no top, 32x32)', async () => {
    const model = applications.VGG19({ includeTop: false, inputShape: [32, 32, 3], pooling: 'max' });
    const diff = await check(model, [32, 32, 3]);
    console.log(`VGG19 max scaled diff ${diff.toExponential(2)}`);
  });

  it('ResNet50 (with top, 10 classes, 32x32)', async () => {
    const model = applications.ResNet50({ inputShape: [32, 32, 3], classes: 10, classifierActivation: null });
    const diff = await check(model, [32, 32, 3]);
    console.log(`ResNet50 max scaled diff ${diff.toExponential(2)}`);
  });

  it('MobileNetV2 (with top, 5 classes, 32x32)', async () => {
    const model = applications.MobileNetV2({ inputShape: [32, 32, 3], classes: 5, classifierActivation: null });
    const diff = await check(model, [32, 32, 3]);
    console.log(`MobileNetV2 max scaled diff ${diff.toExponential(2)}`);
    expect(diff).toBeLessThan(1e-4);
  });
});
