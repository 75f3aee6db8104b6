/** The compiled state kept per model, and the checks that make a model ready for data. */
import type { Model } from '../models/functional.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { CompiledState } from './compile.js';

const states = new WeakMap<Model, CompiledState>();

export function setCompiled(model: Model, state: CompiledState): void {
  states.set(model, state);
}

export function compiledState(model: Model): CompiledState | null {
  return states.get(model) ?? null;
}

export function requireCompiled(model: Model): CompiledState {
  const state = states.get(model);
  if (!state) {
    throw new Error(
      `You must call compile() before using the model: model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] }).`,
    );
  }
  return state;
}

/**
 * Builds a deferred Sequential from the data, checks the inputs against the model's input
 * shapes (naming both), and returns the output shapes (batch axis null).
 */
export function prepareModel(model: Model, xs: Tensor[], where: string): (number | null)[][] {
  if (!model.built && typeof (model as { build?: unknown }).build === 'function' && xs.length === 1) {
    model.build([null, ...(xs[0] as Tensor).shape.slice(1)]);
  }
  const expected = model.inputs.map((t) => t.shape);
  if (expected.length > 0) {
    if (xs.length !== expected.length) {
      throw new Error(
        `${where}: the model expects ${expected.length} input array${expected.length > 1 ? 's' : ''}, but received ${xs.length}.`,
      );
    }
    for (const [i, shape] of expected.entries()) {
      const x = xs[i] as Tensor;
      const fits = x.rank === shape.length && shape.every((d, j) => j === 0 || d === null || d === x.shape[j]);
      if (!fits) {
        const name = model.inputs[i]?.sourceLayer.name ?? `input ${i}`;
        throw new Error(
          `${where}: input ${name} of model "${model.name}" expects data of shape ${formatShape(shape.map((d) => d ?? -1)).replace(/-1/g, 'None')}, but received an array of shape ${formatShape(x.shape)}.`,
        );
      }
    }
  }
  return model.outputs.length > 0 ? model.outputs.map((t) => t.shape) : [];
}
