/**
 * What the recurrent defaults (rnn.ts) share, in primitives: the step-to-time order, per-step views
 * of [batch, steps, width] and [steps, batch, width] tensors, and the mask (`RnnInfo`, backend.ts).
 * Every helper returns fresh storage, so the defaults read as formulas.
 */
import type { MatmulArgs, RequiredPrimitives, RnnInfo, Storage } from '../backend.js';
import { allocF32, allocI32, scalar } from './elementwise.js';
import { concat } from './layout.js';

/** op(a) · op(c) for single matrices: [m, n]. */
export function product(
  b: RequiredPrimitives,
  a: Storage,
  c: Storage,
  m: number,
  n: number,
  k: number,
  transposeA = false,
  transposeB = false,
): Storage {
  const out = allocF32(b, m * n);
  const args: MatmulArgs = { batch: 1, m, n, k, transposeA, transposeB, aBatchStride: 0, bBatchStride: 0 };
  b.matmul(a, c, out, args);
  return out;
}

/** Columns [first, first + count) of x [rows, width]. */
export function columns(b: RequiredPrimitives, x: Storage, rows: number, width: number, first: number, count: number): Storage {
  const out = allocF32(b, rows * count);
  b.slice(x, [rows, width], [0, first], [rows, count], [1, 1], out);
  return out;
}

/** Blocks of `count` columns side by side: [rows, parts.length · count]. */
export function joinColumns(b: RequiredPrimitives, parts: readonly Storage[], rows: number, count: number): Storage {
  const out = allocF32(b, rows * count * parts.length);
  concat(
    b,
    parts,
    parts.map(() => [rows, count]),
    1,
    out,
  );
  return out;
}

export class RnnSteps {
  /** int32 [batch, steps]: 1 where the mask keeps the step. */
  private readonly keepMask: Storage | null;

  constructor(
    private readonly b: RequiredPrimitives,
    private readonly info: RnnInfo,
    mask: Storage | null,
  ) {
    const { batch, steps } = info;
    this.keepMask = mask === null ? null : allocI32(b, batch * steps);
    if (mask !== null && this.keepMask !== null) {
      b.compare('notEqual', mask, [batch, steps], scalar(b, 0), [], this.keepMask, [batch, steps]);
    }
  }

  /** The time index step s reads. */
  time(s: number): number {
    return this.info.goBackwards ? this.info.steps - 1 - s : s;
  }

  /** int32 [batch, 1] keep flags of time t, or null without a mask. */
  keep(t: number): Storage | null {
    if (this.keepMask === null) return null;
    const { batch, steps } = this.info;
    const out = allocI32(this.b, batch);
    this.b.slice(this.keepMask, [batch, steps], [0, t], [batch, 1], [1, 1], out);
    return out;
  }

  /** Rows the mask keeps from `kept`, the others from `carried` ([batch, width] each). */
  carry(keep: Storage | null, kept: Storage, carried: Storage, width: number): Storage {
    if (keep === null) return kept;
    const shape = [this.info.batch, width];
    const out = allocF32(this.b, this.info.batch * width);
    this.b.select(keep, [this.info.batch, 1], kept, shape, carried, shape, out, shape);
    return out;
  }

  /** x with the masked rows zeroed (a select: a mask times a value would turn Infinity into NaN). */
  keepRows(keep: Storage | null, x: Storage, width: number): Storage {
    if (keep === null) return x;
    const shape = [this.info.batch, width];
    const out = allocF32(this.b, this.info.batch * width);
    this.b.select(keep, [this.info.batch, 1], x, shape, scalar(this.b, 0), [], out, shape);
    return out;
  }

  /** x[:, t] of x [batch, steps, width]: [batch, width]. */
  input(x: Storage, width: number, t: number): Storage {
    const { batch, steps } = this.info;
    const out = allocF32(this.b, batch * width);
    this.b.slice(x, [batch, steps, width], [0, t, 0], [batch, 1, width], [1, 1, 1], out);
    return out;
  }

  /** dst[:, t] = v, dst [batch, steps, width]. */
  writeTime(dst: Storage, width: number, t: number, v: Storage): void {
    const { batch, steps } = this.info;
    this.b.sliceAssign(dst, [batch, steps, width], v, [batch, 1, width], [0, t, 0], [1, 1, 1], false);
  }

  /** states[index] of states [count, batch, width]. */
  readState(states: Storage, count: number, index: number, width: number): Storage {
    const { batch } = this.info;
    const out = allocF32(this.b, batch * width);
    this.b.slice(states, [count, batch, width], [index, 0, 0], [1, batch, width], [1, 1, 1], out);
    return out;
  }

  /** states[index] = v, states [count, batch, width]. */
  writeState(states: Storage, count: number, index: number, v: Storage, width: number): void {
    const { batch } = this.info;
    this.b.sliceAssign(states, [count, batch, width], v, [1, batch, width], [index, 0, 0], [1, 1, 1], false);
  }

  /** sequences[:, s] = step s's output h (after carry: a masked row repeats its previous output), or 0 there with zeroOutputForMask. */
  writeOutput(sequences: Storage, s: number, keep: Storage | null, h: Storage): void {
    const units = this.info.units;
    this.writeTime(sequences, units, s, this.info.zeroOutputForMask ? this.keepRows(keep, h, units) : h);
  }

  /** The gradient of step s's output that reaches its h: none on the zeroed outputs of zeroOutputForMask. */
  outputGrad(dSequences: Storage, s: number, keep: Storage | null): Storage {
    const dy = this.input(dSequences, this.info.units, s);
    return this.info.zeroOutputForMask ? this.keepRows(keep, dy, this.info.units) : dy;
  }
}
