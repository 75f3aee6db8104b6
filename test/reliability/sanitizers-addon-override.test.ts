/**
 * CAPA_NATIVE_ADDON loads another build of the addon (`npm run test:asan` points it at the
 * sanitizer build; scripts/test-asan.mjs checks that the tests then really run on it). A path
 * that names nothing must say so, not load the shipped build behind the user's back.
 */
import { describe, expect, it } from 'vitest';
import { runInChild } from './helpers/child.js';

describe('CAPA_NATIVE_ADDON', () => {
  it('names a missing file in the one fallback notice', async () => {
    const r = await runInChild('capa.ops.add(capa.scalar(1), capa.scalar(2)); console.log(capa.getBackend());', {
      env: { CAPA_NATIVE_ADDON: '/nonexistent/capa_native.node' },
      timeoutMs: 30_000,
    });
    expect(r.error).toBeNull();
    // the shipped wasm build is next in line (native > wasm > js)
    expect(r.stdout.trim()).toBe('wasm');
    expect(r.stderr).toMatch(
      /native backend unavailable \(CAPA_NATIVE_ADDON names a file that does not exist: \/nonexistent\/capa_native\.node\)/,
    );
  });
});
