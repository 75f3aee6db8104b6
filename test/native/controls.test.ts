/** The public controls of the native backend: nativeInfo, setNumThreads, CAPA_ISA and CAPA_NUM_THREADS. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as capa from '../../src/index.js';
import { nativeBackend } from './harness.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Runs a snippet in a fresh node (so environment variables are read at load) and returns its stdout. */
function runFresh(env: Record<string, string>, code: string): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  return { stdout: r.stdout.trim(), stderr: r.stderr, status: r.status };
}

describe.skipIf(!nativeBackend)('native controls', () => {
  it('reports the instruction set, the supported sets (scalar always) and the thread count', () => {
    const info = capa.nativeInfo();
    expect(info).not.toBeNull();
    expect(info?.isas).toContain('scalar');
    expect(info?.isas).toContain(info?.isa);
    expect(info?.threads).toBeGreaterThanOrEqual(1);
  });

  it('resizes the thread pool and rejects a non-positive count', () => {
    const before = capa.nativeInfo()?.threads ?? 1;
    capa.setNumThreads(3);
    expect(capa.nativeInfo()?.threads).toBe(3);
    const a = capa.randomNormal([300, 200], { seed: 1 });
    const b = capa.randomNormal([200, 100], { seed: 2 });
    const three = capa.ops.matmul(a, b).dataSync().slice();
    capa.setNumThreads(1);
    expect(Array.from(capa.ops.matmul(a, b).dataSync())).toEqual(Array.from(three));
    capa.setNumThreads(before);
    expect(() => capa.setNumThreads(0)).toThrow(/setNumThreads: expected a positive integer/);
  });

  it('reads CAPA_ISA and CAPA_NUM_THREADS at load', () => {
    const r = runFresh(
      { CAPA_ISA: 'scalar', CAPA_NUM_THREADS: '3' },
      "const capa = await import('./src/index.ts'); const i = capa.nativeInfo(); console.log(i.isa, i.threads);",
    );
    expect(r.stdout, r.stderr).toBe('scalar 3');
  });

  it('falls back to the wasm backend (native > wasm > js), with one notice, when CAPA_ISA names an unknown set', () => {
    const r = runFresh(
      { CAPA_ISA: 'sse9' },
      "const capa = await import('./src/index.ts'); capa.ops.add(capa.scalar(1), capa.scalar(2)); console.log(capa.getBackend());",
    );
    expect(r.stdout).toBe('wasm');
    expect(r.stderr).toMatch(/native backend unavailable \(the native addon failed to load: CAPA_ISA names an instruction set/);
    expect(r.stderr.match(/native backend unavailable/g)?.length).toBe(1);
  });
});
