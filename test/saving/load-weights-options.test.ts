import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { layers, type Model, Sequential, Tensor } from '../../src/index.js';
import { randomizeWeights } from './helpers/models.js';

function mlp(names: string[], units: number[], seed: number): Sequential {
  const model = new Sequential(
    names.map((name, i) => new layers.Dense(units[i]!, { name, ...(i === 0 ? { inputShape: [4] } : {}) })),
  );
  model.apply(new Tensor(new Float32Array(4), [1, 4]));
  randomizeWeights(model, seed);
  return model;
}

const values = (m: Model, name: string) => m.getLayer(name).weights.map((v) => Array.from(v.dataSync()));
let dir: string;
let source: Sequential;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'capa-load-weights-'));
  source = mlp(['a', 'b', 'c'], [5, 6, 2], 1);
  await source.saveWeights(join(dir, 'legacy.h5'));
  await source.saveWeights(join(dir, 'keras3.weights.h5'));
  await source.save(join(dir, 'model.keras'));
});

describe('loadWeights options', () => {
  it('byName fills the layers whose names match, wherever they are, and leaves the others', async () => {
    const target = mlp(['a', 'b', 'other', 'c2'], [5, 6, 2, 3], 2);
    const untouched = values(target, 'other');
    await expect(target.loadWeights(join(dir, 'legacy.h5'))).rejects.toThrow(
      /layer count mismatch.*Model expected 4 layers, found 3 saved layers.*byName/,
    );
    await target.loadWeights(join(dir, 'legacy.h5'), { byName: true });
    expect(values(target, 'a')).toEqual(values(source, 'a'));
    expect(values(target, 'b')).toEqual(values(source, 'b'));
    expect(values(target, 'other')).toEqual(untouched);
  });

  it('skipMismatch skips a layer whose shapes differ (with a warning) and loads the rest', async () => {
    const target = mlp(['a', 'b', 'c'], [5, 6, 7], 3);
    const before = values(target, 'c');
    await expect(target.loadWeights(join(dir, 'legacy.h5'), { byName: true })).rejects.toThrow(
      /shape mismatch in layer #2 \(named c\) for weight c\/kernel: the weight expects shape \[6, 7\], the saved weight 'c\/kernel:0' has shape \[6, 2\]/,
    );
    expect(values(target, 'a')).not.toEqual(values(source, 'a'));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await target.loadWeights(join(dir, 'legacy.h5'), { byName: true, skipMismatch: true });
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/skipped loading some weights/));
    warn.mockRestore();
    expect(values(target, 'a')).toEqual(values(source, 'a'));
    expect(values(target, 'c')).toEqual(before);
  });

  it('Keras 3 weights and .keras archives load into a model of the same architecture; skipMismatch works there too', async () => {
    for (const file of ['keras3.weights.h5', 'model.keras']) {
      const target = mlp(['x', 'y', 'z'], [5, 6, 2], 4);
      await target.loadWeights(join(dir, file));
      expect(target.weights.map((v) => Array.from(v.dataSync()))).toEqual(source.weights.map((v) => Array.from(v.dataSync())));
    }
    const different = mlp(['x', 'y', 'z'], [5, 6, 9], 5);
    await expect(different.loadWeights(join(dir, 'keras3.weights.h5'))).rejects.toThrow(
      /Layer 'z' weight z\/kernel expects shape \[6, 9\], the file has \[6, 2\]/,
    );
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await different.loadWeights(join(dir, 'keras3.weights.h5'), { skipMismatch: true });
    warn.mockRestore();
    expect(values(different, 'x')).toEqual(values(source, 'a'));
    await expect(different.loadWeights(join(dir, 'keras3.weights.h5'), { byName: true })).rejects.toThrow(
      /'byName' applies to Keras 2 '\.h5' weights files/,
    );
  });
});
