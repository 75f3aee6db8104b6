/**
 * Defect 1 of issue 18: a TensorFlow.js save killed with SIGKILL at a random moment must leave
 * the folder loading as one of the two models saved there (or failing with a clear error); never
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
  process.stdout.write('saved\\n');
}
`;
}

interface Saver {
  child: ChildProcess;
  ready: Promise<void>;
  /** When each of its saves finished (performance.now()). */
  savesDone: number[];
}

function startSaver(script: string, folder: string, first: number): Saver {
  const child = spawn(process.execPath, [script, folder, String(first)], {
    env: { ...process.env, CAPA_BACKEND: 'js' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const savesDone: number[] = [];
  const ready = new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      for (const _ of d.toString().matchAll(/saved/g)) savesDone.push(performance.now());
      out += d;
      if (out.includes('ready')) resolve();
    });
    child.on('exit', (code, signal) => reject(new Error(`the saver exited early (${code ?? signal}): ${out}`)));
  });
  return { child, ready, savesDone };
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

/** A one-layer model whose every weight is `value`. */
function filled(value: number, inputs: number, units: number): Sequential {
  const model = new Sequential([new layers.Dense(units, { inputShape: [inputs] })]);
  for (const w of model.weights) w.assign(new Tensor(new Float32Array(w.size).fill(value), w.shape));
  return model;
}

describe('TensorFlow.js saves killed at random moments', () => {
  let script: string;
  beforeAll(async () => {
    const bundle = await bundleCapa();
    script = join(dirname(bundle), 'saver.mjs');
    writeFileSync(script, saverScript(bundle));
  });

  it(`${KILLS} kills of a process saving two models alternately: each load is one of the two models, never a mix`, async () => {
    const folder = join(mkdtempSync(join(tmpdir(), 'capa-tfjs-kill-')), 'model');
    // A complete save to start from: from then on a load must always find one of the two models.
    await filled(1, INPUTS, UNITS).save(`${folder}/`, { weightShardSizeBytes: SHARD_BYTES });
    const outcomes: string[] = [];
    // How long a save takes here (49 files, each flushed: tens of ms on an idle disk, a second on a
    // busy one), learned as the kills go, so the kills spread over whole saves, renames included.
    let saveMs = 100;
    let next = startSaver(script, folder, 0);
    for (let kill = 0; kill < KILLS; kill++) {
      const saver = next;
      await saver.ready;
      const start = performance.now();
      saver.child.stdin!.write('go\n');
      if (kill + 1 < KILLS) next = startSaver(script, folder, kill + 1);
      const delay = Math.random() * 2.5 * saveMs;
      await new Promise((r) => setTimeout(r, delay));
      await killed(saver.child);
      const done = saver.savesDone;
      saveMs = done.length > 0 ? (done.at(-1)! - start) / done.length : Math.max(saveMs, delay);
      outcomes.push(await whichModel(folder));
    }
    console.log(
      `after ${KILLS} kills: ${outcomes.filter((o) => o === 'model 1').length} loads of model 1, ${outcomes.filter((o) => o === 'model 2').length} of model 2`,
    );
    expect(outcomes.filter((o) => o.startsWith('MIX'))).toEqual([]);
    for (const outcome of outcomes) expect(outcome).toMatch(/^model [12]$/);

    // The next save removes what the killed ones left (their shards and temporary files).
    const survivor = await models.loadModel(folder, { compile: false });
    await survivor.save(`${folder}/`);
    const manifest = JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8')) as { weightsManifest: { paths: string[] }[] };
    expect(readdirSync(folder).sort()).toEqual(['model.json', ...manifest.weightsManifest[0]!.paths].sort());
  });

  it('a folder whose shards come from another save, or lack one, is refused naming the shard', async () => {
    const root = mkdtempSync(join(tmpdir(), 'capa-tfjs-mixed-'));
    const build = (value: number) => filled(value, 300, 4);
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
