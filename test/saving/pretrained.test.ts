import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPretrainedWeights } from '../../src/applications/pretrained-weights.js';
import { applications, type Model } from '../../src/index.js';
import { buildH5 } from '../../src/saving/hdf5/h5-writer.js';

type LayerLayout = [string, [string, number[]][]];
interface PublishedLayout {
  file: string;
  attrs: Record<string, string>;
  layers: LayerLayout[];
  params: number;
}
const layouts = JSON.parse(readFileSync(new URL('../fixtures/saving/published-layouts.json', import.meta.url), 'utf8')) as Record<
  string,
  PublishedLayout
>;

/** The value stored at index i of the k-th dataset: small, and different for every weight. */
const valueAt = (k: number, i: number): number => Math.fround((k + 1) * 1e-3 + (i % 97) * 1e-5);

/** Builds the published file's layout (tools/keras_published_layouts.py) with h5wasm. */
async function writePublishedLayout(layout: PublishedLayout, dir: string): Promise<string> {
  let k = 0;
  const bytes = await buildH5((w) => {
    w.stringListAttr(
      '',
      'layer_names',
      layout.layers.map(([name]) => name),
    );
    for (const [key, value] of Object.entries(layout.attrs)) w.stringAttr('', key, value);
    for (const [name, weights] of layout.layers) {
      w.stringListAttr(
        name,
        'weight_names',
        weights.map(([wname]) => wname),
      );
      for (const [wname, shape] of weights) {
        const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
        const kk = k++;
        for (let i = 0; i < data.length; i++) data[i] = valueAt(kk, i);
        w.dataset(`${name}/${wname}`, { shape, data });
      }
    }
  });
  const path = join(dir, layout.file);
  await writeFile(path, bytes);
  return path;
}

/** Checks every weight of every layer named in the layout against the values written. */
function expectLoaded(model: Model, layout: PublishedLayout): void {
  let k = 0;
  let checked = 0;
  for (const [name, weights] of layout.layers) {
    if (weights.length === 0) continue;
    const layer = model.getLayer(name);
    const values = [...layer.trainableWeights, ...layer.nonTrainableWeights];
    expect(values.length, name).toBe(weights.length);
    for (const [i, [, shape]] of weights.entries()) {
      const kk = k++;
      expect(values[i]!.shape, `${name} weight ${i}`).toEqual(shape);
      const data = values[i]!.dataSync();
      for (const at of [0, 1, data.length >> 1, data.length - 1]) expect(data[at]).toBe(valueAt(kk, at));
      checked++;
    }
  }
  expect(checked).toBe(model.weights.length);
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'capa-pretrained-'));
});

describe("Keras's published ImageNet weight files (layout from tools/keras_published_layouts.py)", () => {
  it('a file laid out like resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5 loads into applications.ResNet50 by name', async () => {
    const layout = layouts.resnet50_notop!;
    const path = await writePublishedLayout(layout, dir);
    const model = applications.ResNet50({ includeTop: false, weights: null });
    expect(model.countParams()).toBe(layout.params);
    await loadPretrainedWeights(model, { application: 'resnet50', weights: path, includeTop: false });
    expectLoaded(model, layout);
  });

  it('a file laid out like vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5 (Keras 1 names) loads into applications.VGG19 by name', async () => {
    const layout = layouts.vgg19_notop!;
    const path = await writePublishedLayout(layout, dir);
    const model = applications.VGG19({ includeTop: false, weights: null });
    expect(model.countParams()).toBe(layout.params);
    await loadPretrainedWeights(model, { application: 'vgg19', weights: path, includeTop: false });
    expectLoaded(model, layout);
  });

  it('a file for another architecture names the layers it lacks and changes nothing', async () => {
    const path = join(dir, layouts.vgg19_notop!.file);
    const model = applications.VGG16({ includeTop: true, weights: null, inputShape: [32, 32, 3], classes: 10 });
    const before = model.weights.map((v) => v.dataSync()[0]);
    await expect(loadPretrainedWeights(model, { application: 'vgg16', weights: path, includeTop: true })).rejects.toThrow(
      /has no weights for 3 layer\(s\) of vgg16 \(includeTop: true\), e\.g\. \['fc1', 'fc2', 'predictions'\]/,
    );
    expect(model.weights.map((v) => v.dataSync()[0])).toEqual(before);
  });

  it("weights: 'imagenet' offline says what to do, and nothing is left in the cache", async () => {
    const cacheDir = join(dir, 'cache');
    const model = applications.VGG19({ includeTop: false, weights: null, inputShape: [32, 32, 3] });
    const offline = async () => {
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('getaddrinfo ENOTFOUND storage.googleapis.com'), { code: 'ENOTFOUND' }),
      });
    };
    await expect(
      loadPretrainedWeights(
        model,
        { application: 'vgg19', weights: 'imagenet', includeTop: false },
        { cacheDir, fetch: offline, verbose: false },
      ),
    ).rejects.toThrow(
      /vgg19_weights_tf_dim_ordering_tf_kernels_notop\.h5: cannot download the ImageNet weights for VGG19 .*network is unreachable.*pass its path: VGG19\(\{ weights: '\/path\/to\/vgg19_weights_tf_dim_ordering_tf_kernels_notop\.h5' \}\)/,
    );
  });
});
