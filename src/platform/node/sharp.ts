/** `sharp` (libvips), imported on first use. (Browser twin: ../browser/sharp.ts.) */
import type SharpModule from 'sharp';

export type Sharp = typeof SharpModule;

let sharpPromise: Promise<Sharp> | null = null;

/** `sharp`; `purpose` names what needed it in the error when it cannot load. */
export function loadSharp(purpose: string): Promise<Sharp> {
  if (sharpPromise === null) {
    sharpPromise = import('sharp').then(
      (m) => (m as unknown as { default: Sharp }).default,
      (err: Error) => {
        sharpPromise = null;
        throw new Error(`${purpose} needs the 'sharp' package (a dependency of capa): ${err.message}`);
      },
    );
  }
  return sharpPromise;
}
