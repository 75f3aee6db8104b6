/** Keras's `array_to_img` on channels-last float data: optional min-max stretch, then uint8. Pure. */
import type { RawImage } from './raw-image.js';

const f32 = Math.fround;

/** NumPy's float -> uint8 `astype`: truncation toward zero, then wrap-around modulo 256. */
function toUint8(v: number): number {
  if (!Number.isFinite(v)) return 0;
  return ((Math.trunc(v) % 256) + 256) % 256;
}

/**
 * `array_to_img(x, scale=scale)`: with `scale` the values are shifted to start at 0 and stretched
 * to 0..255 (float32 arithmetic, like Keras); then cast to bytes. 1, 3 or 4 channels (L, RGB, RGBA).
 */
export function floatToRaw(
  x: Float32Array,
  height: number,
  width: number,
  channels: number,
  scale: boolean,
  what: string,
): RawImage {
  if (channels !== 1 && channels !== 3 && channels !== 4) throw new Error(`${what}: Unsupported channel number: ${channels}.`);
  if (x.length !== height * width * channels) {
    throw new Error(`${what}: ${x.length} values do not fill an image of ${height}x${width}x${channels}.`);
  }
  let values = x;
  if (scale) {
    let lo = Infinity;
    for (let i = 0; i < x.length; i++) if ((x[i] as number) < lo) lo = x[i] as number;
    values = new Float32Array(x.length);
    let hi = -Infinity;
    for (let i = 0; i < x.length; i++) {
      const v = f32((x[i] as number) - lo);
      values[i] = v;
      if (v > hi) hi = v;
    }
    for (let i = 0; i < values.length; i++) {
      let v = values[i] as number;
      if (hi !== 0) v = f32(v / hi);
      values[i] = f32(v * 255);
    }
  } else if (channels === 1) {
    let hi = -Infinity;
    for (let i = 0; i < x.length; i++) if ((x[i] as number) > hi) hi = x[i] as number;
    if (hi > 255) {
      throw new Error(
        `${what}: a 1-channel array with values above 255 would need a 32-bit ('I') image, which capa does not write; pass scale: true or bring the values into 0..255.`,
      );
    }
  }
  const data = new Uint8Array(values.length);
  for (let i = 0; i < data.length; i++) data[i] = toUint8(values[i] as number);
  return { width, height, mode: channels === 1 ? 'L' : channels === 3 ? 'RGB' : 'RGBA', data };
}
