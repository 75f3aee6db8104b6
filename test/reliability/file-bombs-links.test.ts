/**
 * Crafted HDF5 files whose links loop back into their own groups, or list one dataset many times.
 * The dataset walk (run on every load to check a config's weights against the file) used to
 * recurse forever on a loop; and repeated links could make one real array count many times in
 * the budget a config's weights are checked against. Both are refused quickly with clear errors.
 */
import { describe, expect, it } from 'vitest';
import { layers, Sequential } from '../../src/index.js';
import { serializeLayer } from '../../src/layers/serialization.js';
import { loadModelFromBytes } from '../../src/saving/api.js';
import { buildH5, type H5Writer } from '../../src/saving/hdf5/h5-writer.js';
import { asciiJson } from '../../src/saving/json.js';
import { writeLegacyWeights } from '../../src/saving/legacy/legacy-weights.js';

/** A legacy .h5 of `model` with `link` run on the writer afterwards, and `units` written as its Dense width. */
function legacyFile(model: Sequential, link: (writer: H5Writer) => void, units?: number): Promise<Uint8Array> {
  return buildH5((writer) => {
    let config = asciiJson(serializeLayer(model, 'keras2'));
    if (units !== undefined) config = config.replace(/"units":\d+/, `"units":${units}`);
    writer.stringAttr('', 'model_config', config);
    writeLegacyWeights(writer, 'model_weights', model);
    link(writer);
  });
}

describe('HDF5 files with looping or repeated links', () => {
  it('a group that links back to its parent is walked once, and the model loads', async () => {
    const model = new Sequential([new layers.Dense(3, { inputShape: [4], name: 'dense' })]);
    const bytes = await legacyFile(model, (writer) => {
      writer.group('model_weights/dense').create_hard_link('/model_weights', 'loop');
      writer.group('model_weights/dense').create_soft_link('/model_weights', 'soft');
    });
    const started = Date.now();
    const loaded = await loadModelFromBytes(bytes, { label: 'loop.h5' });
    expect(loaded.weights.map((w) => w.shape)).toEqual([[4, 3], [3]]);
    // Generous: it used to recurse without end; now it takes milliseconds.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('one array listed many times does not pay for a config that claims more', async () => {
    const model = new Sequential([new layers.Dense(1000, { inputShape: [250], name: 'dense' })]);
    const bytes = await legacyFile(
      model,
      (writer) => {
        const group = writer.group('model_weights/dense/dense');
        for (let i = 0; i < 50; i++) group.create_hard_link('/model_weights/dense/dense/kernel:0', `copy${i}`);
      },
      50_000,
    );
    await expect(loadModelFromBytes(bytes, { label: 'copies.h5' })).rejects.toThrow(
      /^copies\.h5: its 52 datasets claim \d+ bytes in all, more than the \d+-byte file holds \(links repeat a dataset/,
    );
  });
});
