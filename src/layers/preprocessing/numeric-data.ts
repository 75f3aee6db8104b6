/**
 * The data `adapt` takes for numeric preprocessing layers (Keras: an array, a tensor, or a
 * dataset): a Tensor, (nested) number arrays, or an iterable / async iterable of batches, where
 * a batch may be an [x, y] tuple (adapt learns from x). All are gathered as float32 Tensors.
 */
import { Tensor } from '../../tensor/tensor.js';

export type NumericArray = number[] | number[][] | number[][][] | number[][][][];
export type NumericData = Tensor | NumericArray | Iterable<unknown>;

function nestedShape(x: unknown): number[] {
  const shape: number[] = [];
  let cur = x;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    cur = cur[0];
  }
  return shape;
}

export function toTensor(x: unknown, who: string): Tensor {
  if (x instanceof Tensor) return x;
  if (Array.isArray(x)) {
    const shape = nestedShape(x);
    const flat = (x as unknown[]).flat(shape.length) as unknown[];
    if (flat.length !== shape.reduce((a, b) => a * b, 1) || !flat.every((v) => typeof v === 'number')) {
      throw new Error(`${who}: expected numbers in a rectangular nested array of shape [${shape.join(', ')}].`);
    }
    return new Tensor(Float32Array.from(flat as number[]), shape);
  }
  throw new Error(`${who}: expected a Tensor or an array of numbers, received ${x === null ? 'null' : typeof x}.`);
}

function xOf(batch: unknown): unknown {
  return Array.isArray(batch) && batch.length >= 2 && batch.length <= 3 && batch[0] instanceof Tensor ? batch[0] : batch;
}

/** Gathers the batches of `data` and hands them to `finish` (awaiting async iterables). */
export function flattenBatches(data: unknown, who: string, finish: (batches: Tensor[]) => void): void | Promise<void> {
  // one batch: a Tensor or a nested array of numbers; otherwise an iterable of batches
  if (data instanceof Tensor || (Array.isArray(data) && typeof nestedLeaf(data) === 'number'))
    return finish([toTensor(data, who)]);
  if (data && typeof (data as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    return (async () => {
      const batches: Tensor[] = [];
      for await (const b of data as AsyncIterable<unknown>) batches.push(toTensor(xOf(b), who));
      finish(batches);
    })();
  }
  if (data && typeof (data as Iterable<unknown>)[Symbol.iterator] === 'function') {
    const batches: Tensor[] = [];
    for (const b of data as Iterable<unknown>) batches.push(toTensor(xOf(b), who));
    return finish(batches);
  }
  throw new Error(`${who}: adapt() takes a Tensor, an array of numbers or an iterable of batches, received ${typeof data}.`);
}

function nestedLeaf(x: unknown): unknown {
  let cur = x;
  while (Array.isArray(cur)) cur = cur[0];
  return cur;
}
