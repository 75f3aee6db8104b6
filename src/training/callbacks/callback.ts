/**
 * The Callback base (keras.callbacks.Callback) with every hook. Hooks may be async; the
 * training loop awaits the ones that return a promise.
 */
import type { Tensor } from '../../tensor/tensor.js';
import type { MetricDirection } from '../metrics/metric.js';
import type { Optimizer } from '../optimizers/optimizer.js';

/** Metric values by name, as the hooks receive them (`loss`, `accuracy`, `val_loss`, ...). */
export type Logs = Record<string, number>;

/** What fit/evaluate/predict tell callbacks (Keras's `self.params`). */
export interface CallbackParams {
  epochs?: number;
  /** Batches per epoch (null when the data source does not say). */
  steps?: number | null;
  verbose?: 0 | 1 | 2;
}

/** The parts of a model callbacks use; capa's Model provides them once compiled. */
export interface CallbackModel {
  /** Set to true to end training after the current batch/epoch. */
  stopTraining: boolean;
  readonly optimizer: Optimizer | null;
  getWeights(): Tensor[];
  setWeights(weights: readonly Tensor[]): void;
  /** Saves the full model (.keras / .h5): provided by capa's saving module. */
  save?(path: string, options?: { overwrite?: boolean }): Promise<void>;
  /** Saves the weights (.weights.h5): provided by capa's saving module. */
  saveWeights?(path: string, options?: { overwrite?: boolean }): Promise<void>;
  /** Direction of a compiled metric by name ('accuracy' -> 'up'), used by mode 'auto'. */
  metricDirection?(name: string): MetricDirection;
  /** Epoch the next fit starts at, set by BackupAndRestore when resuming (null: fit's own initialEpoch). */
  resumeEpoch?: number | null;
}

export type HookResult = void | Promise<void>;

export class Callback {
  params: CallbackParams = {};
  model: CallbackModel | null = null;

  setParams(params: CallbackParams): void {
    this.params = params;
  }

  setModel(model: CallbackModel): void {
    this.model = model;
  }

  /** The model, or an error naming the callback when it is used outside fit. */
  protected requireModel(): CallbackModel {
    if (!this.model) throw new Error(`${this.constructor.name}: no model is set; pass the callback to model.fit({ callbacks }).`);
    return this.model;
  }

  onTrainBegin(_logs?: Logs): HookResult {}
  onTrainEnd(_logs?: Logs): HookResult {}
  onEpochBegin(_epoch: number, _logs?: Logs): HookResult {}
  onEpochEnd(_epoch: number, _logs?: Logs): HookResult {}
  /** Defaults to onBatchBegin (Keras's older name for the training-batch hook). */
  onTrainBatchBegin(batch: number, logs?: Logs): HookResult {
    return this.onBatchBegin(batch, logs);
  }
  /** Defaults to onBatchEnd (Keras's older name for the training-batch hook). */
  onTrainBatchEnd(batch: number, logs?: Logs): HookResult {
    return this.onBatchEnd(batch, logs);
  }
  onBatchBegin(_batch: number, _logs?: Logs): HookResult {}
  onBatchEnd(_batch: number, _logs?: Logs): HookResult {}
  onTestBegin(_logs?: Logs): HookResult {}
  onTestEnd(_logs?: Logs): HookResult {}
  onTestBatchBegin(_batch: number, _logs?: Logs): HookResult {}
  onTestBatchEnd(_batch: number, _logs?: Logs): HookResult {}
  onPredictBegin(_logs?: Logs): HookResult {}
  onPredictEnd(_logs?: Logs): HookResult {}
  onPredictBatchBegin(_batch: number, _logs?: Logs): HookResult {}
  onPredictBatchEnd(_batch: number, _logs?: Logs): HookResult {}
}
