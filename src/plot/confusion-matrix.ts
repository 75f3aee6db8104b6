/**
 * `plotConfusionMatrix`: a heatmap of a confusion matrix (rows = true class, columns = predicted),
 * each cell with its count (or fraction) in a colour that contrasts with the cell, class names
 * on both axes and a colour bar.
 */
import { Tensor } from '../tensor/tensor.js';
import { blues, contrastingText, hex } from './colors.js';
import { writePicture } from './output.js';
import { formatTicks, niceTicks } from './scale.js';
import { AXIS, el, fitText, INK, MUTED_INK, svgDocument, text, textWidth } from './svg.js';

export interface PlotConfusionMatrixOptions {
  /** Class names for the rows and columns (default: 0, 1, ...). */
  labels?: readonly (string | number)[];
  toFile?: string;
  /**
   * Show fractions instead of counts: `'true'` (or `true`) divides each row by its total (recall
   * on the diagonal), `'pred'` each column (precision), `'all'` the whole matrix.
   */
  normalize?: boolean | 'true' | 'pred' | 'all';
  title?: string;
}

function toMatrix(cm: Tensor | readonly (readonly number[])[]): number[][] {
  let rows: number[][];
  if (cm instanceof Tensor) {
    if (cm.shape.length !== 2)
      throw new Error(`plotConfusionMatrix: expected a 2-D matrix; received shape [${cm.shape.join(', ')}].`);
    const [n, m] = cm.shape as [number, number];
    const values = cm.dataSync();
    rows = Array.from({ length: n }, (_, i) => Array.from(values.subarray(i * m, (i + 1) * m)));
  } else {
    rows = cm.map((row) => Array.from(row));
  }
  const n = rows.length;
  if (n === 0 || rows.some((row) => row.length !== n)) {
    throw new Error(
      `plotConfusionMatrix: the confusion matrix must be square and non-empty; received ${n} rows of lengths ${rows.map((r) => r.length).join(', ')}.`,
    );
  }
  return rows;
}

function normalized(cm: number[][], mode: 'true' | 'pred' | 'all'): number[][] {
  const n = cm.length;
  const total = cm.flat().reduce((a, b) => a + b, 0);
  const columnTotals = Array.from({ length: n }, (_, j) => cm.reduce((sum, row) => sum + row[j]!, 0));
  return cm.map((row) => {
    const rowTotal = row.reduce((a, b) => a + b, 0);
    return row.map((value, j) => {
      const denominator = mode === 'true' ? rowTotal : mode === 'pred' ? columnTotals[j]! : total;
      return denominator === 0 ? 0 : value / denominator;
    });
  });
}

function formatCell(value: number, fractions: boolean): string {
  if (fractions) return value.toFixed(2);
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

/** Draws the confusion matrix as a heatmap. Returns the SVG; writes it when `toFile` is set. */
export async function plotConfusionMatrix(
  cm: Tensor | readonly (readonly number[])[],
  options: PlotConfusionMatrixOptions = {},
): Promise<string> {
  const svg = confusionMatrixSvg(cm, options);
  if (options.toFile) await writePicture(svg, options.toFile, 'plotConfusionMatrix');
  return svg;
}

/** The SVG of `plotConfusionMatrix`, built synchronously. */
export function confusionMatrixSvg(
  cm: Tensor | readonly (readonly number[])[],
  options: PlotConfusionMatrixOptions = {},
): string {
  const counts = toMatrix(cm);
  const n = counts.length;
  const labels = (options.labels ?? counts.map((_, i) => i)).map(String);
  if (labels.length !== n) {
    throw new Error(`plotConfusionMatrix: ${labels.length} labels given for a ${n}x${n} confusion matrix.`);
  }
  const mode = options.normalize === true ? 'true' : options.normalize || undefined;
  const values = mode ? normalized(counts, mode) : counts;
  const fractions = mode !== undefined;
  const maxValue = Math.max(...values.flat(), fractions ? 1e-12 : 1);

  const cell = Math.max(16, Math.min(n <= 3 ? 110 : 58, Math.floor(600 / n)));
  const labelSize = Math.max(9, Math.min(13, cell * 0.42));
  const maxLabelChars = 22;
  const shownLabels = labels.map((label) => fitText(label, labelSize, textWidth('M', labelSize) * maxLabelChars));
  const labelWidth = Math.max(...shownLabels.map((label) => textWidth(label, labelSize)));
  // Column labels go diagonal when they do not fit under their cell.
  const rotateColumns = labelWidth > cell - 4;
  const columnLabelHeight = rotateColumns ? labelWidth * 0.72 + 10 : labelSize + 8;

  const title =
    options.title ??
    (fractions
      ? `Confusion matrix (normalized over ${mode === 'true' ? 'true' : mode === 'pred' ? 'predicted' : 'all'})`
      : 'Confusion matrix');
  const left = 34 + labelWidth + 10;
  const top = 52;
  const gridSize = cell * n;
  const colorBarX = left + gridSize + 22;
  const colorBarWidth = 16;
  const { ticks: barTicks } = niceTicks(0, maxValue, 5);
  const shownBarTicks = barTicks.filter((t) => t <= maxValue + 1e-9);
  const barLabels = formatTicks(shownBarTicks);
  const width = Math.max(
    colorBarX + colorBarWidth + 10 + Math.max(...barLabels.map((l) => textWidth(l, 11))) + 16,
    left + textWidth(title, 16, true) / 2 + gridSize / 2 + 16,
  );
  const height = top + gridSize + columnLabelHeight + 40;

  let body = text(left + gridSize / 2, 26, title, { size: 16, weight: 'bold' });
  const cellSize = Math.min(18, cell * 0.36);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const value = values[i]![j]!;
      const color = blues(value / maxValue);
      const x = left + j * cell;
      const y = top + i * cell;
      body += el('rect', { x, y, width: cell, height: cell, fill: hex(color) });
      const content = formatCell(value, fractions);
      let size = cellSize;
      while (size > 6 && textWidth(content, size) > cell - 4) size -= 0.5;
      if (size >= 7) {
        // Empty cells get a quiet grey so the eye goes to the mistakes and the diagonal.
        const fill = value === 0 ? '#a8a8a8' : contrastingText(color);
        body += text(x + cell / 2, y + cell / 2, content, { size, fill, weight: i === j ? 'bold' : 'normal' });
      }
    }
  }
  body += el('rect', { x: left, y: top, width: gridSize, height: gridSize, fill: 'none', stroke: AXIS });
  // Row (true) labels on the left, column (predicted) labels below.
  shownLabels.forEach((label, i) => {
    const center = i * cell + cell / 2;
    body += text(left - 8, top + center, label, { anchor: 'end', size: labelSize });
    if (rotateColumns) {
      body += text(left + center, top + gridSize + 8, label, {
        anchor: 'end',
        size: labelSize,
        rotate: -45,
        baseline: 'hanging',
      });
    } else {
      body += text(left + center, top + gridSize + 6 + labelSize / 2, label, { size: labelSize });
    }
  });
  body += text(left + gridSize / 2, top + gridSize + columnLabelHeight + 22, 'Predicted label', { size: 13, fill: INK });
  body += text(16, top + gridSize / 2, 'True label', { size: 13, fill: INK, rotate: -90 });

  // Colour bar: a vertical gradient from the map's end to its start, with value ticks.
  const gradientStops = Array.from({ length: 9 }, (_, k) =>
    el('stop', { offset: `${k * 12.5}%`, 'stop-color': hex(blues(1 - k / 8)) }),
  ).join('');
  body += `<defs>${el('linearGradient', { id: 'cm-bar', x1: 0, y1: 0, x2: 0, y2: 1 }, gradientStops)}</defs>`;
  body += el('rect', { x: colorBarX, y: top, width: colorBarWidth, height: gridSize, fill: 'url(#cm-bar)', stroke: AXIS });
  shownBarTicks.forEach((tick, k) => {
    const y = top + gridSize - (tick / maxValue) * gridSize;
    body += el('line', { x1: colorBarX + colorBarWidth, x2: colorBarX + colorBarWidth + 4, y1: y, y2: y, stroke: AXIS });
    body += text(colorBarX + colorBarWidth + 7, y, barLabels[k]!, { anchor: 'start', size: 11, fill: MUTED_INK });
  });
  return svgDocument(width, height, body, title);
}
