/**
 * The exporter's options and failures: the notebook's MNIST CNN in ONNX Runtime, opset 13, the
 * channels-first boundary, a dynamic batch, names kept, writing a file, and the errors for what
 * cannot be exported.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import * as capa from '../../src/index.js';
import { checkProtobufSize } from '../../src/onnx/export/export-graph.js';
import { onnxType } from '../../src/onnx/proto.js';
import { createBoxedBackend } from '../helpers/boxed-backend.js';
import { expectOrtMatches, runOrt, scaledMaxDiff } from './helpers/ort.js';

const { layers } = capa;

function mnistCnn(): capa.Sequential {
  return new capa.Sequential(
    [
      new layers.Conv2D(32, [3, 3], { activation: 'relu', inputShape: [28, 28, 1] }),
      new layers.MaxPooling2D([2, 2]),
      new layers.Conv2D(64, [3, 3], { activation: 'relu' }),
      new layers.MaxPooling2D([2, 2]),
      new layers.Flatten(),
      new layers.Dropout(0.5),
      new layers.Dense(10, { activation: 'softmax' }),
    ],
    { name: 'mnist_cnn' },
  );
}

/** A small residual net: convs, batch norm, an Add, global pooling. */
function smallResNet(): capa.Model {
  const input = capa.Input({ shape: [10, 12, 3], name: 'pixels' });
  const a = new layers.Conv2D(8, 3, { padding: 'same', name: 'stem' }).apply(input) as capa.SymbolicTensor;
  const b = new layers.BatchNormalization({ name: 'stem_bn' }).apply(a) as capa.SymbolicTensor;
  const c = new layers.Conv2D(8, 3, { padding: 'same', activation: 'relu', name: 'branch' }).apply(b) as capa.SymbolicTensor;
  const sum = new layers.Add({ name: 'residual' }).apply([b, c]) as capa.SymbolicTensor;
  const pooled = new layers.GlobalAveragePooling2D({ name: 'pool' }).apply(sum) as capa.SymbolicTensor;
  const out = new layers.Dense(4, { name: 'logits' }).apply(pooled) as capa.SymbolicTensor;
  return new capa.Model({ inputs: input, outputs: [out, sum], name: 'small_resnet' });
}

function decode(bytes: Uint8Array): {
  graph: { name: string; node: { name: string; op_type: string }[]; input: ValueInfo[]; output: ValueInfo[] };
  opset_import: { version: number }[];
} {
  const type = onnxType('ModelProto');
  return type.toObject(type.decode(bytes), { longs: Number, defaults: true }) as ReturnType<typeof decode>;
}

interface ValueInfo {
  name: string;
  type: { tensor_type: { shape: { dim: { dim_value?: number; dim_param?: string }[] } } };
}

const dims = (v: ValueInfo): (number | string | null)[] =>
  v.type.tensor_type.shape.dim.map((d) => (d.dim_param ? d.dim_param : d.dim_value ? d.dim_value : null));

/** NHWC -> NCHW for a [n, h, w, c] array. */
function toChannelsFirst(x: capa.Tensor): { data: Float32Array; shape: number[] } {
  const t = capa.ops.transpose(x, [0, 3, 1, 2]);
  return { data: t.dataSync() as Float32Array, shape: t.shape };
}

describe('onnx export: options, names and errors', () => {
  const folder = mkdtempSync(join(tmpdir(), 'capa-onnx-export-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  beforeEach(() => {
    capa.clearSession();
    capa.setSeed(1);
  });

  it('MNIST CNN (the notebook model) predicts as in capa, written to a file', async () => {
    const model = mnistCnn();
    const path = join(folder, 'mnist.onnx');
    await capa.onnx.exportModel(model, path);
    const bytes = new Uint8Array(readFileSync(path));
    expect(Buffer.from(bytes).equals(await capa.onnx.exportModel(model, { bytes: true }))).toBe(true);
    const x = capa.randomUniform([2, 28, 28, 1], { minval: 0, maxval: 1, seed: 3 });
    const diff = await expectOrtMatches(model, bytes, [x]);
    console.log(`MNIST CNN: max scaled diff ${diff.toExponential(2)}`);
  });

  it('keeps the model and layer names, and declares a dynamic batch', async () => {
    const model = smallResNet();
    const proto = decode(await capa.onnx.exportModelToBytes(model));
    expect(proto.opset_import[0]?.version).toBe(17);
    expect(proto.graph.name).toBe('small_resnet');
    expect(proto.graph.input.map((v) => [v.name, dims(v)])).toEqual([['pixels', ['batch', 10, 12, 3]]]);
    expect(proto.graph.output.map((v) => [v.name, dims(v)])).toEqual([
      ['logits', ['batch', 4]],
      ['residual', ['batch', 10, 12, 8]],
    ]);
    const names = proto.graph.node.map((n) => n.name);
    for (const layer of ['stem', 'stem_bn', 'branch', 'residual', 'pool', 'logits']) {
      expect(names.some((n) => n.startsWith(`${layer}/`))).toBe(true);
    }
    // Channels-first inside: one transpose in, one back for the residual output; the pooled path needs none.
    expect(proto.graph.node.filter((n) => n.op_type === 'Transpose').length).toBe(2);
  });

  it('runs at two batch sizes from one file (dynamic batch)', async () => {
    const model = smallResNet();
    const bytes = await capa.onnx.exportModelToBytes(model);
    for (const batch of [1, 5]) {
      const x = capa.randomNormal([batch, 10, 12, 3], { seed: batch });
      await expectOrtMatches(model, bytes, [x]);
    }
  });

  it('a shared layer and a nested model used twice store their weights once', async () => {
    const shared = new layers.Dense(4, { activation: 'tanh', name: 'shared' });
    const tower = new capa.Sequential([new layers.Dense(3, { inputShape: [4], name: 'tower_dense' })], { name: 'tower' });
    const left = capa.Input({ shape: [5], name: 'left' });
    const right = capa.Input({ shape: [5], name: 'right' });
    const a = tower.apply(shared.apply(left) as capa.SymbolicTensor) as capa.SymbolicTensor;
    const b = tower.apply(shared.apply(right) as capa.SymbolicTensor) as capa.SymbolicTensor;
    const model = new capa.Model({ inputs: [left, right], outputs: new layers.Subtract().apply([a, b]) as capa.SymbolicTensor });
    model.setWeights(model.getWeights().map((w, i) => capa.randomNormal(w.shape, { seed: 20 + i })));
    const bytes = await capa.onnx.exportModelToBytes(model);
    const type = onnxType('ModelProto');
    const proto = type.toObject(type.decode(bytes)) as { graph: { initializer: { name: string }[]; node: { name: string }[] } };
    expect(proto.graph.initializer.map((t) => t.name).sort()).toEqual([
      'shared/bias',
      'shared/kernel',
      'tower_dense/bias',
      'tower_dense/kernel',
    ]);
    expect(proto.graph.node.some((n) => n.name.startsWith('tower/tower_dense/'))).toBe(true);
    const x = [capa.randomNormal([3, 5], { seed: 1 }), capa.randomNormal([3, 5], { seed: 2 })];
    await expectOrtMatches(model, bytes, x);
  });

  it('a fully convolutional model with open height and width runs at two image sizes', async () => {
    const input = capa.Input({ shape: [null, null, 2], name: 'any_size' });
    const a = new layers.Conv2D(4, 3, { strides: 2, padding: 'same', activation: 'relu' }).apply(input) as capa.SymbolicTensor;
    const b = new layers.MaxPooling2D(2, { padding: 'same' }).apply(a) as capa.SymbolicTensor;
    const c = new layers.DepthwiseConv2D(3, { padding: 'same' }).apply(b) as capa.SymbolicTensor;
    const model = new capa.Model({ inputs: input, outputs: new layers.GlobalMaxPooling2D().apply(c) as capa.SymbolicTensor });
    model.setWeights(model.getWeights().map((w, i) => capa.randomNormal(w.shape, { seed: 40 + i })));
    const bytes = await capa.onnx.exportModelToBytes(model);
    expect(dims(decode(bytes).graph.input[0] as ValueInfo)).toEqual(['batch', null, null, 2]);
    for (const [h, w] of [
      [9, 13],
      [16, 7],
    ] as const) {
      await expectOrtMatches(model, bytes, [capa.randomNormal([2, h, w, 2], { seed: h })]);
    }
  });

  it('exports a model whose weights live on a backend without synchronous reads', async () => {
    const previous = capa.getBackend();
    capa.registerBackend('boxed', () => createBoxedBackend());
    capa.setBackend('boxed');
    try {
      const model = smallResNet();
      const x = capa.randomNormal([2, 10, 12, 3], { seed: 6 });
      expect(() => model.weights[0]?.dataSync()).toThrow(/cannot read a tensor's values synchronously/);
      const bytes = await capa.onnx.exportModelToBytes(model);
      const expected = model.applyEager([x], { training: false });
      const actual = await runOrt(bytes, [{ data: (await x.data()) as Float32Array, shape: x.shape }]);
      for (const [i, e] of expected.entries()) {
        expect(scaledMaxDiff(actual[i]?.data ?? [], await e.data())).toBeLessThan(1e-4);
      }
    } finally {
      capa.setBackend(previous);
    }
  });

  it('opset 13 gives the same predictions', async () => {
    const model = smallResNet();
    const bytes = await capa.onnx.exportModelToBytes(model, { opset: 13 });
    expect(decode(bytes).opset_import[0]?.version).toBe(13);
    const diff = await expectOrtMatches(model, bytes, [capa.randomNormal([2, 10, 12, 3], { seed: 4 })]);
    console.log(`opset 13: max scaled diff ${diff.toExponential(2)}`);
  });

  it("layout 'nchw' takes and returns channels-first tensors", async () => {
    const model = smallResNet();
    const bytes = await capa.onnx.exportModelToBytes(model, { layout: 'nchw' });
    const proto = decode(bytes);
    expect(dims(proto.graph.input[0] as ValueInfo)).toEqual(['batch', 3, 10, 12]);
    expect(proto.graph.output.map(dims)).toEqual([
      ['batch', 4],
      ['batch', 8, 10, 12],
    ]);
    const x = capa.randomNormal([2, 10, 12, 3], { seed: 9 });
    const [logits, residual] = model.applyEager([x], { training: false }) as [capa.Tensor, capa.Tensor];
    const [ortLogits, ortResidual] = await runOrt(bytes, [toChannelsFirst(x)]);
    expect(ortResidual?.dims).toEqual([2, 8, 10, 12]);
    expect(scaledMaxDiff(ortLogits?.data ?? [], logits.dataSync())).toBeLessThan(1e-4);
    expect(scaledMaxDiff(ortResidual?.data ?? [], toChannelsFirst(residual).data)).toBeLessThan(1e-4);
  });

  it('an unsupported layer is named with its class, and the exportable layers are listed', async () => {
    class Doubler extends capa.Layer {
      static override readonly className: string = 'Doubler';
      override call(input: capa.Tensor): capa.Tensor {
        return capa.ops.mul(input, 2);
      }
    }
    const model = new capa.Sequential([new layers.Dense(3, { inputShape: [4] }), new Doubler({ name: 'twice' })]);
    await expect(capa.onnx.exportModelToBytes(model)).rejects.toThrow(
      /layer "twice" \(Doubler\) cannot be exported to ONNX\. Exportable layers: .*BatchNormalization.*Conv2D.*Dense/,
    );
    const custom = new capa.Sequential([
      new layers.Dense(3, {
        inputShape: [4],
        activation: capa.activations.customActivation('cube', (t) => capa.ops.mul(t, capa.ops.mul(t, t))),
      }),
    ]);
    await expect(capa.onnx.exportModelToBytes(custom)).rejects.toThrow(/custom activation "cube"/);
    const bicubic = new capa.Sequential([
      new layers.Resizing(4, 4, { interpolation: 'bicubic', inputShape: [6, 6, 1], name: 'smooth' }),
    ]);
    await expect(capa.onnx.exportModelToBytes(bicubic)).rejects.toThrow(
      /layer "smooth" \(Resizing\) uses interpolation 'bicubic'.*exportable: bilinear, nearest/,
    );
  });

  it('a layer called with recorded options (Monte Carlo dropout) is refused, not exported without them', async () => {
    const x = capa.Input({ shape: [4] });
    const y = new layers.Dropout(0.5, { name: 'mc' }).apply(new layers.Dense(3).apply(x), { training: true });
    await expect(capa.onnx.exportModelToBytes(new capa.Model({ inputs: x, outputs: y }))).rejects.toThrow(
      'ONNX export: layer "mc" (Dropout) is called with options {"training":true}, which ONNX export does not carry',
    );
  });

  it('refuses weights over the 2 GiB protobuf limit before encoding', () => {
    const tensor = { name: 'w', data_type: 1, dims: [4], raw_data: new Uint8Array(16) };
    expect(() => checkProtobufSize('big', [tensor, tensor], 31)).toThrow(
      /model "big" holds 0\.00 GiB of weights; one \.onnx file holds at most 2 GiB, and the exporter does not write external-data files yet/,
    );
    expect(() => checkProtobufSize('small', [tensor], 31)).not.toThrow();
  });

  it('rejects an opset outside 13-17, an unbuilt model and a bad target', async () => {
    const model = mnistCnn();
    await expect(capa.onnx.exportModelToBytes(model, { opset: 12 })).rejects.toThrow(
      /opset must be an integer from 13 to 17, received 12/,
    );
    await expect(capa.onnx.exportModelToBytes(new capa.Sequential([new layers.Dense(2)]))).rejects.toThrow(
      /has not yet been built/,
    );
    await expect(capa.onnx.exportModel(model, '')).rejects.toThrow(/pass a file path/);
  });
});
