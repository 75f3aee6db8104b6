/**
 * Issue 18, defect 9: deeply nested configs gave `RangeError: Maximum call stack size exceeded`
 * (a Sequential nested 10,000 deep, or a deep value inside a layer's config, from
 * `deserializeLayer` or a `.keras` file). Configs deeper than MAX_CONFIG_DEPTH are now refused
 * with an error naming the limit, before anything recursive runs; configs up to it load.
 */
import { strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import * as capa from '../../src/index.js';
import { MAX_CONFIG_DEPTH } from '../../src/layers/engine/config.js';

const dense = (units: string) => `{"class_name":"Dense","config":{"units":${units},"name":"leaf","batch_input_shape":[null,2]}}`;
/** JSON text of a Sequential holding a Sequential ... `depth` times around a Dense(1). */
const nestedSequentials = (depth: number) =>
  '{"class_name":"Sequential","config":{"layers":['.repeat(depth) + dense('1') + ']}}'.repeat(depth);
const DEPTH_ERROR = new RegExp(`more than ${MAX_CONFIG_DEPTH} levels deep`);

function errorOf(work: () => unknown): Error {
  try {
    work();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('deeply nested configs (issue 18, defect 9)', () => {
  it('refuses a Sequential nested 10,000 deep with an error naming the depth limit', () => {
    const error = errorOf(() => capa.deserializeLayer(JSON.parse(nestedSequentials(10_000))));
    expect(error).not.toBeInstanceOf(RangeError);
    expect(error.message).toMatch(DEPTH_ERROR);
  });

  it('refuses a layer config holding a value nested 10,000 deep', () => {
    const deepList = `${'['.repeat(10_000)}1${']'.repeat(10_000)}`;
    const error = errorOf(() => capa.deserializeLayer(JSON.parse(dense(deepList))));
    expect(error).not.toBeInstanceOf(RangeError);
    expect(error.message).toMatch(DEPTH_ERROR);
  });

  it('refuses a .keras file whose config.json nests 10,000 deep, naming the file', async () => {
    // A real weights file (of a small model), so that the config is what the loader refuses.
    const small = new capa.Sequential([new capa.layers.Dense(1, { inputShape: [2] })]);
    const weights = unzipSync(await capa.models.saveModelToBytes(small, 'keras'))['model.weights.h5'] as Uint8Array;
    const bytes = zipSync(
      {
        'metadata.json': strToU8('{}'),
        'config.json': strToU8(nestedSequentials(10_000)),
        'model.weights.h5': weights,
      },
      { level: 0 },
    );
    const error = await capa.models.loadModelFromBytes(bytes, { label: 'deep.keras' }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(capa.SavingError);
    expect((error as Error).message).toMatch(/deep\.keras/);
    expect((error as Error).message).toMatch(DEPTH_ERROR);
  });

  it('loads and runs a config nested up to the limit (a Sequential nested 300 deep)', async () => {
    const depth = 300; // 3 JSON levels per Sequential: 903 levels in all
    const model = capa.deserializeLayer(JSON.parse(nestedSequentials(depth))) as capa.Sequential;
    expect(model.outputShape).toEqual([null, 1]);
    expect((await model.predict(capa.ones([3, 2]), { verbose: 0 })).shape).toEqual([3, 1]);
    expect(errorOf(() => capa.deserializeLayer(JSON.parse(nestedSequentials(334)))).message).toMatch(DEPTH_ERROR);
  });

  it('gives a nested model its own output shape, at every depth', () => {
    // Was [null, 2] from three levels on: Sequential asked each nested model for Layer's
    // single-input default ("same shape") instead of its graph's shape.
    let model: capa.Layer = new capa.layers.Dense(1, { inputShape: [2] });
    for (let level = 1; level <= 4; level++) {
      model = new capa.Sequential([model]);
      expect(model.outputShape).toEqual([null, 1]);
    }
  });
});
