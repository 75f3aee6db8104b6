/**
 * Keras 2's progress bar (tf.keras utils.Progbar), e.g.
 * `  32/1875 [>.............................] - ETA: 41s - loss: 0.7431 - accuracy: 0.7812`
 * while running and `1875/1875 [==============================] - 5s 3ms/step - loss: ...` when
 * finished. verbose 1 redraws in place on a terminal and prints only the finished line
 * otherwise; verbose 2 prints one summary line per epoch. Values are shown as given (the
 * training loop passes running means, as Keras's stateful metrics are shown).
 */
import { trainingOutput } from './io.js';

export type ProgbarValues = readonly (readonly [string, number])[];

export interface ProgbarOptions {
  /** Total steps, or null when unknown. */
  target: number | null;
  /** Bar width in characters (Keras: 30). */
  width?: number;
  verbose?: 0 | 1 | 2;
  /** Minimum seconds between redraws (Keras: 0.05). */
  interval?: number;
  unitName?: string;
  /** Clock in seconds; tests pass a fake one. */
  now?: () => number;
}

function defaultNow(): number {
  return performance.now() / 1000;
}

/**
 * Python's '%.{digits}f': like toFixed, but an exact tie rounds to even (0.78125 -> '0.7812'),
 * where JavaScript rounds it up.
 */
export function pythonFixed(value: number, digits: number): string {
  const rounded = value.toFixed(digits);
  const exact = Math.abs(value).toFixed(Math.min(100, digits + 25));
  const tail = exact.slice(exact.indexOf('.') + 1 + digits);
  if (!/^50*$/.test(tail)) return rounded;
  // exact tie: keep the truncated value when its last digit is even
  const truncated = (value < 0 ? '-' : '') + exact.slice(0, exact.indexOf('.') + 1 + digits).replace(/\.$/, '');
  const lastDigit = Number(truncated[truncated.length - 1]);
  return lastDigit % 2 === 0 ? truncated : rounded;
}

/** Python's '%.4f' / '%.4e' as Keras picks them. */
export function formatLogValue(value: number, useAbs: boolean): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf';
  const big = useAbs ? Math.abs(value) > 1e-3 : value > 1e-3;
  if (big) return pythonFixed(value, 4);
  // Python writes the exponent with at least two digits: 1.2340e-05
  const [mantissa, exponent] = value.toExponential(4).split('e') as [string, string];
  const sign = exponent.startsWith('-') ? '-' : '+';
  const digits = exponent.replace(/^[+-]/, '').padStart(2, '0');
  return `${mantissa}e${sign}${digits}`;
}

/** Keras's _format_time: ` 5s/step`, ` 70ms/step`, ` 12us/step`. */
export function formatTimePerUnit(seconds: number, unit: string): string {
  if (seconds >= 1 || seconds === 0) return ` ${Math.round(seconds)}s/${unit}`;
  if (seconds >= 1e-3) return ` ${Math.round(seconds * 1000)}ms/${unit}`;
  return ` ${Math.round(seconds * 1e6)}us/${unit}`;
}

function formatEta(eta: number): string {
  if (eta > 3600) {
    return `${Math.floor(eta / 3600)}:${String(Math.floor((eta % 3600) / 60)).padStart(2, '0')}:${String(Math.floor(eta % 60)).padStart(2, '0')}`;
  }
  if (eta > 60) return `${Math.floor(eta / 60)}:${String(Math.floor(eta % 60)).padStart(2, '0')}`;
  return `${Math.floor(eta)}s`;
}

export class Progbar {
  /** Total steps; an unknown total (null) may be set once the epoch's length is known. */
  target: number | null;
  readonly width: number;
  readonly verbose: 0 | 1 | 2;
  readonly interval: number;
  readonly unitName: string;
  private readonly now: () => number;
  private readonly start: number;
  private lastUpdate = 0;
  private totalWidth = 0;
  private timeAfterFirstStep: number | null = null;
  private timeAtEpochEnd: number | null = null;
  private values: ProgbarValues = [];

  constructor(options: ProgbarOptions) {
    this.target = options.target;
    this.width = options.width ?? 30;
    this.verbose = options.verbose ?? 1;
    this.interval = options.interval ?? 0.05;
    this.unitName = options.unitName ?? 'step';
    this.now = options.now ?? defaultNow;
    this.start = this.now();
  }

  /** Shows progress at step `current` with these (name, value) pairs. */
  update(current: number, values: ProgbarValues = [], finalize?: boolean): void {
    const done = finalize ?? (this.target !== null && current >= this.target);
    if (values.length > 0) this.values = values;
    const now = this.now();
    if (current === this.target) this.timeAtEpochEnd = now;
    const timePerUnit = this.estimateStepDuration(current, now);
    if (this.verbose === 1) this.updateVerbose1(current, now, done, timePerUnit);
    else if (this.verbose === 2 && done) this.updateVerbose2(current, now);
  }

  private estimateStepDuration(current: number, now: number): number {
    if (!current) return 0;
    let perUnit: number;
    if (this.timeAfterFirstStep !== null && current > 1) perUnit = (now - this.timeAfterFirstStep) / (current - 1);
    else perUnit = (now - this.start) / current;
    if (current === 1) this.timeAfterFirstStep = now;
    return perUnit;
  }

  private valuesText(useAbs: boolean): string {
    let text = '';
    for (const [k, v] of this.values) text += ` - ${k}: ${formatLogValue(v, useAbs)}`;
    return text;
  }

  private updateVerbose1(current: number, now: number, done: boolean, timePerUnit: number): void {
    const out = trainingOutput();
    if (!out.isTTY && !done) return; // logs and pipes get the finished line only
    if (!done && now - this.lastUpdate < this.interval) return;
    this.lastUpdate = now;
    let bar: string;
    if (this.target !== null) {
      const digits = Math.floor(Math.log10(this.target)) + 1;
      bar = `${String(current).padStart(digits)}/${this.target} [`;
      const progWidth = Math.floor(this.width * (current / this.target));
      if (progWidth > 0) bar += '='.repeat(progWidth - 1) + (current < this.target ? '>' : '=');
      bar += '.'.repeat(Math.max(0, this.width - progWidth));
      bar += ']';
    } else {
      bar = `${String(current).padStart(7)}/Unknown`;
    }
    let info: string;
    if (this.target === null || current >= this.target) {
      info = ` - ${Math.round(now - this.start)}s${formatTimePerUnit(timePerUnit, this.unitName)}`;
    } else {
      info = ` - ETA: ${formatEta(timePerUnit * (this.target - current))}`;
    }
    info += this.valuesText(true);
    const line = bar + info;
    const prevWidth = this.totalWidth;
    this.totalWidth = line.length;
    let text = out.isTTY ? `\r${line}` : line;
    if (out.isTTY && prevWidth > line.length) text += ' '.repeat(prevWidth - line.length);
    if (done) text += '\n';
    out.write(text);
  }

  private updateVerbose2(current: number, now: number): void {
    const target = this.target ?? current;
    const digits = Math.floor(Math.log10(Math.max(1, target))) + 1;
    let info = `${String(current).padStart(digits)}/${target} - ${Math.round(now - this.start)}s`;
    info += this.valuesText(false);
    const epochTime = (this.timeAtEpochEnd ?? now) - this.start;
    info += ` -${formatTimePerUnit(epochTime, 'epoch')} -${formatTimePerUnit(epochTime / Math.max(1, target), this.unitName)}\n`;
    trainingOutput().write(info);
  }
}
