/**
 * Defect 2 of issue 18 (TensorFlow.js part): a small model.json must not make capa read or
 * allocate more than its shard files really hold. Each hostile folder is loaded in one child
 * process whose peak RSS is measured; each must be refused with an error naming the file.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { layers, Sequential } from '../../src/index.js';
import { runInChild } from './helpers/child.js';

const SHARD_BYTES = 8 * 1024 * 1024;

interface Case {
  /** What the folder holds. */
  name: string;
  /** The error the load must fail with. */
  error: RegExp;
}

let root: string;
const cases: Case[] = [];

/** A folder with a real model.json whose manifest is replaced by `manifest`, plus whatever `extra` puts beside it. */
function hostileFolder(name: string, manifest: unknown[], extra: (folder: string) => void, error: RegExp): void {
  const folder = join(root, name);
  mkdirSync(folder);
  const json = JSON.parse(readFileSync(join(root, 'good', 'model.json'), 'utf8')) as Record<string, unknown>;
  json.weightsManifest = manifest;
  writeFileSync(join(folder, 'model.json'), JSON.stringify(json));
  extra(folder);
  cases.push({ name, error });
}

/** A manifest whose one weight claims `bytes` bytes, in the given shards. */
function claiming(bytes: number, paths: string[]): unknown[] {
  return [{ paths, weights: [{ name: 'dense/kernel', shape: [bytes / 4], dtype: 'float32' }] }];
}

function eightMiBShard(file: string): void {
  writeFileSync(file, '');
  truncateSync(file, SHARD_BYTES);
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'capa-tfjs-bombs-'));
  await new Sequential([new layers.Dense(1000, { inputShape: [2048] })]).save(join(root, 'good/'));
  hostileFolder(
    'one-shard-listed-1000-times',
    claiming(1000 * SHARD_BYTES, Array(1000).fill('big.bin')),
    (f) => eightMiBShard(join(f, 'big.bin')),
    /model\.json: weightsManifest\[0\] lists shard 'big\.bin' twice/,
  );
  hostileFolder(
    'one-shard-behind-1000-links',
    claiming(
      1000 * SHARD_BYTES,
      Array.from({ length: 1000 }, (_, i) => `s${i}.bin`),
    ),
    (f) => {
      eightMiBShard(join(f, 'big.bin'));
      for (let i = 0; i < 1000; i++) symlinkSync('big.bin', join(f, `s${i}.bin`));
    },
    /model\.json: shard 's1\.bin' is the same file as shard 's0\.bin'/,
  );
  hostileFolder(
    'claims-8-GiB-holds-8-MiB',
    claiming(1000 * SHARD_BYTES, ['big.bin']),
    (f) => eightMiBShard(join(f, 'big.bin')),
    /model\.json: weight 'dense\/kernel' needs bytes 0\.\.8388608000 .* hold 8388608 bytes; a shard is truncated or missing/,
  );
  hostileFolder(
    'shard-links-to-dev-zero',
    claiming(1000 * SHARD_BYTES, ['zero.bin']),
    (f) => symlinkSync('/dev/zero', join(f, 'zero.bin')),
    /zero\.bin: is a device, not a regular file; refusing to read it/,
  );
  hostileFolder(
    'shard-is-a-fifo',
    claiming(SHARD_BYTES, ['fifo.bin']),
    (f) => execFileSync('mkfifo', [join(f, 'fifo.bin')]),
    /fifo\.bin: is a FIFO \(named pipe\), not a regular file/,
  );
  hostileFolder(
    'shard-is-a-folder',
    claiming(SHARD_BYTES, ['dir.bin']),
    (f) => mkdirSync(join(f, 'dir.bin')),
    /dir\.bin: is a folder, not a regular file/,
  );
  hostileFolder(
    'shard-outside-the-folder',
    claiming(SHARD_BYTES, ['../good/model.json']),
    () => undefined,
    /model\.json: refusing weight shard path '\.\.\/good\/model\.json': it has a "\.\." component/,
  );
  const linked = join(root, 'model-json-links-to-dev-zero');
  mkdirSync(linked);
  symlinkSync('/dev/zero', join(linked, 'model.json'));
  cases.push({ name: 'model-json-links-to-dev-zero', error: /model\.json: is a device, not a regular file/ });
});

describe('TensorFlow.js bombs: small folders that claim gigabytes', () => {
  it('each is refused with an error naming the file, peak RSS under 300 MiB', async () => {
    const result = await runInChild(
      `const results = {};
for (const name of ${JSON.stringify(cases.map((c) => c.name))}) {
  try {
    await capa.models.loadModel(${JSON.stringify(root)} + '/' + name);
    results[name] = 'loaded';
  } catch (e) {
    results[name] = e.message;
  }
}
console.log(JSON.stringify(results));`,
      { timeoutMs: 60_000 },
    );
    expect(result.error).toBeNull();
    const results = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Record<string, string>;
    for (const { name, error } of cases) expect(results[name], name).toMatch(error);
    console.log(`peak RSS ${result.peakRssMiB.toFixed(0)} MiB for ${cases.length} hostile folders`);
    expect(result.peakRssMiB).toBeLessThan(300);
  });
});
