/**
 * Shared logic of callbacks that watch one logged quantity (Keras 3's MonitorCallback): the
 * direction (mode 'min' / 'max' / 'auto'), the best value so far, and what counts as an
 * improvement. A monitor missing from the logs gets one warning that lists the keys that do
 * exist and suggests the likely one (`val_acc` → `val_accuracy`).
 */
import { warn } from '../io.js';
import { Callback, type Logs } from './callback.js';

export type MonitorMode = 'auto' | 'min' | 'max';

/** Names whose larger values are better, when the model cannot say (Keras 2's rule, extended). */
const HIGHER_IS_BETTER = /acc|auc|precision|recall|f1|fbeta|true_positives|true_negatives|cosine_similarity|^fmeasure/;

export function directionFromName(monitor: string): 'min' | 'max' {
  const name = monitor.replace(/^val_/, '');
  if (name === 'loss') return 'min';
  return HIGHER_IS_BETTER.test(name) ? 'max' : 'min';
}

/** Keys of the logs closest to a missing monitor name, best first. */
export function suggestMonitor(monitor: string, keys: readonly string[]): string | null {
  const norm = (k: string) => k.replace(/accuracy/g, 'acc').replace(/_/g, '');
  const target = norm(monitor);
  const exact = keys.find((k) => norm(k) === target);
  if (exact) return exact;
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const k of keys) {
    const d = editDistance(monitor, k);
    if (d < bestDistance) {
      bestDistance = d;
      best = k;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(monitor.length / 3)) ? best : null;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] as number;
      row[j] = Math.min((row[j] as number) + 1, (row[j - 1] as number) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = current;
    }
  }
  return row[b.length] as number;
}

/** The warning text for a monitor that the logs do not contain. */
export function missingMonitorMessage(owner: string, monitor: string, logs: Logs, what: string): string {
  const keys = Object.keys(logs);
  const suggestion = suggestMonitor(monitor, keys);
  return (
    `${owner}: ${what} conditioned on metric '${monitor}' which is not available. Available metrics are: ${keys.join(', ')}.` +
    (suggestion ? ` Did you mean '${suggestion}'?` : '') +
    (monitor.startsWith('val_') && !keys.some((k) => k.startsWith('val_'))
      ? ' (val_* metrics exist only when fit is given validationData or validationSplit.)'
      : '')
  );
}

export abstract class MonitorCallback extends Callback {
  readonly monitor: string;
  readonly mode: MonitorMode;
  /** Absolute change that counts as an improvement (signed once the direction is known). */
  protected minDelta: number;
  /** Best value so far (Infinity / -Infinity before the first, or the given starting value). */
  best: number | null;
  protected direction: 'min' | 'max' | null = null;
  private warnedMissing = false;

  constructor(monitor: string, mode: MonitorMode, initialBest: number | null, minDelta: number) {
    super();
    if (!['auto', 'min', 'max'].includes(mode)) {
      warn(`${new.target.name} mode '${mode}' is unknown, fallback to auto mode.`);
      mode = 'auto';
    }
    this.monitor = monitor;
    this.mode = mode;
    this.best = initialBest;
    this.minDelta = Math.abs(minDelta);
  }

  /** Decides min or max once the model's metrics exist (mode 'auto' asks the compiled metric). */
  protected setMonitorOp(): void {
    if (this.direction !== null) return;
    if (this.mode !== 'auto') {
      this.direction = this.mode;
    } else {
      const name = this.monitor.replace(/^val_/, '');
      const fromModel = name === 'loss' ? 'down' : (this.model?.metricDirection?.(name) ?? null);
      this.direction = fromModel === 'up' ? 'max' : fromModel === 'down' ? 'min' : directionFromName(this.monitor);
    }
    if (this.direction === 'min') this.minDelta = -Math.abs(this.minDelta);
    if (this.best === null) this.best = this.direction === 'min' ? Infinity : -Infinity;
  }

  protected isImprovement(value: number, reference: number | null): boolean {
    if (reference === null) return true;
    this.setMonitorOp();
    return this.direction === 'min' ? value - this.minDelta < reference : value - this.minDelta > reference;
  }

  /** The monitored value, or undefined with a warning (once) naming the keys that exist. */
  protected monitorValue(logs: Logs | undefined, what: string): number | undefined {
    const value = logs?.[this.monitor];
    if (value === undefined && !this.warnedMissing) {
      this.warnedMissing = true;
      warn(missingMonitorMessage(this.constructor.name, this.monitor, logs ?? {}, what));
    }
    return value;
  }
}
