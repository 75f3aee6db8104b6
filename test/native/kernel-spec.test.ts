/**
 * native/spec/kernels.mjs declares every native kernel once; scripts/gen-kernels.mjs makes the
 * TypeScript signatures, op codes, N-API unpacking and kernel table from it, and those files are
 * committed. These tests fail when the committed files no longer match the spec, and check that
 * the built addon exports exactly what the spec declares.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { describeEachIsa } from './harness.js';
import { addonOf } from './helpers/addon.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const generator = join(root, 'scripts', 'gen-kernels.mjs');
const SPEC = 'native/spec/kernels.mjs';
/** The generated files, as the generator lists them (the N-API side, the wasm ABI and their TypeScript). */
const GENERATED = Object.values(((await import(pathToFileURL(generator).href)) as { OUTPUTS: Record<string, string> }).OUTPUTS);

const gen = (...args: string[]) => spawnSync(process.execPath, [generator, ...args], { encoding: 'utf8' });

/** The spec's kernel names (the module is plain JavaScript; its URL keeps TypeScript from typing it). */
async function specKernelNames(): Promise<string[]> {
  const spec = await import(pathToFileURL(join(root, SPEC)).href);
  return (spec.kernels as { name: string }[]).map((k) => k.name);
}

describe('the kernel spec', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'capa-kernel-spec-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('matches the committed generated files', () => {
    const result = gen('--check');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('makes --check fail, naming the files, once the spec changes, until they are generated again', () => {
    for (const path of [SPEC, ...GENERATED]) {
      mkdirSync(dirname(join(scratch, path)), { recursive: true });
      cpSync(join(root, path), join(scratch, path));
    }
    const spec = readFileSync(join(scratch, SPEC), 'utf8');
    writeFileSync(join(scratch, SPEC), spec.replace("'atan2']", "'atan2', 'hypot']"));
    const stale = gen('--check', '--root', scratch);
    expect(stale.status).toBe(1);
    expect(stale.stderr).toContain('src/backend/native/addon.generated.ts');
    expect(stale.stderr).toContain('native/src/gen/spec.generated.h');
    expect(gen('--root', scratch).status).toBe(0);
    expect(gen('--check', '--root', scratch).status).toBe(0);
    const ts = readFileSync(join(scratch, 'src/backend/native/addon.generated.ts'), 'utf8');
    const cpp = readFileSync(join(scratch, 'native/src/gen/spec.generated.h'), 'utf8');
    expect(ts).toContain('hypot: 11,');
    expect(cpp).toMatch(/B_ATAN2,\s+B_HYPOT,\s+B_COUNT/);
  });

  it('refuses a malformed entry, naming the kernel', () => {
    const spec = readFileSync(join(root, SPEC), 'utf8');
    writeFileSync(
      join(scratch, SPEC),
      spec.replace(
        "'rows: int', 'cols: int',\n    ],\n    direct: 'layer_norm'",
        "'rows: int', 'cols: float',\n    ],\n    direct: 'layer_norm'",
      ),
    );
    const result = gen('--check', '--root', scratch);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("kernel 'layerNorm': cannot read the argument 'cols: float'");
  });
});

describeEachIsa(
  'the built addon',
  (native) => {
    it('exports exactly the kernels the spec declares, plus its controls', async () => {
      const exported = Object.keys(addonOf(native)).filter(
        (k) => !['info', 'setIsa', 'setThreads', 'sanitizerSelfTest'].includes(k),
      );
      expect(exported).toEqual(await specKernelNames());
    });
  },
  { addonOnly: true },
);
