/** Compiles bench/wasm-peak.c to a standalone .wasm with emcc (Node only; see ./wasm-peak.ts). */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The module's bytes (it exports `peak(iters)`), or null when emcc is not installed. */
export function buildWasmPeak(): Uint8Array | null {
  const out = join(tmpdir(), `capa-wasm-peak-${process.pid}.wasm`);
  const src = fileURLToPath(new URL('./wasm-peak.c', import.meta.url));
  const cc = spawnSync('emcc', ['-O3', '-msimd128', '--no-entry', '-sSTANDALONE_WASM', '-o', out, src], {
    env: { ...process.env, NODE_PATH: '/usr/share/nodejs' },
  });
  return cc.status === 0 ? readFileSync(out) : null;
}
