/**
 * Conv: weights converted once from ONNX's OIHW to capa's HWIO (depthwise: [kh, kw, C, m]),
 * the activation moved to NHWC if it is not already. Symmetric 'same'-sized pads become
 * padding 'same'; other explicit pads a ZeroPadding2D in front (both Keras layers, so the model saves).
 */
import { Conv2D } from '../../../layers/convolutional/conv.js';
import { DepthwiseConv2D } from '../../../layers/convolutional/depthwise.js';
import type { SymbolicTensor } from '../../../layers/engine/symbolic.js';
import { ZeroPadding2D } from '../../../layers/reshaping/zero-padding.js';
import { dyn, type OpNode } from '../builder.js';
import { toFloat32, transposeConst } from '../const-array.js';
import { channelsLastPerm, type Value } from '../values.js';
import { checkElements, constInput, dynInput, fail, type OpHandler, optionalInput } from './common.js';

/** Explicit [top, left, bottom, right] pads of a 2-D window op, checked against the memory they would take. */
export function windowPads(
  node: OpNode,
  inHW: readonly number[],
  kernel: readonly number[],
  strides: readonly number[],
  dilations: readonly number[],
  channels: number,
): number[] {
  const pads = explicitPads(node, inHW, kernel, strides, dilations);
  const [h, w] = inHW as [number, number];
  checkElements(node, [
    null,
    channels,
    h + (pads[0] as number) + (pads[2] as number),
    w + (pads[1] as number) + (pads[3] as number),
  ]);
  return pads;
}

/** The pads from `pads` or `auto_pad`. */
function explicitPads(
  node: OpNode,
  inHW: readonly number[],
  kernel: readonly number[],
  strides: readonly number[],
  dilations: readonly number[],
): number[] {
  const autoPad = node.attrs.string('auto_pad', 'NOTSET');
  if (autoPad === 'NOTSET') {
    const pads = node.attrs.ints('pads', [0, 0, 0, 0]) as number[];
    if (pads.length !== 4) fail(node, `pads must have 4 entries for a 2-D window, received [${pads.join(', ')}]`);
    if (pads.some((p) => p < 0)) fail(node, `negative pads [${pads.join(', ')}] are not supported`);
    return pads;
  }
  if (autoPad === 'VALID') return [0, 0, 0, 0];
  if (autoPad !== 'SAME_UPPER' && autoPad !== 'SAME_LOWER')
    fail(node, `auto_pad '${autoPad}' is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER`);
  const total = inHW.map((n, i) => {
    const s = strides[i] as number;
    const out = Math.ceil(n / s);
    return Math.max((out - 1) * s + ((kernel[i] as number) - 1) * (dilations[i] as number) + 1 - n, 0);
  });
  const small = total.map((t) => Math.floor(t / 2));
  const big = total.map((t, i) => t - (small[i] as number));
  return autoPad === 'SAME_UPPER'
    ? ([small[0], small[1], big[0], big[1]] as number[])
    : ([big[0], big[1], small[0], small[1]] as number[]);
}

function conv(node: OpNode): Value[] {
  const x0 = dynInput(node, 0);
  if (x0.perm.length !== 4) fail(node, `only 2-D convolutions (rank-4 input) are supported, received rank ${x0.perm.length}`);
  const w = constInput(node, 1, 'the weight').value;
  const biasInput = optionalInput(node, 2);
  const bias = biasInput ? constInput(node, 2, 'the bias').value : null;
  const x = node.b.toPerm(node, x0, channelsLastPerm(4));
  const [outC, inPerGroup, kh, kw] = w.dims as [number, number, number, number];
  const inC = x.tensor.shape[3] as number;
  const group = node.attrs.int('group', 1);
  const strides = node.attrs.ints('strides', [1, 1]) as number[];
  const dilations = node.attrs.ints('dilations', [1, 1]) as number[];
  const kernel = node.attrs.ints('kernel_shape', [kh, kw]) as number[];
  if (kernel[0] !== kh || kernel[1] !== kw)
    fail(node, `kernel_shape [${kernel.join(', ')}] disagrees with the weight's [${kh}, ${kw}]`);
  if (inPerGroup * group !== inC)
    fail(node, `the weight expects ${inPerGroup * group} input channels (group ${group}), the input has ${inC}`);
  const [top, left, bottom, right] = windowPads(
    node,
    [x.tensor.shape[1] as number, x.tensor.shape[2] as number],
    kernel,
    strides,
    dilations,
    inC,
  ) as [number, number, number, number];
  const sameSized =
    strides.every((s) => s === 1) &&
    top === bottom &&
    left === right &&
    top === ((kh - 1) * (dilations[0] as number)) / 2 &&
    left === ((kw - 1) * (dilations[1] as number)) / 2;
  let input: SymbolicTensor = x.tensor;
  const padded = !sameSized && top + left + bottom + right > 0;
  if (padded) {
    input = node.b.applyOne(
      new ZeroPadding2D(
        [
          [top, bottom],
          [left, right],
        ],
        { name: node.b.layerName(node, '.pad') },
      ),
      input,
    );
  }
  const common = {
    name: node.b.layerName(node),
    strides: strides as [number, number],
    dilationRate: dilations as [number, number],
    padding: sameSized && top > 0 ? ('same' as const) : ('valid' as const),
    useBias: bias !== null,
    // The imported values replace them at once: skip drawing random ones.
    kernelInitializer: 'zeros' as const,
  };
  const weights = (kernelValues: ReturnType<typeof transposeConst>) => [
    { values: toFloat32(kernelValues), shape: kernelValues.dims },
    ...(bias ? [{ values: toFloat32(bias), shape: bias.dims }] : []),
  ];
  let out: SymbolicTensor;
  if (group === 1) {
    out = node.b.applyOne(new Conv2D(outC, [kh, kw], common), input, weights(transposeConst(w, [2, 3, 1, 0])));
  } else if (group === inC && inPerGroup === 1) {
    // ONNX output channel c*m + j is input channel c's j-th filter: [C*m, 1, kh, kw] -> [kh, kw, C, m].
    const m = outC / inC;
    const k = transposeConst({ dims: [inC, m, kh, kw], data: w.data, dtype: w.dtype }, [2, 3, 0, 1]);
    out = node.b.applyOne(
      new DepthwiseConv2D([kh, kw], { ...common, depthMultiplier: m, depthwiseInitializer: 'zeros' }),
      input,
      weights(k),
    );
  } else {
    fail(node, `grouped convolution with group=${group} (neither 1 nor depthwise) is not supported by capa`);
  }
  return [dyn(out, channelsLastPerm(4))];
}

export const CONV_OPS: Record<string, OpHandler> = { Conv: conv };
