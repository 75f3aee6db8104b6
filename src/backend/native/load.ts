import type { NativeAddon } from './addon.js';
import { NativeBackend } from './native.js';

export interface NativeLoadResult {
  backend: NativeBackend | null;
  reason: string;
}

let cached: NativeLoadResult | null = null;

/** The subset of Node's builtins the loader uses, typed locally so the core needs no Node types. */
interface NodeBuiltins {
  env: Record<string, string | undefined>;
  getBuiltinModule(id: 'node:module'): { createRequire(path: string): (id: string) => unknown };
  getBuiltinModule(id: 'node:fs'): { existsSync(path: string): boolean };
  getBuiltinModule(id: 'node:path'): {
    join(...parts: string[]): string;
    dirname(path: string): string;
    resolve(path: string): string;
  };
  getBuiltinModule(id: 'node:url'): { fileURLToPath(url: string): string };
}

/** Where the addon is built, relative to the package root (native/binding.gyp's target). */
const ADDON_PATH = ['native', 'build', 'Release', 'capa_native.node'];

/**
 * Loads the N-API addon once. Reached only through Node's `process.getBuiltinModule`, so the
 * core stays importable where there is no Node (browsers, Deno, Bun) and simply falls back.
 */
export function loadNativeBackend(): NativeLoadResult {
  if (cached) return cached;
  cached = tryLoad();
  return cached;
}

function tryLoad(): NativeLoadResult {
  const proc = (globalThis as { process?: Partial<NodeBuiltins> }).process;
  if (!proc || typeof proc.getBuiltinModule !== 'function') {
    return { backend: null, reason: 'not running on Node.js >= 20.16 (process.getBuiltinModule is missing)' };
  }
  const node = proc as NodeBuiltins;
  const fs = node.getBuiltinModule('node:fs');
  const path = node.getBuiltinModule('node:path');
  const here = node.getBuiltinModule('node:url').fileURLToPath(import.meta.url);
  // CAPA_NATIVE_ADDON loads another build of the addon (the sanitizer build of `npm run test:asan`);
  // otherwise the package root is the nearest folder above this file that holds native/binding.gyp.
  const override = node.env.CAPA_NATIVE_ADDON;
  let dir = path.dirname(here);
  let file: string | null = override ? path.resolve(override) : null;
  for (let i = 0; i < 8 && !file; i++) {
    if (fs.existsSync(path.join(dir, 'native', 'binding.gyp'))) {
      file = path.join(dir, ...ADDON_PATH);
      break;
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  if (!file) return { backend: null, reason: 'the native sources were not found next to the package' };
  if (!fs.existsSync(file)) {
    if (override) return { backend: null, reason: `CAPA_NATIVE_ADDON names a file that does not exist: ${override}` };
    return { backend: null, reason: 'the native addon was not built (no C++ compiler at install?); run `npm run build:native`' };
  }
  try {
    const require = node.getBuiltinModule('node:module').createRequire(here);
    const addon = require(file) as NativeAddon;
    return { backend: new NativeBackend(addon), reason: '' };
  } catch (error) {
    return { backend: null, reason: `the native addon failed to load: ${(error as Error).message}` };
  }
}
