/** Axis scales and "nice" tick values (Heckbert's nice numbers: steps of 1, 2, 2.5 or 5 × 10^k). */

export interface LinearScale {
  (value: number): number;
  domain: [number, number];
  ticks: number[];
}

/** A step near `rough` that reads well: 1, 2, 2.5 or 5 times a power of ten. */
function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(rough));
  const fraction = rough / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

/** Ticks covering [min, max] with about `count` steps; the domain is widened to the outer ticks. */
export function niceTicks(min: number, max: number, count = 5): { domain: [number, number]; ticks: number[] } {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { domain: [0, 1], ticks: [0, 0.5, 1] };
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    min -= pad;
    max += pad;
  }
  const step = niceStep((max - min) / count);
  const low = roundTo(Math.floor(min / step) * step, step);
  const high = roundTo(Math.ceil(max / step) * step, step);
  const ticks: number[] = [];
  for (let i = 0; low + i * step <= high + step * 1e-9; i++) ticks.push(roundTo(low + i * step, step));
  return { domain: [low, high], ticks };
}

/** Integer ticks for epochs 1..n: every epoch when few, else a nice integer step. */
export function integerTicks(first: number, last: number, count = 8): number[] {
  const step = Math.max(1, Math.ceil(niceStep(Math.max(1, (last - first) / count))));
  const ticks: number[] = [];
  const start = Math.ceil(first / step) * step || step;
  if (first < start && first >= 1) ticks.push(first);
  for (let t = start; t <= last; t += step) ticks.push(t);
  return ticks;
}

function roundTo(value: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 2);
  return Number(value.toFixed(decimals));
}

/** Maps [d0, d1] linearly onto [r0, r1]. */
export function linearScale(domain: [number, number], range: [number, number], ticks: number[] = []): LinearScale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0 || 1;
  const scale = ((value: number) => r0 + ((value - d0) / span) * (r1 - r0)) as LinearScale;
  scale.domain = domain;
  scale.ticks = ticks;
  return scale;
}

/** Tick labels with just enough decimals to tell neighbours apart (0.25 not 0.250000001). */
export function formatTicks(ticks: readonly number[]): string[] {
  if (ticks.length < 2) return ticks.map((t) => String(t));
  const step = Math.abs(ticks[1]! - ticks[0]!);
  const decimals = step >= 1 ? 0 : Math.min(6, Math.ceil(-Math.log10(step) - 1e-9) + (isQuarter(step) ? 1 : 0));
  return ticks.map((t) => formatTick(t, decimals));
}

function isQuarter(step: number): boolean {
  const power = 10 ** Math.floor(Math.log10(step));
  return Math.abs(step / power - 2.5) < 1e-9;
}

function formatTick(value: number, decimals: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e5 || (abs > 0 && abs < 1e-4)) return value.toExponential(1);
  const text = value.toFixed(decimals);
  return text === '-0' || /^-0\.0*$/.test(text) ? text.slice(1) : text;
}
