import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { CAPA_ENTRY } from './child.js';

/**
 * capa bundled into one plain JavaScript module, for tests that start many child processes:
 * loading the TypeScript sources through tsx costs 1-3 s a process, the bundle about 0.1 s.
 * Packages capa loads lazily (sharp, h5wasm) stay outside, so code that needs them cannot run
 * from the bundle. Returns the bundle's path (inside a fresh temporary folder).
 */
export async function bundleCapa(): Promise<string> {
  const file = join(mkdtempSync(join(tmpdir(), 'capa-bundle-')), 'capa.mjs');
  await build({
    entryPoints: [CAPA_ENTRY],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: file,
    external: ['sharp', 'h5wasm'],
    logLevel: 'warning',
  });
  return file;
}
