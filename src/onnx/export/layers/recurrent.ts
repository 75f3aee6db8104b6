/**
 * SimpleRNN, LSTM and GRU as ONNX's RNN, LSTM and GRU ops (one direction, zero initial states).
 * ONNX wants time-major input [steps, batch, features] and weights [1, gates·units, features] in
 * its gate orders (LSTM i,o,f,c; GRU z,r,h like Keras; a GRU with resetAfter is
 * `linear_before_reset=1`), with the input and recurrent biases side by side. `goBackwards` is
 * ONNX's 'reverse' direction, whose outputs sit at their input positions: they are flipped back to
 * Keras's processing order. Exported only in the configurations ONNX computes as Keras does: the
 * default activations (tanh, sigmoid gates) and not stateful; masks are refused upstream.
 */
import { isBuiltinActivation } from '../../../layers/activations/functions.js';
import type { CellWeights } from '../../../layers/recurrent/cell-weights.js';
import { GRU, LSTM, SimpleRNN } from '../../../layers/recurrent/recurrent-layers.js';
import type { Variable } from '../../../tensor/tensor.js';
import { type ExportContext, type LayerCall, singleInput } from '../context.js';
import { type ConverterEntry, converter } from '../converter.js';
import type { OnnxValue } from '../layout.js';

type Recurrent = LSTM | GRU | SimpleRNN;

/** Refuses what ONNX's ops would compute differently, naming the layer and the option. */
function checkExportable(layer: Recurrent): void {
  const o = layer.cell.options;
  const gated = !(layer instanceof SimpleRNN);
  const why = layer.stateful
    ? 'it is stateful'
    : !(o.activation.name === 'tanh' && isBuiltinActivation(o.activation))
      ? `its activation is '${o.activation.name}' (only tanh is exported)`
      : gated && !(o.recurrentActivation.name === 'sigmoid' && isBuiltinActivation(o.recurrentActivation))
        ? `its recurrentActivation is '${o.recurrentActivation.name}' (only sigmoid is exported)`
        : null;
  if (why) throw new Error(`ONNX export: layer "${layer.name}" (${layer.className}) cannot be exported: ${why}.`);
}

/** Keras columns [in, G·U] in gate blocks -> ONNX rows [1, G·U, in] in ONNX's block order. */
function onnxMatrix(
  values: Float32Array,
  rows: number,
  units: number,
  order: readonly number[],
): { values: Float32Array; dims: number[] } {
  const gates = order.length;
  const cols = gates * units;
  const out = new Float32Array(values.length);
  order.forEach((kerasGate, onnxGate) => {
    for (let u = 0; u < units; u++) {
      const src = kerasGate * units + u;
      const dst = (onnxGate * units + u) * rows;
      for (let r = 0; r < rows; r++) out[dst + r] = values[r * cols + src] as number;
    }
  });
  return { values: out, dims: [1, cols, rows] };
}

function reorderVector(values: Float32Array, units: number, order: readonly number[]): Float32Array {
  const out = new Float32Array(order.length * units);
  order.forEach((kerasGate, onnxGate) => {
    out.set(values.subarray(kerasGate * units, (kerasGate + 1) * units), onnxGate * units);
  });
  return out;
}

function convertRecurrent(ctx: ExportContext, call: LayerCall<Recurrent>): OnnxValue[] {
  const layer = call.layer;
  checkExportable(layer);
  if (call.inputs.length !== 1) {
    throw new Error(`ONNX export: layer "${layer.name}" (${layer.className}) is exported with zero initial states only.`);
  }
  const g = ctx.graph;
  const x = ctx.logical(singleInput(call));
  const [batch, steps, features] = x.shape;
  const units = layer.units;
  const w = layer.cell.weightsOf as CellWeights;
  const op = layer instanceof LSTM ? 'LSTM' : layer instanceof GRU ? 'GRU' : 'RNN';
  const order = op === 'LSTM' ? [0, 3, 1, 2] : op === 'GRU' ? [0, 1, 2] : [0];
  const gates = order.length;
  const inDim = features as number;
  const kernel = ctx.weight(w.kernel as Variable, (v) => onnxMatrix(v, inDim, units, order));
  const recurrent = ctx.weight(w.recurrentKernel as Variable, (v) => onnxMatrix(v, units, units, order));
  const bias = new Float32Array(2 * gates * units);
  if (w.bias) {
    const b = ctx.valuesOf(w.bias as Variable);
    // a reset-after GRU's bias is [2, 3U]: its input and recurrent rows; others have the input part only
    bias.set(reorderVector(b.subarray(0, gates * units), units, order), 0);
    if (b.length === 2 * gates * units) bias.set(reorderVector(b.subarray(gates * units), units, order), gates * units);
  }
  const biasName = g.floats(`${layer.name}/onnx_bias`, bias, [1, 2 * gates * units]);
  const timeMajor = g.op('Transpose', [x.name], `${call.path}/TimeMajor`, { perm: [1, 0, 2] });
  const attributes: Record<string, number | string> = {
    hidden_size: units,
    direction: layer.goBackwards ? 'reverse' : 'forward',
  };
  if (layer instanceof GRU) attributes.linear_before_reset = layer.resetAfter ? 1 : 0;
  const outCount = op === 'LSTM' ? 3 : 2;
  const outs = g.node(op, [timeMajor, kernel, recurrent, biasName], `${call.path}/${op}`, attributes, outCount);
  const axis0 = g.int64s(`${call.path}/axis0`, [0]);
  const states = outs.slice(1).map((s, i) => g.op('Squeeze', [s, axis0], `${call.path}/State${i}`));
  let output: OnnxValue;
  if (layer.returnSequences) {
    // Y [steps, 1, batch, units] -> [batch, steps, units]
    let y = g.op('Squeeze', [outs[0] as string, g.int64s(`${call.path}/axis1`, [1])], `${call.path}/Squeeze`);
    if (layer.goBackwards) {
      y = g.op(
        'Slice',
        [
          y,
          g.int64s(`${call.path}/start`, [-1]),
          g.int64s(`${call.path}/end`, [-(2 ** 62)]),
          axis0,
          g.int64s(`${call.path}/step`, [-1]),
        ],
        `${call.path}/ProcessingOrder`,
      );
    }
    output = {
      name: g.op('Transpose', [y], `${call.path}/BatchMajor`, { perm: [1, 0, 2] }),
      shape: [batch ?? null, steps ?? null, units],
      perm: null,
    };
  } else output = { name: states[0] as string, shape: [batch ?? null, units], perm: null };
  if (!layer.returnState) return [output];
  return [output, ...states.map((name) => ({ name, shape: [batch ?? null, units], perm: null }))];
}

export const recurrentConverters: ConverterEntry[] = [
  converter(LSTM, convertRecurrent),
  converter(GRU, convertRecurrent),
  converter(SimpleRNN, convertRecurrent),
];
