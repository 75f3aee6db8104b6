/**
 * Merge layers. Inputs of one rank are brought to the first input's layout (usually they share
 * it already, as in a ResNet's residual Add); inputs of different ranks broadcast as Keras does,
 * in the logical layout.
 */
import { Add, Average, Concatenate, Maximum, Minimum, Multiply, Subtract } from '../../../layers/merging/merge.js';
import type { ExportContext, LayerCall } from '../context.js';
import { type ConverterEntry, converter } from '../converter.js';
import { type OnnxValue, physicalAxis } from '../layout.js';

function aligned(ctx: ExportContext, call: LayerCall): OnnxValue[] {
  const first = call.inputs[0];
  if (!first) throw new Error(`ONNX export: layer "${call.layer.name}" (${call.layer.className}) received no inputs.`);
  const sameRank = call.inputs.every((v) => v.shape.length === first.shape.length);
  const target = sameRank ? first.perm : null;
  return call.inputs.map((v) => ctx.inLayout(v, target));
}

/** Folds the inputs pairwise with a binary op (ONNX's Add and Mul take two inputs). */
const pairwise =
  (opType: 'Add' | 'Mul' | 'Sub') =>
  (ctx: ExportContext, call: LayerCall): OnnxValue[] => {
    const [first, ...rest] = aligned(ctx, call) as [OnnxValue, ...OnnxValue[]];
    let name = first.name;
    rest.forEach((v, i) => {
      name = ctx.graph.op(opType, [name, v.name], `${call.path}/${opType}${rest.length > 1 ? `_${i}` : ''}`);
    });
    return [{ name, shape: call.outputShapes[0] ?? first.shape, perm: first.perm }];
  };

/** ONNX's Max and Min take any number of inputs. */
const variadic =
  (opType: 'Max' | 'Min') =>
  (ctx: ExportContext, call: LayerCall): OnnxValue[] => {
    const inputs = aligned(ctx, call);
    const first = inputs[0] as OnnxValue;
    const name = ctx.graph.op(
      opType,
      inputs.map((v) => v.name),
      `${call.path}/${opType}`,
    );
    return [{ name, shape: call.outputShapes[0] ?? first.shape, perm: first.perm }];
  };

/** The sum divided by the count, as capa computes it. */
function convertAverage(ctx: ExportContext, call: LayerCall<Average>): OnnxValue[] {
  const [sum] = pairwise('Add')(ctx, call) as [OnnxValue];
  const count = ctx.graph.scalar(`${call.path}/count`, call.inputs.length);
  return [{ ...sum, name: ctx.graph.op('Div', [sum.name, count], `${call.path}/Div`) }];
}

function convertConcatenate(ctx: ExportContext, call: LayerCall<Concatenate>): OnnxValue[] {
  const inputs = aligned(ctx, call);
  const first = inputs[0] as OnnxValue;
  const axis = physicalAxis(first, call.layer.axis);
  const name = ctx.graph.op(
    'Concat',
    inputs.map((v) => v.name),
    `${call.path}/Concat`,
    { axis },
  );
  return [{ name, shape: call.outputShapes[0] ?? first.shape, perm: first.perm }];
}

export const mergingConverters: readonly ConverterEntry[] = [
  converter(Add, pairwise('Add')),
  converter(Subtract, pairwise('Sub')),
  converter(Multiply, pairwise('Mul')),
  converter(Average, convertAverage),
  converter(Maximum, variadic('Max')),
  converter(Minimum, variadic('Min')),
  converter(Concatenate, convertConcatenate),
];
