/** EarlyStopping (Keras 3): stop when the monitored value stops improving, optionally restoring the best weights. */
import type { Tensor } from '../../tensor/tensor.js';
import { printMessage } from '../io.js';
import type { Logs } from './callback.js';
import { MonitorCallback, type MonitorMode } from './monitor.js';

export interface EarlyStoppingOptions {
  monitor?: string;
  /** Changes smaller than this do not count as improvements. */
  minDelta?: number;
  /** Epochs without improvement before stopping. */
  patience?: number;
  verbose?: 0 | 1;
  mode?: MonitorMode;
  /** A value the monitor must beat; until it does, the wait counter is not reset. */
  baseline?: number | null;
  /** Put back the weights of the best epoch when training ends. */
  restoreBestWeights?: boolean;
  /** Epochs to wait before watching at all (warm-up). */
  startFromEpoch?: number;
}

export class EarlyStopping extends MonitorCallback {
  readonly patience: number;
  readonly verbose: 0 | 1;
  readonly baseline: number | null;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  wait = 0;
  stoppedEpoch = 0;
  bestEpoch = 0;
  bestWeights: Tensor[] | null = null;

  constructor(options: EarlyStoppingOptions = {}) {
    super(options.monitor ?? 'val_loss', options.mode ?? 'auto', null, options.minDelta ?? 0);
    this.patience = options.patience ?? 0;
    this.verbose = options.verbose ?? 0;
    this.baseline = options.baseline ?? null;
    this.restoreBestWeights = options.restoreBestWeights ?? false;
    this.startFromEpoch = options.startFromEpoch ?? 0;
  }

  override onTrainBegin(): void {
    // instances may be reused across fit calls
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.bestWeights = null;
    this.bestEpoch = 0;
  }

  override onEpochEnd(epoch: number, logs?: Logs): void {
    this.setMonitorOp();
    const current = this.monitorValue(logs, 'Early stopping');
    if (current === undefined || epoch < this.startFromEpoch) return;
    const model = this.requireModel();
    if (this.restoreBestWeights && this.bestWeights === null) {
      // until something improves, the current weights are the best
      this.bestWeights = model.getWeights();
      this.bestEpoch = epoch;
    }
    this.wait += 1;
    if (this.isImprovement(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.bestWeights = model.getWeights();
      // the wait restarts only when both the baseline and the previous best are beaten
      if (this.baseline === null || this.isImprovement(current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      model.stopTraining = true;
    }
  }

  override onTrainEnd(): void {
    if (this.stoppedEpoch > 0 && this.verbose > 0) printMessage(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    if (this.restoreBestWeights && this.bestWeights !== null) {
      if (this.verbose > 0) printMessage(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`);
      this.requireModel().setWeights(this.bestWeights);
    }
  }
}
