/**
 * `summary({ style: 'keras3' })`: Keras 3's table (keras/src/utils/summary_utils.py), as the
 * `rich` library lays it out without colour: a HEAVY_HEAD box, `show_lines=True`, column widths
 * int(p * lineLength) reduced to fit the box the way rich's `ratio_reduce` does, cells padded by
 * one space, wrapped at words, long words cut with '…', then totals with byte sizes.
 */
import type { Layer } from '../layers/engine/layer.js';
import type { Model } from './functional.js';
import { connectionsOf, displayClassName, isSequentialLike, paramCounts, type SummaryOptions, withThousands } from './summary.js';

type Justify = 'left' | 'right';

export function printSummaryKeras3(model: Model, options: SummaryOptions): string {
  const sequentialLike = !model.built || isSequentialLike(model);
  const defaultLength = Math.min(sequentialLike ? 88 : 108, terminalColumns() - 4);
  const lineLength = options.lineLength ?? defaultLength;
  const positions = options.positions ?? (sequentialLike ? [0.45, 0.8, 1] : [0.3, 0.56, 0.74, 1]);
  const header = sequentialLike
    ? ['Layer (type)', 'Output Shape', 'Param #']
    : ['Layer (type)', 'Output Shape', 'Param #', 'Connected to'];
  const justify: Justify[] = sequentialLike ? ['left', 'left', 'right'] : ['left', 'left', 'right', 'left'];

  const requested: number[] = [];
  let current = 0;
  for (const p of positions) {
    const stop = p <= 1 ? Math.floor(p * lineLength) : p;
    const width = stop - current;
    if (width < 4) throw new Error('summary: insufficient console width to print summary.');
    requested.push(width);
    current += width;
  }
  const widths = fitColumns(requested, lineLength);

  const rows: string[][] = [];
  for (const layer of model.layers) {
    const params = !layer.built ? '0 (unbuilt)' : withThousands(layer.countParams());
    const fields = [`${layer.name} (${displayClassName(layer, 'keras3')})`, outputShapeText(layer), params];
    if (!sequentialLike) fields.push(connectionsOf(model, layer, true).join(', ') || '-');
    rows.push(fields);
  }

  const out: string[] = [`Model: "${model.name}"`];
  out.push(boxLine('┏', '━', '┳', '┓', widths));
  out.push(...renderRow(header, widths, justify, '┃'));
  out.push(boxLine('┡', '━', '╇', '┩', widths));
  rows.forEach((r, i) => {
    if (i > 0) out.push(boxLine('├', '─', '┼', '┤', widths));
    out.push(...renderRow(r, widths, justify, '│'));
  });
  out.push(boxLine('└', '─', '┴', '┘', widths));
  const { trainable, nonTrainable } = model.built ? paramCounts(model) : { trainable: 0, nonTrainable: 0 };
  out.push(` Total params: ${withThousands(trainable + nonTrainable)} (${readableMemorySize((trainable + nonTrainable) * 4)})`);
  out.push(` Trainable params: ${withThousands(trainable)} (${readableMemorySize(trainable * 4)})`);
  out.push(` Non-trainable params: ${withThousands(nonTrainable)} (${readableMemorySize(nonTrainable * 4)})`);
  const extra = optimizerLine?.(model);
  if (extra) out.push(extra);
  const text = out.join('\n');
  (options.printFn ?? ((t: string) => console.log(t)))(text);
  return text;
}

/**
 * Training registers this to print Keras 3's ` Optimizer params: N (size)` line once the
 * model's optimizer has its variables.
 */
let optimizerLine: ((model: Model) => string | null) | null = null;

export function registerOptimizerSummaryLine(fn: (model: Model) => string | null): void {
  optimizerLine = fn;
}

/** Width of the terminal like Python's shutil.get_terminal_size (COLUMNS, the tty, else 80). */
function terminalColumns(): number {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined>; stdout?: { columns?: number } } }).process;
  const env = Number(proc?.env?.COLUMNS);
  if (Number.isInteger(env) && env > 0) return env;
  const cols = proc?.stdout?.columns;
  return typeof cols === 'number' && cols > 0 ? cols : 80;
}

/**
 * Rich measures each fixed-width column as width + 2 (padding) and the box takes n + 1
 * characters, so the columns overflow by 3n + 1; `ratio_reduce` takes the excess back evenly.
 */
function fitColumns(requested: number[], lineLength: number): number[] {
  const available = lineLength - (requested.length + 1);
  let widths = requested.map((w) => w + 2);
  const total = widths.reduce((a, b) => a + b, 0);
  if (total > available) widths = ratioReduce(total - available, widths);
  else if (total < available)
    widths = widths.map(
      (w, i) =>
        w +
        (ratioDistribute(
          available - total,
          widths.map(() => 1),
        )[i] as number),
    );
  return widths;
}

function ratioReduce(excess: number, values: number[]): number[] {
  let totalRatio = values.length;
  let remaining = excess;
  return values.map((v) => {
    const distributed = Math.min(v, pythonRound(remaining / totalRatio));
    remaining -= distributed;
    totalRatio -= 1;
    return v - distributed;
  });
}

function ratioDistribute(total: number, ratios: number[]): number[] {
  let totalRatio = ratios.reduce((a, b) => a + b, 0);
  let remaining = total;
  return ratios.map((r) => {
    const d = totalRatio > 0 ? Math.ceil((r * remaining) / totalRatio) : remaining;
    totalRatio -= r;
    remaining -= d;
    return d;
  });
}

/** Python 3's round(): half to even. */
function pythonRound(x: number): number {
  const f = Math.floor(x);
  const diff = x - f;
  if (diff > 0.5) return f + 1;
  if (diff < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

function boxLine(left: string, fill: string, cross: string, right: string, widths: number[]): string {
  return left + widths.map((w) => fill.repeat(w)).join(cross) + right;
}

function renderRow(fields: string[], widths: number[], justify: Justify[], bar: string): string[] {
  const cells = fields.map((f, i) => wrapCell(f, (widths[i] as number) - 2, justify[i] as Justify));
  const height = Math.max(...cells.map((c) => c.length));
  const lines: string[] = [];
  for (let r = 0; r < height; r++) {
    const parts = cells.map((c, i) => ` ${c[r] ?? ' '.repeat((widths[i] as number) - 2)} `);
    lines.push(bar + parts.join(bar) + bar);
  }
  return lines;
}

/** Rich's word wrap (words keep their trailing spaces; no folding) then justify and '…' truncation. */
function wrapCell(text: string, width: number, justify: Justify): string[] {
  const words = text.match(/\s*\S+\s*/g) ?? [''];
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const length = word.trimEnd().length;
    if (line === '' || width - line.length >= length) line += word;
    else {
      lines.push(line);
      line = word;
    }
  }
  lines.push(line);
  return lines.map((l) => {
    let s = l;
    if (s.length > width) {
      // rich's rstrip_end: trailing spaces past the width go first.
      const trailing = s.length - s.trimEnd().length;
      s = s.slice(0, s.length - Math.min(trailing, s.length - width));
    }
    if (justify === 'right') s = s.trimEnd();
    if (s.length > width) s = `${s.slice(0, width - 1)}…`;
    return justify === 'right' ? s.padStart(width) : s.padEnd(width);
  });
}

/** Keras 3's output-shape cell: `(None, 26, 26, 32)`, `?` when never built or called. */
function outputShapeText(layer: Layer): string {
  if (layer.inboundNodes.length === 0 && !layer.buildShapes) return '?';
  let shapes: (number | null)[][];
  try {
    const nodes = layer.inboundNodes;
    shapes = nodes.length > 0 ? (nodes[nodes.length - 1]?.outputTensors.map((t) => t.shape) ?? []) : layer.outputShapes;
  } catch {
    return '?';
  }
  const text = shapes.map((s) => `(${s.map((d) => (d === null ? 'None' : String(d))).join(', ')})`);
  return text.length === 1 ? (text[0] as string) : `[${text.join(', ')}]`;
}

/**
 * Keras 3's `readable_memory_size`: bytes in B/KB/MB/GB (1024-based) with two decimals,
 * rounded like Python's `'{:.2f}'` (half to even on the exact value).
 */
export function readableMemorySize(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let scale = 1n;
  let unit = 0;
  const value = BigInt(Math.round(bytes));
  while (unit < units.length - 1 && value >= scale * 1024n) {
    scale *= 1024n;
    unit++;
  }
  const num = value * 100n;
  let q = num / scale;
  const r = num % scale;
  if (2n * r > scale || (2n * r === scale && q % 2n === 1n)) q += 1n;
  const whole = q / 100n;
  const cents = (q % 100n).toString().padStart(2, '0');
  return `${whole}.${cents} ${units[unit]}`;
}
