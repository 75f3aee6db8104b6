/**
 * Defect 6 of issue 18 (the saving part): a save into a folder that cannot be created on procfs
 * (`/proc/x`) never settled: Node's recursive mkdir retries forever there. Every save path and
 * `capa train --output` must fail at once with an error naming the folder.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { encodePng } from '../../src/plot/png-encode.js';
import { runInChild } from './helpers/child.js';

const CLI_RUN = fileURLToPath(new URL('../../src/cli/run.ts', import.meta.url));

/** A two-class folder of 8x8 grey PNGs, enough for `capa train` to get to its output folder. */
function imageFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'capa-procfs-images-'));
  for (const [name, base] of [
    ['dark', 30],
    ['light', 200],
  ] as const) {
    mkdirSync(join(dir, name));
    for (let i = 0; i < 4; i++) writeFileSync(join(dir, name, `${i}.png`), encodePng(new Uint8Array(64).fill(base + i), 8, 8, 1));
  }
  return dir;
}

describe.runIf(process.platform === 'linux')('saving into procfs', () => {
  it('every save path and capa train --output fail within a second, naming the folder', async () => {
    const images = imageFolder();
    const result = await runInChild(
      `const model = new capa.Sequential([new capa.layers.Dense(2, { inputShape: [3] })]);
model.compile({ optimizer: 'sgd', loss: 'mse' });
const x = new capa.Tensor(new Float32Array(12), [4, 3]);
const y = new capa.Tensor(new Float32Array(8), [4, 2]);
const fit = (callback) => model.fit(x, y, { epochs: 1, verbose: 0, callbacks: [callback] });
const { main } = await import(${JSON.stringify(CLI_RUN)});
let stderr = '';
const write = process.stderr.write.bind(process.stderr);
const cases = {
  keras: () => model.save('/proc/x/m.keras'),
  h5: () => model.save('/proc/x/m.h5'),
  tfjs: () => model.save('/proc/x/tfjs/'),
  weights: () => model.saveWeights('/proc/x/w.weights.h5'),
  checkpoint: () => fit(new capa.callbacks.ModelCheckpoint('/proc/x/ckpt.keras')),
  backup: () => fit(new capa.callbacks.BackupAndRestore('/proc/x/backup')),
  cli: async () => {
    process.stderr.write = (chunk) => ((stderr += chunk), true);
    const code = await main(['train', ${JSON.stringify(images)}, '--output', '/proc/x/out', '--epochs', '1', '--image-size', '8', '--backend', 'js']);
    process.stderr.write = write;
    throw new Error('exit ' + code + ': ' + stderr.trim());
  },
};
// Load what a save loads (zip, HDF5, the CLI) first: the cases below time the failure alone.
const warm = await (await import('node:fs/promises')).mkdtemp('/tmp/capa-procfs-warm-');
await model.save(warm + '/m.keras');
await model.save(warm + '/m.h5');
await model.saveWeights(warm + '/w.weights.h5');
const results = {};
for (const [name, run] of Object.entries(cases)) {
  const start = performance.now();
  try {
    await run();
    results[name] = { error: null };
  } catch (e) {
    results[name] = { error: e.message };
  }
  results[name].ms = performance.now() - start;
}
console.log(JSON.stringify(results));`,
      { timeoutMs: 30_000 },
    );
    expect(result.timedOut).toBe(false);
    expect(result.error).toBeNull();
    const results = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Record<string, { error: string | null; ms: number }>;
    console.log(
      Object.entries(results)
        .map(([name, r]) => `${name} ${r.ms.toFixed(0)} ms: ${r.error}`)
        .join('\n'),
    );
    expect(Object.keys(results)).toHaveLength(7);
    for (const [name, { error, ms }] of Object.entries(results)) {
      expect(error, name).toMatch(/cannot create the folder '\/proc\/x(\/out)?': the filesystem refused/);
      expect(ms, name).toBeLessThan(1000);
    }
    expect(results.cli!.error).toMatch(/^exit 1: capa: error: --output \/proc\/x\/out: /);
  });
});
