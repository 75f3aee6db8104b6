/**
 * Every engine the ops can run on here: the TypeScript backend, the native backend under each
 * instruction set this CPU supports (switched in process with setIsa, which swaps the kernel table
 * CAPA_ISA would pick at load), and the wasm backend under its two (SIMD128 and scalar). Plain code
 * without vitest, so tools/fuzz.ts uses it too.
 */

import { loadNativeBackend } from '../../src/backend/native/load.js';
import { loadWasmBackend } from '../../src/backend/wasm/load.js';
import { setBackend } from '../../src/index.js';

export interface Engine {
  /** 'js', 'native/<isa>' or 'wasm/<isa>'. */
  name: string;
  /** Makes this engine the one ops run on. */
  use(): void;
}

/**
 * Whether the test matrices include the wasm backend: only under `npm run test:wasm` and
 * `test:wasm:all` (CAPA_TEST_WASM=1), so plain `npm test` runs each matrix on js and native
 * once: see docs/wasm-backend.md for which suites each runs.
 */
export function wasmInTestMatrix(): boolean {
  return process.env.CAPA_TEST_WASM === '1';
}

export function engines(): Engine[] {
  const list: Engine[] = [{ name: 'js', use: () => setBackend('js') }];
  const native = loadNativeBackend().backend;
  for (const isa of native?.info().isas ?? []) {
    list.push({
      name: `native/${isa}`,
      use: () => {
        setBackend('native');
        if (!native?.setIsa(isa)) throw new Error(`setIsa('${isa}') failed`);
      },
    });
  }
  const wasm = wasmInTestMatrix() ? loadWasmBackend().backend : null;
  for (const isa of wasm?.info().isas ?? []) {
    list.push({
      name: `wasm/${isa}`,
      use: () => {
        setBackend('wasm');
        if (!wasm?.setIsa(isa)) throw new Error(`setIsa('${isa}') failed`);
      },
    });
  }
  return list;
}

/** Puts the wasm backend back on its default instruction set (after an engine switched it). */
export function restoreWasmIsa(): void {
  const wasm = loadWasmBackend().backend;
  if (wasm) wasm.setIsa(wasm.info().isas[0] as string);
}

/** The native backend's current instruction set, to restore after switching (null without the addon). */
export function currentIsa(): string | null {
  return loadNativeBackend().backend?.info().isa ?? null;
}
