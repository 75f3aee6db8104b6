/**
 * Which layers let a model recycle the storage of the tensors they consume and produce.
 *
 * After inference, a model runner hands an intermediate's storage back for reuse once its last
 * consumer has run (models/recycling.ts). That is only safe when no layer keeps a reference to a
 * tensor passing through it: a custom layer that stashes its input (`this.lastInput = x`) would
 * otherwise see the values change under it on the next pass. So recycling is limited to models
 * whose every layer is of a class declared here, audited to satisfy:
 * - `call` keeps no reference to its inputs, its outputs or views of them once it returns;
 * - its outputs are its inputs, views of them, or storage allocated during the call (never its
 *   weights or a cached tensor);
 * - it runs no user code on them (a custom activation), unless the declaration's condition
 *   checks that away for the instance.
 *
 * Declaration is by exact class: a subclass (which may override `call`) is not covered unless it
 * is declared itself. Models are not declared: a model qualifies when all its layers do
 * (models/recycling.ts). A layer with an activity regularizer never qualifies (a user-defined
 * regularizer could keep its outputs).
 */
import type { Layer } from './layer.js';

const declared = new WeakMap<abstract new (...args: never[]) => Layer, ((layer: Layer) => boolean) | null>();

/**
 * Declares a layer class whose `call` keeps no tensors (the rules above); `condition`, when
 * given, must also hold for an instance (e.g. its activation is a built-in one).
 */
export function declareCallKeepsNoTensors<L extends Layer>(
  cls: abstract new (...args: never[]) => L,
  condition?: (layer: L) => boolean,
): void {
  declared.set(cls, (condition as ((layer: Layer) => boolean) | undefined) ?? null);
}

/** Whether this layer's own class is declared, its condition holds and it has no activity regularizer. */
export function callKeepsNoTensors(layer: Layer): boolean {
  const condition = declared.get(layer.constructor as abstract new (...args: never[]) => Layer);
  if (condition === undefined || layer.activityRegularizer !== null) return false;
  return condition === null || condition(layer);
}
