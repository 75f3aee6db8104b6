import { it } from 'vitest';
import type { Backend, Conv2DInfo, FusedActivation } from '../../src/backend/backend.js';
import { abs, describeEachIsa, describeGeometry, expectCloseScaled, js, type Rng, randomGeometry } from './harness.js';

const ACTS: (FusedActivation | undefined)[] = [undefined, 'linear', 'relu', 'relu6', 'sigmoid', 'tanh'];
const DIMS = [1, 2, 3, 7, 13, 14, 15, 16, 17, 31, 32, 33, 65];

interface MatmulCase {
  batch: number;
  m: number;
  n: number;
  k: number;
  transposeA: boolean;
  transposeB: boolean;
  broadcastA: boolean;
  broadcastB: boolean;
  bias: boolean;
  activation: FusedActivation | undefined;
}

function checkMatmul(native: { matmul: typeof js.matmul }, rng: Rng, c: MatmulCase): void {
  const a = rng.floats((c.broadcastA ? 1 : c.batch) * c.m * c.k, -1, 1);
  const b = rng.floats((c.broadcastB ? 1 : c.batch) * c.k * c.n, -1, 1);
  const bias = c.bias ? rng.floats(c.n) : undefined;
  const args = {
    batch: c.batch,
    m: c.m,
    n: c.n,
    k: c.k,
    transposeA: c.transposeA,
    transposeB: c.transposeB,
    aBatchStride: c.broadcastA ? 0 : c.m * c.k,
    bBatchStride: c.broadcastB ? 0 : c.k * c.n,
    bias,
    activation: c.activation,
  };
  const want = new Float32Array(c.batch * c.m * c.n);
  const got = new Float32Array(c.batch * c.m * c.n).fill(Number.NaN);
  js.matmul(a, b, want, args);
  native.matmul(a, b, got, args);
  const magnitude = new Float32Array(want.length);
  js.matmul(abs(a), abs(b), magnitude, { ...args, bias: bias ? abs(bias) : undefined, activation: undefined });
  expectCloseScaled(got, want, magnitude, `matmul ${JSON.stringify(c)}`);
}

function convArrays(rng: Rng, g: Conv2DInfo, depthwise = false) {
  const xSize = g.batch * g.inHeight * g.inWidth * g.inChannels;
  const ySize = g.batch * g.outHeight * g.outWidth * g.outChannels;
  const fSize = g.filterHeight * g.filterWidth * (depthwise ? g.outChannels : g.inChannels * g.outChannels);
  return { x: rng.floats(xSize, -1, 1), f: rng.floats(fSize, -1, 1), dy: rng.floats(ySize, -1, 1), xSize, ySize, fSize };
}

/** Runs one conv-family kernel on both backends and compares against |x|*|f| magnitudes. */
function compareConv(
  name: string,
  run: (backend: Backend, a: Float32Array, b: Float32Array, out: Float32Array) => void,
  native: Backend,
  a: Float32Array,
  b: Float32Array,
  size: number,
  what: string,
): void {
  const want = new Float32Array(size);
  const got = new Float32Array(size).fill(Number.NaN);
  const magnitude = new Float32Array(size);
  run(js, a, b, want);
  run(native, a, b, got);
  run(js, abs(a), abs(b), magnitude);
  expectCloseScaled(got, want, magnitude, `${name} ${what}`);
}

describeEachIsa('native matmul', (native, makeRng) => {
  it('matches the reference on odd sizes, transposes, batch broadcasting, bias and activations', () => {
    const rng = makeRng();
    for (let trial = 0; trial < 150; trial++) {
      checkMatmul(native, rng, {
        batch: rng.pick([1, 1, 2, 3]),
        m: rng.pick(DIMS),
        n: rng.pick(DIMS),
        k: rng.pick(DIMS),
        transposeA: rng.bool(),
        transposeB: rng.bool(),
        broadcastA: rng.bool(),
        broadcastB: rng.bool(),
        bias: rng.bool(),
        activation: rng.pick(ACTS),
      });
    }
  });

  it('covers cache blocking, small-M, K-split and threaded paths', () => {
    const rng = makeRng();
    const base = { batch: 1, transposeA: false, transposeB: false, broadcastA: false, broadcastB: false, bias: true };
    for (const [m, n, k, transposeA, transposeB] of [
      [300, 200, 600, false, false], // several row blocks and K blocks, prepacked B
      [400, 1100, 300, false, false], // many column panels and an edge panel over several row blocks, threaded
      [1, 700, 513, false, false], // small M reads B in place
      [4, 100, 300, false, true], // small M with a transposed B
      [20, 30, 5000, true, false], // long K, small output: split across threads
      [37, 1000, 70, false, false], // few rows, many column panels
      [500, 3, 40, true, true],
    ] as [number, number, number, boolean, boolean][]) {
      checkMatmul(native, rng, { ...base, m, n, k, transposeA, transposeB, activation: 'relu' });
    }
    checkMatmul(native, rng, { ...base, batch: 40, m: 9, n: 11, k: 5, activation: undefined, bias: false });
  });

  it('writes zeros (plus bias) when k is 0', () => {
    const rng = makeRng();
    checkMatmul(native, rng, {
      batch: 1,
      m: 3,
      n: 5,
      k: 0,
      transposeA: false,
      transposeB: false,
      broadcastA: false,
      broadcastB: false,
      bias: true,
      activation: 'relu',
    });
  });
});

describeEachIsa('native conv2d', (native, makeRng) => {
  function checkConv(rng: Rng, g: Conv2DInfo, act: FusedActivation | undefined, withBias: boolean): void {
    const { x, f, dy, xSize, ySize, fSize } = convArrays(rng, g);
    const what = describeGeometry(g);
    const bias = withBias ? rng.floats(g.outChannels) : undefined;
    const want = new Float32Array(ySize);
    const got = new Float32Array(ySize).fill(Number.NaN);
    const magnitude = new Float32Array(ySize);
    js.conv2d(x, f, want, g, bias, act);
    native.conv2d(x, f, got, g, bias, act);
    js.conv2d(abs(x), abs(f), magnitude, g, bias ? abs(bias) : undefined);
    expectCloseScaled(got, want, magnitude, `conv2d ${what} ${act}`);
    compareConv('conv2dBackpropInput', (b, dyv, fv, out) => b.conv2dBackpropInput(dyv, fv, out, g), native, dy, f, xSize, what);
    compareConv('conv2dBackpropFilter', (b, xv, dyv, out) => b.conv2dBackpropFilter(xv, dyv, out, g), native, x, dy, fSize, what);
  }

  it('forward, input gradient and filter gradient match the reference on random geometry', () => {
    const rng = makeRng();
    for (let trial = 0; trial < 120; trial++) checkConv(rng, randomGeometry(rng), rng.pick(ACTS), rng.bool());
  });

  it('takes the direct paths (patches read in place) on random geometry with many channels', () => {
    const rng = makeRng();
    for (let trial = 0; trial < 16; trial++) {
      const g = randomGeometry(rng, { maxHW: 8 });
      const inChannels = rng.pick([32, 64]);
      const outChannels = rng.pick([7, 32, 45, 64, 150]);
      checkConv(rng, { ...g, inChannels, outChannels }, rng.pick(ACTS), rng.bool());
    }
  });

  it('handles layer-sized problems (threads, 1x1, strided input gradient by image)', () => {
    const rng = makeRng();
    const base = { dilationHeight: 1, dilationWidth: 1 };
    const cases: Conv2DInfo[] = [
      // 3x3 same, 64 channels
      {
        ...base,
        batch: 2,
        inHeight: 14,
        inWidth: 14,
        inChannels: 64,
        outHeight: 14,
        outWidth: 14,
        outChannels: 64,
        filterHeight: 3,
        filterWidth: 3,
        strideHeight: 1,
        strideWidth: 1,
        padTop: 1,
        padLeft: 1,
        padBottom: 1,
        padRight: 1,
      },
      // 1x1 pointwise
      {
        ...base,
        batch: 2,
        inHeight: 9,
        inWidth: 9,
        inChannels: 48,
        outHeight: 9,
        outWidth: 9,
        outChannels: 40,
        filterHeight: 1,
        filterWidth: 1,
        strideHeight: 1,
        strideWidth: 1,
        padTop: 0,
        padLeft: 0,
        padBottom: 0,
        padRight: 0,
      },
      // strided 3x3 (ResNet downsampling), several images
      {
        ...base,
        batch: 4,
        inHeight: 12,
        inWidth: 12,
        inChannels: 16,
        outHeight: 6,
        outWidth: 6,
        outChannels: 24,
        filterHeight: 3,
        filterWidth: 3,
        strideHeight: 2,
        strideWidth: 2,
        padTop: 0,
        padLeft: 0,
        padBottom: 1,
        padRight: 1,
      },
      // 7x7 stride 2 stem, one image
      {
        ...base,
        batch: 1,
        inHeight: 20,
        inWidth: 20,
        inChannels: 3,
        outHeight: 10,
        outWidth: 10,
        outChannels: 16,
        filterHeight: 7,
        filterWidth: 7,
        strideHeight: 2,
        strideWidth: 2,
        padTop: 2,
        padLeft: 2,
        padBottom: 3,
        padRight: 3,
      },
      // single input channel (MNIST's first layer)
      {
        ...base,
        batch: 8,
        inHeight: 28,
        inWidth: 28,
        inChannels: 1,
        outHeight: 26,
        outWidth: 26,
        outChannels: 32,
        filterHeight: 3,
        filterWidth: 3,
        strideHeight: 1,
        strideWidth: 1,
        padTop: 0,
        padLeft: 0,
        padBottom: 0,
        padRight: 0,
      },
    ];
    for (const g of cases) checkConv(rng, g, 'relu', true);
  });
});

describeEachIsa('native depthwise conv2d', (native, makeRng) => {
  it('forward and both gradients match the reference for multipliers 1 to 3', () => {
    const rng = makeRng();
    for (let trial = 0; trial < 90; trial++) {
      const g = randomGeometry(rng, { maxC: 35, multiplier: rng.pick([1, 1, 2, 3]) });
      const { x, f, dy, xSize, ySize, fSize } = convArrays(rng, g, true);
      const what = describeGeometry(g);
      compareConv('depthwiseConv2d', (b, xv, fv, out) => b.depthwiseConv2d(xv, fv, out, g), native, x, f, ySize, what);
      compareConv(
        'depthwiseConv2dBackpropInput',
        (b, dyv, fv, out) => b.depthwiseConv2dBackpropInput(dyv, fv, out, g),
        native,
        dy,
        f,
        xSize,
        what,
      );
      compareConv(
        'depthwiseConv2dBackpropFilter',
        (b, xv, dyv, out) => b.depthwiseConv2dBackpropFilter(xv, dyv, out, g),
        native,
        x,
        dy,
        fSize,
        what,
      );
    }
  });
});
