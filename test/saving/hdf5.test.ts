import { describe, expect, it } from 'vitest';
import { SavingError } from '../../src/saving/errors.js';
import { H5Reader, withH5Reader } from '../../src/saving/hdf5/h5-reader.js';
import { buildH5, HDF5_OBJECT_HEADER_LIMIT } from '../../src/saving/hdf5/h5-writer.js';

async function sample(): Promise<Uint8Array> {
  return buildH5((w) => {
    w.stringAttr('', 'model_config', '{"class_name": "Sequential", "config": {}}');
    w.stringListAttr('model_weights', 'layer_names', ['dense', 'dropout', 'dense_1']);
    w.stringListAttr('model_weights/dense', 'weight_names', ['dense/kernel:0', 'dense/bias:0']);
    w.stringListAttr('model_weights/dropout', 'weight_names', []);
    w.dataset('model_weights/dense/dense/kernel:0', { shape: [2, 3], data: Float32Array.of(1, 2, 3, 4, 5, 6) });
    w.dataset('model_weights/dense/dense/bias:0', { shape: [3], data: Float32Array.of(0.5, -1, 2) });
    w.dataset('optimizer/vars/0', { shape: [], data: BigInt64Array.of(42n) });
    w.dataset('counts', { shape: [2], data: Int32Array.of(7, -7) });
  });
}

describe('HDF5 reader and writer (h5wasm)', () => {
  it('round-trips groups, datasets and attributes', async () => {
    const bytes = await sample();
    await withH5Reader(bytes, 'sample.h5', (r) => {
      expect(r.kind('model_weights')).toBe('group');
      expect(r.kind('model_weights/dense/dense/kernel:0')).toBe('dataset');
      expect(r.kind('nope')).toBe('missing');
      expect(r.keys('model_weights').sort()).toEqual(['dense', 'dropout']);
      expect(r.jsonAttr('', 'model_config')).toEqual({ class_name: 'Sequential', config: {} });
      expect(r.stringList('model_weights', 'layer_names')).toEqual(['dense', 'dropout', 'dense_1']);
      expect(r.stringList('model_weights/dense', 'weight_names')).toEqual(['dense/kernel:0', 'dense/bias:0']);
      expect(r.stringList('model_weights/dropout', 'weight_names')).toEqual([]);
      expect(r.stringList('model_weights', 'absent')).toBeUndefined();
      const kernel = r.dataset('model_weights/dense/dense/kernel:0');
      expect(kernel.shape).toEqual([2, 3]);
      expect(kernel.dtype).toBe('float32');
      expect(Array.from(kernel.data as Float32Array)).toEqual([1, 2, 3, 4, 5, 6]);
      const iterations = r.dataset('optimizer/vars/0');
      expect(iterations).toMatchObject({ shape: [], dtype: 'int64' });
      expect(Number(iterations.data[0])).toBe(42);
      expect(Array.from(r.dataset('counts').data as Int32Array)).toEqual([7, -7]);
    });
  });

  it('chunks long name lists like Keras (layer_names0, layer_names1, ...) and joins them on read', async () => {
    const names = Array.from({ length: 3000 }, (_, i) => `conv_block_layer_number_${i}`);
    const bytes = await buildH5((w) => w.stringListAttr('', 'layer_names', names));
    await withH5Reader(bytes, 'big.h5', (r) => {
      const attrs = r.attrNames('');
      expect(attrs).not.toContain('layer_names');
      expect(attrs.filter((a) => a.startsWith('layer_names')).length).toBeGreaterThan(1);
      expect(r.stringList('', 'layer_names')).toEqual(names);
    });
    expect(HDF5_OBJECT_HEADER_LIMIT).toBe(64512);
  });

  it('names the file and the field when something is missing or of the wrong kind', async () => {
    const bytes = await sample();
    const r = await H5Reader.fromBytes(bytes, 'weights.h5');
    try {
      expect(() => r.dataset('model_weights/dense/dense/gamma:0')).toThrow(
        /weights\.h5: missing dataset 'model_weights\/dense\/dense\/gamma:0'/,
      );
      expect(() => r.dataset('model_weights')).toThrow(/'model_weights' should be a dataset but is a group/);
      expect(() => r.keys('nowhere')).toThrow(/weights\.h5: missing group 'nowhere'/);
      expect(() => r.stringAttr('model_weights', 'layer_names')).toThrow(/should be a string/);
    } finally {
      r.close();
    }
  });

  it('gives a clear error for a file truncated at every 10% of its length', async () => {
    const bytes = await sample();
    for (let tenth = 0; tenth < 10; tenth++) {
      const cut = bytes.slice(0, Math.floor((bytes.length * tenth) / 10));
      await expect(H5Reader.fromBytes(cut, 'cut.h5'), `cut at ${tenth}0%`).rejects.toThrow(SavingError);
      await expect(H5Reader.fromBytes(cut, 'cut.h5')).rejects.toThrow(/cut\.h5: .*(truncated|empty)/);
    }
  });

  it('gives a clear error for a flipped bit in the header', async () => {
    const bytes = await sample();
    for (const at of [0, 3, 9, 20, 40]) {
      const flipped = bytes.slice();
      flipped[at]! ^= 0x10;
      await expect(H5Reader.fromBytes(flipped, 'flip.h5'), `bit flipped at byte ${at}`).rejects.toThrow(
        /flip\.h5: .*(not an HDF5 file|corrupt|truncated)/,
      );
    }
  });

  it('still works after refusing a corrupt file', async () => {
    await expect(H5Reader.fromBytes(new Uint8Array(100), 'zeros.h5')).rejects.toThrow(/not an HDF5 file/);
    const bytes = await sample();
    await withH5Reader(bytes, 'ok.h5', (r) => expect(r.kind('counts')).toBe('dataset'));
  });
});
