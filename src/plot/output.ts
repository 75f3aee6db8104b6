/**
 * Writing a picture: SVG as text, PNG rendered from the SVG by `sharp` (loaded only when a PNG
 * is asked for). Every write goes through io/atomic-write.ts (a temporary name, then a rename).
 * Node modules are imported when a file is written, so building pictures stays portable.
 */

import { loadSharp, type Sharp } from '#platform/sharp';
import { writeFileAtomic } from '../io/atomic-write.js';

export { writeFileAtomic };

export type PictureFormat = 'svg' | 'png';

/** The format implied by a file name, or an error naming the file. */
export function pictureFormat(file: string, fn: string): PictureFormat {
  const name = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot).toLowerCase() : '';
  if (extension === '.svg') return 'svg';
  if (extension === '.png') return 'png';
  throw new Error(`${fn}: cannot tell the picture format of '${file}'; the file name must end in .svg or .png.`);
}

/** Renders SVG text to PNG bytes; `scale` multiplies the SVG's pixel size (2 for crisp text). */
export async function svgToPng(svg: string, scale = 2): Promise<Uint8Array> {
  let sharp: Sharp;
  try {
    sharp = await loadSharp('PNG output');
  } catch (error) {
    throw new Error(`${(error as Error).message} Write .svg instead.`);
  }
  // librsvg renders at 72 dpi by default: density scales the raster, not the layout.
  const buffer = await sharp(Buffer.from(svg), { density: 72 * scale, limitInputPixels: false })
    .png({ compressionLevel: 9 })
    .toBuffer();
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** Writes the picture to `file` as SVG or PNG according to its extension. */
export async function writePicture(svg: string, file: string, fn: string, scale = 2): Promise<void> {
  const format = pictureFormat(file, fn);
  await writeFileAtomic(file, format === 'svg' ? svg : await svgToPng(svg, scale));
}
