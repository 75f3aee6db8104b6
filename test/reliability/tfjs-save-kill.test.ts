/**
 * Defect 1 of issue 18: a TensorFlow.js save killed with SIGKILL at a random moment must leave
 * the folder loading as one of the two models saved there, or failing with a clear error; never
 * as a mix of the two. A child process saves two models alternately into one folder (49 shards
 * each) and is killed at random moments; after each kill the folder is loaded here.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { layers, models, Sequential, Tensor } from '../../src/index.js';
import { bundleCapa } from './helpers/capa-bundle.js';

const INPUTS = 1000;
const UNITS = 50;
/** 200 KB of weights in 4 KB shards: 49 shards a save. */
const SHARD_BYTES = 4096;
const KILLS = 20;

/**
 * Saves model A (every weight 1) and model B (every weight 2) alternately, forever, from the
 * moment a line arrives on stdin (so the next saver can start up while this one is being killed).
 */
function saverScript(bundle: string): string {
  return `import { Sequential, Tensor, layers } from ${JSON.stringify(pathToFileURL(bundle).href)};
const [folder, first] = process.argv.slice(2);
function filled(value) {
  const model = new Sequential([new layers.Dense(${UNITS}, { inputShape: [${INPUTS}] })]);
  for (const w of model.weights) w.assign(new Tensor(new Float32Array(w.size).fill(value), w.shape));
  return model;
}
const models = [filled(1), filled(2)];
process.stdout.write('ready\\n');
await new Promise((resolve) => process.stdin.once('data', resolve));
for (let i = Number(first); ; i++) {
  await models[i % 2].save(folder + '/', { weightShardSizeBytes: ${SHARD_BYTES} });
}
`;
}

interface Saver {
  child: ChildProcess;
  ready: Promise<void>;
}

function startSaver(script: string, folder: string, first: number): Saver {
  const child = spawn(process.execPath, [script, folder, String(first)], {
    env: { ...process.env, CAPA_BACKEND: 'js' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  return { child, ready: waitForReady(child) };
}

function waitForReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('ready')) resolve();
    });
    child.on('exit', (code, signal) => reject(new Error(`the saver exited early (${code ?? signal}): ${out}`)));
  });
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.on('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** 1 or 2 when every weight of the loaded model has that value, else a description of the mix. */
async function whichModel(folder: string): Promise<string> {
  let values: Set<number>;
  try {
    const model = await models.loadModel(folder, { compile: false });
    values = new Set(model.weights.flatMap((w) => Array.from(w.dataSync())));
  } catch (error) {
    return `error: ${(error as Error).message}`;
  }
  return values.size === 1 ? `model ${[...values][0]}` : `MIX of ${[...values].join(', ')}`;
}

describe('TensorFlow.js saves killed at random moments', () => {
  let script: string;
  beforeAll(async () => {
    const bundle = await bundleCapa();
    script = join(dirname(bundle), 'saver.mjs');
    writeFileSync(script, saverScript(bundle));
  });

  it(`${KILLS} kills of a process saving two models alternately: each load is one model or a clear error, never a mix`, async () => {
    const folder = join(mkdtempSync(join(tmpdir(), 'capa-tfjs-kill-')), 'model');
    const outcomes: string[] = [];
    let next = startSaver(script, folder, 0);
    for (let kill = 0; kill < KILLS; kill++) {
      const saver = next;
      await saver.ready;
      saver.child.stdin!.write('go\n');
      if (kill + 1 < KILLS) next = startSaver(script, folder, kill + 1);
      // A save takes tens to hundreds of milliseconds (49 files, each flushed): a random moment in the first few.
      await new Promise((r) => setTimeout(r, Math.random() * 250));
      await killed(saver.child);
      outcomes.push(await whichModel(folder));
    }
    expect(outcomes.filter((o) => o.startsWith('MIX'))).toEqual([]);
    for (const outcome of outcomes) expect(outcome).toMatch(/^model [12]$|^error: .*: (no such file|shard ')/);
    expect(outcomes.filter((o) => o.startsWith('model')).length).toBeGreaterThan(KILLS / 2);

    // The next save removes what the killed ones left (their shards and temporary files).
    const survivor = await models.loadModel(folder, { compile: false });
    await survivor.save(`${folder}/`);
    const manifest = JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8')) as { weightsManifest: { paths: string[] }[] };
    expect(readdirSync(folder).sort()).toEqual(['model.json', ...manifest.weightsManifest[0]!.paths].sort());
  });

  it('a folder whose shards come from another save, or lack one, is refused naming the shard', async () => {
    const root = mkdtempSync(join(tmpdir(), 'capa-tfjs-mixed-'));
    const build = (value: number) => {
      const model = new Sequential([new layers.Dense(4, { inputShape: [300] })]);
      for (const w of model.weights) w.assign(new Tensor(new Float32Array(w.size).fill(value), w.shape));
      return model;
    };
    const shardsOf = (folder: string) =>
      readdirSync(folder)
        .filter((f) => f.endsWith('.bin'))
        .sort();
    await build(1).save(`${root}/a/`, { weightShardSizeBytes: 1024 });
    await build(2).save(`${root}/b/`, { weightShardSizeBytes: 1024 });
    const [a, b] = [shardsOf(join(root, 'a')), shardsOf(join(root, 'b'))];
    expect(a.length).toBe(5);
    // The old layout's accident: a shard of the other model under this save's name.
    copyFileSync(join(root, 'b', b[2]!), join(root, 'a', a[2]!));
    await expect(models.loadModel(join(root, 'a'))).rejects.toThrow(
      new RegExp(
        `a/model\\.json: shard '${a[2]!.replace(/\./g, '\\.')}' does not match model\\.json .*mixes files of different saves`,
      ),
    );
    rmSync(join(root, 'a', a[2]!));
    await expect(models.loadModel(join(root, 'a'))).rejects.toThrow(
      /a\/model\.json: shard '.*' is missing from .*\/a; the save .* was interrupted/,
    );
  });
});
