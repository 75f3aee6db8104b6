/**
 * Keras activations as ONNX ops, and the activation layers (Activation, ReLU, LeakyReLU, ELU,
 * Softmax). Elementwise activations keep the value's layout; softmax maps its axis.
 * Ops that ONNX added after opset 13 (Gelu 20, Mish 18, HardSwish 14) are composed from older
 * ones, so every supported opset gives the same graph.
 */
import {
  type ActivationFunction,
  type ActivationIdentifier,
  isBuiltinActivation,
} from '../../../layers/activations/functions.js';
import { ELU, LeakyReLU, ReLU, Softmax } from '../../../layers/activations/layers.js';
import { Activation } from '../../../layers/core/activation.js';
import type { Layer } from '../../../layers/engine/layer.js';
import { type ExportContext, type LayerCall, singleInput } from '../context.js';
import { type ConverterEntry, converter } from '../converter.js';
import { floatAttr } from '../graph-builder.js';
import { type OnnxValue, physicalAxis } from '../layout.js';

type Emit = (ctx: ExportContext, x: OnnxValue, path: string) => string;

const unary =
  (opType: string, attributes: Record<string, ReturnType<typeof floatAttr>> = {}): Emit =>
  (ctx, x, path) =>
    ctx.graph.op(opType, [x.name], `${path}/${opType}`, attributes);

/** x * f(x), for swish-like activations. */
const gated =
  (gate: Emit): Emit =>
  (ctx, x, path) =>
    ctx.graph.op('Mul', [x.name, gate(ctx, x, path)], `${path}/Mul`);

const alongLastAxis =
  (opType: string): Emit =>
  (ctx, x, path) =>
    ctx.graph.op(opType, [x.name], `${path}/${opType}`, { axis: physicalAxis(x, -1) });

const clip = (ctx: ExportContext, x: string, low: number, high: number, path: string): string =>
  ctx.graph.op(
    'Clip',
    [x, ctx.graph.scalar(`${path}/clip_min`, low), ctx.graph.scalar(`${path}/clip_max`, high)],
    `${path}/Clip`,
  );

/** Keras 3's hard_sigmoid: relu6(x + 3) / 6. */
const hardSigmoid = unary('HardSigmoid', { alpha: floatAttr(1 / 6), beta: floatAttr(0.5) });

/** One emitter per Keras activation name; the record type makes a missing one a compile error. */
const EMITTERS: Record<ActivationIdentifier, Emit | null> = {
  linear: null,
  relu: unary('Relu'),
  relu6: (ctx, x, path) => clip(ctx, x.name, 0, 6, path),
  sigmoid: unary('Sigmoid'),
  tanh: unary('Tanh'),
  softmax: alongLastAxis('Softmax'),
  log_softmax: alongLastAxis('LogSoftmax'),
  elu: unary('Elu', { alpha: floatAttr(1) }),
  selu: unary('Selu'),
  // Exact (erf) gelu: 0.5 * x * (1 + erf(x / sqrt(2))).
  gelu: (ctx, x, path) => {
    const g = ctx.graph;
    const scaled = g.op('Div', [x.name, g.scalar(`${path}/sqrt2`, Math.SQRT2)], `${path}/Div`);
    const onePlus = g.op('Add', [g.op('Erf', [scaled], `${path}/Erf`), g.scalar(`${path}/one`, 1)], `${path}/Add`);
    const half = g.op('Mul', [x.name, g.scalar(`${path}/half`, 0.5)], `${path}/Mul_half`);
    return g.op('Mul', [half, onePlus], `${path}/Mul`);
  },
  silu: gated(unary('Sigmoid')),
  swish: gated(unary('Sigmoid')),
  softplus: unary('Softplus'),
  softsign: unary('Softsign'),
  hard_sigmoid: hardSigmoid,
  hard_silu: gated(hardSigmoid),
  hard_swish: gated(hardSigmoid),
  leaky_relu: unary('LeakyRelu', { alpha: floatAttr(0.2) }),
  exponential: unary('Exp'),
  mish: gated((ctx, x, path) => ctx.graph.op('Tanh', [ctx.graph.op('Softplus', [x.name], `${path}/Softplus`)], `${path}/Tanh`)),
};

/** Applies a layer's activation; a user-written function cannot be exported and says so. */
export function emitActivation(ctx: ExportContext, fn: ActivationFunction, x: OnnxValue, layer: Layer, path: string): OnnxValue {
  if (!isBuiltinActivation(fn)) {
    throw new Error(
      `ONNX export: layer "${layer.name}" (${layer.className}) uses the custom activation "${fn.name}", which has no ONNX form; ` +
        `use one of Keras's named activations (${Object.keys(EMITTERS).join(', ')}).`,
    );
  }
  const emit = EMITTERS[fn.name as ActivationIdentifier];
  if (!emit) return x;
  return { ...x, name: emit(ctx, x, `${path}/${fn.name}`) };
}

function convertActivation(ctx: ExportContext, call: LayerCall<Activation>): OnnxValue[] {
  return [emitActivation(ctx, call.layer.activation, singleInput(call), call.layer, call.path)];
}

/** Keras's relu(x, negative_slope, max_value, threshold), the general case built as capa's ReLU computes it. */
function convertReLU(ctx: ExportContext, call: LayerCall<ReLU>): OnnxValue[] {
  const { maxValue, negativeSlope, threshold } = call.layer;
  const x = singleInput(call);
  const g = ctx.graph;
  const path = call.path;
  const out = (name: string): OnnxValue[] => [{ ...x, name }];
  if (threshold === 0 && negativeSlope === 0 && maxValue === null) return out(g.op('Relu', [x.name], `${path}/Relu`));
  if (threshold === 0 && negativeSlope === 0) return out(clip(ctx, x.name, 0, maxValue as number, path));
  if (threshold === 0 && maxValue === null) {
    return out(g.op('LeakyRelu', [x.name], `${path}/LeakyRelu`, { alpha: floatAttr(negativeSlope) }));
  }
  let positive: string;
  if (threshold !== 0) {
    const above = g.op('Greater', [x.name, g.scalar(`${path}/threshold`, threshold)], `${path}/Greater`);
    const mask = g.op('Cast', [above], `${path}/Cast`, { to: 1 });
    positive = g.op('Mul', [x.name, mask], `${path}/Mul_mask`);
  } else positive = g.op('Relu', [x.name], `${path}/Relu`);
  if (maxValue !== null) positive = clip(ctx, positive, 0, maxValue, path);
  if (negativeSlope === 0) return out(positive);
  const shifted =
    threshold !== 0
      ? g.op('Sub', [g.scalar(`${path}/threshold_neg`, threshold), x.name], `${path}/Sub_threshold`)
      : g.op('Neg', [x.name], `${path}/Neg`);
  const negative = g.op('Relu', [shifted], `${path}/Relu_negative`);
  const scaled = g.op('Mul', [negative, g.scalar(`${path}/negative_slope`, negativeSlope)], `${path}/Mul_slope`);
  return out(g.op('Sub', [positive, scaled], `${path}/Sub`));
}

function convertLeakyReLU(ctx: ExportContext, call: LayerCall<LeakyReLU>): OnnxValue[] {
  const x = singleInput(call);
  const name = ctx.graph.op('LeakyRelu', [x.name], `${call.path}/LeakyRelu`, { alpha: floatAttr(call.layer.negativeSlope) });
  return [{ ...x, name }];
}

function convertELU(ctx: ExportContext, call: LayerCall<ELU>): OnnxValue[] {
  const x = singleInput(call);
  return [{ ...x, name: ctx.graph.op('Elu', [x.name], `${call.path}/Elu`, { alpha: floatAttr(call.layer.alpha) }) }];
}

function convertSoftmax(ctx: ExportContext, call: LayerCall<Softmax>): OnnxValue[] {
  const x = singleInput(call);
  return [{ ...x, name: ctx.graph.op('Softmax', [x.name], `${call.path}/Softmax`, { axis: physicalAxis(x, call.layer.axis) }) }];
}

export const activationConverters: readonly ConverterEntry[] = [
  converter(Activation, convertActivation),
  converter(ReLU, convertReLU),
  converter(LeakyReLU, convertLeakyReLU),
  converter(ELU, convertELU),
  converter(Softmax, convertSoftmax),
];
