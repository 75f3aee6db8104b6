/**
 * The wasm module is shipped prebuilt (wasm/dist/) so that a clone without emscripten runs it; its
 * stamp is the hash of the kernel sources and build flags it was built from, and this test fails
 * when they changed without a rebuild (`npm run build:wasm`).
 */
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const build = (await import(pathToFileURL(join(root, 'scripts', 'build-wasm.mjs')).href)) as {
  wasmStamp(): string;
  shippedStamp(): { sources: string; emscripten: string } | null;
};

it('the shipped wasm module was built from the current kernel sources and flags', () => {
  const shipped = build.shippedStamp();
  expect(shipped, 'wasm/dist/stamp.json is missing: run `npm run build:wasm`').not.toBeNull();
  expect(shipped?.sources, 'wasm/dist is stale: run `npm run build:wasm` (needs emscripten)').toBe(build.wasmStamp());
});
