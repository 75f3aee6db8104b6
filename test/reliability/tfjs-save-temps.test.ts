/**
 * Defect 9 of issue 18 (the saving part): temporary files of killed saves (up to a whole model
 * each) were never removed. Every save (.keras, .h5, saveWeights, TensorFlow.js, ModelCheckpoint,
 * BackupAndRestore) now removes the ones left at its destination by writers that are gone (or
 * that are over an hour old), and never one a live writer may still be writing.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callbacks, layers, models, Sequential, Tensor } from '../../src/index.js';

let live: ChildProcess;
/** A process that has exited: its pid names no writer. */
const deadPid = spawnSync('true').pid;

beforeAll(() => {
  live = spawn('sleep', ['60'], { stdio: 'ignore' });
});
afterAll(() => {
  live.kill();
});

/** Leaves temporaries beside `target`; returns the names that must survive the next save there. */
function leaveTemps(target: string): string[] {
  const dir = join(target, '..');
  const name = target.slice(dir.length + 1);
  mkdirSync(dir, { recursive: true });
  const write = (file: string, hoursOld = 0) => {
    writeFileSync(join(dir, file), new Uint8Array(1024));
    const when = new Date(Date.now() - hoursOld * 3600_000);
    utimesSync(join(dir, file), when, when);
    return file;
  };
  write(`.${name}.${deadPid}-k1-0.tmp`); // a killed save's
  write(`.${name}.${deadPid}.3.tmp`); // a killed save's, as older versions named them
  write(`.${name}.${live.pid}-k3-0.tmp`, 2); // a live pid, but two hours old: a reused pid
  return [
    write(`.${name}.${live.pid}-k2-0.tmp`), // being written by a live process
    write(`.other.keras.${deadPid}-k4-0.tmp`), // another destination's
    write(`.${name}.notapid.tmp`), // not a name capa writes
  ];
}

function model(): Sequential {
  const m = new Sequential([new layers.Dense(2, { inputShape: [3] })]);
  m.compile({ optimizer: 'adam', loss: 'mse' });
  return m;
}

async function fitWith(m: Sequential, callback: callbacks.Callback): Promise<void> {
  const x = new Tensor(new Float32Array(12), [4, 3]);
  const y = new Tensor(new Float32Array(8), [4, 2]);
  await m.fit(x, y, { epochs: 1, verbose: 0, callbacks: [callback] });
}

const saves: [string, string[], (dir: string) => Promise<void>][] = [
  ['model.save .keras', ['m.keras'], (d) => model().save(join(d, 'm.keras'))],
  ['model.save .h5', ['m.h5'], (d) => model().save(join(d, 'm.h5'))],
  ['saveWeights', ['w.weights.h5'], (d) => model().saveWeights(join(d, 'w.weights.h5'))],
  ['ModelCheckpoint', ['ckpt.keras'], (d) => fitWith(model(), new callbacks.ModelCheckpoint(join(d, 'ckpt.keras')))],
  [
    'BackupAndRestore',
    ['latest.state', 'training_metadata.json'],
    (d) => fitWith(model(), new callbacks.BackupAndRestore(d, { deleteCheckpoint: false })),
  ],
];

describe('temporary files of killed saves', () => {
  it.each(saves)('%s removes the stale ones at its destination and keeps the rest', async (_name, targets, save) => {
    const dir = mkdtempSync(join(tmpdir(), 'capa-temps-'));
    const kept = targets.flatMap((target) => leaveTemps(join(dir, target)));
    await save(dir);
    expect(readdirSync(dir).sort()).toEqual([...new Set([...targets, ...kept])].sort());
  });

  it('a TensorFlow.js save removes stale temporaries and the shards of a save killed before its model.json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'capa-temps-tfjs-'));
    const kept = leaveTemps(join(dir, 'model.json'));
    const orphan = `group1-shard1of1.${deadPid}-x1.bin`;
    writeFileSync(join(dir, orphan), new Uint8Array(40));
    writeFileSync(join(dir, `.${orphan}.${deadPid}-k5-0.tmp`), new Uint8Array(40));
    const other = `group1-shard1of1.${live.pid}-x2.bin`; // a live save's, its model.json still to come
    writeFileSync(join(dir, other), new Uint8Array(40));
    const m = model();
    await m.save(`${dir}/`);
    const shards = readdirSync(dir).filter((f) => f.endsWith('.bin') && f !== other);
    expect(shards).toHaveLength(1);
    expect(readdirSync(dir).sort()).toEqual([...kept, other, 'model.json', ...shards].sort());
    // Saving again replaces the shards: the previous save's are removed once the new model.json is in place.
    await m.save(`${dir}/`);
    const next = readdirSync(dir).filter((f) => f.endsWith('.bin') && f !== other);
    expect(next).toHaveLength(1);
    expect(next[0]).not.toBe(shards[0]);
  });

  it('a TensorFlow.js save keeps the shards another model JSON in the same folder names', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'capa-temps-tfjs-two-'));
    const [a, b] = [model(), model()];
    await a.save(join(dir, 'a.json'));
    await b.save(join(dir, 'b.json'));
    await a.save(join(dir, 'a.json'));
    const loaded = await models.loadModel(join(dir, 'b.json'));
    expect(Array.from(loaded.weights[0]!.dataSync())).toEqual(Array.from(b.weights[0]!.dataSync()));
    expect(readdirSync(dir).filter((f) => f.endsWith('.bin'))).toHaveLength(2);
  });

  it('concurrent saves to one destination never remove what the other is writing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'capa-temps-concurrent-'));
    const m = model();
    await Promise.all(Array.from({ length: 4 }, () => m.save(join(dir, 'm.keras'))));
    await Promise.all(Array.from({ length: 4 }, () => m.save(`${dir}/tfjs/`, { weightShardSizeBytes: 16 })));
    expect(readdirSync(dir).sort()).toEqual(['m.keras', 'tfjs']);
    await models.loadModel(join(dir, 'm.keras'));
    await models.loadModel(join(dir, 'tfjs'));
  });
});
