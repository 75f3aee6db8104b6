/**
 * ImageDataGenerator transforms against NumPy/SciPy/Pillow fixtures (tools/gen_transform_fixtures.py
 * restates Keras's formulas and runs scipy.ndimage.affine_transform and ImageEnhance).
 */
import { describe, expect, it } from 'vitest';
import { affineTransformPlanes, type FillMode } from '../../src/data/image-kernels/affine.js';
import { preprocessing, type Tensor, tensor } from '../../src/index.js';
import { maxAbsDiff, readFixture } from './fixtures.js';

const { ImageDataGenerator, applyAffineTransform } = preprocessing.image;

interface Img {
  shape: number[];
  values: number[];
}
type KerasParams = Record<string, number | boolean>;
interface Case {
  name: string;
  image: string;
  params: KerasParams;
  fillMode: FillMode;
  cval: number;
  order: number;
  expected: number[];
}
interface LayoutCase {
  name: string;
  shape: number[];
  input: number[];
  rowAxis: number;
  colAxis: number;
  channelAxis: number;
  params: KerasParams;
  fillMode: FillMode;
  cval: number;
  expected: number[];
}
interface RawCase {
  name: string;
  matrix: number[];
  offset: number[];
  fillMode: FillMode;
  order: number;
  cval: number;
  expected: number[];
}
interface Fixture {
  images: Record<string, Img>;
  plane: Img;
  affine: Case[];
  layouts: LayoutCase[];
  raw: RawCase[];
  extras: Case[];
  fit: {
    x: number[];
    shape: number[];
    rescale: number;
    mean: number[];
    std: number[];
    sample: number[];
    standardized: number[];
    zca: number[];
    whitened: number[];
    samplewise: number[];
  };
}

const fx = readFixture<Fixture>('transforms.json');
const TOL = 1e-4;

/** Keras's snake_case parameter dictionary to capa's camelCase one. */
function params(p: KerasParams): preprocessing.image.TransformParameters {
  return {
    theta: p.theta as number | undefined,
    tx: p.tx as number | undefined,
    ty: p.ty as number | undefined,
    shear: p.shear as number | undefined,
    zx: p.zx as number | undefined,
    zy: p.zy as number | undefined,
    flipHorizontal: p.flip_horizontal as boolean | undefined,
    flipVertical: p.flip_vertical as boolean | undefined,
    channelShiftIntensity: (p.channel_shift_intensity as number | undefined) ?? null,
    brightness: (p.brightness as number | undefined) ?? null,
  };
}

function run(c: Case): number {
  const img = fx.images[c.image] as Img;
  const gen = new ImageDataGenerator({ fillMode: c.fillMode, cval: c.cval, interpolationOrder: c.order });
  const out = gen.applyTransform(tensor(img.values, img.shape), params(c.params));
  expect(out.shape).toEqual(img.shape);
  return maxAbsDiff(out.dataSync(), c.expected);
}

function groupBy<T extends { name: string }>(cases: T[], key: (c: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const c of cases) m.set(key(c), [...(m.get(key(c)) ?? []), c]);
  return m;
}

describe('ImageDataGenerator.applyTransform equals Keras + SciPy', () => {
  for (const [op, cases] of groupBy(fx.affine, (c) => c.name.split('/')[1] as string)) {
    it(`${op}: every fill mode, square and non-square images (${cases.length} cases)`, () => {
      const errors = cases.map((c) => [c.name, run(c)] as const).filter(([, e]) => !(e <= TOL));
      expect(errors).toEqual([]);
    });
  }

  it('covers rotation, shift, shear, zoom and a composition with each fill mode', () => {
    const names = new Set(fx.affine.map((c) => `${c.name.split('/')[1]}/${c.fillMode}`));
    for (const op of ['rotation', 'shift', 'shear', 'zoom', 'composition']) {
      for (const mode of ['constant', 'nearest', 'reflect', 'wrap']) expect(names.has(`${op}/${mode}`)).toBe(true);
    }
  });

  it('channel shift, flips and Pillow brightness, alone and composed with the affine map', () => {
    const errors = fx.extras.map((c) => [c.name, run(c)] as const).filter(([, e]) => !(e <= TOL));
    expect(errors).toEqual([]);
  });

  it("applyAffineTransform with Keras's axis arguments (channels first, rows after columns)", () => {
    for (const c of fx.layouts) {
      const out = applyAffineTransform(tensor(c.input, c.shape), {
        ...params(c.params),
        rowAxis: c.rowAxis,
        colAxis: c.colAxis,
        channelAxis: c.channelAxis,
        fillMode: c.fillMode,
        cval: c.cval,
      });
      expect(maxAbsDiff(out.dataSync(), c.expected), c.name).toBeLessThanOrEqual(TOL);
    }
  });

  it('reproduces scipy.ndimage.affine_transform for arbitrary maps far outside the image', () => {
    const [h, w] = fx.plane.shape as [number, number];
    const input = Float32Array.from(fx.plane.values);
    for (const c of fx.raw) {
      const out = new Float32Array(h * w);
      const [m00, m01, m10, m11] = c.matrix as [number, number, number, number];
      affineTransformPlanes(
        input,
        out,
        { dimA: h, dimB: w, channels: 1, strideA: w, strideB: 1, strideC: 1 },
        { m00, m01, m10, m11, off0: c.offset[0] as number, off1: c.offset[1] as number },
        c.fillMode,
        c.cval,
        c.order,
      );
      expect(maxAbsDiff(out, c.expected), c.name).toBeLessThanOrEqual(TOL);
    }
  });

  it('returns the image untouched for identity parameters, like Keras', () => {
    const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [2, 2, 3]);
    const gen = new ImageDataGenerator();
    expect(gen.applyTransform(x, { theta: 0, tx: 0, ty: 0, zx: 1, zy: 1 }).dataSync()).toEqual(x.dataSync());
  });

  it('rejects bad fill modes and interpolation orders by name', () => {
    expect(() => new ImageDataGenerator({ fillMode: 'mirror' as FillMode })).toThrow(
      /fillMode must be one of constant, nearest, reflect, wrap/,
    );
    expect(() => new ImageDataGenerator({ interpolationOrder: 3 })).toThrow(/interpolationOrder must be 0 or 1/);
  });
});

describe('ImageDataGenerator.fit and standardize equal Keras', () => {
  const f = fx.fit;
  const sample = () => tensor(f.sample, [3, 2, 3]);

  it('feature-wise mean and std (after rescale), then standardize', () => {
    const gen = new ImageDataGenerator({ featurewiseCenter: true, featurewiseStdNormalization: true, rescale: f.rescale });
    gen.fit(tensor(f.x, f.shape));
    expect(gen.mean?.shape).toEqual([1, 1, 3]);
    expect(maxAbsDiff(gen.mean?.dataSync() ?? [], f.mean)).toBeLessThan(1e-6);
    expect(maxAbsDiff(gen.std?.dataSync() ?? [], f.std)).toBeLessThan(1e-6);
    expect(maxAbsDiff(gen.standardize(sample()).dataSync(), f.standardized)).toBeLessThan(1e-5);
  });

  it('ZCA whitening: matrix and a whitened sample', () => {
    const gen = new ImageDataGenerator({ zcaWhitening: true, featurewiseCenter: true, rescale: f.rescale });
    gen.fit(tensor(f.x, f.shape));
    const zca = gen.zcaWhiteningMatrix as Tensor;
    expect(zca.shape).toEqual([18, 18]);
    // NumPy runs Keras's SVD in float32 (the generator's dtype); capa decomposes in float64.
    const scale = Math.max(...f.zca.map(Math.abs));
    expect(maxAbsDiff(zca.dataSync(), f.zca) / scale).toBeLessThan(1e-3);
    expect(maxAbsDiff(gen.standardize(sample()).dataSync(), f.whitened)).toBeLessThan(1e-3);
  });

  it('sample-wise centering and std normalization', () => {
    const gen = new ImageDataGenerator({ samplewiseCenter: true, samplewiseStdNormalization: true });
    expect(maxAbsDiff(gen.standardize(sample()).dataSync(), f.samplewise)).toBeLessThan(1e-5);
  });

  it('warns like Keras when feature-wise normalization is used before fit', () => {
    const seen: string[] = [];
    const warn = console.warn;
    console.warn = (m: string) => seen.push(m);
    new ImageDataGenerator({ featurewiseCenter: true }).standardize(sample());
    console.warn = warn;
    expect(seen.join('\n')).toMatch(/hasn't been fit on any training data/);
  });
});
