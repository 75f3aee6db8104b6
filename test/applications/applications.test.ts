import { beforeEach, describe, expect, it } from 'vitest';
import * as capa from '../../src/index.js';

const { applications } = capa;

function counts(model: capa.Model): { total: number; trainable: number; nonTrainable: number } {
  const size = (vs: readonly capa.Variable[]): number => vs.reduce((n, v) => n + v.size, 0);
  return { total: model.countParams(), trainable: size(model.trainableWeights), nonTrainable: size(model.nonTrainableWeights) };
}

// KERAS_NOTES b1 (Keras 3 / tf.keras ImageNet models at 224x224x3).
describe('applications: Keras parameter and layer counts', () => {
  beforeEach(() => capa.clearSession());

  it('VGG16 with and without top', () => {
    const top = applications.VGG16();
    expect(counts(top)).toEqual({ total: 138_357_544, trainable: 138_357_544, nonTrainable: 0 });
    expect(top.weights.length).toBe(32);
    expect(counts(applications.VGG16({ includeTop: false })).total).toBe(14_714_688);
  });

  it('VGG19: 26 layers, 143,667,240 parameters (no top: 22 layers, 20,024,384)', () => {
    const model = applications.VGG19();
    expect(model.name).toBe('vgg19');
    expect(model.layers.length).toBe(26);
    expect(counts(model).total).toBe(143_667_240);
    expect(model.weights.length).toBe(38);
    expect(model.layers.map((l) => l.name).slice(0, 4)).toEqual(['input_1', 'block1_conv1', 'block1_conv2', 'block1_pool']);
    expect(model.layers.slice(-4).map((l) => l.name)).toEqual(['flatten', 'fc1', 'fc2', 'predictions']);
    expect(model.getLayer('fc1').countParams()).toBe(102_764_544);
    expect(model.getLayer('block5_conv4').outputShape).toEqual([null, 14, 14, 512]);
    const noTop = applications.VGG19({ includeTop: false });
    expect(noTop.layers.length).toBe(22);
    expect(counts(noTop).total).toBe(20_024_384);
    expect(noTop.outputShape).toEqual([null, null, null, 512]);
  });

  it('ResNet50: 177 layers, 25,636,712 total / 25,583,592 trainable / 53,120 non-trainable', () => {
    const model = applications.ResNet50();
    expect(model.layers.length).toBe(177);
    expect(counts(model)).toEqual({ total: 25_636_712, trainable: 25_583_592, nonTrainable: 53_120 });
    expect(model.weights.length).toBe(320);
    expect(model.trainableWeights.length).toBe(214);
    expect(model.layers.slice(0, 3).map((l) => l.name)).toEqual(['input_1', 'conv1_pad', 'conv1_conv']);
    expect(model.getLayer('conv2_block1_1_conv').countParams()).toBe(4160);
    const noTop = applications.ResNet50({ includeTop: false });
    expect(noTop.layers.length).toBe(175);
    expect(counts(noTop)).toEqual({ total: 23_587_712, trainable: 23_534_592, nonTrainable: 53_120 });
    expect(applications.ResNet50({ includeTop: false, pooling: 'avg' }).outputShape).toEqual([null, 2048]);
  });

  it('MobileNetV2: 3,538,984 total / 3,504,872 trainable, Keras layer names', () => {
    const model = applications.MobileNetV2();
    expect(model.name).toBe('mobilenetv2_1.00_224');
    expect(counts(model)).toEqual({ total: 3_538_984, trainable: 3_504_872, nonTrainable: 34_112 });
    expect(model.weights.length).toBe(262);
    expect(model.trainableWeights.length).toBe(158);
    const names = model.layers.map((l) => l.name);
    for (const n of [
      'Conv1',
      'bn_Conv1',
      'Conv1_relu',
      'expanded_conv_depthwise',
      'block_1_expand',
      'block_1_pad',
      'block_16_project_BN',
      'Conv_1',
      'out_relu',
      'predictions',
    ]) {
      expect(names).toContain(n);
    }
    expect(model.getLayer('block_2_add').className).toBe('Add');
  });

  it('classes, classifierActivation and inputTensor', () => {
    const input = capa.Input({ shape: [64, 64, 3], name: 'image' });
    const model = applications.VGG16({ inputTensor: input, classes: 7, classifierActivation: null });
    expect(model.inputs[0]).toBe(input);
    expect(model.outputShape).toEqual([null, 7]);
    expect((model.getLayer('predictions') as capa.layers.Dense).activation.name).toBe('linear');
    expect(model.getLayer('fc1').countParams()).toBe(2 * 2 * 512 * 4096 + 4096);
  });

  it('rejects bad options with Keras messages', () => {
    expect(() => applications.ResNet50({ weights: 'imagenet', classes: 10 })).toThrow(/`classes` should be 1000/);
    expect(() => applications.VGG19({ includeTop: true, inputShape: [null, null, 3] })).toThrow(/static `inputShape`/);
    expect(() => applications.VGG19({ includeTop: false, inputShape: [16, 16, 3] })).toThrow(/Input size must be at least 32x32/);
    expect(() => applications.VGG19({ weights: 'imagenet', inputShape: [128, 128, 3] })).toThrow(
      /inputShape` should be \(224, 224, 3\)/,
    );
  });

  it('hands weights to the registered loader (the saving module hook)', () => {
    const seen: capa.applications.WeightsRequest[] = [];
    applications.setApplicationWeightsLoader((model, request) => {
      seen.push(request);
      expect(model.name).toBe('mobilenetv2_1.00_224');
    });
    try {
      applications.MobileNetV2({ weights: 'imagenet', includeTop: false });
    } finally {
      applications.setApplicationWeightsLoader(null);
    }
    expect(seen).toEqual([{ application: 'mobilenet_v2', weights: 'imagenet', includeTop: false }]);
    expect(() => applications.MobileNetV2({ weights: '/tmp/w.h5' })).toThrow(/weights loader/);
  });

  it('runs a real forward pass (small inputs)', () => {
    capa.setSeed(1);
    const x = capa.randomNormal([2, 32, 32, 3]);
    const resnet = applications.ResNet50({ includeTop: false, inputShape: [32, 32, 3], pooling: 'avg' });
    expect(resnet.apply(x).shape).toEqual([2, 2048]);
    const mobile = applications.MobileNetV2({ inputShape: [32, 32, 3], classes: 5 });
    const p = mobile.apply(x);
    expect(p.shape).toEqual([2, 5]);
    const rows = p.arraySync() as number[][];
    for (const row of rows) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });
});
