/** Shape arithmetic shared by ops, layers and backends. Pure functions over number arrays. */

export type Shape = readonly number[];

/**
 * Throws, naming the op and the dimension, unless every dimension is a non-negative safe integer
 * and the element count is a safe integer, and returns that count. A shape like [-2, -2] or [2.5]
 * would otherwise pass a size check (4 elements, or a fractional count) and let kernels read garbage.
 */
export function checkShape(shape: Shape, op: string): number {
  if (!Array.isArray(shape))
    throw new Error(`${op}: shape must be an array of non-negative integers, received ${String(shape)}.`);
  let size = 1;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
      throw new Error(
        `${op}: dimension ${i} of shape ${formatShape(shape)} is ${String(d)}; dimensions must be non-negative integers.`,
      );
    }
    size *= d;
  }
  if (!Number.isSafeInteger(size)) throw new Error(`${op}: shape ${formatShape(shape)} has too many elements (${size}).`);
  return size;
}

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i] as number;
  }
  return strides;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/** NumPy broadcasting of two shapes; throws naming the op when they are incompatible. */
export function broadcastShapes(a: Shape, b: Shape, op = 'broadcast'): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(
        `${op}: shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast together ` +
          `(dimension ${i - rank} is ${da} vs ${db}).`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Normalizes a possibly negative axis against a rank, with an error naming the op. */
export function normalizeAxis(axis: number, rank: number, op = 'op'): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= Math.max(rank, 1)) {
    throw new Error(`${op}: axis ${axis} is out of range for a tensor of rank ${rank}.`);
  }
  return a;
}

/** Sorted, de-duplicated, non-negative axes; `undefined` means all axes. */
export function normalizeAxes(axes: number | readonly number[] | undefined, rank: number, op = 'op'): number[] {
  if (axes === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axes === 'number' ? [axes] : axes;
  const set = new Set(list.map((a) => normalizeAxis(a, rank, op)));
  return [...set].sort((x, y) => x - y);
}

/** Resolves one -1 in a requested shape, checking the element count. */
export function inferReshape(size: number, shape: readonly number[], op = 'reshape'): number[] {
  let unknown = -1;
  let known = 1;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i] as number;
    if (d === -1) {
      if (unknown >= 0) throw new Error(`${op}: only one dimension can be -1, got ${formatShape(shape)}.`);
      unknown = i;
    } else if (!Number.isInteger(d) || d < 0) {
      throw new Error(`${op}: invalid dimension ${d} in ${formatShape(shape)}.`);
    } else known *= d;
  }
  const out = shape.slice();
  if (unknown >= 0) {
    if (known === 0 || size % known !== 0) {
      throw new Error(`${op}: cannot reshape a tensor of ${size} elements into ${formatShape(shape)}.`);
    }
    out[unknown] = size / known;
  } else if (known !== size) {
    throw new Error(`${op}: cannot reshape a tensor of ${size} elements into ${formatShape(shape)}.`);
  }
  return out;
}
