/**
 * The non-geometric parts of Keras's `ImageDataGenerator.apply_transform`, on one HWC float32
 * image, with the same float32 rounding as the NumPy/Pillow code they restate. Pure TypeScript.
 */

const f32 = Math.fround;

/** Keras's `apply_channel_shift`: every channel plus `intensity`, clipped to the image's own range. */
export function channelShift(x: Float32Array, intensity: number): Float32Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  // NumPy adds a Python float to a float32 array in float32.
  const d = f32(intensity);
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = f32((x[i] as number) + d);
    out[i] = v < lo ? lo : v > hi ? hi : v;
  }
  return out;
}

/** Keras's `flip_axis` for the column axis (horizontal flip) of an HWC image. */
export function flipHorizontal(x: Float32Array, height: number, width: number, channels: number): Float32Array {
  const out = new Float32Array(x.length);
  const row = width * channels;
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const src = r * row + c * channels;
      const dst = r * row + (width - 1 - c) * channels;
      for (let k = 0; k < channels; k++) out[dst + k] = x[src + k] as number;
    }
  }
  return out;
}

/** Keras's `flip_axis` for the row axis (vertical flip) of an HWC image. */
export function flipVertical(x: Float32Array, height: number, width: number, channels: number): Float32Array {
  const out = new Float32Array(x.length);
  const row = width * channels;
  for (let r = 0; r < height; r++) out.set(x.subarray(r * row, (r + 1) * row), (height - 1 - r) * row);
  return out;
}

/**
 * Keras's `apply_brightness_shift(x, brightness, scale=False)`, as ImageDataGenerator calls it:
 * the image goes through an 8-bit Pillow image (values truncated to integers, or first stretched
 * to 0..255 when they leave that range), Pillow's `ImageEnhance.Brightness` blends it with black,
 * and stretched images are mapped back to their original range. Alpha is kept. 1, 3 or 4 channels.
 */
export function brightnessShift(x: Float32Array, channels: number, brightness: number): Float32Array {
  if (channels !== 1 && channels !== 3 && channels !== 4) {
    throw new Error(`brightness shift: images must have 1, 3 or 4 channels (as Pillow needs), received ${channels}.`);
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const stretch = lo < 0 || hi > 255;
  // array_to_img(x, scale=stretch): x - min, / max, * 255 in float32, then astype('uint8').
  const bytes = new Uint8Array(x.length);
  if (stretch) {
    let maxShifted = -Infinity;
    const shifted = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) {
      const v = f32((x[i] as number) - lo);
      shifted[i] = v;
      if (v > maxShifted) maxShifted = v;
    }
    for (let i = 0; i < x.length; i++) {
      let v = shifted[i] as number;
      if (maxShifted !== 0) v = f32(v / maxShifted);
      bytes[i] = Math.trunc(f32(v * 255));
    }
  } else {
    for (let i = 0; i < x.length; i++) bytes[i] = Math.trunc(x[i] as number);
  }
  // ImagingBlend(black, image, alpha) with a C float alpha; alpha itself passes through unchanged.
  const alpha = f32(brightness);
  const extrapolate = !(alpha >= 0 && alpha <= 1.0);
  const out = new Float32Array(x.length);
  const xMin = f32(lo);
  const range = f32(f32(hi) - xMin);
  for (let i = 0; i < x.length; i++) {
    let v: number;
    if (channels === 4 && i % 4 === 3) {
      v = bytes[i] as number;
    } else {
      const t = f32(alpha * (bytes[i] as number));
      v = extrapolate ? (t <= 0 ? 0 : t >= 255 ? 255 : Math.trunc(t)) : Math.trunc(t);
    }
    // img_to_array, then x / 255 * (x_max - x_min) + x_min in float32 when stretched.
    out[i] = stretch ? f32(f32(f32(v / 255) * range) + xMin) : v;
  }
  return out;
}
