/** ReduceLROnPlateau (Keras 3): multiply the learning rate by `factor` when the monitor plateaus. */
import { printMessage } from '../io.js';
import { pythonRepr } from '../python-repr.js';
import type { Logs } from './callback.js';
import { MonitorCallback, type MonitorMode } from './monitor.js';

export interface ReduceLROnPlateauOptions {
  monitor?: string;
  /** New rate = rate * factor (must be < 1). */
  factor?: number;
  patience?: number;
  verbose?: 0 | 1;
  mode?: MonitorMode;
  /** Improvements must exceed this (in the monitored units). */
  minDelta?: number;
  /** Epochs to wait after a reduction before counting again. */
  cooldown?: number;
  minLr?: number;
}

export class ReduceLROnPlateau extends MonitorCallback {
  readonly factor: number;
  readonly patience: number;
  readonly verbose: 0 | 1;
  readonly cooldown: number;
  readonly minLr: number;
  private readonly delta: number;
  cooldownCounter = 0;
  wait = 0;

  constructor(options: ReduceLROnPlateauOptions = {}) {
    super(options.monitor ?? 'val_loss', options.mode ?? 'auto', null, 0);
    const factor = options.factor ?? 0.1;
    if (factor >= 1.0) throw new Error(`ReduceLROnPlateau does not support a factor >= 1.0. Received factor=${factor}`);
    this.factor = factor;
    this.patience = options.patience ?? 10;
    this.verbose = options.verbose ?? 0;
    this.delta = options.minDelta ?? 1e-4;
    this.cooldown = options.cooldown ?? 0;
    this.minLr = options.minLr ?? 0;
  }

  override onTrainBegin(): void {
    this.direction = null;
    this.best = null;
    this.setMonitorOp();
    this.cooldownCounter = 0;
    this.wait = 0;
  }

  private improved(current: number): boolean {
    const best = this.best as number;
    return this.direction === 'min' ? current < best - this.delta : current > best + this.delta;
  }

  override onEpochEnd(epoch: number, logs?: Logs): void {
    const model = this.requireModel();
    const optimizer = model.optimizer;
    if (!optimizer) throw new Error('ReduceLROnPlateau: the model has no optimizer; compile it first.');
    if (logs) logs['learning_rate'] = optimizer.learningRate;
    const current = this.monitorValue(logs, 'Learning rate reduction is');
    if (current === undefined) return;
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.wait = 0;
    }
    if (this.improved(current)) {
      this.best = current;
      this.wait = 0;
    } else if (this.cooldownCounter <= 0) {
      this.wait += 1;
      if (this.wait >= this.patience) {
        const oldLr = optimizer.learningRate;
        if (oldLr > Math.fround(this.minLr)) {
          const newLr = Math.max(oldLr * this.factor, this.minLr);
          optimizer.learningRate = newLr;
          if (this.verbose > 0)
            printMessage(`\nEpoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${pythonRepr(newLr)}.`);
          this.cooldownCounter = this.cooldown;
          this.wait = 0;
        }
      }
    }
  }
}
