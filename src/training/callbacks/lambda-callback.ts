/** LambdaCallback (Keras 3): a callback made of plain functions, one per hook you need. */
import { Callback, type HookResult, type Logs } from './callback.js';

export interface LambdaCallbackHooks {
  onTrainBegin?: (logs?: Logs) => HookResult;
  onTrainEnd?: (logs?: Logs) => HookResult;
  onEpochBegin?: (epoch: number, logs?: Logs) => HookResult;
  onEpochEnd?: (epoch: number, logs?: Logs) => HookResult;
  onTrainBatchBegin?: (batch: number, logs?: Logs) => HookResult;
  onTrainBatchEnd?: (batch: number, logs?: Logs) => HookResult;
  onBatchBegin?: (batch: number, logs?: Logs) => HookResult;
  onBatchEnd?: (batch: number, logs?: Logs) => HookResult;
  onTestBegin?: (logs?: Logs) => HookResult;
  onTestEnd?: (logs?: Logs) => HookResult;
  onTestBatchBegin?: (batch: number, logs?: Logs) => HookResult;
  onTestBatchEnd?: (batch: number, logs?: Logs) => HookResult;
  onPredictBegin?: (logs?: Logs) => HookResult;
  onPredictEnd?: (logs?: Logs) => HookResult;
  onPredictBatchBegin?: (batch: number, logs?: Logs) => HookResult;
  onPredictBatchEnd?: (batch: number, logs?: Logs) => HookResult;
}

export class LambdaCallback extends Callback {
  constructor(hooks: LambdaCallbackHooks) {
    super();
    const known = new Set([
      'onTrainBegin',
      'onTrainEnd',
      'onEpochBegin',
      'onEpochEnd',
      'onTrainBatchBegin',
      'onTrainBatchEnd',
      'onBatchBegin',
      'onBatchEnd',
      'onTestBegin',
      'onTestEnd',
      'onTestBatchBegin',
      'onTestBatchEnd',
      'onPredictBegin',
      'onPredictEnd',
      'onPredictBatchBegin',
      'onPredictBatchEnd',
    ]);
    for (const [name, fn] of Object.entries(hooks)) {
      if (!known.has(name)) throw new Error(`LambdaCallback: unknown hook '${name}'. Known hooks: ${[...known].join(', ')}.`);
      if (typeof fn !== 'function') throw new Error(`LambdaCallback: hook '${name}' must be a function.`);
      // an own property shadows the base class's no-op, so the callback list sees the override
      Object.defineProperty(this, name, { value: fn, enumerable: false });
    }
  }
}
