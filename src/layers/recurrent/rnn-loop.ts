/**
 * The generic recurrence (Keras's `backend.rnn`): a step function applied over the time axis with
 * ordinary ops, so any cell (a user's included) trains through autograd. With a mask, a masked
 * step keeps the previous states and repeats the previous output (or zeros, `zeroOutputForMask`,
 * which Bidirectional uses); `goBackwards` walks the steps last to first and returns the outputs
 * in that order, as Keras does.
 */
import * as ops from '../../ops/index.js';
import type { Tensor } from '../../tensor/tensor.js';

/** One timestep: the step's input [batch, features] and the states -> output and new states. */
export type StepFunction = (input: Tensor, states: Tensor[]) => { output: Tensor; states: Tensor[] };

export interface LoopOptions {
  goBackwards: boolean;
  /** [batch, steps], nonzero where the step is real data. */
  mask: Tensor | null;
  zeroOutputForMask: boolean;
}

export interface SequenceResult {
  /** [batch, steps, outputSize], in processing order. */
  sequences: Tensor;
  /** The last processed step's output [batch, outputSize]. */
  last: Tensor;
  /** The final states. */
  states: Tensor[];
}

export function rnnLoop(step: StepFunction, sequence: Tensor, initialStates: Tensor[], options: LoopOptions): SequenceResult {
  let inputs = ops.unstack(sequence, 1);
  let masks = options.mask ? ops.unstack(ops.expandDims(ops.cast(options.mask, 'int32'), -1), 1) : null;
  if (options.goBackwards) {
    inputs = inputs.reverse();
    masks = masks?.reverse() ?? null;
  }
  let states = initialStates;
  let previous: Tensor | null = null;
  const outputs: Tensor[] = [];
  for (const [t, x] of inputs.entries()) {
    const result = step(x, states);
    let output = result.output;
    let next = result.states;
    const keep = masks?.[t];
    if (keep) {
      const held = options.zeroOutputForMask || previous === null ? ops.zerosLike(output) : previous;
      output = ops.where(keep, output, held);
      next = next.map((s, i) => ops.where(keep, s, states[i] as Tensor));
    }
    outputs.push(output);
    previous = output;
    states = next;
  }
  return { sequences: ops.stack(outputs, 1), last: previous as Tensor, states };
}
