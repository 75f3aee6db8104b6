import { describe, expect, it } from 'vitest';
import * as capa from '../../src/index.js';
import { modelGraph, modelSvg } from '../../src/plot/plot-model.js';

const { Conv2D, Dense, Dropout, Flatten, GlobalAveragePooling2D, MaxPooling2D } = capa.layers;

describe('plotModel', () => {
  it('draws a Sequential CNN as one column with shapes, the input layer included', () => {
    capa.clearSession();
    const model = new capa.Sequential([
      new Conv2D(8, 3, { activation: 'relu', inputShape: [28, 28, 1] }),
      new MaxPooling2D(2),
      new Flatten(),
      new Dropout(0.5),
      new Dense(10, { activation: 'softmax' }),
    ]);
    const graph = modelGraph(model);
    expect(graph.map((l) => l.className)).toEqual(['InputLayer', 'Conv2D', 'MaxPooling2D', 'Flatten', 'Dropout', 'Dense']);
    expect(graph[1]).toMatchObject({
      inbound: [graph[0]!.name],
      inputShape: '(None, 28, 28, 1)',
      outputShape: '(None, 26, 26, 8)',
    });
    const svg = modelSvg(model, { showShapes: true, showLayerActivations: true });
    expect(svg).toContain('>conv2d_1 (Conv2D)</text>');
    expect(svg).toContain('>Output shape: (None, 13, 13, 8)</text>');
    expect(svg).toContain('>Activation: softmax</text>');
    expect(svg.match(/marker-end/g)).toHaveLength(5);
  });

  it('draws ResNet50 with every layer and every residual connection', () => {
    const resnet = capa.applications.ResNet50({ includeTop: false, weights: null, inputShape: [32, 32, 3] });
    const graph = modelGraph(resnet);
    expect(graph).toHaveLength(175);
    const adds = graph.filter((l) => l.className === 'Add');
    expect(adds).toHaveLength(16);
    for (const add of adds) expect(add.inbound).toHaveLength(2);
    const edges = graph.reduce((n, l) => n + l.inbound.length, 0);
    expect(modelSvg(resnet).match(/marker-end/g)).toHaveLength(edges);
  });

  it('draws a frozen application inside a transfer model as one dashed box', () => {
    const base = capa.applications.ResNet50({ includeTop: false, weights: null, inputShape: [32, 32, 3] });
    base.trainable = false;
    const input = capa.Input({ shape: [32, 32, 3] });
    const features = new GlobalAveragePooling2D().apply(base.apply(input) as capa.SymbolicTensor) as capa.SymbolicTensor;
    const output = new Dense(3, { activation: 'softmax' }).apply(features) as capa.SymbolicTensor;
    const model = new capa.Model({ inputs: input, outputs: output });
    const svg = modelSvg(model, { showTrainable: true });
    expect(modelGraph(model).map((l) => l.className)).toEqual(['InputLayer', 'Functional', 'GlobalAveragePooling2D', 'Dense']);
    expect(svg).toContain('Trainable: no (frozen)');
    expect(svg.match(/Trainable: yes/g)).toHaveLength(1);
    expect(svg).toContain('stroke-dasharray="5 3"');
  });
});
