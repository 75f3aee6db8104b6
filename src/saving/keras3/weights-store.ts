/**
 * Keras 3's variable store (`model.weights.h5` inside a `.keras` archive, and `.weights.h5`
 * files): one `vars` group per saveable object path, holding its variables as datasets named
 * `0`, `1`, ... (keras/src/saving/saving_lib.py, `H5IOStore` / `H5Entry`), e.g.
 * `layers/dense/vars/0` (kernel), `layers/dense/vars/1` (bias), and the optimizer's state under
 * `optimizer/vars/N` (iteration as int64, learning rate, then the slots in creation order).
 */
import type { Layer } from '../../layers/engine/layer.js';
import type { Tensor, Variable } from '../../tensor/tensor.js';
import { h5FromVariable, sameShape, tensorFromH5 } from '../arrays.js';
import { SavingError } from '../errors.js';
import type { H5Reader } from '../hdf5/h5-reader.js';
import type { H5Writer } from '../hdf5/h5-writer.js';
import { keras3Objects } from '../model-walk.js';

/** What the store needs of an optimizer: its state in Keras's order, and a way to create its slots. */
export interface OptimizerStateHolder {
  readonly name: string;
  readonly variables: Variable[];
  build(variables: readonly Variable[]): void;
}

function varsGroup(path: string): string {
  return path ? `${path}/vars` : 'vars';
}

/** Writes the model's (and optionally the optimizer's) variables in Keras 3's layout. */
export function writeKeras3Weights(writer: H5Writer, model: Layer, optimizer: OptimizerStateHolder | null): void {
  for (const object of keras3Objects(model)) {
    const group = varsGroup(object.path);
    writer.group(group);
    for (const [i, v] of object.variables.entries()) writer.dataset(`${group}/${i}`, h5FromVariable(v));
  }
  if (optimizer) {
    writer.group('optimizer/vars');
    // Keras's `iterations` is an int64 variable; the rest are float32.
    for (const [i, v] of optimizer.variables.entries()) writer.dataset(`optimizer/vars/${i}`, h5FromVariable(v, i === 0));
  }
}

export interface Keras3LoadOptions {
  /** Skip (with a warning) layers whose variables do not match instead of failing. */
  skipMismatch?: boolean;
  /** Restore this optimizer's state from `optimizer/vars` when the file has it. */
  optimizer?: OptimizerStateHolder | null;
  /** The model's trainable variables, to build the optimizer's slots before restoring them. */
  trainableVariables?: readonly Variable[];
}

interface PlannedAssignment {
  variable: Variable;
  value: Tensor;
}

/** Where a Keras 2.13 `.keras` file keeps what Keras 3 calls `layers`. */
function findVarsGroup(reader: H5Reader, path: string): string | null {
  const group = varsGroup(path);
  if (reader.kind(group) === 'group') return group;
  if (path && reader.kind('_layer_checkpoint_dependencies') === 'group') {
    const legacy = varsGroup(path.replace(/(^|\/)layers(\/|$)/g, '$1_layer_checkpoint_dependencies$2'));
    if (reader.kind(legacy) === 'group') return legacy;
  }
  return null;
}

/**
 * Reads a Keras 3 variable store into the model. Everything is checked before any variable
 * changes, so a file that does not fit leaves the model as it was.
 */
export function readKeras3Weights(reader: H5Reader, model: Layer, options: Keras3LoadOptions = {}): void {
  const label = reader.label;
  const planned: PlannedAssignment[] = [];
  const failures: string[] = [];
  for (const object of keras3Objects(model)) {
    const where = object.path || '<model>';
    const group = findVarsGroup(reader, object.path);
    const keys = group ? reader.keys(group).filter((k) => reader.kind(`${group}/${k}`) === 'dataset') : [];
    const expected = object.variables;
    if (keys.length !== expected.length) {
      failures.push(
        `Layer '${object.layer.name}' (${where}) expected ${expected.length} variables, but received ${keys.length} variables during loading. ` +
          `Expected: [${expected.map((v) => `'${v.name}'`).join(', ')}]`,
      );
      continue;
    }
    const values: PlannedAssignment[] = [];
    let mismatch: string | null = null;
    for (const [i, variable] of expected.entries()) {
      const path = `${group}/${i}`;
      if (reader.kind(path) !== 'dataset') {
        mismatch = `Layer '${object.layer.name}': missing dataset '${path}'.`;
        break;
      }
      const value = tensorFromH5(reader.dataset(path), variable.dtype, label, `dataset '${path}'`);
      if (!sameShape(value.shape, variable.shape)) {
        mismatch =
          `Layer '${object.layer.name}' weight ${variable.name} expects shape [${variable.shape.join(', ')}], ` +
          `the file has [${value.shape.join(', ')}] at '${path}'.`;
        break;
      }
      values.push({ variable, value });
    }
    if (mismatch) failures.push(mismatch);
    else planned.push(...values);
  }
  if (failures.length > 0) {
    const message = `${failures.length} object(s) could not be loaded. ${failures[0]}${failures.length > 1 ? ` (and: ${failures.slice(1).join(' | ')})` : ''}`;
    if (!options.skipMismatch) throw new SavingError(label, message);
    console.warn(`${label}: skipping mismatched weights. ${message}`);
  }
  const optimizer = options.optimizer;
  if (optimizer && reader.kind('optimizer/vars') === 'group') {
    const keys = reader.keys('optimizer/vars');
    if (optimizer.variables.length < keys.length && options.trainableVariables) optimizer.build(options.trainableVariables);
    const vars = optimizer.variables;
    if (keys.length !== vars.length) {
      console.warn(
        `${label}: skipping variable loading for optimizer '${optimizer.name}', because it has ${vars.length} variables whereas the saved optimizer has ${keys.length} variables.`,
      );
    } else {
      vars.forEach((variable, i) => {
        const path = `optimizer/vars/${i}`;
        const value = tensorFromH5(reader.dataset(path), variable.dtype, label, `dataset '${path}'`);
        if (!sameShape(value.shape, variable.shape)) {
          throw new SavingError(
            label,
            `optimizer variable ${variable.name} expects shape [${variable.shape.join(', ')}], '${path}' has [${value.shape.join(', ')}].`,
          );
        }
        planned.push({ variable, value });
      });
    }
  }
  for (const { variable, value } of planned) variable.assign(value);
}
