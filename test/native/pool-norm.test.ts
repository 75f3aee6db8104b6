import { it } from 'vitest';
import { describeEachIsa, describeGeometry, expectClose, js, randomGeometry } from './harness.js';

describeEachIsa('native pooling', (native, makeRng) => {
  it('max and average pooling and their gradients match the reference', () => {
    const rng = makeRng();
    for (let trial = 0; trial < 100; trial++) {
      const g0 = randomGeometry(rng, { maxC: 40 });
      const g = { ...g0, outChannels: g0.inChannels };
      const xSize = g.batch * g.inHeight * g.inWidth * g.inChannels;
      const ySize = g.batch * g.outHeight * g.outWidth * g.outChannels;
      // Rounded values create ties: the gradient must go to the first max in window order.
      const x = rng.floats(xSize, -3, 3).map((v) => (trial % 2 ? Math.round(v) : v));
      const dy = rng.floats(ySize);
      const what = describeGeometry(g);
      for (const kind of ['max', 'avg'] as const) {
        const want = new Float32Array(ySize);
        const got = new Float32Array(ySize).fill(Number.NaN);
        js[`${kind}Pool2d`](x, want, g);
        native[`${kind}Pool2d`](x, got, g);
        expectClose(got, want, `${kind}Pool2d ${what}`);
      }
      const dxWant = new Float32Array(xSize);
      const dxGot = new Float32Array(xSize).fill(Number.NaN);
      js.maxPool2dGrad(x, dy, dxWant, g);
      native.maxPool2dGrad(x, dy, dxGot, g);
      expectClose(dxGot, dxWant, `maxPool2dGrad ${what}`);
      const aWant = new Float32Array(xSize);
      const aGot = new Float32Array(xSize).fill(Number.NaN);
      js.avgPool2dGrad(dy, aWant, g);
      native.avgPool2dGrad(dy, aGot, g);
      expectClose(aGot, aWant, `avgPool2dGrad ${what}`);
    }
  });
});

describeEachIsa('native batch normalization', (native, makeRng) => {
  it('inference, training statistics and gradients match the reference', () => {
    const rng = makeRng();
    for (const [rows, channels] of [
      [1, 1],
      [5, 3],
      [7, 16],
      [33, 17],
      [64, 64],
      [3000, 24],
      [25_088, 64],
    ] as [number, number][]) {
      const n = rows * channels;
      const x = rng.floats(n, -2, 5);
      const dy = rng.floats(n);
      for (const affine of [false, true]) {
        const gamma = affine ? rng.floats(channels, 0.5, 2) : null;
        const beta = affine ? rng.floats(channels) : null;
        const what = `${rows}x${channels} affine=${affine}`;
        const mean = rng.floats(channels);
        const variance = rng.floats(channels, 0.1, 3);
        const want = new Float32Array(n);
        const got = new Float32Array(n);
        js.batchNormInference(x, mean, variance, gamma, beta, 1e-3, channels, want);
        native.batchNormInference(x, mean, variance, gamma, beta, 1e-3, channels, got);
        expectClose(got, want, `batchNormInference ${what}`);

        const tWant = new Float32Array(n);
        const tGot = new Float32Array(n);
        const mWant = new Float32Array(channels);
        const mGot = new Float32Array(channels);
        const vWant = new Float32Array(channels);
        const vGot = new Float32Array(channels);
        js.batchNormTraining(x, gamma, beta, 1e-3, channels, tWant, mWant, vWant);
        native.batchNormTraining(x, gamma, beta, 1e-3, channels, tGot, mGot, vGot);
        expectClose(tGot, tWant, `batchNormTraining ${what}`);
        expectClose(mGot, mWant, `batchNormTraining mean ${what}`);
        expectClose(vGot, vWant, `batchNormTraining variance ${what}`);

        const dxWant = new Float32Array(n);
        const dxGot = new Float32Array(n);
        const dgWant = new Float32Array(channels);
        const dgGot = new Float32Array(channels);
        const dbWant = new Float32Array(channels);
        const dbGot = new Float32Array(channels);
        js.batchNormGrad(x, dy, mWant, vWant, gamma, 1e-3, channels, dxWant, dgWant, dbWant);
        native.batchNormGrad(x, dy, mWant, vWant, gamma, 1e-3, channels, dxGot, dgGot, dbGot);
        expectClose(dxGot, dxWant, `batchNormGrad dx ${what}`);
        expectClose(dgGot, dgWant, `batchNormGrad dGamma ${what}`);
        expectClose(dbGot, dbWant, `batchNormGrad dBeta ${what}`);
      }
    }
  });
});

describeEachIsa('native layer normalization', (native, makeRng) => {
  it('forward (output, row mean, rstd) and gradients match the reference on odd sizes, into poisoned outputs', () => {
    const rng = makeRng();
    const poisoned = (n: number) => new Float32Array(n).fill(Number.NaN);
    for (const [rows, cols] of [
      [1, 1],
      [3, 7],
      [5, 33],
      [17, 1],
      [0, 5],
      [4, 0],
      [64, 257],
      [3000, 24],
      [2, 4099],
    ] as [number, number][]) {
      const n = rows * cols;
      // A large offset checks that the variance is taken around the mean, not as E[x²] - E[x]².
      for (const offset of [0, 1000]) {
        const x = rng.floats(n, -2, 5).map((v) => v + offset);
        const dy = rng.floats(n);
        for (const affine of [false, true]) {
          const gamma = affine ? rng.floats(cols, 0.5, 2) : null;
          const beta = affine ? rng.floats(cols) : null;
          const what = `${rows}x${cols} offset=${offset} affine=${affine}`;
          const want = [new Float32Array(n), new Float32Array(rows), new Float32Array(rows)] as const;
          const got = [poisoned(n), poisoned(rows), poisoned(rows)] as const;
          js.layerNorm(x, gamma, beta, 1e-3, rows, cols, ...want);
          native.layerNorm(x, gamma, beta, 1e-3, rows, cols, ...got);
          expectClose(got[0], want[0], `layerNorm ${what}`);
          expectClose(got[1], want[1], `layerNorm mean ${what}`);
          expectClose(got[2], want[2], `layerNorm rstd ${what}`, 1e-4);

          const gWant = [new Float32Array(n), new Float32Array(cols), new Float32Array(cols)] as const;
          const gGot = [poisoned(n), poisoned(cols), poisoned(cols)] as const;
          js.layerNormGrad(x, dy, want[1], want[2], gamma, rows, cols, ...gWant);
          native.layerNormGrad(x, dy, want[1], want[2], gamma, rows, cols, ...gGot);
          expectClose(gGot[0], gWant[0], `layerNormGrad dx ${what}`, 1e-4);
          expectClose(gGot[1], gWant[1], `layerNormGrad dGamma ${what}`, 1e-4);
          expectClose(gGot[2], gWant[2], `layerNormGrad dBeta ${what}`);
        }
      }
    }
  });
});

describeEachIsa('native optimizer steps', (native, makeRng) => {
  it('SGD (plain, momentum, Nesterov) and Adam (with and without AMSGrad) match the reference', () => {
    const rng = makeRng();
    for (const n of [1, 7, 16, 33, 1000, 70_001]) {
      const grad = rng.floats(n);
      const param = rng.floats(n);
      const velocity = rng.floats(n, -0.1, 0.1);
      for (const [withVelocity, nesterov] of [
        [false, false],
        [true, false],
        [true, true],
      ] as const) {
        const p1 = param.slice();
        const p2 = param.slice();
        const v1 = withVelocity ? velocity.slice() : null;
        const v2 = withVelocity ? velocity.slice() : null;
        js.sgdUpdate(p1, grad, v1, 0.05, 0.9, nesterov);
        native.sgdUpdate(p2, grad, v2, 0.05, 0.9, nesterov);
        expectClose(p2, p1, `sgd n=${n} momentum=${withVelocity} nesterov=${nesterov}`);
        if (v1 && v2) expectClose(v2, v1, `sgd velocity n=${n}`);
      }
      for (const amsgrad of [false, true]) {
        const p1 = param.slice();
        const p2 = param.slice();
        const m1 = rng.floats(n, -0.1, 0.1);
        const m2 = m1.slice();
        const s1 = rng.floats(n, 0, 0.1);
        const s2 = s1.slice();
        const x1 = amsgrad ? rng.floats(n, 0, 0.1) : null;
        const x2 = x1 ? x1.slice() : null;
        for (let step = 0; step < 3; step++) {
          js.adamUpdate(p1, grad, m1, s1, x1, 0.001, 0.9, 0.999, 1e-7);
          native.adamUpdate(p2, grad, m2, s2, x2, 0.001, 0.9, 0.999, 1e-7);
        }
        expectClose(p2, p1, `adam param n=${n} amsgrad=${amsgrad}`);
        expectClose(m2, m1, `adam m n=${n}`);
        expectClose(s2, s1, `adam v n=${n}`);
        if (x1 && x2) expectClose(x2, x1, `adam vMax n=${n}`);
      }
    }
  });
});
