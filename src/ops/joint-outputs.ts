/** Several outputs of one op that share one backward pass. */
import { isRecording, record } from '../autograd/record.js';
import type { Tensor } from '../tensor/tensor.js';
import { alloc, allocZeros, backendFor, backendForAll, output } from './engine.js';

/**
 * Records float32 outputs whose gradients one backward computes together (a recurrent layer's
 * sequences and final states: one backpropagation through time for all of them, not one per output).
 * The tape holds one gradient per tensor, so the outputs hang off a joint tensor that holds their
 * values end to end; each output's gradient lands in its segment of the joint's gradient, the
 * backward pass sums the segments, and `backward` then receives every output's gradient at once
 * (zeros for an output the loss does not use).
 */
export function recordJoint(
  op: string,
  outputs: readonly Tensor[],
  inputs: readonly Tensor[],
  backward: (dys: Tensor[]) => readonly (Tensor | null)[],
): Tensor[] {
  if (!isRecording() || !inputs.some((t) => t.requiresGrad)) return [...outputs];
  const be = backendForAll(op, outputs);
  const sizes = outputs.map((o) => o.size);
  const offsets = sizes.map((_, i) => sizes.slice(0, i).reduce((a, n) => a + n, 0));
  const total = sizes.reduce((a, n) => a + n, 0);
  const values = alloc(be, 'float32', [total]);
  be.concat(
    outputs.map((o) => o.storage),
    sizes.map((n) => [n]),
    0,
    values,
  );
  const joint = record(op, output(be, values, [total], 'float32'), inputs, (dJoint) => {
    const bg = backendFor(`${op} gradient`, dJoint);
    const dys = outputs.map((o, i) => {
      const part = alloc(bg, 'float32', [o.size]);
      bg.slice(dJoint.storage, [total], [offsets[i] as number], [o.size], [1], part);
      return output(bg, part, o.shape, 'float32');
    });
    return backward(dys);
  });
  return outputs.map((o, i) =>
    record(`${op} output ${i}`, o, [joint], (dy) => {
      const bg = backendFor(`${op} gradient`, dy);
      const d = allocZeros(bg, 'float32', [total]);
      bg.sliceAssign(d, [total], dy.storage, [o.size], [offsets[i] as number], [1], false);
      return [output(bg, d, [total], 'float32')];
    }),
  );
}
