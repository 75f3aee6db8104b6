/**
 * TensorFlow's ImageProjectiveTransformV3 (what Keras 3's `ops.image.affine_transform` computes
 * and its RandomRotation / RandomZoom / RandomTranslation call): each output pixel (x = column,
 * y = row) samples the input at ((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k), k = c0 x + c1 y + 1,
 * after TF's fill-mode coordinate mapping; nearest or bilinear, float32. Channels-last, pure.
 */
const f32 = Math.fround;

export type TfFillMode = 'reflect' | 'wrap' | 'constant' | 'nearest';

export const TF_FILL_MODES: readonly TfFillMode[] = ['reflect', 'wrap', 'constant', 'nearest'];

/** TF's MapCoordinate<mode>, including its clamp to [0, len - 1] (constant mode is left alone). */
function mapCoordinate(c: number, len: number, mode: TfFillMode): number {
  let v = c;
  if (mode === 'constant') return v;
  if (mode === 'nearest') return Math.min(Math.max(v, 0), len - 1);
  if (mode === 'reflect') {
    if (v < 0) {
      if (len <= 1) v = 0;
      else {
        const sz2 = 2 * len;
        // TF tests `in_coord < sz2` here (always true for a negative coordinate); kept as is.
        if (v < sz2) v = f32(sz2 * Math.trunc(-v / sz2) + v);
        v = v < -len ? f32(v + sz2) : f32(-v - 1);
      }
    } else if (v > len - 1) {
      if (len <= 1) v = 0;
      else {
        const sz2 = 2 * len;
        v = f32(v - sz2 * Math.trunc(v / sz2));
        if (v >= len) v = f32(sz2 - v - 1);
      }
    }
  } else {
    if (v < 0) {
      if (len <= 1) v = 0;
      else {
        const sz = len - 1;
        v = f32(v + len * (Math.trunc(-v / sz) + 1));
      }
    } else if (v > len - 1) {
      if (len <= 1) v = 0;
      else {
        const sz = len - 1;
        v = f32(v - len * Math.trunc(v / sz));
      }
    }
  }
  return Math.min(Math.max(v, 0), len - 1);
}

/** [a0, a1, a2, b0, b1, b2, c0, c1], TF's flattened projective transform. */
export type ProjectiveTransform = readonly [number, number, number, number, number, number, number, number];

/** Transforms one HWC image. */
export function projectiveTransform(
  x: Float32Array,
  height: number,
  width: number,
  channels: number,
  t: ProjectiveTransform,
  interpolation: 'nearest' | 'bilinear',
  fillMode: TfFillMode,
  fillValue: number,
): Float32Array {
  const out = new Float32Array(x.length);
  const fill = f32(fillValue);
  const [a0, a1, a2, b0, b1, b2, c0, c1] = t.map((v) => f32(v)) as unknown as ProjectiveTransform;
  const read = (r: number, c: number, ch: number): number =>
    r >= 0 && r < height && c >= 0 && c < width ? (x[(r * width + c) * channels + ch] as number) : fill;
  for (let oy = 0; oy < height; oy++) {
    for (let ox = 0; ox < width; ox++) {
      const o = (oy * width + ox) * channels;
      const k = f32(f32(f32(c0 * ox) + f32(c1 * oy)) + 1);
      if (k === 0) {
        out.fill(fill, o, o + channels);
        continue;
      }
      const ix = f32(f32(f32(f32(a0 * ox) + f32(a1 * oy)) + a2) / k);
      const iy = f32(f32(f32(f32(b0 * ox) + f32(b1 * oy)) + b2) / k);
      const cx = mapCoordinate(ix, width, fillMode);
      const cy = mapCoordinate(iy, height, fillMode);
      if (interpolation === 'nearest') {
        // std::round: halves away from zero.
        const rx = Math.sign(cx) * Math.round(Math.abs(cx));
        const ry = Math.sign(cy) * Math.round(Math.abs(cy));
        for (let ch = 0; ch < channels; ch++) out[o + ch] = read(ry, rx, ch);
        continue;
      }
      const yf = Math.floor(cy);
      const xf = Math.floor(cx);
      const yc = yf + 1;
      const xc = xf + 1;
      const wx0 = f32(xc - cx);
      const wx1 = f32(cx - xf);
      const wy0 = f32(yc - cy);
      const wy1 = f32(cy - yf);
      for (let ch = 0; ch < channels; ch++) {
        const top = f32(f32(wx0 * read(yf, xf, ch)) + f32(wx1 * read(yf, xc, ch)));
        const bottom = f32(f32(wx0 * read(yc, xf, ch)) + f32(wx1 * read(yc, xc, ch)));
        out[o + ch] = f32(f32(wy0 * top) + f32(wy1 * bottom));
      }
    }
  }
  return out;
}
