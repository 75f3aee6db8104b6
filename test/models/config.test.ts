import { beforeEach, describe, expect, it } from 'vitest';
import * as capa from '../../src/index.js';

const { Input, Model, Sequential, layers: L } = capa;

function sameOutputs(a: capa.Model, b: capa.Model, inputs: capa.Tensor[]): void {
  b.setWeights(a.getWeights());
  const ya = a.applyMulti(inputs);
  const yb = b.applyMulti(inputs);
  expect(yb.length).toBe(ya.length);
  ya.forEach((y, i) => {
    expect(Array.from((yb[i] as capa.Tensor).dataSync())).toEqual(Array.from(y.dataSync()));
  });
}

/** A graph with a shared layer, a nested model, a merge and two outputs. */
function graphModel(): capa.Model {
  const inner = new Sequential([new L.Dense(6, { inputDim: 4, activation: 'relu' }), new L.BatchNormalization()], {
    name: 'inner',
  });
  const a = Input({ shape: [4], name: 'a' });
  const b = Input({ shape: [4], name: 'b' });
  const shared = new L.Dense(4, { name: 'shared', activation: 'tanh' });
  const ha = inner.apply(shared.apply(a));
  const hb = inner.apply(shared.apply(b));
  const merged = new L.Concatenate({ name: 'concat' }).apply([ha, hb]);
  const out1 = new L.Dense(3, { name: 'out1', activation: 'softmax' }).apply(merged);
  const out2 = new L.Add({ name: 'sum' }).apply([ha, hb]);
  return new Model({ inputs: [a, b], outputs: [out1, out2], name: 'graph' });
}

describe('model configs', () => {
  beforeEach(() => capa.clearSession());

  it('round-trips a graph with shared layers, a nested model and two outputs (Keras 3 and Keras 2 layouts)', () => {
    const model = graphModel();
    const inputs = [capa.randomNormal([5, 4], { seed: 1 }), capa.randomNormal([5, 4], { seed: 2 })];
    for (const format of ['keras3', 'keras2'] as const) {
      const json = JSON.stringify(capa.serializeLayer(model, format));
      const revived = capa.deserializeLayer(JSON.parse(json)) as capa.Model;
      expect(revived.className).toBe('Functional');
      expect(revived.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
      expect(revived.countParams()).toBe(model.countParams());
      expect(revived.summary({ printFn: () => {} })).toBe(model.summary({ printFn: () => {} }));
      sameOutputs(model, revived, inputs);
    }
  });

  it('writes Keras 3 node data: __keras_tensor__ args, nested-model history without the internal node', () => {
    const config = graphModel().getConfig();
    const layersCfg = config.layers as capa.ConfigDict[];
    const concat = layersCfg.find((l) => l.name === 'concat') as capa.ConfigDict;
    expect(concat.module).toBe('keras.layers');
    const node = (concat.inbound_nodes as capa.ConfigDict[])[0] as capa.ConfigDict;
    const args = node.args as capa.ConfigDict[][];
    expect(args[0]?.map((t) => (t.config as capa.ConfigDict).keras_history)).toEqual([
      ['inner', 0, 0],
      ['inner', 1, 0],
    ]);
    expect(config.input_layers).toEqual([
      ['a', 0, 0],
      ['b', 0, 0],
    ]);
    expect(config.output_layers).toEqual([
      ['out1', 0, 0],
      ['sum', 0, 0],
    ]);
    const k2 = capa.serializeLayer(graphModel(), 'keras2').config as capa.ConfigDict;
    const concat2 = (k2.layers as capa.ConfigDict[]).find((l) => l.name === 'concat') as capa.ConfigDict;
    // Keras 2 counts a nested model's own node first: its calls are nodes 1 and 2.
    expect(concat2.inbound_nodes).toEqual([
      [
        ['inner', 1, 0, {}],
        ['inner', 2, 0, {}],
      ],
    ]);
    expect(concat2.module).toBeUndefined();
  });

  it('writes a Sequential like Keras 3 (InputLayer first, build_input_shape) and Keras 2', () => {
    const model = new Sequential([new L.Dense(2, { inputDim: 3 })], { name: 'seq' });
    const k3 = capa.serializeLayer(model);
    expect(k3.module).toBe('keras');
    expect(k3.class_name).toBe('Sequential');
    const cfg = k3.config as capa.ConfigDict;
    expect(cfg.build_input_shape).toEqual([null, 3]);
    const first = (cfg.layers as capa.ConfigDict[])[0] as capa.ConfigDict;
    expect(first.class_name).toBe('InputLayer');
    expect((first.config as capa.ConfigDict).batch_shape).toEqual([null, 3]);
    const dense = (cfg.layers as capa.ConfigDict[])[1] as capa.ConfigDict;
    expect(dense.build_config).toEqual({ input_shape: [null, 3] });
    expect((dense.config as capa.ConfigDict).kernel_initializer).toEqual({
      module: 'keras.initializers',
      class_name: 'GlorotUniform',
      config: { seed: null },
      registered_name: null,
    });
    const k2 = capa.serializeLayer(model, 'keras2');
    const k2first = ((k2.config as capa.ConfigDict).layers as capa.ConfigDict[])[0] as capa.ConfigDict;
    expect((k2first.config as capa.ConfigDict).batch_input_shape).toEqual([null, 3]);
    const k2dense = ((k2.config as capa.ConfigDict).layers as capa.ConfigDict[])[1] as capa.ConfigDict;
    expect((k2dense.config as capa.ConfigDict).dtype).toBe('float32');
    expect((k2dense.config as capa.ConfigDict).kernel_initializer).toEqual({
      class_name: 'GlorotUniform',
      config: { seed: null },
    });
  });

  it('reads a Keras 3 functional config as Keras writes it', () => {
    const tensor = (name: string, shape: (number | null)[]) => ({
      class_name: '__keras_tensor__',
      config: { shape, dtype: 'float32', keras_history: [name, 0, 0] },
    });
    const policy = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };
    const config = {
      module: 'keras.src.models.functional',
      class_name: 'Functional',
      config: {
        name: 'functional',
        trainable: true,
        layers: [
          {
            module: 'keras.layers',
            class_name: 'InputLayer',
            config: { batch_shape: [null, 8, 8, 3], dtype: 'float32', sparse: false, name: 'input_layer' },
            registered_name: null,
            name: 'input_layer',
            inbound_nodes: [],
          },
          {
            module: 'keras.layers',
            class_name: 'Conv2D',
            config: {
              name: 'conv2d',
              trainable: true,
              dtype: policy,
              filters: 4,
              kernel_size: [3, 3],
              strides: [1, 1],
              padding: 'same',
              data_format: 'channels_last',
              dilation_rate: [1, 1],
              groups: 1,
              activation: 'relu',
              use_bias: true,
              kernel_initializer: {
                module: 'keras.initializers',
                class_name: 'HeNormal',
                config: { seed: 3 },
                registered_name: null,
              },
              bias_initializer: { module: 'keras.initializers', class_name: 'Zeros', config: {}, registered_name: null },
              kernel_regularizer: {
                module: 'keras.regularizers',
                class_name: 'L2',
                config: { l2: 0.001 },
                registered_name: null,
              },
              bias_regularizer: null,
              activity_regularizer: null,
              kernel_constraint: {
                module: 'keras.constraints',
                class_name: 'MaxNorm',
                config: { max_value: 3, axis: [0, 1, 2] },
                registered_name: null,
              },
              bias_constraint: null,
            },
            registered_name: null,
            build_config: { input_shape: [null, 8, 8, 3] },
            name: 'conv2d',
            inbound_nodes: [{ args: [tensor('input_layer', [null, 8, 8, 3])], kwargs: {} }],
          },
          {
            module: 'keras.layers',
            class_name: 'GlobalAveragePooling2D',
            config: { name: 'gap', trainable: true, dtype: policy, data_format: 'channels_last', keepdims: false },
            registered_name: null,
            build_config: { input_shape: [null, 8, 8, 4] },
            name: 'gap',
            inbound_nodes: [{ args: [tensor('conv2d', [null, 8, 8, 4])], kwargs: {} }],
          },
          {
            module: 'keras.layers',
            class_name: 'Dense',
            config: { name: 'dense', trainable: true, dtype: policy, units: 2, activation: 'softmax', use_bias: true },
            registered_name: null,
            build_config: { input_shape: [null, 4] },
            name: 'dense',
            inbound_nodes: [{ args: [tensor('gap', [null, 4])], kwargs: {} }],
          },
        ],
        input_layers: [['input_layer', 0, 0]],
        output_layers: [['dense', 0, 0]],
      },
      registered_name: null,
      build_config: { input_shape: null },
    };
    const model = capa.deserializeLayer(JSON.parse(JSON.stringify(config))) as capa.Model;
    expect(model.name).toBe('functional');
    expect(model.outputShape).toEqual([null, 2]);
    expect(model.countParams()).toBe(3 * 3 * 3 * 4 + 4 + 4 * 2 + 2);
    const conv = model.getLayer('conv2d') as capa.layers.Conv2D;
    expect(conv.kernelInitializer.className).toBe('HeNormal');
    expect(model.losses.length).toBe(1);
    expect(model.weightConstraints().length).toBe(1);
    expect(model.apply(capa.randomNormal([2, 8, 8, 3], { seed: 4 })).shape).toEqual([2, 2]);
  });

  it('reads a Keras 2.2 config (class Model, list inbound nodes, batch_input_shape, VarianceScaling)', () => {
    const config = {
      class_name: 'Model',
      config: {
        name: 'model_1',
        layers: [
          {
            class_name: 'InputLayer',
            config: { batch_input_shape: [null, 5], dtype: 'float32', sparse: false, name: 'input_1' },
            name: 'input_1',
            inbound_nodes: [],
          },
          {
            class_name: 'Dense',
            config: {
              name: 'dense_1',
              trainable: true,
              units: 3,
              activation: 'relu',
              use_bias: true,
              kernel_initializer: {
                class_name: 'VarianceScaling',
                config: { scale: 1.0, mode: 'fan_avg', distribution: 'uniform', seed: null },
              },
              bias_initializer: { class_name: 'Zeros', config: {} },
              kernel_regularizer: null,
              bias_regularizer: null,
              activity_regularizer: null,
              kernel_constraint: null,
              bias_constraint: null,
            },
            name: 'dense_1',
            inbound_nodes: [[['input_1', 0, 0, {}]]],
          },
          {
            class_name: 'Dropout',
            config: { name: 'dropout_1', trainable: true, rate: 0.5, noise_shape: null, seed: null },
            name: 'dropout_1',
            inbound_nodes: [[['dense_1', 0, 0, {}]]],
          },
        ],
        input_layers: [['input_1', 0, 0]],
        output_layers: [['dropout_1', 0, 0]],
      },
    };
    const model = capa.deserializeLayer(JSON.parse(JSON.stringify(config))) as capa.Model;
    expect(model.layers.map((l) => `${l.name}:${l.className}`)).toEqual([
      'input_1:InputLayer',
      'dense_1:Dense',
      'dropout_1:Dropout',
    ]);
    expect(model.countParams()).toBe(18);
  });

  it('refuses unknown classes and unregistered custom layers clearly', () => {
    expect(() => capa.deserializeLayer({ class_name: 'Lambda', config: {} })).toThrow(
      /never evaluates code from a file.*registerKerasSerializable/,
    );
  });
});

describe('trainable flags in configs', () => {
  it('keep a frozen layer frozen inside a trainable model, and a frozen model frozen', () => {
    const frozen = new L.Dense(3, { name: 'frozen', trainable: false });
    const model = new Sequential([new L.Dense(4, { inputDim: 2 }), frozen]);
    const revived = capa.deserializeLayer(JSON.parse(JSON.stringify(capa.serializeLayer(model)))) as capa.Sequential;
    expect(revived.layers.map((l) => l.trainable)).toEqual([true, false]);
    expect(revived.trainableWeights.length).toBe(2);
    model.trainable = false;
    const again = capa.deserializeLayer(JSON.parse(JSON.stringify(capa.serializeLayer(model, 'keras2')))) as capa.Sequential;
    expect(again.trainable).toBe(false);
    expect(again.trainableWeights).toEqual([]);
  });
});
