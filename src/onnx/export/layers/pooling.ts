/**
 * Pooling. Windowed pooling is ONNX MaxPool / AveragePool on channels-first values (AveragePool
 * leaves padding out of the mean, as TensorFlow's 'same' does); global pooling reduces the
 * spatial axes wherever they lie, so it needs no transpose.
 */
import {
  GlobalAveragePooling1D,
  GlobalAveragePooling2D,
  GlobalMaxPooling1D,
  GlobalMaxPooling2D,
} from '../../../layers/pooling/global-pooling.js';
import { AveragePooling1D, AveragePooling2D, MaxPooling1D, MaxPooling2D } from '../../../layers/pooling/pooling2d.js';
import { type ExportContext, type LayerCall, singleInput, singleOutputShape } from '../context.js';
import { type ConverterEntry, converter } from '../converter.js';
import { channelsFirstPerm, identityPerm, normalizePerm, type OnnxValue } from '../layout.js';
import { paddingAttributes } from './convolution.js';

type WindowPooling = MaxPooling1D | MaxPooling2D | AveragePooling1D | AveragePooling2D;

const windowPool =
  (opType: 'MaxPool' | 'AveragePool') =>
  (ctx: ExportContext, call: LayerCall<WindowPooling>): OnnxValue[] => {
    const layer = call.layer;
    const x = singleInput(call);
    const input = ctx.channelsFirst(x);
    const rank = layer.poolSize.length;
    const name = ctx.graph.op(opType, [input.name], `${call.path}/${opType}`, {
      kernel_shape: layer.poolSize.slice(),
      strides: layer.strides.slice(),
      ...paddingAttributes(x.shape.slice(1, -1), {
        kernelSize: layer.poolSize,
        strides: layer.strides,
        dilations: new Array<number>(rank).fill(1),
        padding: layer.padding,
      }),
    });
    const shape = singleOutputShape(call);
    return [{ name, shape, perm: normalizePerm(channelsFirstPerm(shape.length)) }];
  };

type GlobalPooling = GlobalAveragePooling1D | GlobalAveragePooling2D | GlobalMaxPooling1D | GlobalMaxPooling2D;

/** Reduces the logical spatial axes 1..rank-2 at their physical positions. */
const globalPool =
  (opType: 'ReduceMean' | 'ReduceMax') =>
  (ctx: ExportContext, call: LayerCall<GlobalPooling>): OnnxValue[] => {
    const x = singleInput(call);
    const rank = x.shape.length;
    const physical = x.perm ?? identityPerm(rank);
    const isSpatial = (logical: number): boolean => logical > 0 && logical < rank - 1;
    const axes = physical.flatMap((logical, i) => (isSpatial(logical) ? [i] : []));
    const keepdims = call.layer.keepdims;
    const name = ctx.graph.op(opType, [x.name], `${call.path}/${opType}`, { axes, keepdims: keepdims ? 1 : 0 });
    // Without keepdims only batch and channels remain, in their physical order.
    const perm = keepdims ? x.perm : normalizePerm(physical.filter((l) => !isSpatial(l)).map((l) => (l === 0 ? 0 : 1)));
    return [{ name, shape: singleOutputShape(call), perm }];
  };

export const poolingConverters: readonly ConverterEntry[] = [
  converter(MaxPooling2D, windowPool('MaxPool')),
  converter(MaxPooling1D, windowPool('MaxPool')),
  converter(AveragePooling2D, windowPool('AveragePool')),
  converter(AveragePooling1D, windowPool('AveragePool')),
  converter(GlobalAveragePooling2D, globalPool('ReduceMean')),
  converter(GlobalAveragePooling1D, globalPool('ReduceMean')),
  converter(GlobalMaxPooling2D, globalPool('ReduceMax')),
  converter(GlobalMaxPooling1D, globalPool('ReduceMax')),
];
