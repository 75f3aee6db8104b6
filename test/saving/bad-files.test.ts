import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { Layer, layers, type Model, Sequential, Tensor } from '../../src/index.js';
import { loadModel, loadWeights, saveModel, saveWeights } from '../../src/saving/api.js';
import { SavingError } from '../../src/saving/errors.js';
import { ZipArchive } from '../../src/saving/zip/zip-reader.js';
import { randomizeWeights, sequentialCnn } from './helpers/models.js';

let dir: string;
let model: Model;
const files: Record<string, string> = {};

function snapshot(m: Model): number[][] {
  return m.weights.map((v) => Array.from(v.dataSync()));
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'capa-bad-'));
  model = sequentialCnn();
  files.keras = join(dir, 'good.keras');
  files.h5 = join(dir, 'good.h5');
  files.weights = join(dir, 'good.weights.h5');
  files.legacyWeights = join(dir, 'good-legacy.h5');
  await saveModel(model, files.keras);
  await saveModel(model, files.h5);
  await saveWeights(model, files.weights);
  await saveWeights(model, files.legacyWeights);
  await saveModel(model, join(dir, 'tfjs/'));
});

async function withBytes(name: string, bytes: Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

describe('bad files give a clear error and change nothing', () => {
  it.each(['keras', 'h5', 'weights', 'legacyWeights'])('%s truncated at every tenth of its length', async (kind) => {
    const good = new Uint8Array(await readFile(files[kind]!));
    const ext = kind === 'keras' ? 'keras' : kind === 'weights' ? 'weights.h5' : 'h5';
    const target = sequentialCnn();
    randomizeWeights(target, 99);
    const before = snapshot(target);
    for (let tenth = 0; tenth < 10; tenth++) {
      const path = await withBytes(`cut-${kind}-${tenth}.${ext}`, good.slice(0, Math.floor((good.length * tenth) / 10)));
      const pattern = new RegExp(
        `${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}.*(truncated|corrupt|not a ZIP|empty|not an HDF5)`,
      );
      if (kind === 'keras' || kind === 'h5') {
        await expect(loadModel(path), `${kind} cut at ${tenth}0%`).rejects.toThrow(SavingError);
        await expect(loadModel(path)).rejects.toThrow(pattern);
      }
      await expect(loadWeights(target, path), `${kind} weights cut at ${tenth}0%`).rejects.toThrow(pattern);
      expect(snapshot(target)).toEqual(before);
    }
  });

  it('TensorFlow.js: a truncated shard or model.json names the file and leaves the model as it was', async () => {
    const tfjsDir = join(dir, 'tfjs');
    const json = new Uint8Array(await readFile(join(tfjsDir, 'model.json')));
    for (let tenth = 0; tenth < 10; tenth++) {
      const cutDir = join(dir, `tfjs-cut-${tenth}`);
      await saveModel(model, `${cutDir}/`);
      // Each save names its shards after itself.
      const shardName = (await readdir(cutDir)).find((f) => f.endsWith('.bin'))!;
      const shard = new Uint8Array(await readFile(join(cutDir, shardName)));
      await writeFile(join(cutDir, shardName), shard.slice(0, Math.floor((shard.length * tenth) / 10)));
      await expect(loadModel(cutDir)).rejects.toThrow(/model\.json: weight '.*' needs bytes .* a shard is truncated or missing/);
      await writeFile(join(cutDir, shardName), shard);
      await writeFile(join(cutDir, 'model.json'), json.slice(0, Math.floor((json.length * tenth) / 10)));
      await expect(loadModel(cutDir)).rejects.toThrow(/model\.json: is not valid JSON/);
    }
  });

  it('a flipped bit in the header is detected', async () => {
    const keras = new Uint8Array(await readFile(files.keras!));
    keras[0]! ^= 0x08;
    await expect(loadModel(await withBytes('flip.keras', keras))).rejects.toThrow(/flip\.keras: .*(corrupt|damaged)/);
    const h5 = new Uint8Array(await readFile(files.h5!));
    h5[9]! ^= 0x01;
    await expect(loadModel(await withBytes('flip.h5', h5))).rejects.toThrow(/flip\.h5: .*(corrupt|truncated|HDF5)/);
    // A flipped bit inside the stored model.weights.h5 breaks its CRC-32.
    const data = new Uint8Array(await readFile(files.keras!));
    const zip = ZipArchive.open(data, 'x');
    expect(zip.names()).toContain('model.weights.h5');
    data[data.length - 200]! ^= 0x20;
    await expect(loadModel(await withBytes('flip-data.keras', data))).rejects.toThrow(/CRC-32 does not match|corrupt/);
  });

  it('refuses a .keras archive with an entry named ../x, writing nothing outside', async () => {
    const good = ZipArchive.open(new Uint8Array(await readFile(files.keras!)), 'good');
    const evil = zipSync({
      'metadata.json': good.read('metadata.json'),
      'config.json': good.read('config.json'),
      'model.weights.h5': good.read('model.weights.h5'),
      '../x': strToU8('escape'),
    });
    const before = await readdir(join(dir, '..'));
    await expect(loadModel(await withBytes('evil.keras', evil))).rejects.toThrow(/evil\.keras: refusing ZIP entry '\.\.\/x'/);
    expect(await readdir(join(dir, '..'))).toEqual(before);
  });

  it('names an unknown class in the config', async () => {
    const good = ZipArchive.open(new Uint8Array(await readFile(files.keras!)), 'good');
    const config = new TextDecoder()
      .decode(good.read('config.json'))
      .replace('"class_name":"Dense"', '"class_name":"MysteryLayer"');
    const archive = zipSync({
      'metadata.json': good.read('metadata.json'),
      'config.json': strToU8(config),
      'model.weights.h5': good.read('model.weights.h5'),
    });
    await expect(loadModel(await withBytes('unknown.keras', archive))).rejects.toThrow(
      /unknown\.keras: cannot rebuild the model .*Unknown layer: 'MysteryLayer'/,
    );
  });

  it('refuses a Lambda layer unless the caller opts in', async () => {
    const good = ZipArchive.open(new Uint8Array(await readFile(files.keras!)), 'good');
    const config = JSON.parse(new TextDecoder().decode(good.read('config.json')));
    config.config.layers.splice(2, 0, {
      module: 'keras.layers',
      class_name: 'Lambda',
      config: { name: 'lambda', function: { class_name: '__lambda__', config: { value: ['4wEAAAAAAAAA', null, null] } } },
      registered_name: null,
    });
    const archive = zipSync({
      'metadata.json': good.read('metadata.json'),
      'config.json': strToU8(JSON.stringify(config)),
      'model.weights.h5': good.read('model.weights.h5'),
    });
    const path = await withBytes('lambda.keras', archive);
    await expect(loadModel(path)).rejects.toThrow(
      /lambda\.keras: refusing to load a Lambda layer 'lambda' .*carries code.*safeMode: false/,
    );
    // Opting in still needs a registered class: nothing in the file is executed.
    await expect(loadModel(path, { safeMode: false })).rejects.toThrow(
      /never evaluates code from a file.*registerKerasSerializable/,
    );
  });

  it('a failing save leaves the previous file untouched and no temporary files', async () => {
    class Unsaveable extends Layer {
      static override readonly className = 'Unsaveable';
      override call(x: Tensor): Tensor {
        return x;
      }
      override getConfig(): never {
        throw new Error('this layer cannot describe itself');
      }
    }
    const broken = new Sequential([new layers.Dense(2, { inputShape: [3] }), new Unsaveable()]);
    const target = join(dir, 'keep.keras');
    await saveModel(model, target);
    const before = await readFile(target);
    const listing = await readdir(dir);
    for (const path of [target, join(dir, 'keep.h5'), join(dir, 'keep-tfjs/')]) {
      await expect(saveModel(broken, path)).rejects.toThrow(/cannot describe itself/);
    }
    expect(await readFile(target)).toEqual(before);
    expect(await readdir(dir)).toEqual(listing);
  });

  it('refuses to overwrite when asked not to, and unknown extensions', async () => {
    await expect(saveModel(model, files.keras!, { overwrite: false })).rejects.toThrow(/already exists and overwrite is false/);
    await expect(saveModel(model, join(dir, 'model.pkl'))).rejects.toThrow(
      /model\.pkl: invalid filepath extension for saving.*'\.keras'/,
    );
    await expect(saveModel(model, join(dir, 'w.weights.h5'))).rejects.toThrow(/is for model\.saveWeights\(\)/);
    await expect(saveWeights(model, join(dir, 'w.bin'))).rejects.toThrow(/must end in '\.weights\.h5'/);
    await expect(loadModel(join(dir, 'missing.keras'))).rejects.toThrow(/missing\.keras: no such file/);
  });

  it('a weights file for another architecture names the layer and shapes, and changes nothing', async () => {
    const other = new Sequential([new layers.Dense(3, { inputShape: [4], name: 'only' })]);
    other.apply(new Tensor(new Float32Array(4), [1, 4]));
    const before = snapshot(other);
    await expect(loadWeights(other, files.weights!)).rejects.toThrow(
      /good\.weights\.h5: .*Layer 'only' .*expected 2 variables|could not be loaded/,
    );
    await expect(loadWeights(other, files.legacyWeights!)).rejects.toThrow(
      /layer count mismatch.*Model expected 1 layers, found \d+ saved layers/,
    );
    expect(snapshot(other)).toEqual(before);
  });
});
