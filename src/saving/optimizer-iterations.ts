/**
 * The optimizer's step count in the legacy formats. Keras 2's `.h5` keeps its optimizer state
 * under `optimizer_weights` (`Adam/iter:0` first, int64); TensorFlow.js keeps it among the
 * weights of group 'optimizer' (`iter`, int32, what tfjs optimizers' `getWeights` returns first).
 * capa reads and writes only that count: the moment slots are ordered differently in each
 * implementation, so restoring them would risk pairing a moment with the wrong weight. Keras 2
 * and tfjs, finding the count alone, start their optimizer's moments afresh (Keras 2 warns).
 */
import type { Tensor } from '../tensor/tensor.js';
import type { H5Reader } from './hdf5/h5-reader.js';
import type { H5Writer } from './hdf5/h5-writer.js';
import type { OptimizerStateHolder } from './keras3/weights-store.js';
import type { NamedWeight } from './tfjs/weights-codec.js';

/** Matches Keras 2's `Adam/iter:0`, tf-keras 2.11+'s `iteration:0`, and tfjs's `iter`. */
const ITERATION_NAME = /(^|\/)(iter|iterations?)(:0)?$/;

const GROUP = 'optimizer_weights';

/** The optimizer's step counter (its first variable, `iterations`). */
function counter(
  optimizer: OptimizerStateHolder,
): { assignValues(v: ArrayLike<number>): void; dataSync(): ArrayLike<number> } | null {
  const first = optimizer.variables[0] as (Tensor & { assignValues(v: ArrayLike<number>): void }) | undefined;
  return first && first.dtype === 'int32' && first.size === 1 ? first : null;
}

function setCount(optimizer: OptimizerStateHolder, count: number): void {
  if (Number.isSafeInteger(count) && count >= 0 && count < 2 ** 31) counter(optimizer)?.assignValues([count]);
}

/** Writes `optimizer_weights` holding the step count under Keras 2's name (`<Optimizer>/iter:0`). */
export function writeH5Iterations(writer: H5Writer, optimizer: OptimizerStateHolder): void {
  const count = counter(optimizer);
  if (!count) return;
  const name = `${optimizer.constructor.name}/iter:0`;
  writer.group(GROUP);
  writer.stringListAttr(GROUP, 'weight_names', [name]);
  writer.dataset(`${GROUP}/${name}`, { shape: [], data: BigInt64Array.of(BigInt(count.dataSync()[0] as number)) });
}

/** Restores the step count from a Keras 2 `.h5` file's `optimizer_weights`, when it has one. */
export function readH5Iterations(reader: H5Reader, optimizer: OptimizerStateHolder): void {
  if (reader.kind(GROUP) !== 'group') return;
  const name = reader.stringList(GROUP, 'weight_names')?.find((n) => ITERATION_NAME.test(n));
  if (!name || reader.kind(`${GROUP}/${name}`) !== 'dataset') return;
  const value = reader.dataset(`${GROUP}/${name}`).data[0];
  if (value !== undefined) setCount(optimizer, Number(value));
}

/** The step count as a tfjs weight of group 'optimizer' (named `iter`, as tfjs optimizers name it). */
export function tfjsIterationWeight(optimizer: OptimizerStateHolder): NamedWeight | null {
  const count = counter(optimizer);
  return count ? { name: 'iter', shape: [], data: Int32Array.of(count.dataSync()[0] as number), group: 'optimizer' } : null;
}

/** Restores the step count from a tfjs manifest's optimizer weights. */
export function readTfjsIterations(weights: readonly NamedWeight[], optimizer: OptimizerStateHolder): void {
  const iter = weights.find((w) => w.group === 'optimizer' && ITERATION_NAME.test(w.name) && w.data.length === 1);
  if (iter) setCount(optimizer, iter.data[0] as number);
}
