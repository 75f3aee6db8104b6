/**
 * A progress bar for work that takes more than a second: silent at first, then a bar that
 * redraws in place on a terminal (or prints a line every few seconds when output is a file).
 */

export interface ProgressOptions {
  /** Where to draw (default: stderr, so piped stdout stays clean). */
  stream?: NodeJS.WriteStream;
  /** Show nothing until this many milliseconds have passed (default 1000). */
  delayMs?: number;
  /** Unit shown after the counts, e.g. 'images'. */
  unit?: string;
}

const BAR_WIDTH = 30;

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${Math.round(seconds)}s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
}

export class ProgressBar {
  private readonly stream: NodeJS.WriteStream;
  private readonly started = Date.now();
  private readonly delayMs: number;
  private readonly unit: string;
  private current = 0;
  private lastDraw = 0;
  private shown = false;

  constructor(
    private readonly label: string,
    private readonly total: number,
    options: ProgressOptions = {},
  ) {
    this.stream = options.stream ?? process.stderr;
    this.delayMs = options.delayMs ?? 1000;
    this.unit = options.unit ? ` ${options.unit}` : '';
  }

  /** Advances by `by` steps, redrawing at most ten times a second. */
  tick(by = 1): void {
    this.current = Math.min(this.total, this.current + by);
    const now = Date.now();
    if (now - this.started < this.delayMs) return;
    const interval = this.stream.isTTY ? 100 : 5000;
    // The final state is drawn once, by done().
    if (this.current >= this.total || (this.shown && now - this.lastDraw < interval)) return;
    this.draw(now);
  }

  /** Draws the final state (if the bar was ever shown) and ends the line. */
  done(): void {
    if (!this.shown) return;
    this.current = this.total;
    this.draw(Date.now());
    if (this.stream.isTTY) this.stream.write('\n');
  }

  private draw(now: number): void {
    this.shown = true;
    this.lastDraw = now;
    const fraction = this.total > 0 ? this.current / this.total : 1;
    const filled = Math.round(fraction * BAR_WIDTH);
    const elapsed = (now - this.started) / 1000;
    // An estimate from the first percent of the work is noise: wait for more before giving one.
    const remaining = fraction >= 0.02 ? (elapsed / fraction) * (1 - fraction) : Number.POSITIVE_INFINITY;
    const timing = this.current < this.total ? `ETA ${formatDuration(remaining)}` : `${formatDuration(elapsed)}`;
    const line =
      `${this.label} [${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}] ` +
      `${this.current}/${this.total}${this.unit} ${timing}`;
    if (this.stream.isTTY) this.stream.write(`\r${line}\x1b[K`);
    else this.stream.write(`${line}\n`);
  }
}

/** Runs `work` over `items` with a progress bar, awaiting each in order. */
export async function eachWithProgress<T>(
  label: string,
  items: readonly T[],
  work: (item: T, index: number) => void | Promise<void>,
  options: ProgressOptions = {},
): Promise<void> {
  const bar = new ProgressBar(label, items.length, options);
  for (let i = 0; i < items.length; i++) {
    await work(items[i]!, i);
    bar.tick();
  }
  bar.done();
}
