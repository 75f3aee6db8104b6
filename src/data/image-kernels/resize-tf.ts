/**
 * `tf.image.resize` (TF 2, antialias off, half-pixel centres) as Keras 3's
 * `image_dataset_from_directory` calls it: float32 output, bilinear by default; plus
 * `smart_resize`'s crop and `resize_with_pad`. Channels-last, pure TypeScript, float32 arithmetic.
 */
const f32 = Math.fround;

export type TfInterpolation = 'bilinear' | 'nearest' | 'bicubic' | 'area';

export const TF_INTERPOLATIONS: readonly TfInterpolation[] = ['bilinear', 'nearest', 'bicubic', 'area'];

export interface FloatImage {
  data: Float32Array;
  height: number;
  width: number;
  channels: number;
}

/** resize_nearest_neighbor(half_pixel_centers=True): floor((x + 0.5) * scale), clamped. */
function nearestIndices(outSize: number, inSize: number): Int32Array {
  const scale = f32(inSize / outSize);
  const idx = new Int32Array(outSize);
  for (let i = 0; i < outSize; i++) idx[i] = Math.max(0, Math.min(Math.floor(f32(f32(i + 0.5) * scale)), inSize - 1));
  return idx;
}

interface LinearTaps {
  lower: Int32Array;
  upper: Int32Array;
  lerp: Float32Array;
}

/** resize_bilinear's compute_interpolation_weights with the half-pixel scaler. */
function linearTaps(outSize: number, inSize: number): LinearTaps {
  const scale = f32(inSize / outSize);
  const lower = new Int32Array(outSize);
  const upper = new Int32Array(outSize);
  const lerp = new Float32Array(outSize);
  for (let i = 0; i < outSize; i++) {
    const pos = f32(f32(f32(i + 0.5) * scale) - 0.5);
    const fl = Math.floor(pos);
    lower[i] = Math.max(fl, 0);
    upper[i] = Math.min(Math.ceil(pos), inSize - 1);
    lerp[i] = f32(pos - fl);
  }
  return { lower, upper, lerp };
}

const TABLE_SIZE = 1024;

/** C's lrintf in the default rounding mode. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
let keysTable: Float32Array | null = null;

/** resize_bicubic's coefficient table for Keys' cubic (a = -0.5), as TF builds it. */
function cubicTable(): Float32Array {
  if (keysTable) return keysTable;
  const t = new Float32Array((TABLE_SIZE + 1) * 2);
  const A = -0.5;
  for (let i = 0; i <= TABLE_SIZE; i++) {
    let x = f32(i / TABLE_SIZE);
    t[i * 2] = ((A + 2) * x - (A + 3)) * x * x + 1;
    x = f32(x + 1.0);
    t[i * 2 + 1] = ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;
  }
  keysTable = t;
  return t;
}

interface CubicTaps {
  index: Int32Array;
  weight: Float32Array;
}

/** GetWeightsAndIndices<HalfPixelScaler, use_keys_cubic=true>: out-of-image taps get weight 0, renormalized. */
function cubicTaps(outSize: number, inSize: number): CubicTaps {
  const scale = f32(inSize / outSize);
  const table = cubicTable();
  const index = new Int32Array(outSize * 4);
  const weight = new Float32Array(outSize * 4);
  const bound = (v: number): number => Math.min(inSize - 1, Math.max(0, v));
  for (let i = 0; i < outSize; i++) {
    const pos = f32(f32(f32(i + 0.5) * scale) - 0.5);
    const loc = Math.floor(pos);
    const offset = roundHalfEven(f32(f32(pos - loc) * TABLE_SIZE));
    const w = [
      table[offset * 2 + 1],
      table[offset * 2],
      table[(TABLE_SIZE - offset) * 2],
      table[(TABLE_SIZE - offset) * 2 + 1],
    ] as number[];
    let sum = 0;
    for (let k = 0; k < 4; k++) {
      const at = loc - 1 + k;
      index[i * 4 + k] = bound(at);
      const wk = bound(at) === at ? (w[k] as number) : 0;
      weight[i * 4 + k] = wk;
      sum = f32(sum + wk);
    }
    if (Math.abs(sum) >= 1000 * 1.1754943508222875e-38) {
      const inv = f32(1 / sum);
      for (let k = 0; k < 4; k++) weight[i * 4 + k] = f32((weight[i * 4 + k] as number) * inv);
    }
  }
  return { index, weight };
}

/** resize_area: each output pixel averages the input area it covers (fractional edges weighted). */
function areaResize(img: FloatImage, outH: number, outW: number): Float32Array {
  const { data, height, width, channels } = img;
  const out = new Float32Array(outH * outW * channels);
  const sy = height / outH;
  const sx = width / outW;
  const spans = (o: number, s: number, n: number): [number, number][] => {
    const start = o * s;
    const end = (o + 1) * s;
    const res: [number, number][] = [];
    for (let i = Math.floor(start); i < Math.min(Math.ceil(end), n); i++) {
      const w = Math.min(end, i + 1) - Math.max(start, i);
      if (w > 0) res.push([i, w]);
    }
    return res;
  };
  const inv = 1 / (sy * sx);
  for (let y = 0; y < outH; y++) {
    const ys = spans(y, sy, height);
    for (let x = 0; x < outW; x++) {
      const xs = spans(x, sx, width);
      for (let c = 0; c < channels; c++) {
        let acc = 0;
        for (const [iy, wy] of ys) for (const [ix, wx] of xs) acc += (data[(iy * width + ix) * channels + c] as number) * wy * wx;
        out[(y * outW + x) * channels + c] = acc * inv;
      }
    }
  }
  return out;
}

/** `tf.image.resize(images, [outH, outW], method)` without antialiasing. */
export function resizeTf(img: FloatImage, outH: number, outW: number, method: TfInterpolation): FloatImage {
  const { data, height, width, channels } = img;
  const out = new Float32Array(outH * outW * channels);
  if (method === 'nearest') {
    const ys = nearestIndices(outH, height);
    const xs = nearestIndices(outW, width);
    for (let y = 0; y < outH; y++) {
      for (let x = 0; x < outW; x++) {
        const src = ((ys[y] as number) * width + (xs[x] as number)) * channels;
        out.set(data.subarray(src, src + channels), (y * outW + x) * channels);
      }
    }
  } else if (method === 'bilinear') {
    const ys = linearTaps(outH, height);
    const xs = linearTaps(outW, width);
    for (let y = 0; y < outH; y++) {
      const top = (ys.lower[y] as number) * width;
      const bottom = (ys.upper[y] as number) * width;
      const yl = ys.lerp[y] as number;
      for (let x = 0; x < outW; x++) {
        const l = xs.lower[x] as number;
        const r = xs.upper[x] as number;
        const xl = xs.lerp[x] as number;
        for (let c = 0; c < channels; c++) {
          const tl = data[(top + l) * channels + c] as number;
          const tr = data[(top + r) * channels + c] as number;
          const bl = data[(bottom + l) * channels + c] as number;
          const br = data[(bottom + r) * channels + c] as number;
          const t = f32(tl + f32(f32(tr - tl) * xl));
          const b = f32(bl + f32(f32(br - bl) * xl));
          out[(y * outW + x) * channels + c] = f32(t + f32(f32(b - t) * yl));
        }
      }
    }
  } else if (method === 'bicubic') {
    const ys = cubicTaps(outH, height);
    const xs = cubicTaps(outW, width);
    for (let y = 0; y < outH; y++) {
      for (let x = 0; x < outW; x++) {
        for (let c = 0; c < channels; c++) {
          let acc = 0;
          for (let j = 0; j < 4; j++) {
            const row = (ys.index[y * 4 + j] as number) * width;
            let rowAcc = 0;
            for (let i = 0; i < 4; i++) {
              rowAcc = f32(
                rowAcc +
                  f32(
                    (data[(row + (xs.index[x * 4 + i] as number)) * channels + c] as number) * (xs.weight[x * 4 + i] as number),
                  ),
              );
            }
            acc = f32(acc + f32(rowAcc * (ys.weight[y * 4 + j] as number)));
          }
          out[(y * outW + x) * channels + c] = acc;
        }
      }
    }
  } else if (method === 'area') {
    return { data: areaResize(img, outH, outW), height: outH, width: outW, channels };
  } else {
    throw new Error(`resize: interpolation must be one of ${TF_INTERPOLATIONS.join(', ')}, received '${String(method)}'.`);
  }
  return { data: out, height: outH, width: outW, channels };
}

/** Keras's `smart_resize` crop: the largest centred window with the target's aspect ratio. */
export function smartCrop(img: FloatImage, targetH: number, targetW: number): FloatImage {
  const { height, width, channels } = img;
  const { top, left, cropH, cropW } = smartCropWindow(height, width, targetH, targetW);
  const out = new Float32Array(cropH * cropW * channels);
  for (let y = 0; y < cropH; y++) {
    const src = ((top + y) * width + left) * channels;
    out.set(img.data.subarray(src, src + cropW * channels), y * cropW * channels);
  }
  return { data: out, height: cropH, width: cropW, channels };
}

/** Where `smartCrop` cuts: the largest centred window of the target's aspect ratio (also used by the ONNX export). */
export function smartCropWindow(
  height: number,
  width: number,
  targetH: number,
  targetW: number,
): { top: number; left: number; cropH: number; cropW: number } {
  const cropH = Math.min(height, Math.trunc(f32(f32(width * targetH) / targetW)));
  const cropW = Math.min(width, Math.trunc(f32(f32(height * targetW) / targetH)));
  return { top: Math.trunc(f32(height - cropH) / 2), left: Math.trunc(f32(width - cropW) / 2), cropH, cropW };
}

/** `tf.image.resize_with_pad`: resize keeping the aspect ratio, then centre on a canvas of `fillValue` (0 in TF). */
export function resizeWithPad(
  img: FloatImage,
  targetH: number,
  targetW: number,
  method: TfInterpolation,
  fillValue = 0,
): FloatImage {
  const ratio = Math.max(f32(img.width / targetW), f32(img.height / targetH));
  const rh = f32(img.height / ratio);
  const rw = f32(img.width / ratio);
  const resized = resizeTf(img, Math.max(1, Math.floor(rh)), Math.max(1, Math.floor(rw)), method);
  const padTop = Math.max(0, Math.floor(f32(f32(targetH - rh) / 2)));
  const padLeft = Math.max(0, Math.floor(f32(f32(targetW - rw) / 2)));
  const c = img.channels;
  const out = new Float32Array(targetH * targetW * c);
  if (fillValue !== 0) out.fill(fillValue);
  for (let y = 0; y < resized.height && y + padTop < targetH; y++) {
    const src = y * resized.width * c;
    const n = Math.min(resized.width, targetW - padLeft) * c;
    out.set(resized.data.subarray(src, src + n), ((y + padTop) * targetW + padLeft) * c);
  }
  return { data: out, height: targetH, width: targetW, channels: c };
}
