/**
 * The shared Int32Array that carries shapes and integer parameters to the addon: written in
 * place for every call (no allocation), in the layouts native/src/bind_*.cc document.
 */
import type { Conv2DInfo } from '../backend.js';

export class MetaWriter {
  buf = new Int32Array(256);

  /** The buffer, grown (keeping what was written) to hold at least `size` entries. */
  ensure(size: number): Int32Array {
    if (this.buf.length < size) {
      const grown = new Int32Array(Math.max(size, this.buf.length * 2));
      grown.set(this.buf);
      this.buf = grown;
    }
    return this.buf;
  }

  /** Writes [rank, ...shape] at `at`; returns the next free position. */
  shape(at: number, shape: readonly number[]): number {
    const m = this.ensure(at + shape.length + 1);
    m[at++] = shape.length;
    for (let i = 0; i < shape.length; i++) m[at++] = shape[i] as number;
    return at;
  }

  /** Writes `values` at `at`; returns the next free position. */
  values(at: number, values: readonly number[]): number {
    const m = this.ensure(at + values.length);
    for (let i = 0; i < values.length; i++) m[at++] = values[i] as number;
    return at;
  }

  /** [inputs, rank0, ...shape0, rank1, ...shape1, (rank2, ...shape2), outRank, ...outShape] */
  broadcast(shapes: readonly (readonly number[])[], outShape: readonly number[]): Int32Array {
    this.buf[0] = shapes.length;
    let at = 1;
    for (const s of shapes) at = this.shape(at, s);
    this.shape(at, outShape);
    return this.buf;
  }

  /** The 17 fields of a Conv2DInfo, in declaration order. */
  geometry(info: Conv2DInfo): Int32Array {
    const m = this.buf;
    m[0] = info.batch;
    m[1] = info.inHeight;
    m[2] = info.inWidth;
    m[3] = info.inChannels;
    m[4] = info.outHeight;
    m[5] = info.outWidth;
    m[6] = info.outChannels;
    m[7] = info.filterHeight;
    m[8] = info.filterWidth;
    m[9] = info.strideHeight;
    m[10] = info.strideWidth;
    m[11] = info.dilationHeight;
    m[12] = info.dilationWidth;
    m[13] = info.padTop;
    m[14] = info.padLeft;
    m[15] = info.padBottom;
    m[16] = info.padRight;
    return m;
  }
}
