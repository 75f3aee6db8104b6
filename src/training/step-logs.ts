/** A step's returned record as the numbers callbacks and History log. */
import type { Logs } from './callbacks/callback.js';
import type { StepLogs } from './step.js';

/** Numbers stay, scalar Tensors are read, per-class lists become `name_0`, `name_1`, ... */
export function stepLogs(logs: StepLogs): Logs {
  if (logs === null || typeof logs !== 'object' || Array.isArray(logs)) {
    throw new Error(`trainStep/testStep must return a record of metric values by name, received ${String(logs)}.`);
  }
  const out: Logs = {};
  for (const [name, value] of Object.entries(logs)) {
    if (typeof value === 'number') out[name] = value;
    else if (Array.isArray(value)) for (const [i, v] of value.entries()) out[`${name}_${i}`] = v;
    else if (value && typeof value === 'object' && typeof (value as { item?: unknown }).item === 'function' && value.size === 1)
      out[name] = value.item();
    else
      throw new Error(`The step returned '${name}': ${String(value)}; expected a number, a scalar Tensor or a list of numbers.`);
  }
  return out;
}
