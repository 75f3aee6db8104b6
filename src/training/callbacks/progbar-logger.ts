/**
 * ProgbarLogger: `Epoch 1/10` then a Keras 2 progress bar per epoch, with the running metric
 * means and, at the end of the epoch, the validation metrics. fit adds it when verbose > 0.
 */
import { printMessage } from '../io.js';
import { Progbar } from '../progbar.js';
import { Callback, type Logs } from './callback.js';

export class ProgbarLogger extends Callback {
  private progbar: Progbar | null = null;
  private target: number | null = null;
  private verbose: 0 | 1 | 2 = 1;
  private epochs = 1;
  private seen = 0;

  override onTrainBegin(): void {
    this.verbose = this.params.verbose ?? 1;
    this.epochs = this.params.epochs ?? 1;
    this.target = this.params.steps ?? null;
  }

  override onTestBegin(): void {
    if (!this.progbar) this.startBar();
  }

  override onPredictBegin(): void {
    if (!this.progbar) this.startBar();
  }

  override onEpochBegin(epoch: number): void {
    this.startBar();
    if (this.verbose && this.epochs > 1) printMessage(`Epoch ${epoch + 1}/${this.epochs}`);
  }

  override onTrainBatchEnd(batch: number, logs?: Logs): void {
    this.batchUpdate(batch, logs);
  }

  override onTestBatchEnd(batch: number, logs?: Logs): void {
    if (this.isStandalone()) this.batchUpdate(batch, logs);
  }

  override onPredictBatchEnd(batch: number): void {
    this.batchUpdate(batch);
  }

  override onEpochEnd(_epoch: number, logs?: Logs): void {
    this.finish(logs);
  }

  override onTestEnd(logs?: Logs): void {
    if (this.isStandalone()) this.finish(logs);
  }

  override onPredictEnd(): void {
    this.finish();
  }

  /** Validation inside fit runs its own loop silently; evaluate() alone shows a bar. */
  private isStandalone(): boolean {
    return this.params.epochs === undefined;
  }

  private startBar(): void {
    this.verbose = this.params.verbose ?? 1;
    this.target = this.params.steps ?? null;
    this.seen = 0;
    this.progbar = new Progbar({ target: this.target, verbose: this.verbose });
  }

  private batchUpdate(batch: number, logs?: Logs): void {
    this.progbar ??= new Progbar({ target: this.target, verbose: this.verbose });
    this.seen = batch + 1;
    this.progbar.update(this.seen, logs ? Object.entries(logs) : [], false);
  }

  private finish(logs?: Logs): void {
    if (!this.progbar) return;
    // an iterator without a length: the epoch's step count is known once it ends (and kept)
    if (this.progbar.target === null) this.target = this.progbar.target = this.seen;
    this.progbar.update(this.progbar.target, logs ? Object.entries(logs) : [], true);
    this.progbar = null;
  }
}
