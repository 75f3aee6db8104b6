/**
 * The layer test harness (Keras's `run_layer_test`): every layer goes through symbolic and
 * eager calls (output shape), its weight count, one gradient step through the autograd that
 * must lower a loss, and a JSON round trip of its config in both Keras layouts.
 */
import { expect } from 'vitest';
import * as capa from '../../src/index.js';

export interface LayerCase {
  name: string;
  make: () => capa.Layer;
  /** Concrete input shapes, batch included (several for merge layers). */
  inputs: number[][];
  output: number[];
  weights: number;
  trainableWeights?: number;
  /** Output differs between calls in training mode (Dropout, noise): the step runs in inference mode. */
  stochastic?: boolean;
}

const mse = (y: capa.Tensor, target: capa.Tensor): capa.Tensor => capa.ops.mean(capa.ops.square(capa.ops.sub(y, target)));

export function runLayerCase(c: LayerCase): void {
  capa.setSeed(42);
  const layer = c.make();
  const xs = c.inputs.map((s, i) => capa.randomNormal(s, { seed: 100 + i }));
  const asList = c.inputs.length > 1;

  // Symbolic call: shapes with a free batch axis.
  const symbolicInputs = c.inputs.map((s) => capa.Input({ shape: s.slice(1) }));
  const symbolicOut = asList ? layer.apply(symbolicInputs) : layer.apply(symbolicInputs[0] as capa.SymbolicTensor);
  expect(symbolicOut.shape).toEqual([null, ...c.output.slice(1)]);
  expect(layer.outputShape).toEqual([null, ...c.output.slice(1)]);

  // Eager call.
  const run = (training: boolean, inputs = xs): capa.Tensor =>
    asList ? layer.apply(inputs, { training }) : layer.apply(inputs[0] as capa.Tensor, { training });
  const y = run(!c.stochastic);
  expect(y.shape).toEqual(c.output);
  expect(layer.weights.length).toBe(c.weights);
  expect(layer.trainableWeights.length).toBe(c.trainableWeights ?? c.weights);

  // One SGD step through the autograd lowers a squared error, on the weights if the layer has
  // trainable ones, else on the inputs.
  const target = capa.randomNormal(c.output, { seed: 7 });
  const training = !c.stochastic;
  const params: capa.Tensor[] = layer.trainableWeights.length > 0 ? layer.trainableWeights : xs;
  const lossOf = (inputs: capa.Tensor[]): capa.Tensor => mse(run(training, inputs), target);
  let inputs = xs;
  const before = capa.noGrad(() => lossOf(inputs)).item();
  if (layer.trainableWeights.length > 0) {
    const { grads } = capa.variableGrads(() => lossOf(inputs), params);
    layer.trainableWeights.forEach((v, i) => {
      const g = grads[i];
      expect(g, `gradient of ${v.name}`).toBeTruthy();
      v.assign(capa.ops.sub(v, capa.ops.mul(g as capa.Tensor, 0.05)));
    });
  } else {
    const { grads } = capa.valueAndGrads((...args: capa.Tensor[]) => lossOf(args))(xs);
    inputs = xs.map((x, i) => capa.ops.sub(x, capa.ops.mul(grads[i] as capa.Tensor, 0.05)));
  }
  const after = capa.noGrad(() => lossOf(inputs)).item();
  expect(after, `loss ${before} -> ${after}`).toBeLessThan(before);

  // Config round trip through JSON, Keras 3 and Keras 2 layouts: same config, same outputs.
  for (const format of ['keras3', 'keras2'] as const) {
    const json = JSON.parse(JSON.stringify(capa.serializeLayer(layer, format)));
    const revived = capa.deserializeLayer(json);
    expect(revived.className).toBe(layer.className);
    expect(revived.getConfig()).toEqual(layer.getConfig());
    if (asList) revived.apply(xs);
    else revived.apply(xs[0] as capa.Tensor);
    revived.setWeights(layer.getWeights());
    const a = asList ? layer.apply(xs) : layer.apply(xs[0] as capa.Tensor);
    const b = asList ? revived.apply(xs) : revived.apply(xs[0] as capa.Tensor);
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
  }
}
