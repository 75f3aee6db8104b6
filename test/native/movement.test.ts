import { it } from 'vitest';
import type { PadMode, ReduceOp } from '../../src/backend/backend.js';
import type { TypedArray } from '../../src/tensor/dtype.js';
import { describeEachIsa, expectClose, expectEqual, js, type Rng, sizeOf } from './harness.js';

const REDUCE: ReduceOp[] = ['sum', 'mean', 'max', 'min', 'prod'];

function values(rng: Rng, n: number, int: boolean): TypedArray {
  return int ? rng.ints(n, -50, 50) : rng.floats(n);
}

function like(x: TypedArray, n: number): TypedArray {
  return x instanceof Int32Array ? new Int32Array(n) : new Float32Array(n);
}

describeEachIsa('native reductions and softmax', (native, makeRng) => {
  it('reduces any subset of axes (contiguous or not) like the reference', () => {
    const rng = makeRng();
    for (let trial = 0; trial < 80; trial++) {
      const shape = rng.shape(1, 5);
      const axes = shape.map((_, d) => d).filter(() => rng.bool());
      const outSize = sizeOf(shape.filter((_, d) => !axes.includes(d)));
      for (const op of REDUCE) {
        const x = op === 'prod' ? rng.floats(sizeOf(shape), 0.8, 1.2) : rng.floats(sizeOf(shape));
        const want = new Float32Array(outSize);
        const got = new Float32Array(outSize);
        js.reduce(op, x, shape, axes, want);
        native.reduce(op, x, shape, axes, got);
        expectClose(got, want, `${op} [${shape}] axes [${axes}]`);
      }
    }
  });

  it('reduces long rows and tall columns across threads', () => {
    const rng = makeRng();
    for (const [shape, axes] of [
      [[1, 200_003], [1]],
      [[50_000, 13], [0]],
      [[3, 20_000, 64], [1]],
      [
        [7, 33, 129],
        [0, 2],
      ],
    ] as [number[], number[]][]) {
      const x = rng.floats(sizeOf(shape));
      for (const op of ['sum', 'mean', 'max'] as ReduceOp[]) {
        const outSize = sizeOf(shape.filter((_, d) => !axes.includes(d)));
        const want = new Float32Array(outSize);
        const got = new Float32Array(outSize);
        js.reduce(op, x, shape, axes, want);
        native.reduce(op, x, shape, axes, got);
        expectClose(got, want, `${op} [${shape}] axes [${axes}]`);
      }
    }
  });

  it('finds the first arg max / arg min along any axis', () => {
    const rng = makeRng();
    for (let trial = 0; trial < 40; trial++) {
      const shape = rng.shape(1, 4);
      const axis = rng.int(0, shape.length - 1);
      const x = rng.floats(sizeOf(shape)).map((v) => Math.round(v));
      const outSize = sizeOf(shape) / (shape[axis] as number);
      for (const op of ['argmax', 'argmin'] as const) {
        const want = new Int32Array(outSize);
        const got = new Int32Array(outSize);
        js.argReduce(op, x, shape, axis, want);
        native.argReduce(op, x, shape, axis, got);
        expectEqual(got, want, `${op} [${shape}] axis ${axis}`);
      }
    }
  });

  it('computes softmax, logSoftmax and their gradients per row', () => {
    const rng = makeRng();
    for (const [rows, cols] of [
      [1, 1],
      [3, 7],
      [5, 16],
      [9, 17],
      [64, 10],
      [2, 1000],
      [300, 129],
    ] as [number, number][]) {
      const x = rng.floats(rows * cols, -20, 20);
      const dy = rng.floats(rows * cols);
      for (const log of [false, true]) {
        const want = new Float32Array(rows * cols);
        const got = new Float32Array(rows * cols);
        (log ? js.logSoftmax : js.softmax)(x, rows, cols, want);
        native[log ? 'logSoftmax' : 'softmax'](x, rows, cols, got);
        expectClose(got, want, `${log ? 'logSoftmax' : 'softmax'} ${rows}x${cols}`);
        const gWant = new Float32Array(rows * cols);
        const gGot = new Float32Array(rows * cols);
        (log ? js.logSoftmaxGrad : js.softmaxGrad)(want, dy, rows, cols, gWant);
        native[log ? 'logSoftmaxGrad' : 'softmaxGrad'](want, dy, rows, cols, gGot);
        expectClose(gGot, gWant, `${log ? 'logSoftmaxGrad' : 'softmaxGrad'} ${rows}x${cols}`);
      }
    }
  });
});

describeEachIsa('native data movement', (native, makeRng) => {
  it('transposes any permutation of float32 and int32 data', () => {
    const rng = makeRng();
    for (let trial = 0; trial < 40; trial++) {
      const shape = rng.shape(1, 5);
      const perm = shape.map((_, d) => d).sort(() => (rng.bool() ? 1 : -1));
      const x = values(rng, sizeOf(shape), rng.bool());
      const want = like(x, x.length);
      const got = like(x, x.length);
      js.transpose(x, shape, perm, want);
      native.transpose(x, shape, perm, got);
      expectEqual(got, want, `transpose [${shape}] perm [${perm}]`);
    }
  });

  it('slices with steps and assigns (or accumulates) slices back', () => {
    const rng = makeRng();
    for (let trial = 0; trial < 40; trial++) {
      const shape = rng.shape(1, 4, [1, 2, 5, 8, 13]);
      const step = shape.map(() => rng.int(1, 3));
      const begin = shape.map((d) => rng.int(0, d - 1));
      const size = shape.map((d, i) => rng.int(1, Math.floor((d - 1 - (begin[i] as number)) / (step[i] as number)) + 1));
      const int = rng.bool();
      const x = values(rng, sizeOf(shape), int);
      const want = like(x, sizeOf(size));
      const got = like(x, sizeOf(size));
      js.slice(x, shape, begin, size, step, want);
      native.slice(x, shape, begin, size, step, got);
      expectEqual(got, want, `slice [${shape}] begin [${begin}] size [${size}] step [${step}]`);
      for (const accumulate of [false, true]) {
        const src = values(rng, sizeOf(size), int);
        const dWant = x.slice();
        const dGot = x.slice();
        js.sliceAssign(dWant, shape, src, size, begin, step, accumulate);
        native.sliceAssign(dGot, shape, src, size, begin, step, accumulate);
        expectClose(dGot, dWant, `sliceAssign accumulate=${accumulate} [${shape}]`);
      }
    }
  });

  it('concatenates along every axis', () => {
    const rng = makeRng();
    for (let trial = 0; trial < 30; trial++) {
      const base = rng.shape(1, 4);
      const axis = rng.int(0, base.length - 1);
      const shapes = Array.from({ length: rng.int(1, 4) }, () => base.map((d, i) => (i === axis ? rng.int(0, 4) : d)));
      const int = rng.bool();
      const inputs = shapes.map((s) => values(rng, sizeOf(s), int));
      const outShape = base.map((d, i) => (i === axis ? shapes.reduce((a, s) => a + (s[i] as number), 0) : d));
      const want = like(inputs[0] as TypedArray, sizeOf(outShape));
      const got = like(inputs[0] as TypedArray, sizeOf(outShape));
      js.concat(inputs, shapes, axis, want);
      native.concat(inputs, shapes, axis, got);
      expectEqual(got, want, `concat axis ${axis} of ${JSON.stringify(shapes)}`);
    }
  });

  it('pads with constant, reflect and symmetric modes', () => {
    const rng = makeRng();
    for (let trial = 0; trial < 40; trial++) {
      const shape = rng.shape(1, 4, [1, 2, 3, 5, 7]);
      const mode = rng.pick<PadMode>(['constant', 'reflect', 'symmetric']);
      const paddings = shape.map((d) => {
        const limit = mode === 'reflect' ? d - 1 : mode === 'symmetric' ? d : 3;
        return [rng.int(0, limit), rng.int(0, limit)] as [number, number];
      });
      const int = rng.bool();
      const x = values(rng, sizeOf(shape), int);
      const outShape = shape.map((d, i) => d + (paddings[i] as [number, number])[0] + (paddings[i] as [number, number])[1]);
      const want = like(x, sizeOf(outShape));
      const got = like(x, sizeOf(outShape));
      js.pad(x, shape, paddings, mode, int ? 7 : 2.5, want);
      native.pad(x, shape, paddings, mode, int ? 7 : 2.5, got);
      expectEqual(got, want, `pad ${mode} [${shape}] ${JSON.stringify(paddings)}`);
    }
  });

  it('tiles, gathers, scatter-adds and one-hots', () => {
    const rng = makeRng();
    for (let trial = 0; trial < 30; trial++) {
      const shape = rng.shape(1, 4, [1, 2, 3, 5]);
      const int = rng.bool();
      const x = values(rng, sizeOf(shape), int);
      const reps = shape.map(() => rng.int(1, 3));
      const tWant = like(x, sizeOf(shape) * sizeOf(reps));
      const tGot = like(x, sizeOf(shape) * sizeOf(reps));
      js.tile(x, shape, reps, tWant);
      native.tile(x, shape, reps, tGot);
      expectEqual(tGot, tWant, `tile [${shape}] reps [${reps}]`);

      const axis = rng.int(0, shape.length - 1);
      const indices = rng.ints(rng.int(0, 6), 0, (shape[axis] as number) - 1);
      const gShape = shape.map((d, i) => (i === axis ? indices.length : d));
      const gWant = like(x, sizeOf(gShape));
      const gGot = like(x, sizeOf(gShape));
      js.gather(x, shape, indices, axis, gWant);
      native.gather(x, shape, indices, axis, gGot);
      expectEqual(gGot, gWant, `gather [${shape}] axis ${axis}`);

      const sWant = like(x, sizeOf(shape));
      const sGot = like(x, sizeOf(shape));
      js.scatterAdd(gWant, indices, axis, sWant, shape);
      native.scatterAdd(gWant, indices, axis, sGot, shape);
      expectClose(sGot, sWant, `scatterAdd [${shape}] axis ${axis}`);
    }
    const idx = Int32Array.of(0, 3, -1, 9, 2);
    for (const out of [new Float32Array(20), new Int32Array(20)]) {
      const want = out.slice();
      js.oneHot(idx, 4, 5, -1, want);
      native.oneHot(idx, 4, 5, -1, out);
      expectEqual(out, want, 'oneHot');
    }
  });
});
