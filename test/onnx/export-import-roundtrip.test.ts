/**
 * Export, then import with capa's own ONNX importer (issue 17's other half, `capa.onnx.loadModel`):
 * the model read back predicts as the original, for both boundary layouts.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import * as capa from '../../src/index.js';
import { scaledMaxDiff } from './helpers/ort.js';

describe('onnx export, then capa.onnx.loadModel', () => {
  beforeEach(() => {
    capa.clearSession();
    capa.setSeed(8);
  });

  it.each(['nhwc', 'nchw'] as const)('MobileNetV2 through %s predicts as the original', async (layout) => {
    const model = capa.applications.MobileNetV2({ inputShape: [32, 32, 3], classes: 5 });
    const back = await capa.onnx.loadModelFromBytes(await capa.onnx.exportModelToBytes(model, { layout }));
    const x = capa.randomUniform([2, 32, 32, 3], { minval: -1, maxval: 1, seed: 1 });
    const expected = model.applyEager([x], { training: false })[0] as capa.Tensor;
    const input = layout === 'nchw' ? capa.ops.transpose(x, [0, 3, 1, 2]) : x;
    const actual = back.applyEager([input], { training: false })[0] as capa.Tensor;
    expect(actual.shape).toEqual(expected.shape);
    expect(scaledMaxDiff(actual.dataSync(), expected.dataSync())).toBeLessThan(1e-5);
  });
});
