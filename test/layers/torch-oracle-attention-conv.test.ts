/**
 * Conv2DTranspose, MultiHeadAttention, Attention, AdditiveAttention, LayerNormalization,
 * GroupNormalization and bilinear UpSampling2D against PyTorch in float64
 * (tools/gen_attention_conv_fixtures.py): weights set through setWeights in Keras's layouts, the
 * forward output and the gradients of sum(y * dy) with respect to the inputs and every weight
 * within 1e-4 relative.
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import * as capa from '../../src/index.js';
import { describeEachBackend } from '../helpers/backends.js';
import { expectTensorClose } from '../helpers/close.js';

const L = capa.layers;
const TOL = 1e-4;

interface Entry {
  shape: number[];
  values: number[];
}
interface GradCase {
  name: string;
  y: Entry;
  dy: Entry;
  weights: Entry[];
  dweights: Entry[];
}
interface ConvCase extends GradCase {
  config: {
    filters: number;
    kernelSize: [number, number];
    strides: [number, number];
    padding: 'valid' | 'same';
    dilationRate: [number, number];
    outputPadding: [number, number] | null;
    useBias: boolean;
  };
  x: Entry;
  dx: Entry;
}
interface MhaCase extends GradCase {
  config: { numHeads: number; keyDim: number; valueDim: number; outputShape: number | null; useBias: boolean };
  inputs: Entry[];
  mask: Entry | null;
  causal: boolean;
  scores: Entry;
  dinputs: Entry[];
}
interface AttentionCase extends GradCase {
  kind: 'dot' | 'additive';
  useScale: boolean;
  scoreMode: 'dot' | 'concat';
  causal: boolean;
  valueMask: Entry | null;
  inputs: Entry[];
  dinputs: Entry[];
}
interface NormCase extends GradCase {
  epsilon: number;
  groups?: number;
  x: Entry;
  dx: Entry;
}
interface BilinearCase {
  name: string;
  size: [number, number];
  x: Entry;
  y: Entry;
  dy: Entry;
  dx: Entry;
}

const fixtures = JSON.parse(readFileSync(new URL('../fixtures/layers/attention-conv.json', import.meta.url), 'utf8')) as {
  conv2dTranspose: ConvCase[];
  multiHeadAttention: MhaCase[];
  attention: AttentionCase[];
  layerNormalization: NormCase[];
  groupNormalization: NormCase[];
  bilinear: BilinearCase[];
};

const tensorOf = (e: Entry): capa.Tensor => capa.tensor(Float32Array.from(e.values), e.shape);

/**
 * Runs `layer` on the inputs with the case's weights and checks the output, then the gradients of
 * sum(y * dy) with respect to the inputs and the weights.
 */
function checkLayer(
  layer: capa.Layer,
  inputs: capa.Tensor[],
  c: GradCase,
  dinputs: Entry[],
  call: (xs: capa.Tensor[]) => capa.Tensor = (xs) => (xs.length === 1 ? layer.apply(xs[0] as capa.Tensor) : layer.apply(xs)),
): void {
  call(inputs); // builds
  layer.setWeights(c.weights.map(tensorOf));
  expectTensorClose(call(inputs), c.y, TOL);
  const dy = tensorOf(c.dy);
  const loss = (xs: capa.Tensor[]) => capa.ops.sum(capa.ops.mul(call(xs), dy));
  const inputGrads = capa.grads((...xs: capa.Tensor[]) => loss(xs))(inputs);
  for (const [i, d] of dinputs.entries()) expectTensorClose(inputGrads[i] as capa.Tensor, d, TOL);
  const { grads } = capa.variableGrads(() => loss(inputs), layer.trainableWeights);
  expect(grads.length).toBe(c.dweights.length);
  for (const [i, d] of c.dweights.entries()) expectTensorClose(grads[i] as capa.Tensor, d, TOL);
}

describeEachBackend('PyTorch oracle: transposed convolutions, attention, normalization', () => {
  for (const c of fixtures.conv2dTranspose) {
    it(`Conv2DTranspose ${c.name}`, () => {
      const { filters, kernelSize, ...options } = c.config;
      checkLayer(new L.Conv2DTranspose(filters, kernelSize, options), [tensorOf(c.x)], c, [c.dx]);
    });
  }

  it('Conv1DTranspose is the height-1 Conv2DTranspose of the same kernel', () => {
    const c = fixtures.conv2dTranspose.find((k) => k.name.startsWith('stride 2 same, odd'))!;
    const x = tensorOf(c.x);
    const layer2d = new L.Conv2DTranspose(c.config.filters, [1, 3], { strides: [1, 2], padding: 'same' });
    const layer1d = new L.Conv1DTranspose(c.config.filters, 3, { strides: 2, padding: 'same' });
    const rows = capa.ops.reshape(x, [x.shape[0]! * x.shape[1]!, 1, x.shape[2]!, x.shape[3]!]);
    layer2d.apply(rows);
    layer1d.apply(capa.ops.squeeze(rows, [1]));
    layer1d.setWeights(layer2d.getWeights().map((w, i) => (i === 0 ? capa.ops.squeeze(w, [0]) : w)));
    const expected = capa.ops.squeeze(layer2d.apply(rows), [1]);
    expectTensorClose(layer1d.apply(capa.ops.squeeze(rows, [1])), { shape: expected.shape, values: expected.dataSync() }, 1e-6);
  });

  for (const c of fixtures.multiHeadAttention) {
    it(`MultiHeadAttention ${c.name}`, () => {
      const layer = new L.MultiHeadAttention({ ...c.config, outputShape: c.config.outputShape });
      const mask = c.mask ? tensorOf(c.mask) : null;
      const inputs = c.inputs.map(tensorOf);
      const call = (xs: capa.Tensor[]) => layer.apply(xs, { attentionMask: mask, useCausalMask: c.causal });
      checkLayer(layer, inputs, c, c.dinputs, call);
      const [, scores] = layer.applyMulti(inputs, { attentionMask: mask, useCausalMask: c.causal, returnAttentionScores: true });
      expectTensorClose(scores as capa.Tensor, c.scores, TOL);
    });
  }

  for (const c of fixtures.attention) {
    it(`${c.kind === 'additive' ? 'AdditiveAttention' : 'Attention'} ${c.name}`, () => {
      const layer =
        c.kind === 'additive'
          ? new L.AdditiveAttention({ useScale: c.useScale })
          : new L.Attention({ useScale: c.useScale, scoreMode: c.scoreMode });
      const mask = c.valueMask ? [null, tensorOf(c.valueMask)] : null;
      const call = (xs: capa.Tensor[]) => layer.apply(xs, { masks: mask ?? undefined, useCausalMask: c.causal });
      checkLayer(layer, c.inputs.map(tensorOf), c, c.dinputs, call);
    });
  }

  for (const c of fixtures.layerNormalization) {
    it(`LayerNormalization ${c.name}`, () => {
      checkLayer(new L.LayerNormalization({ epsilon: c.epsilon }), [tensorOf(c.x)], c, [c.dx]);
    });
  }

  for (const c of fixtures.groupNormalization) {
    it(`GroupNormalization ${c.name}`, () => {
      checkLayer(new L.GroupNormalization({ groups: c.groups, epsilon: c.epsilon }), [tensorOf(c.x)], c, [c.dx]);
    });
  }

  for (const c of fixtures.bilinear) {
    it(`UpSampling2D bilinear ${c.name}`, () => {
      const layer = new L.UpSampling2D(c.size, { interpolation: 'bilinear' });
      const x = tensorOf(c.x);
      expectTensorClose(layer.apply(x), c.y, TOL);
      const dy = tensorOf(c.dy);
      const [dx] = capa.grads((t: capa.Tensor) => capa.ops.sum(capa.ops.mul(layer.apply(t), dy)))([x]);
      expectTensorClose(dx as capa.Tensor, c.dx, TOL);
    });
  }
});
