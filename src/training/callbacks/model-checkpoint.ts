/**
 * ModelCheckpoint (Keras 3): saves the model or its weights every epoch or every N batches,
 * optionally only when the monitored value improves. The path may be a template such as
 * `model.{epoch:02d}-{val_loss:.2f}.keras`. Saving goes through model.save / model.saveWeights.
 */
import { nodeModules } from '../files.js';
import { printMessage, warn } from '../io.js';
import { pythonFixed } from '../progbar.js';
import type { Logs } from './callback.js';
import { formatPath } from './format-path.js';
import { MonitorCallback, type MonitorMode, missingMonitorMessage } from './monitor.js';

export interface ModelCheckpointOptions {
  filepath?: string;
  monitor?: string;
  verbose?: 0 | 1;
  saveBestOnly?: boolean;
  saveWeightsOnly?: boolean;
  mode?: MonitorMode;
  /** 'epoch', or save every this many batches. */
  saveFreq?: 'epoch' | number;
  /** Starting "best" value: only better results are saved. */
  initialValueThreshold?: number | null;
}

/** Python's f'{x:.5f}' (inf stays 'inf'). */
function fixed5(x: number | null): string {
  if (x === null) return 'None';
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  return pythonFixed(x, 5);
}

export class ModelCheckpoint extends MonitorCallback {
  readonly filepath: string;
  readonly verbose: 0 | 1;
  readonly saveBestOnly: boolean;
  readonly saveWeightsOnly: boolean;
  readonly saveFreq: 'epoch' | number;
  private batchesSinceSave = 0;
  private lastBatchSeen = 0;
  private currentEpoch = 0;

  constructor(filepathOrOptions: string | ModelCheckpointOptions, options: ModelCheckpointOptions = {}) {
    const opts = typeof filepathOrOptions === 'string' ? { ...options, filepath: filepathOrOptions } : filepathOrOptions;
    super(opts.monitor ?? 'val_loss', opts.mode ?? 'auto', opts.initialValueThreshold ?? null, 0);
    if (!opts.filepath)
      throw new Error('ModelCheckpoint: filepath is required, e.g. new ModelCheckpoint({ filepath: "best.keras" }).');
    this.filepath = opts.filepath;
    this.verbose = opts.verbose ?? 0;
    this.saveBestOnly = opts.saveBestOnly ?? false;
    this.saveWeightsOnly = opts.saveWeightsOnly ?? false;
    this.saveFreq = opts.saveFreq ?? 'epoch';
    if (this.saveFreq !== 'epoch' && !(Number.isInteger(this.saveFreq) && this.saveFreq > 0)) {
      throw new Error(`Unrecognized saveFreq: ${this.saveFreq}. Expected saveFreq are 'epoch' or a positive integer.`);
    }
    if (this.saveWeightsOnly) {
      if (!this.filepath.endsWith('.weights.h5')) {
        throw new Error(
          `When using saveWeightsOnly=true in ModelCheckpoint, the filepath provided must end in .weights.h5 (Keras weights format). Received: filepath=${this.filepath}`,
        );
      }
    } else if (!this.filepath.endsWith('.keras') && !this.filepath.endsWith('.h5')) {
      throw new Error(
        `The filepath provided must end in .keras (Keras model format) or .h5 (legacy Keras 2 format). Received: filepath=${this.filepath}`,
      );
    }
  }

  override onEpochBegin(epoch: number): void {
    this.currentEpoch = epoch;
  }

  override async onTrainBatchEnd(batch: number, logs?: Logs): Promise<void> {
    if (this.shouldSaveOnBatch(batch)) await this.saveModel(this.currentEpoch, batch, logs ?? {});
  }

  override async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
    this.setMonitorOp();
    if (this.saveFreq === 'epoch') await this.saveModel(epoch, null, logs ?? {});
  }

  private shouldSaveOnBatch(batch: number): boolean {
    if (this.saveFreq === 'epoch') return false;
    this.batchesSinceSave += batch <= this.lastBatchSeen ? batch + 1 : batch - this.lastBatchSeen;
    this.lastBatchSeen = batch;
    if (this.batchesSinceSave >= this.saveFreq) {
      this.batchesSinceSave = 0;
      return true;
    }
    return false;
  }

  /** The path for this epoch/batch with the template filled in from the logs. */
  filePathFor(epoch: number, batch: number | null, logs: Logs): string {
    const values: Record<string, number> = { ...logs, epoch: epoch + 1 };
    if (batch !== null && !('batch' in logs)) values['batch'] = batch + 1;
    return formatPath(this.filepath, values);
  }

  private shouldSave(epoch: number, logs: Logs, filepath: string): boolean {
    if (!this.saveBestOnly) {
      if (this.verbose > 0) printMessage(`\nEpoch ${epoch + 1}: saving model to ${filepath}`);
      return true;
    }
    const current = logs[this.monitor];
    if (current === undefined) {
      warn(missingMonitorMessage('ModelCheckpoint', this.monitor, logs, 'saving the best model is').replace(/$/, ' Skipping.'));
      return false;
    }
    if (this.isImprovement(current, this.best)) {
      if (this.verbose > 0) {
        printMessage(
          `\nEpoch ${epoch + 1}: ${this.monitor} improved from ${fixed5(this.best)} to ${fixed5(current)}, saving model to ${filepath}`,
        );
      }
      this.best = current;
      return true;
    }
    if (this.verbose > 0) printMessage(`\nEpoch ${epoch + 1}: ${this.monitor} did not improve from ${fixed5(this.best)}`);
    return false;
  }

  private async saveModel(epoch: number, batch: number | null, logs: Logs): Promise<void> {
    const filepath = this.filePathFor(epoch, batch, logs);
    if (!this.shouldSave(epoch, logs, filepath)) return;
    const model = this.requireModel();
    const { fs } = await nodeModules();
    const stat = await fs.stat(filepath).catch(() => null);
    if (stat?.isDirectory()) {
      throw new Error(
        `Please specify a non-directory filepath for ModelCheckpoint. Filepath used is an existing directory: ${filepath}`,
      );
    }
    if (this.saveWeightsOnly) {
      if (!model.saveWeights)
        throw new Error('ModelCheckpoint: this model has no saveWeights(); import capa (its saving module) first.');
      await model.saveWeights(filepath, { overwrite: true });
    } else {
      if (!model.save) throw new Error('ModelCheckpoint: this model has no save(); import capa (its saving module) first.');
      await model.save(filepath, { overwrite: true });
    }
  }
}
