/** No libvips in the browser: what needed it says so. (Node twin: ../node/sharp.ts.) */
import type { Sharp } from '../node/sharp.js';

export type { Sharp };

export function loadSharp(purpose: string): Promise<Sharp> {
  return Promise.reject(
    new Error(
      `${purpose} needs 'sharp' (libvips), which runs only in Node.js; this is a browser build of capa. ` +
        'In the browser, images come from URLs, <img>, <canvas>, ImageBitmap, ImageData or Blobs ' +
        '(preprocessing.image.loadImg) and go back to a canvas (utils.toPixels).',
    ),
  );
}
