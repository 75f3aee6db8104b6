import type { Backend } from '../backend.js';

export interface NativeLoadResult {
  backend: Backend | null;
  reason: string;
}

let cached: NativeLoadResult | null = null;

/**
 * Loads the N-API addon once. Reached only through Node's `process.getBuiltinModule`, so the
 * core stays importable where there is no Node (browsers, Deno, Bun) and simply falls back.
 */
export function loadNativeBackend(): NativeLoadResult {
  if (cached) return cached;
  cached = { backend: null, reason: 'the native addon has not been built yet' };
  return cached;
}
