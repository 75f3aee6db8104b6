import { describe, expect, it } from 'vitest';
import { affineTransformPlanes, type FillMode } from '../../src/data/image-kernels/affine.js';
import { applyTransformHWC } from '../../src/data/image-kernels/transform.js';
import { maxAbsDiff, readFixture } from './fixtures.js';

interface Img { shape: number[]; values: number[] }
interface Case { name: string; image: string; params: Record<string, number | boolean>; fillMode: FillMode; cval: number; order: number; expected: number[] }
const fx = readFixture<{ images: Record<string, Img>; affine: Case[]; extras: Case[]; raw: any[]; plane: Img }>('transforms.json');
const toParams = (p: Record<string, number | boolean>) => ({ theta: p.theta as number, tx: p.tx as number, ty: p.ty as number, shear: p.shear as number, zx: p.zx as number, zy: p.zy as number, flipHorizontal: p.flip_horizontal as boolean, flipVertical: p.flip_vertical as boolean, channelShiftIntensity: p.channel_shift_intensity as number, brightness: p.brightness as number });
describe('kernel', () => {
  it('affine + extras', () => {
    const bad: string[] = [];
    for (const c of [...fx.affine, ...fx.extras]) {
      const img = fx.images[c.image]!;
      const out = applyTransformHWC(Float32Array.from(img.values), { height: img.shape[0]!, width: img.shape[1]!, channels: img.shape[2]! }, toParams(c.params), { fillMode: c.fillMode, cval: c.cval, interpolationOrder: c.order });
      const d = maxAbsDiff(out, c.expected);
      if (!(d <= 1e-4)) bad.push(`${c.name}: ${d}`);
    }
    for (const c of fx.raw) {
      const [h, w] = fx.plane.shape as [number, number];
      const out = new Float32Array(h * w);
      const m = c.matrix;
      affineTransformPlanes(Float32Array.from(fx.plane.values), out, { dimA: h, dimB: w, channels: 1, strideA: w, strideB: 1, strideC: 1 }, { m00: m[0], m01: m[1], m10: m[2], m11: m[3], off0: c.offset[0], off1: c.offset[1] }, c.fillMode, c.cval, c.order);
      const d = maxAbsDiff(out, c.expected);
      if (!(d <= 1e-4)) bad.push(`${c.name}: ${d}`);
    }
    console.log(bad.length, bad.slice(0, 40).join('\n'));
    expect(bad).toEqual([]);
  });
});
