/**
 * Every native kernel on empty tensors (a 0-length axis in every position, empty batch, zero
 * channels, zero filters), under each instruction set, against the TypeScript reference backend.
 * Empty inputs can still make non-empty outputs (a sum over an empty axis, a convolution over zero
 * input channels is its bias), so outputs start as a sentinel and must match the reference
 * exactly where it wrote them. `npm run test:asan` runs this file under AddressSanitizer and
 * UndefinedBehaviorSanitizer, where a kernel that reads, writes or divides where it must not dies.
 */
import { expect, it } from 'vitest';
import type { ActivationOp, Backend, PadMode } from '../../src/backend/backend.js';
import { actCodes, binaryCodes, compareCodes, reduceCodes, unaryCodes } from '../../src/backend/native/addon.generated.js';
import * as capa from '../../src/index.js';
import type { TypedArray } from '../../src/tensor/dtype.js';
import { describeEachBackend } from '../helpers/backends.js';
import { describeCase, hostAccess, type RnnCase, rnnInputs, runRnnKernels } from '../helpers/rnn-kernels.js';
import { describeEachIsa, expectClose, js, Rng, sizeOf } from '../native/harness.js';
import {
  describeConv,
  EMPTY_CONVS,
  EMPTY_SHAPES,
  filled,
  floats,
  inputSize,
  keys,
  outputSize,
  permutations,
  subsets,
} from './helpers/empty-cases.js';

const ACTIVATIONS = keys(unaryCodes).filter((op): op is ActivationOp => unaryCodes[op] >= unaryCodes.linear);
const PAD_MODES: PadMode[] = ['constant', 'reflect', 'symmetric'];

/** The native backend's own controls, not kernels. */
const CONTROLS = new Set(['constructor', 'info', 'setIsa', 'setThreads']);

describeEachIsa('native kernels on empty tensors', (nativeBackend) => {
  // Records which kernels the cases below reach, so a kernel added without an empty case fails.
  const called = new Set<string>();
  const native = new Proxy(nativeBackend, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      called.add(String(key));
      return value.bind(target);
    },
  });

  /**
   * Runs `run` on both backends over fresh sentinel-filled outputs and compares what they return.
   * The reference refusing is fine as long as native refuses too.
   */
  function agree(what: string, run: (b: Backend) => TypedArray[], tol = 1e-6): void {
    let want: TypedArray[] | Error;
    try {
      want = run(js);
    } catch (error) {
      want = error as Error;
    }
    let got: TypedArray[] | Error;
    try {
      got = run(native);
    } catch (error) {
      got = error as Error;
    }
    if (want instanceof Error) {
      expect(got, `${what}: the reference throws "${want.message}"`).toBeInstanceOf(Error);
      return;
    }
    if (got instanceof Error) throw new Error(`${what}: native throws "${got.message}" where the reference computes`);
    for (const [i, w] of want.entries()) expectClose(got[i] as TypedArray, w, `${what} output ${i}`, tol);
  }

  it('elementwise: unary, activation gradients, binary, compare, select and cast of empty arrays', () => {
    const none = new Float32Array(0);
    for (const op of keys(unaryCodes)) {
      agree(`unary ${op}`, (b) => {
        const out = new Float32Array(0);
        b.unary(op, none, out, 0.5, 2);
        return [out];
      });
    }
    for (const op of ACTIVATIONS) {
      agree(`unaryGrad ${op}`, (b) => {
        const dx = new Float32Array(0);
        b.unaryGrad(op, none, none, none, dx, 0.2);
        return [dx];
      });
    }
    for (const shape of EMPTY_SHAPES) {
      // The other operand: the same shape, the same with broadcast (size-1) axes, the last axis alone, a scalar.
      const others = [shape, shape.map((d, i) => (i % 2 ? 1 : d)), shape.slice(-1), []];
      for (const other of others) {
        const a = floats(sizeOf(shape));
        const c = floats(sizeOf(other));
        for (const op of keys(binaryCodes)) {
          agree(`binary ${op} [${shape}] [${other}]`, (b) => {
            const out = filled(new Float32Array(sizeOf(shape)));
            b.binary(op, a, shape, c, other, out, shape);
            return [out];
          });
        }
        for (const op of keys(compareCodes)) {
          agree(`compare ${op} [${other}] [${shape}]`, (b) => {
            const out = filled(new Int32Array(sizeOf(shape)));
            b.compare(op, c, other, a, shape, out, shape);
            return [out];
          });
        }
        agree(`select [${other}] [${shape}]`, (b) => {
          const out = filled(new Int32Array(sizeOf(shape)));
          b.select(c, other, new Int32Array(sizeOf(shape)), shape, new Int32Array(sizeOf(other)), other, out, shape);
          return [out];
        });
      }
    }
    for (const [from, to] of [
      [none, new Int32Array(0)],
      [new Int32Array(0), none],
    ]) {
      agree(`cast ${from!.constructor.name} -> ${to!.constructor.name}`, (b) => {
        b.cast(from!, to!);
        return [to!];
      });
    }
  });

  it('reductions over every subset of axes, arg-reductions over every axis', () => {
    for (const shape of EMPTY_SHAPES) {
      const x = floats(sizeOf(shape));
      for (const axes of subsets(shape.length)) {
        const outSize = sizeOf(shape.filter((_, d) => !axes.includes(d)));
        for (const op of keys(reduceCodes)) {
          agree(`reduce ${op} [${shape}] axes [${axes}]`, (b) => {
            const out = filled(new Float32Array(outSize));
            b.reduce(op, x, shape, axes, out);
            return [out];
          });
        }
      }
      for (let axis = 0; axis < shape.length; axis++) {
        const outSize = sizeOf(shape.filter((_, d) => d !== axis));
        for (const op of ['argmax', 'argmin'] as const) {
          agree(`${op} [${shape}] axis ${axis}`, (b) => {
            const out = filled(new Int32Array(outSize));
            b.argReduce(op, x, shape, axis, out);
            return [out];
          });
        }
      }
    }
  });

  it('matmul with an empty batch, m, n or k (k = 0 leaves act(bias))', () => {
    for (const [batch, m, n, k] of [
      [0, 3, 4, 5],
      [2, 0, 4, 5],
      [2, 3, 0, 5],
      [2, 3, 4, 0],
      [2, 0, 0, 0],
      [1, 17, 33, 0],
    ] as const) {
      for (const activation of keys(actCodes)) {
        for (const [transposeA, transposeB] of [
          [false, false],
          [true, true],
        ]) {
          const a = floats(batch * m * k);
          const c = floats(batch * k * n);
          const bias = floats(n);
          agree(`matmul ${batch}x[${m}x${k}]x[${k}x${n}] ${activation} trans ${transposeA},${transposeB}`, (b) => {
            const out = filled(new Float32Array(batch * m * n));
            b.matmul(a, c, out, {
              batch,
              m,
              n,
              k,
              transposeA,
              transposeB,
              aBatchStride: m * k,
              bBatchStride: k * n,
              bias,
              activation,
            });
            return [out];
          });
        }
      }
    }
  });

  it('data movement: transpose, slice, sliceAssign, concat, pad, tile, gather, scatterAdd, oneHot', () => {
    for (const shape of EMPTY_SHAPES) {
      const n = sizeOf(shape);
      const x = floats(n);
      const rank = shape.length;
      for (const perm of permutations([...Array(rank).keys()])) {
        agree(`transpose [${shape}] perm [${perm}]`, (b) => {
          const out = filled(new Float32Array(n));
          b.transpose(x, shape, perm, out);
          return [out];
        });
      }
      const zeros = shape.map(() => 0);
      const ones = shape.map(() => 1);
      agree(`slice all of [${shape}]`, (b) => {
        const out = filled(new Float32Array(n));
        b.slice(x, shape, zeros, shape, ones, out);
        return [out];
      });
      // The non-empty box around it: slice an empty box out of it, assign an empty box into it.
      const full = shape.map((d) => d || 3);
      const fx = floats(sizeOf(full));
      agree(`slice [${shape}] out of [${full}]`, (b) => {
        const out = filled(new Float32Array(n));
        b.slice(fx, full, zeros, shape, ones, out);
        return [out];
      });
      for (const accumulate of [false, true]) {
        agree(`sliceAssign [${shape}] into [${full}] accumulate ${accumulate}`, (b) => {
          const dst = fx.slice();
          b.sliceAssign(dst, full, x, shape, zeros, ones, accumulate);
          return [dst];
        });
      }
      for (let axis = 0; axis < rank; axis++) {
        // Concatenate the empty tensor with a non-empty one along each axis it may join.
        const other = shape.map((d, i) => (i === axis ? 2 : d));
        const out = shape.map((d, i) => (i === axis ? d + 2 : d));
        const y = floats(sizeOf(other));
        agree(`concat [${shape}] [${other}] axis ${axis}`, (b) => {
          const o = filled(new Float32Array(sizeOf(out)));
          b.concat([x, y, x], [shape, other, shape], axis, o);
          return [o];
        });
      }
      for (const mode of PAD_MODES) {
        // reflect needs before, after <= n - 1, symmetric <= n: an empty axis takes no padding there.
        const paddings = shape.map((d) => (mode === 'constant' || d > 1 ? [1, 1] : [0, 0]) as [number, number]);
        const out = shape.map((d, i) => d + paddings[i]![0] + paddings[i]![1]);
        agree(`pad ${mode} [${shape}] by [${paddings.join('; ')}]`, (b) => {
          const o = filled(new Float32Array(sizeOf(out)));
          b.pad(x, shape, paddings, mode, 2.5, o);
          return [o];
        });
      }
      const reps = shape.map((_, i) => i + 1);
      agree(`tile [${shape}] by [${reps}]`, (b) => {
        const o = filled(new Float32Array(n));
        b.tile(x, shape, reps, o);
        return [o];
      });
      const fullReps = full.map((_, i) => (shape[i] === 0 ? 0 : 2));
      agree(`tile [${full}] by [${fullReps}]`, (b) => {
        const o = filled(new Float32Array(sizeOf(full.map((d, i) => d * fullReps[i]!))));
        b.tile(fx, full, fullReps, o);
        return [o];
      });
      for (let axis = 0; axis < rank; axis++) {
        // Indices along a non-empty axis may be taken; along an empty one only none.
        const indices = shape[axis] ? Int32Array.from([shape[axis]! - 1, 0, 0]) : new Int32Array(0);
        const out = shape.map((d, i) => (i === axis ? indices.length : d));
        agree(`gather [${shape}] axis ${axis} indices [${indices}]`, (b) => {
          const o = filled(new Float32Array(sizeOf(out)));
          b.gather(x, shape, indices, axis, o);
          return [o];
        });
        agree(`scatterAdd into [${shape}] axis ${axis} indices [${indices}]`, (b) => {
          const o = new Float32Array(n);
          b.scatterAdd(floats(sizeOf(out)), indices, axis, o, shape);
          return [o];
        });
      }
    }
    for (const [indices, depth] of [
      [[], 4],
      [[0, 2, 5], 0],
      [[], 0],
    ] as const) {
      agree(`oneHot [${indices}] depth ${depth}`, (b) => {
        const out = filled(new Float32Array(indices.length * depth));
        b.oneHot(Int32Array.from(indices), depth, 1, 0, out);
        return [out];
      });
    }
  });

  it('softmax, logSoftmax and their gradients over empty rows or columns', () => {
    for (const [rows, cols] of [
      [0, 5],
      [3, 0],
      [0, 0],
    ] as const) {
      const x = floats(rows * cols);
      for (const log of [false, true]) {
        agree(`${log ? 'logSoftmax' : 'softmax'} ${rows}x${cols}`, (b) => {
          const out = filled(new Float32Array(rows * cols));
          (log ? b.logSoftmax : b.softmax).call(b, x, rows, cols, out);
          const dx = filled(new Float32Array(rows * cols));
          (log ? b.logSoftmaxGrad : b.softmaxGrad).call(b, out, x, rows, cols, dx);
          return [out, dx];
        });
      }
    }
  });

  it('convolutions and their gradients with an empty batch, image, input or output channels', () => {
    for (const g of EMPTY_CONVS) {
      const what = describeConv(g);
      const x = floats(inputSize(g));
      const dy = floats(outputSize(g));
      const filter = floats(g.filterHeight * g.filterWidth * g.inChannels * g.outChannels);
      const bias = floats(g.outChannels);
      for (const activation of keys(actCodes)) {
        agree(`conv2d ${what} bias ${activation}`, (b) => {
          const out = filled(new Float32Array(outputSize(g)));
          b.conv2d(x, filter, out, g, bias, activation);
          return [out];
        });
      }
      agree(`conv2d ${what}`, (b) => {
        const out = filled(new Float32Array(outputSize(g)));
        b.conv2d(x, filter, out, g);
        return [out];
      });
      agree(`conv2dBackpropInput ${what}`, (b) => {
        const dx = filled(new Float32Array(inputSize(g)));
        b.conv2dBackpropInput(dy, filter, dx, g);
        return [dx];
      });
      agree(`conv2dBackpropFilter ${what}`, (b) => {
        const df = filled(new Float32Array(filter.length));
        b.conv2dBackpropFilter(x, dy, df, g);
        return [df];
      });
    }
  });

  it('depthwise convolutions and their gradients with an empty batch, image, channels or multiplier', () => {
    for (const base of EMPTY_CONVS) {
      for (const multiplier of [0, 2]) {
        const g = { ...base, outChannels: base.inChannels * multiplier };
        const what = `${describeConv(g)} multiplier ${multiplier}`;
        const x = floats(inputSize(g));
        const dy = floats(outputSize(g));
        const filter = floats(g.filterHeight * g.filterWidth * g.outChannels);
        agree(`depthwiseConv2d ${what}`, (b) => {
          const out = filled(new Float32Array(outputSize(g)));
          b.depthwiseConv2d(x, filter, out, g);
          return [out];
        });
        agree(`depthwiseConv2dBackpropInput ${what}`, (b) => {
          const dx = filled(new Float32Array(inputSize(g)));
          b.depthwiseConv2dBackpropInput(dy, filter, dx, g);
          return [dx];
        });
        agree(`depthwiseConv2dBackpropFilter ${what}`, (b) => {
          const df = filled(new Float32Array(filter.length));
          b.depthwiseConv2dBackpropFilter(x, dy, df, g);
          return [df];
        });
      }
    }
  });

  it('pooling and its gradients with an empty batch, image or channels', () => {
    for (const base of EMPTY_CONVS) {
      const g = { ...base, outChannels: base.inChannels };
      const what = describeConv(g);
      const x = floats(inputSize(g));
      const dy = floats(outputSize(g));
      for (const average of [false, true]) {
        const name = average ? 'avgPool2d' : 'maxPool2d';
        agree(`${name} ${what}`, (b) => {
          const out = filled(new Float32Array(outputSize(g)));
          (average ? b.avgPool2d : b.maxPool2d).call(b, x, out, g);
          const dx = filled(new Float32Array(inputSize(g)));
          if (average) b.avgPool2dGrad(dy, dx, g);
          else b.maxPool2dGrad(x, dy, dx, g);
          return [out, dx];
        });
      }
    }
  });

  it('batch and layer normalization with no rows or no channels, optimizer steps on empty parameters', () => {
    for (const [rows, channels] of [
      [0, 3],
      [4, 0],
      [0, 0],
    ] as const) {
      const n = rows * channels;
      const x = floats(n);
      const dy = floats(n);
      const stats = () => floats(channels).map(Math.abs);
      for (const affine of [false, true]) {
        const gamma = affine ? stats() : null;
        const beta = affine ? floats(channels) : null;
        const what = `${rows} rows x ${channels} channels${affine ? ' with gamma, beta' : ''}`;
        agree(`batchNormInference ${what}`, (b) => {
          const out = filled(new Float32Array(n));
          b.batchNormInference(x, floats(channels), stats(), gamma, beta, 1e-3, channels, out);
          return [out];
        });
        agree(`batchNormTraining ${what}`, (b) => {
          const out = filled(new Float32Array(n));
          const mean = filled(new Float32Array(channels));
          const variance = filled(new Float32Array(channels));
          b.batchNormTraining(x, gamma, beta, 1e-3, channels, out, mean, variance);
          return [out, mean, variance];
        });
        agree(`batchNormGrad ${what}`, (b) => {
          const dx = filled(new Float32Array(n));
          const dGamma = filled(new Float32Array(channels));
          const dBeta = filled(new Float32Array(channels));
          b.batchNormGrad(x, dy, floats(channels), stats(), gamma, 1e-3, channels, dx, dGamma, dBeta);
          return [dx, dGamma, dBeta];
        });
      }
    }
    // Layer normalization: no rows (nothing written), or empty rows (mean 0, rstd 1/sqrt(eps)).
    for (const [rows, cols] of [
      [0, 3],
      [4, 0],
      [0, 0],
    ] as const) {
      const n = rows * cols;
      const x = floats(n);
      const dy = floats(n);
      for (const affine of [false, true]) {
        const gamma = affine ? floats(cols) : null;
        const beta = affine ? floats(cols) : null;
        const what = `${rows} rows x ${cols} cols${affine ? ' with gamma, beta' : ''}`;
        agree(`layerNorm ${what}`, (b) => {
          const out = filled(new Float32Array(n));
          const mean = filled(new Float32Array(rows));
          const rstd = filled(new Float32Array(rows));
          b.layerNorm(x, gamma, beta, 1e-3, rows, cols, out, mean, rstd);
          return [out, mean, rstd];
        });
        agree(`layerNormGrad ${what}`, (b) => {
          const dx = filled(new Float32Array(n));
          const dGamma = filled(new Float32Array(cols));
          const dBeta = filled(new Float32Array(cols));
          b.layerNormGrad(x, dy, floats(rows), floats(rows), gamma, rows, cols, dx, dGamma, dBeta);
          return [dx, dGamma, dBeta];
        });
      }
    }
    const none = () => new Float32Array(0);
    agree('sgdUpdate', (b) => {
      const p = none();
      b.sgdUpdate(p, none(), null, 0.1, 0, false);
      b.sgdUpdate(p, none(), none(), 0.1, 0.9, true);
      return [p];
    });
    agree('adamUpdate', (b) => {
      const p = none();
      b.adamUpdate(p, none(), none(), none(), null, 0.1, 0.9, 0.999, 1e-7);
      b.adamUpdate(p, none(), none(), none(), none(), 0.1, 0.9, 0.999, 1e-7);
      return [p];
    });
    // the updates the native backend runs with the js loops (BaseBackend's contract, issue 11)
    agree('other optimizer updates and clipping', (b) => {
      const p = none();
      b.adagradUpdate(p, none(), none(), 0.1, 1e-7);
      b.adadeltaUpdate(p, none(), none(), none(), 1, 0.95, 1e-7);
      b.adamaxUpdate(p, none(), none(), none(), 0.1, 0.9, 0.999, 1e-7, 1);
      b.nadamUpdate(p, none(), none(), none(), {
        learningRate: 0.1,
        beta1: 0.9,
        beta2: 0.999,
        epsilon: 1e-7,
        momentum: 0.5,
        nextMomentum: 0.5,
        momentumProduct: 0.5,
        nextMomentumProduct: 0.25,
        beta2Power: 0.999,
      });
      b.rmspropUpdate(p, none(), none(), none(), none(), 0.1, 0.9, 0.9, 1e-7);
      b.weightDecayUpdate(p, 0.99);
      const clipped = none();
      b.clipByValue(none(), 1, clipped);
      b.clipByNorm(none(), 1, clipped);
      b.clipByGlobalNorm([none(), none()], 1, [clipped, none()]);
      return [p, clipped];
    });
  });

  it('recurrent kernels over an empty batch, no units or no steps', () => {
    const rng = new Rng(7);
    for (const kind of ['lstm', 'gru', 'simple'] as const) {
      for (const [batch, steps, units] of [
        [0, 3, 4],
        [2, 3, 0],
        [2, 0, 4],
        [0, 0, 0],
      ] as const) {
        for (const masked of [false, true]) {
          const c: RnnCase = {
            kind,
            info: { batch, steps, units, goBackwards: masked, zeroOutputForMask: masked },
            masked,
            resetAfter: !masked,
            bias: true,
            activation: masked ? 'relu' : 'tanh',
          };
          const inputs = rnnInputs(c, rng);
          agree(describeCase(c), (b) => Object.values(runRnnKernels(b, hostAccess, c, inputs)));
        }
      }
    }
  });

  it('reaches every kernel of the native backend', () => {
    const kernels = Object.getOwnPropertyNames(Object.getPrototypeOf(nativeBackend)).filter((k) => !CONTROLS.has(k));
    expect(kernels.filter((k) => !called.has(k))).toEqual([]);
  });
});

// The probe through the public API: reductions over non-adjacent axes of a tensor with a
// 0-length axis divided by zero in the native transpose (walk_rows) that gathers the reduced axes.
describeEachBackend('reductions over non-adjacent axes of an empty tensor', () => {
  it('sum, min, max and mean of zeros([0, 3, 4]) over axes [0, 2] give the empty reduction of each op', () => {
    const x = capa.zeros([0, 3, 4]);
    expect(Array.from(capa.ops.sum(x, [0, 2]).dataSync())).toEqual([0, 0, 0]);
    expect(Array.from(capa.ops.max(x, [0, 2]).dataSync())).toEqual([-Infinity, -Infinity, -Infinity]);
    expect(Array.from(capa.ops.min(x, [0, 2]).dataSync())).toEqual([Infinity, Infinity, Infinity]);
    expect(capa.ops.mean(x, [0, 2]).dataSync().every(Number.isNaN)).toBe(true);
    expect(capa.ops.sum(capa.zeros([2, 0, 4, 5]), [1, 3]).shape).toEqual([2, 4]);
  });
});

describeEachBackend('arg-reductions over an empty axis', () => {
  it('refuse it, naming the axis and the shape, and reduce over other axes of an empty tensor', () => {
    expect(() => capa.ops.argmax(capa.zeros([2, 0]))).toThrow(/argmax: axis 1 of shape \[2,0\] is empty/);
    expect(() => capa.ops.argmin(capa.zeros([0, 3]), 0)).toThrow(/argmin: axis 0 of shape \[0,3\] is empty/);
    expect(capa.ops.argmax(capa.zeros([0, 3])).shape).toEqual([0]);
  });
});
