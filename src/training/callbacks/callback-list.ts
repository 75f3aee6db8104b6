/** Calls a hook on every callback in order, awaiting only the hooks that return a promise. */
import { Callback, type CallbackModel, type CallbackParams, type Logs } from './callback.js';

type EpochHook = 'onEpochBegin' | 'onEpochEnd';
type BatchHook =
  | 'onTrainBatchBegin'
  | 'onTrainBatchEnd'
  | 'onTestBatchBegin'
  | 'onTestBatchEnd'
  | 'onPredictBatchBegin'
  | 'onPredictBatchEnd';
type PhaseHook = 'onTrainBegin' | 'onTrainEnd' | 'onTestBegin' | 'onTestEnd' | 'onPredictBegin' | 'onPredictEnd';

export class CallbackList {
  readonly callbacks: Callback[];
  /** Batch hooks are skipped entirely when no callback overrides them (the common case). */
  private readonly overrides = new Set<string>();

  constructor(callbacks: readonly Callback[], model: CallbackModel, params: CallbackParams) {
    for (const c of callbacks) {
      if (!(c instanceof Callback)) {
        throw new Error(`callbacks: expected Callback instances (e.g. new callbacks.EarlyStopping()), received ${typeof c}.`);
      }
    }
    this.callbacks = callbacks.slice();
    for (const c of this.callbacks) {
      c.setModel(model);
      c.setParams(params);
      const own = (hook: string) =>
        (c as unknown as Record<string, unknown>)[hook] !== (Callback.prototype as unknown as Record<string, unknown>)[hook];
      for (const hook of HOOKS) if (own(hook)) this.overrides.add(hook);
      // the older names reach the training-batch hooks through the base class
      if (own('onBatchBegin')) this.overrides.add('onTrainBatchBegin');
      if (own('onBatchEnd')) this.overrides.add('onTrainBatchEnd');
    }
  }

  has(hook: string): boolean {
    return this.overrides.has(hook);
  }

  async phase(hook: PhaseHook, logs?: Logs): Promise<void> {
    if (!this.overrides.has(hook)) return;
    for (const c of this.callbacks) {
      const r = c[hook](logs);
      if (r) await r;
    }
  }

  async epoch(hook: EpochHook, epoch: number, logs?: Logs): Promise<void> {
    if (!this.overrides.has(hook)) return;
    for (const c of this.callbacks) {
      const r = c[hook](epoch, logs);
      if (r) await r;
    }
  }

  async batch(hook: BatchHook, batch: number, logs?: Logs): Promise<void> {
    if (!this.overrides.has(hook)) return;
    for (const c of this.callbacks) {
      const r = c[hook](batch, logs);
      if (r) await r;
    }
  }
}

const HOOKS = [
  'onTrainBegin',
  'onTrainEnd',
  'onEpochBegin',
  'onEpochEnd',
  'onTrainBatchBegin',
  'onTrainBatchEnd',
  'onTestBegin',
  'onTestEnd',
  'onTestBatchBegin',
  'onTestBatchEnd',
  'onPredictBegin',
  'onPredictEnd',
  'onPredictBatchBegin',
  'onPredictBatchEnd',
];
