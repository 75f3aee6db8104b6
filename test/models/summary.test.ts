import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import * as capa from '../../src/index.js';

const { Sequential, Model, Input, layers, applications } = capa;

const capture = (f: (printFn: (s: string) => void) => string): { printed: string[]; returned: string } => {
  const printed: string[] = [];
  const returned = f((s) => printed.push(s));
  return { printed, returned };
};

describe('summary() Keras 2 text', () => {
  beforeEach(() => capa.clearSession());

  it('cuts cells to their column and pads every line to 65 characters', () => {
    const model = new Sequential([
      new layers.Conv2D(8, 3, { inputShape: [28, 28, 1] }),
      new layers.MaxPooling2D(2),
      new layers.Flatten(),
      new layers.Dense(10, { activation: 'softmax' }),
    ]);
    const { printed, returned } = capture((printFn) => model.summary({ printFn }));
    expect(returned).toBe(printed.join('\n'));
    expect(printed[3]).toBe('conv2d_1 (Conv2D)            (None, 26, 26, 8)         80        ');
    expect(printed[5]).toBe('max_pooling2d_1 (MaxPooling2 (None, 13, 13, 8)         0         ');
    expect(printed[9]).toBe('dense_1 (Dense)              (None, 10)                13530     ');
    for (const line of printed.slice(0, -4)) expect(line.length).toBe(65);
    expect(printed.slice(-4)).toEqual([
      'Total params: 13,610',
      'Trainable params: 13,610',
      'Non-trainable params: 0',
      '_'.repeat(65),
    ]);
  });

  it('honours lineLength and absolute positions', () => {
    const model = new Sequential([new layers.Dense(3, { inputDim: 4, name: 'a_rather_long_layer_name' })]);
    const { printed } = capture((printFn) => model.summary({ printFn, lineLength: 40, positions: [20, 32, 40] }));
    expect(printed[0]).toBe('_'.repeat(40));
    expect(printed[3]).toBe('a_rather_long_layer (None, 3)   15      ');
  });

  it('prints graph models with Connected to, one inbound tensor per line, like tf.keras ResNet50', () => {
    const expected = readFileSync(new URL('../fixtures/models/resnet50-head-keras2.txt', import.meta.url), 'utf8')
      .replace(/\n$/, '')
      .split('\n');
    const model = applications.ResNet50({ includeTop: true });
    const { printed } = capture((printFn) => model.summary({ printFn }));
    expect(printed[0]).toBe('_'.repeat(98));
    expect(printed[1]).toBe(`Layer (type)                    Output Shape         Param #     Connected to${' '.repeat(21)}`);
    expect(printed[3]).toBe('input_1 (InputLayer)            (None, 224, 224, 3)  0'.padEnd(98));
    expect(printed.slice(5, 5 + expected.length)).toEqual(expected);
    expect(printed.slice(-4, -1)).toEqual([
      'Total params: 25,636,712',
      'Trainable params: 25,583,592',
      'Non-trainable params: 53,120',
    ]);
    expect(printed[printed.length - 6]).toBe(
      'predictions (Dense)             (None, 1000)         2049000     avg_pool[0][0]'.padEnd(98),
    );
  });

  it('shows nested models as Model with node index 1, and multiple output shapes', () => {
    const inner = new Sequential([new layers.Dense(4, { inputDim: 3 })], { name: 'inner' });
    const x = Input({ shape: [3], name: 'x' });
    const y = inner.apply(x);
    const a = new layers.Dense(2, { name: 'head_a' }).apply(y);
    const b = new layers.Dense(5, { name: 'head_b' }).apply(y);
    const model = new Model({ inputs: x, outputs: [a, b], name: 'two_heads' });
    const { printed } = capture((printFn) => model.summary({ printFn }));
    expect(printed[5]).toMatch(/^inner \(Sequential\)\s+\(None, 4\)\s+16\s+x\[0\]\[0\]\s+$/);
    expect(printed[7]).toMatch(/^head_a \(Dense\)\s+\(None, 2\)\s+10\s+inner\[1\]\[0\]\s+$/);
    const outer = new Model({ inputs: x, outputs: a });
    const twice = Input({ shape: [3], name: 'x2' });
    const nested = new Model({ inputs: twice, outputs: outer.apply(twice), name: 'nested' });
    const shown = capture((printFn) => nested.summary({ printFn })).printed;
    expect(shown[5]).toBe(`model_1 (Model)              (None, 2)                 26        `);
    expect(model.outputShapes).toEqual([
      [null, 2],
      [null, 5],
    ]);
  });

  it('refuses an unbuilt Sequential like Keras', () => {
    const model = new Sequential([new layers.Dense(3)]);
    expect(() => model.summary({ printFn: () => {} })).toThrow(/This model has not yet been built/);
  });
});

describe('summary() Keras 3 box table', () => {
  beforeEach(() => capa.clearSession());

  it('reproduces Keras 3 widths, alignment and byte sizes (KERAS_NOTES b2 toy model)', () => {
    const model = new Sequential(
      [
        new layers.Conv2D(32, 3, { activation: 'relu', inputShape: [28, 28, 1], name: 'conv2d' }),
        new layers.MaxPooling2D(2, { name: 'max_pooling2d' }),
        new layers.Flatten({ name: 'flatten' }),
        new layers.Dropout(0.5, { name: 'dropout' }),
        new layers.Dense(10, { activation: 'softmax', name: 'dense' }),
      ],
      { name: 'sequential' },
    );
    const { returned } = capture((printFn) => model.summary({ printFn, style: 'keras3', lineLength: 76 }));
    expect(returned).toBe(
      [
        'Model: "sequential"',
        '┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓',
        '┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃',
        '┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩',
        '│ conv2d (Conv2D)                 │ (None, 26, 26, 32)     │           320 │',
        '├─────────────────────────────────┼────────────────────────┼───────────────┤',
        '│ max_pooling2d (MaxPooling2D)    │ (None, 13, 13, 32)     │             0 │',
        '├─────────────────────────────────┼────────────────────────┼───────────────┤',
        '│ flatten (Flatten)               │ (None, 5408)           │             0 │',
        '├─────────────────────────────────┼────────────────────────┼───────────────┤',
        '│ dropout (Dropout)               │ (None, 5408)           │             0 │',
        '├─────────────────────────────────┼────────────────────────┼───────────────┤',
        '│ dense (Dense)                   │ (None, 10)             │        54,090 │',
        '└─────────────────────────────────┴────────────────────────┴───────────────┘',
        ' Total params: 54,410 (212.54 KB)',
        ' Trainable params: 54,410 (212.54 KB)',
        ' Non-trainable params: 0 (0.00 B)',
      ].join('\n'),
    );
  });

  it('gives KERAS_NOTES b1 sizes for the applications', () => {
    const text = (m: capa.Model): string => m.summary({ printFn: () => {}, style: 'keras3' });
    const resnet = text(applications.ResNet50());
    expect(resnet).toContain(' Total params: 25,636,712 (97.80 MB)');
    expect(resnet).toContain(' Trainable params: 25,583,592 (97.59 MB)');
    expect(resnet).toContain(' Non-trainable params: 53,120 (207.50 KB)');
    expect(text(applications.MobileNetV2())).toContain(' Total params: 3,538,984 (13.50 MB)');
  });

  it('shows unbuilt layers as Keras 3 does', () => {
    const model = new Sequential([new layers.Dense(3, { name: 'd' })], { name: 's' });
    const text = model.summary({ printFn: () => {}, style: 'keras3', lineLength: 76 });
    expect(text).toContain('│ d (Dense)                       │ ?                      │   0 (unbuilt) │');
  });
});
