/**
 * The per-ISA kernel libraries must not define weak (COMDAT) symbols: the linker keeps one copy
 * of each, and an AVX-512-compiled copy handed to baseline code would crash CPUs without AVX-512.
 * (native/src/kernels/isa.h explains the rule; this checks the built libraries with `nm`.)
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const release = fileURLToPath(new URL('../../native/build/Release', import.meta.url));
const libraries = ['capa_kernels_avx512.a', 'capa_kernels_avx2.a', 'capa_kernels_scalar.a'].map((f) => join(release, f));
const hasNm = spawnSync('nm', ['--version']).status === 0;
const built = libraries.filter((f) => existsSync(f));

describe.skipIf(!hasNm || built.length === 0)('native build', () => {
  it('keeps every ISA library free of weak symbols another ISA could be linked against', () => {
    for (const lib of built) {
      const out = spawnSync('nm', ['-C', '--defined-only', lib], { encoding: 'utf8', maxBuffer: 1 << 26 });
      expect(out.status, `nm ${lib}`).toBe(0);
      const weak = out.stdout.split('\n').filter((line) => / [WVu] /.test(line));
      expect(weak, `${lib} defines weak symbols`).toEqual([]);
    }
  });
});
