import type { DType, TypedArray } from './dtype.js';
import { formatShape } from './shape.js';

const SUMMARIZE_OVER = 1000;
const EDGE_ITEMS = 3;

/** NumPy-like rendering: nested brackets, aligned columns, long axes elided with `...`. */
export function formatTensor(values: TypedArray, shape: readonly number[], dtype: DType): string {
  const header = `Tensor(shape=${formatShape(shape)}, dtype=${dtype})`;
  if (shape.length === 0) return `${header}\n${formatNumber(values[0] as number, dtype)}`;
  const summarize = values.length > SUMMARIZE_OVER;
  const cells: string[] = [];
  collectCells(values, shape, 0, 0, summarize, cells, dtype);
  const width = cells.reduce((w, c) => Math.max(w, c.length), 0);
  let cellIndex = 0;
  const render = (dim: number, offset: number, indent: string): string => {
    const n = shape[dim] as number;
    const stride = strideAt(shape, dim);
    const idx = visibleIndices(n, summarize);
    if (dim === shape.length - 1) {
      const parts = idx.map((i) => (i < 0 ? '...' : (cells[cellIndex++] as string).padStart(width)));
      return `[${parts.join(', ')}]`;
    }
    const sep = `,${'\n'.repeat(shape.length - 1 - dim)}${indent} `;
    const parts = idx.map((i) => (i < 0 ? '...' : render(dim + 1, offset + i * stride, `${indent} `)));
    return `[${parts.join(sep)}]`;
  };
  return `${header}\n${render(0, 0, '')}`;
}

function collectCells(
  values: TypedArray,
  shape: readonly number[],
  dim: number,
  offset: number,
  summarize: boolean,
  out: string[],
  dtype: DType,
): void {
  const n = shape[dim] as number;
  const stride = strideAt(shape, dim);
  for (const i of visibleIndices(n, summarize)) {
    if (i < 0) continue;
    if (dim === shape.length - 1) out.push(formatNumber(values[offset + i] as number, dtype));
    else collectCells(values, shape, dim + 1, offset + i * stride, summarize, out, dtype);
  }
}

function strideAt(shape: readonly number[], dim: number): number {
  let s = 1;
  for (let i = dim + 1; i < shape.length; i++) s *= shape[i] as number;
  return s;
}

/** Indices to show along an axis; -1 marks the elision. */
function visibleIndices(n: number, summarize: boolean): number[] {
  if (!summarize || n <= 2 * EDGE_ITEMS) return Array.from({ length: n }, (_, i) => i);
  const head = Array.from({ length: EDGE_ITEMS }, (_, i) => i);
  const tail = Array.from({ length: EDGE_ITEMS }, (_, i) => n - EDGE_ITEMS + i);
  return [...head, -1, ...tail];
}

function formatNumber(v: number, dtype: DType): string {
  if (dtype === 'int32') return String(v);
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (Number.isInteger(v) && Math.abs(v) < 1e7) return `${v}.`;
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-4 || a >= 1e7)) return v.toExponential(4);
  return Number(v.toPrecision(7)).toString();
}
