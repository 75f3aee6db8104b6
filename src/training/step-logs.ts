/** A step's returned record as the numbers callbacks and History log. */
import { noGrad } from '../autograd/record.js';
import * as ops from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Logs } from './callbacks/callback.js';
import type { StepLogs } from './step.js';

function isTensor(value: unknown): value is Tensor {
  return value !== null && typeof value === 'object' && typeof (value as { item?: unknown }).item === 'function';
}

/**
 * Numbers stay, scalar Tensors are read, per-class lists become `name_0`, `name_1`, ... The
 * Tensors that cannot be read synchronously (a GPU's) are stacked and read together, so a step's
 * logs cost at most one read of the backend however many metrics it reports.
 */
export async function readStepLogs(logs: StepLogs): Promise<Logs> {
  const out = checkedLogs(logs);
  const waiting = Object.entries(out).filter((entry): entry is [string, Tensor] => isTensor(entry[1]));
  if (waiting.length === 0) return out as Logs;
  const values = await noGrad(() => ops.stack(waiting.map(([, t]) => ops.reshape(ops.cast(t, 'float32'), [])))).data();
  for (const [i, [name]] of waiting.entries()) out[name] = values[i] as number;
  return out as Logs;
}

/** The record flattened: numbers, and scalar Tensors still to read. */
function checkedLogs(logs: StepLogs): Record<string, number | Tensor> {
  if (logs === null || typeof logs !== 'object' || Array.isArray(logs)) {
    throw new Error(`trainStep/testStep must return a record of metric values by name, received ${String(logs)}.`);
  }
  const out: Record<string, number | Tensor> = {};
  for (const [name, value] of Object.entries(logs)) {
    if (typeof value === 'number') out[name] = value;
    else if (Array.isArray(value)) for (const [i, v] of value.entries()) out[`${name}_${i}`] = v;
    else if (isTensor(value) && value.size === 1) out[name] = value.readsSync ? value.item() : value;
    else
      throw new Error(`The step returned '${name}': ${String(value)}; expected a number, a scalar Tensor or a list of numbers.`);
  }
  return out;
}
