/**
 * `plotHistory`: training curves from `model.fit`'s History, one panel per quantity (loss first,
 * then each metric), training and validation curves together, best validation epoch marked.
 */
import { CATEGORICAL } from './colors.js';
import { writePicture } from './output.js';
import { formatTicks, integerTicks, linearScale, niceTicks } from './scale.js';
import { AXIS, el, GRID, INK, MUTED_INK, num, svgDocument, text, textWidth } from './svg.js';

/** A History (`.history` of per-epoch values) or its `history` record itself. */
export type HistoryLike =
  | { history: Record<string, readonly number[]>; epoch?: readonly number[] }
  | Record<string, readonly number[]>;

export interface PlotHistoryOptions {
  /** Where to write the picture; `.svg` or `.png`. Without it the SVG text is only returned. */
  toFile?: string;
  /** Which quantities to draw (default: every one, loss first); `val_` curves join their quantity. */
  keys?: readonly string[];
  /** Panels per row (default: up to 3). */
  columns?: number;
  title?: string;
}

const PANEL_WIDTH = 430;
const PANEL_HEIGHT = 310;
const MARGIN = { left: 56, right: 18, top: 40, bottom: 50 };
const TRAIN_COLOR = CATEGORICAL[0]!;
const VALIDATION_COLOR = CATEGORICAL[1]!;

function historyRecord(history: HistoryLike): Record<string, readonly number[]> {
  const inner = (history as { history?: unknown }).history;
  if (inner !== undefined && typeof inner === 'object' && inner !== null && !Array.isArray(inner)) {
    return inner as Record<string, readonly number[]>;
  }
  return history as Record<string, readonly number[]>;
}

/** Quantities to plot: training keys in order (loss first), plus validation-only ones. */
function quantities(record: Record<string, readonly number[]>, keys: readonly string[] | undefined): string[] {
  if (keys) {
    for (const key of keys) {
      if (!(key in record) && !(`val_${key}` in record)) {
        throw new Error(`plotHistory: no '${key}' in the history; it has ${Object.keys(record).join(', ') || 'nothing'}.`);
      }
    }
    return keys.slice();
  }
  const names: string[] = [];
  for (const key of Object.keys(record)) {
    const base = key.startsWith('val_') ? key.slice(4) : key;
    if (!names.includes(base)) names.push(base);
  }
  return names.sort((a, b) => (a === 'loss' ? -1 : b === 'loss' ? 1 : 0));
}

/** Lower is better for losses and errors (like ModelCheckpoint's mode 'auto'), higher for the rest. */
function lowerIsBetter(name: string): boolean {
  return /loss|error|mse|mae|mape|msle|crossentropy|hinge/i.test(name) && !/accuracy|auc|precision|recall/i.test(name);
}

function bestIndex(values: readonly number[], lower: boolean): number {
  let best = -1;
  values.forEach((v, i) => {
    if (!Number.isFinite(v)) return;
    if (best < 0 || (lower ? v < values[best]! : v > values[best]!)) best = i;
  });
  return best;
}

function formatValue(value: number): string {
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e5)) return value.toExponential(2);
  return value.toFixed(abs >= 100 ? 1 : 4);
}

interface Series {
  label: string;
  values: readonly number[];
  color: string;
  dashed: boolean;
}

/** A line through the finite points (NaN/Infinity break the line). */
function polyline(points: [number, number][], color: string, dashed: boolean): string {
  const segments: string[] = [];
  let current = '';
  for (const [x, y] of points) {
    if (!Number.isFinite(y)) {
      if (current) segments.push(current);
      current = '';
      continue;
    }
    current += `${current ? 'L' : 'M'}${num(x)},${num(y)}`;
  }
  if (current) segments.push(current);
  return segments
    .map((d) =>
      el('path', {
        d,
        fill: 'none',
        stroke: color,
        'stroke-width': 2.2,
        'stroke-linejoin': 'round',
        'stroke-linecap': 'round',
        'stroke-dasharray': dashed ? '7 4' : undefined,
      }),
    )
    .join('');
}

function panel(name: string, series: Series[], epochs: number, x0: number, y0: number): string {
  const left = x0 + MARGIN.left;
  const right = x0 + PANEL_WIDTH - MARGIN.right;
  const top = y0 + MARGIN.top;
  const bottom = y0 + PANEL_HEIGHT - MARGIN.bottom;
  const finite = series.flatMap((s) => s.values.filter((v) => Number.isFinite(v)));
  const { domain, ticks } = niceTicks(Math.min(...finite), Math.max(...finite), 5);
  // Inset the curves from the frame so points on a tick at the edge stay visible.
  const y = linearScale(domain, [bottom - 8, top + 8]);
  const x = linearScale(epochs === 1 ? [0.5, 1.5] : [1, epochs], [left + 8, right - 8]);
  let body = '';
  // Grid and y axis ticks.
  const yLabels = formatTicks(ticks);
  ticks.forEach((tick, i) => {
    const py = y(tick);
    body += el('line', { x1: left, x2: right, y1: py, y2: py, stroke: GRID, 'stroke-width': 1 });
    body += text(left - 7, py, yLabels[i]!, { anchor: 'end', size: 11, fill: MUTED_INK });
  });
  for (const tick of integerTicks(1, epochs)) {
    const px = x(tick);
    body += el('line', { x1: px, x2: px, y1: bottom, y2: bottom + 5, stroke: AXIS });
    body += text(px, bottom + 16, String(tick), { size: 11, fill: MUTED_INK });
  }
  body += el('rect', {
    x: left,
    y: top,
    width: right - left,
    height: bottom - top,
    fill: 'none',
    stroke: AXIS,
    'stroke-width': 1,
  });
  body += text((left + right) / 2, bottom + 36, 'epoch', { size: 12, fill: INK });
  body += text((left + right) / 2, y0 + 20, name, { size: 15, weight: 'bold' });

  const lower = lowerIsBetter(name);
  const legendRows: { label: string; color: string; dashed: boolean }[] = [];
  const markers = epochs <= 40;
  for (const s of series) {
    const points = s.values.map((v, i) => [x(i + 1), y(v)] as [number, number]);
    body += polyline(points, s.color, s.dashed);
    if (markers) {
      for (const [px, py] of points) {
        if (Number.isFinite(py))
          body += el('circle', { cx: px, cy: py, r: 3, fill: s.color, stroke: '#ffffff', 'stroke-width': 1 });
      }
    }
    let label = s.label;
    if (s.dashed) {
      const best = bestIndex(s.values, lower);
      if (best >= 0) {
        const [bx, by] = points[best]!;
        body += el('circle', { cx: bx, cy: by, r: 7, fill: 'none', stroke: s.color, 'stroke-width': 2 });
        label += ` (best ${formatValue(s.values[best]!)}, epoch ${best + 1})`;
      }
    }
    legendRows.push({ label, color: s.color, dashed: s.dashed });
  }
  body += legend(legendRows, series, x, y, { left, right, top, bottom });
  return body;
}

/** Draws the legend in the corner of the plot area that covers the fewest data points. */
function legend(
  rows: { label: string; color: string; dashed: boolean }[],
  series: Series[],
  x: (v: number) => number,
  y: (v: number) => number,
  area: { left: number; right: number; top: number; bottom: number },
): string {
  const rowHeight = 18;
  const width = 40 + Math.max(...rows.map((r) => textWidth(r.label, 11)));
  const height = rows.length * rowHeight + 10;
  const points = series.flatMap((s) => s.values.map((v, i) => [x(i + 1), y(v)] as [number, number]));
  const corners = [
    [area.right - width - 8, area.top + 8],
    [area.right - width - 8, area.bottom - height - 8],
    [area.left + 8, area.top + 8],
    [area.left + 8, area.bottom - height - 8],
  ] as [number, number][];
  const cost = ([cx, cy]: [number, number]) =>
    points.filter(([px, py]) => px >= cx - 6 && px <= cx + width + 6 && py >= cy - 6 && py <= cy + height + 6).length;
  const [lx, ly] = corners.reduce((best, corner) => (cost(corner) < cost(best) ? corner : best));
  let body = el('rect', {
    x: lx,
    y: ly,
    width,
    height,
    rx: 4,
    fill: '#ffffff',
    'fill-opacity': 0.9,
    stroke: '#cccccc',
  });
  rows.forEach((row, i) => {
    const cy = ly + 5 + rowHeight * i + rowHeight / 2;
    body += el('line', {
      x1: lx + 8,
      x2: lx + 30,
      y1: cy,
      y2: cy,
      stroke: row.color,
      'stroke-width': 2.2,
      'stroke-dasharray': row.dashed ? '7 4' : undefined,
    });
    body += text(lx + 36, cy, row.label, { anchor: 'start', size: 11 });
  });
  return body;
}

/**
 * Draws the training history: one panel per quantity with its training curve (solid) and
 * validation curve (dashed, best epoch circled). Returns the SVG; writes it when `toFile` is set.
 */
export async function plotHistory(history: HistoryLike, options: PlotHistoryOptions = {}): Promise<string> {
  const svg = historySvg(history, options);
  if (options.toFile) await writePicture(svg, options.toFile, 'plotHistory');
  return svg;
}

/** The SVG of `plotHistory`, built synchronously. */
export function historySvg(history: HistoryLike, options: PlotHistoryOptions = {}): string {
  const record = historyRecord(history);
  const names = quantities(record, options.keys);
  if (names.length === 0) throw new Error('plotHistory: the history is empty (was the model trained with fit?).');
  const epochs = Math.max(...Object.values(record).map((values) => values.length));
  if (!(epochs > 0)) throw new Error('plotHistory: the history has no epochs.');
  const columns = Math.max(1, Math.min(options.columns ?? 3, names.length));
  const rows = Math.ceil(names.length / columns);
  const titleHeight = options.title ? 34 : 0;
  let body = options.title ? text((columns * PANEL_WIDTH) / 2, 22, options.title, { size: 17, weight: 'bold' }) : '';
  names.forEach((name, i) => {
    const series: Series[] = [];
    if (record[name]) series.push({ label: 'training', values: record[name]!, color: TRAIN_COLOR, dashed: false });
    const validation = record[`val_${name}`];
    if (validation) series.push({ label: 'validation', values: validation, color: VALIDATION_COLOR, dashed: true });
    const x0 = (i % columns) * PANEL_WIDTH;
    const y0 = titleHeight + Math.floor(i / columns) * PANEL_HEIGHT;
    body += panel(name, series, epochs, x0, y0);
  });
  return svgDocument(columns * PANEL_WIDTH, titleHeight + rows * PANEL_HEIGHT, body, options.title ?? 'Training history');
}
