/**
 * Loads h5wasm (the HDF5 C library compiled to WebAssembly) on first use, so importing capa
 * never pays for it. h5wasm's ESM build keeps files in its own in-memory filesystem: bytes are
 * copied in to read and copied out after writing, which keeps this module free of Node APIs
 * (file access is done by the caller) and works the same in browsers.
 */
import type * as H5 from 'h5wasm';

export type H5Api = typeof H5.default;
export type H5File = H5.File;
export type H5Group = H5.Group;
export type H5Dataset = H5.Dataset;

interface H5Runtime {
  api: H5Api;
  fs: {
    writeFile(path: string, data: Uint8Array): void;
    readFile(path: string): Uint8Array;
    unlink(path: string): void;
  };
}

let runtime: Promise<H5Runtime> | null = null;
let fileCounter = 0;

export function h5Runtime(): Promise<H5Runtime> {
  runtime ??= (async () => {
    const api = (await import('h5wasm')).default;
    const module = await api.ready;
    // Turn HDF5's stderr diagnostics into thrown JavaScript errors we can wrap with the file name.
    module.activate_throwing_error_handler();
    const fs = module.FS as unknown as H5Runtime['fs'] | null;
    if (!fs) throw new Error('h5wasm loaded without its in-memory filesystem.');
    return { api, fs };
  })();
  return runtime;
}

/** A unique path in h5wasm's in-memory filesystem. */
export function scratchPath(): string {
  return `/capa-${fileCounter++}.h5`;
}
