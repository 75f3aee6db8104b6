/** Images by URL and encoded bytes, decoded by the browser. (Node twin: ../node/image-files.ts.) */
import { decodeWithBrowser } from '../../data/browser-image.js';
import type { RawImage } from '../../data/raw-image.js';
import { fetchBytes } from '../../saving/web/fetch-bytes.js';

/** `path` is a URL (relative to the page or absolute). */
export async function readImage(path: string, maxPixels: number | null): Promise<RawImage> {
  return decodeWithBrowser(await fetchBytes(path), `loadImg('${path}')`, maxPixels);
}

export function decodeImageBytes(bytes: Uint8Array, source: string, maxPixels: number | null): Promise<RawImage> {
  return decodeWithBrowser(bytes, `loadImg(${source})`, maxPixels);
}
