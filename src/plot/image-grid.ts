/**
 * `plotImageGrid`: sample images in a grid, each captioned with its true label and, when given,
 * the predicted one (green when right, red when wrong, with the confidence when probabilities
 * are passed). Pixels are embedded as PNG, scaled up without smoothing so small digits stay crisp.
 */
import { Tensor } from '../tensor/tensor.js';
import { BAD, GOOD } from './colors.js';
import { writePicture } from './output.js';
import { encodePng } from './png-encode.js';
import { el, fitText, INK, MUTED_INK, svgDocument, text, textWidth } from './svg.js';

/** Class indices / names per image, or one row of scores (one-hot or probabilities) per image. */
export type GridLabels = Tensor | readonly (number | string)[];

export interface PlotImageGridOptions {
  /** True classes. */
  labels?: GridLabels;
  /** Predicted classes, or predicted probabilities (`model.predict` output). */
  predictions?: GridLabels;
  /** Names for class indices. */
  classNames?: readonly string[];
  toFile?: string;
  /** Images per row (default: up to 8, about square). */
  columns?: number;
  /** Draw at most this many images (default 64). */
  maxImages?: number;
  title?: string;
}

interface Caption {
  name: string;
  confidence?: number;
}

/** Reads labels: class indices or names, or rows of scores reduced by argmax (keeping the top score). */
function readCaptions(values: GridLabels, count: number, what: string): Caption[] {
  if (!(values instanceof Tensor)) {
    if (values.length < count) throw new Error(`plotImageGrid: ${values.length} ${what} for ${count} images.`);
    return values.slice(0, count).map((v) => ({ name: String(v) }));
  }
  if (values.shape[0]! < count) throw new Error(`plotImageGrid: ${values.shape[0]} ${what} for ${count} images.`);
  const data = values.dataSync();
  if (values.shape.length === 1 || (values.shape.length === 2 && values.shape[1] === 1)) {
    return Array.from(data.subarray(0, count), (v) => ({ name: String(v) }));
  }
  if (values.shape.length !== 2)
    throw new Error(`plotImageGrid: ${what} must be 1-D or [images, classes]; received shape [${values.shape.join(', ')}].`);
  const k = values.shape[1]!;
  return Array.from({ length: count }, (_, i) => {
    let best = 0;
    for (let j = 1; j < k; j++) if (data[i * k + j]! > data[i * k + best]!) best = j;
    return { name: String(best), confidence: data[i * k + best]! };
  });
}

function displayName(caption: Caption, classNames: readonly string[] | undefined): string {
  const index = Number(caption.name);
  if (classNames && Number.isInteger(index) && classNames[index] !== undefined) return classNames[index]!;
  return caption.name;
}

/** One image as 8-bit PNG, scaled up `factor` times by pixel repetition. */
function imagePng(
  data: ArrayLike<number>,
  offset: number,
  height: number,
  width: number,
  channels: number,
  low: number,
  high: number,
  factor: number,
): Uint8Array {
  const outChannels = channels === 1 ? 1 : 3;
  const outWidth = width * factor;
  const outHeight = height * factor;
  const pixels = new Uint8Array(outWidth * outHeight * outChannels);
  const span = high - low || 1;
  for (let y = 0; y < outHeight; y++) {
    const sy = Math.floor(y / factor);
    for (let x = 0; x < outWidth; x++) {
      const sx = Math.floor(x / factor);
      for (let c = 0; c < outChannels; c++) {
        const v = data[offset + (sy * width + sx) * channels + c]!;
        pixels[(y * outWidth + x) * outChannels + c] = Math.max(0, Math.min(255, Math.round(((v - low) / span) * 255)));
      }
    }
  }
  return encodePng(pixels, outWidth, outHeight, outChannels as 1 | 3);
}

/** Draws a grid of images with their labels. Returns the SVG; writes it when `toFile` is set. */
export async function plotImageGrid(images: Tensor, options: PlotImageGridOptions = {}): Promise<string> {
  const svg = imageGridSvg(images, options);
  if (options.toFile) await writePicture(svg, options.toFile, 'plotImageGrid', 1.5);
  return svg;
}

/** The SVG of `plotImageGrid`, built synchronously. */
export function imageGridSvg(images: Tensor, options: PlotImageGridOptions = {}): string {
  const shape = images.shape;
  if (shape.length !== 3 && shape.length !== 4) {
    throw new Error(
      `plotImageGrid: images must be [count, height, width] or [count, height, width, channels]; received shape [${shape.join(', ')}].`,
    );
  }
  const channels = shape.length === 4 ? shape[3]! : 1;
  if (channels !== 1 && channels !== 3 && channels !== 4) {
    throw new Error(`plotImageGrid: images need 1, 3 or 4 channels; received ${channels}.`);
  }
  const [total, height, width] = shape as [number, number, number];
  const count = Math.min(total, options.maxImages ?? 64);
  if (count === 0) throw new Error('plotImageGrid: there are no images to draw.');
  const data = images.dataSync();
  // Pixel range: 0..255 bytes, 0..1 floats, or anything else stretched from its min to its max.
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < count * height * width * channels; i++) {
    const v = data[i]!;
    if (v < low) low = v;
    if (v > high) high = v;
  }
  if (low >= 0 && high <= 1) [low, high] = [0, 1];
  else if (low >= 0 && high <= 255) [low, high] = [0, 255];

  const labels = options.labels ? readCaptions(options.labels, count, 'labels') : null;
  const predictions = options.predictions ? readCaptions(options.predictions, count, 'predictions') : null;
  const factor = Math.max(1, Math.ceil(84 / Math.max(height, width)));
  const displayWidth = Math.min(160, width * factor);
  const displayHeight = (height * displayWidth) / width;
  const captionLines = (labels ? 1 : 0) + (predictions ? 1 : 0);
  const cellWidth = Math.max(displayWidth, 96) + 16;
  const cellHeight = displayHeight + 14 + captionLines * 16;
  const columns = Math.max(1, Math.min(count, options.columns ?? Math.min(8, Math.ceil(Math.sqrt(count)))));
  const rows = Math.ceil(count / columns);
  const titleHeight = options.title ? 40 : 12;

  let body = options.title ? text((columns * cellWidth) / 2, 22, options.title, { size: 16, weight: 'bold' }) : '';
  const stride = height * width * channels;
  const pixelChannels = channels === 4 ? 3 : channels;
  for (let i = 0; i < count; i++) {
    const x = (i % columns) * cellWidth;
    const y = titleHeight + Math.floor(i / columns) * cellHeight;
    const imageX = x + (cellWidth - displayWidth) / 2;
    // RGBA images are drawn as RGB: pixel data is read with the alpha channel skipped.
    const source = channels === 4 ? dropAlpha(data, i * stride, height * width) : data;
    const png = imagePng(source, channels === 4 ? 0 : i * stride, height, width, pixelChannels, low, high, factor);
    body += el('image', {
      x: imageX,
      y,
      width: displayWidth,
      height: displayHeight,
      href: `data:image/png;base64,${base64(png)}`,
      'image-rendering': 'pixelated',
    });
    body += el('rect', { x: imageX, y, width: displayWidth, height: displayHeight, fill: 'none', stroke: '#cccccc' });
    const trueName = labels ? displayName(labels[i]!, options.classNames) : null;
    let lineY = y + displayHeight + 12;
    const maxWidth = cellWidth - 6;
    if (trueName !== null) {
      body += text(x + cellWidth / 2, lineY, fitText(`true: ${trueName}`, 11, maxWidth), {
        size: 11,
        fill: predictions ? MUTED_INK : INK,
      });
      lineY += 16;
    }
    if (predictions) {
      const predicted = predictions[i]!;
      const predictedName = displayName(predicted, options.classNames);
      const confidence = predicted.confidence !== undefined ? ` (${Math.round(predicted.confidence * 100)}%)` : '';
      const color = trueName === null ? INK : predictedName === trueName ? GOOD : BAD;
      const caption = fitText(`pred: ${predictedName}${confidence}`, 11, maxWidth);
      body += text(x + cellWidth / 2, lineY, caption, { size: 11, fill: color, weight: color === BAD ? 'bold' : 'normal' });
    }
  }
  const width0 = Math.max(columns * cellWidth, options.title ? textWidth(options.title, 16, true) + 20 : 0);
  return svgDocument(width0, titleHeight + rows * cellHeight, body, options.title ?? 'Images');
}

function dropAlpha(data: ArrayLike<number>, offset: number, pixels: number): Float32Array {
  const out = new Float32Array(pixels * 3);
  for (let p = 0; p < pixels; p++) for (let c = 0; c < 3; c++) out[p * 3 + c] = data[offset + p * 4 + c]!;
  return out;
}

/** Base64 of bytes with the standard `btoa` (Node and browsers), in chunks to bound the argument list. */
function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
