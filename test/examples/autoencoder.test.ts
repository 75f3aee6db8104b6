/**
 * examples/autoencoder.ts on 1,000 MNIST digits for one epoch per phase: Keras's layer shapes and
 * parameter count, reconstruction and denoising losses going down, and the picture written.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  addNoise,
  convolutionalAutoencoder,
  imageGrid,
  saveReconstructions,
  trainAutoencoders,
} from '../../examples/autoencoder.js';
import { ops, preprocessing } from '../../src/index.js';

describe('example: convolutional autoencoder for image denoising', () => {
  it("has Keras's layers and 28,353 parameters; noise is seeded and clipped to [0, 1]", () => {
    const model = convolutionalAutoencoder();
    expect(model.countParams()).toBe(28353);
    expect(model.layers.map((l) => l.outputShape)).toEqual([
      [null, 28, 28, 1],
      [null, 28, 28, 32],
      [null, 14, 14, 32],
      [null, 14, 14, 32],
      [null, 7, 7, 32],
      [null, 14, 14, 32],
      [null, 28, 28, 32],
      [null, 28, 28, 1],
    ]);
    const x = ops.fill([2, 28, 28, 1], 0.5);
    const noisy = addNoise(x, 0.4, 3);
    expect(addNoise(x, 0.4, 3).dataSync()).toEqual(noisy.dataSync());
    const values = Array.from(noisy.dataSync());
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThanOrEqual(1);
    expect(values.filter((v) => v !== 0.5).length).toBeGreaterThan(1500);
    expect(() => imageGrid([x], 3)).toThrow(/row 0 has 2 images, fewer than the 3 columns/);
  });

  it('training lowers the reconstruction and denoising losses; the picture has 4 rows of 10 digits', async () => {
    const result = await trainAutoencoders({ trainSize: 1000, testSize: 100, epochs: 1, batchSize: 50, verbose: 0 });
    console.log(`autoencoder: ${JSON.stringify(result.cleanLoss)} ${JSON.stringify(result.denoisingLoss)}`);
    // binary cross-entropy of an untrained sigmoid output is ln 2
    expect(result.cleanLoss.untrained).toBeCloseTo(Math.LN2, 1);
    expect(result.cleanLoss.afterClean).toBeLessThan(result.cleanLoss.untrained - 0.1);
    expect(result.denoisingLoss.after).toBeLessThan(result.denoisingLoss.before);
    expect(result.history.denoising.at(-1)).toBeLessThan(result.history.clean[0] as number);

    const path = join(mkdtempSync(join(tmpdir(), 'capa-autoencoder-')), 'reconstructions.png');
    await saveReconstructions(result, path);
    const picture = preprocessing.image.imgToArray(await preprocessing.image.loadImg(path, { colorMode: 'grayscale' }));
    expect(picture.shape).toEqual([4 * 30 + 2, 10 * 30 + 2, 1]);
    // the first original (a 7) is drawn where it belongs: its pixels match the test image
    const drawn = ops.slice(picture, [2, 2, 0], [28, 28, 1]).reshape([28, 28]);
    const original = ops.mul(ops.slice(result.test, [0, 0, 0, 0], [1, 28, 28, 1]).reshape([28, 28]), 255);
    expect(ops.max(ops.abs(ops.sub(drawn, original))).item()).toBeLessThanOrEqual(1);
    // measured 85 s on the shared 2-core machine at a load average of ~28; the default 120 s is too tight there
  }, 300_000);
});
