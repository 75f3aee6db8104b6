/**
 * Issue 18, defect 9 (BackupAndRestore part): a truncated or corrupt backup used to fail with
 * `Tensor: 132284 values do not fill shape [512, 512]`. Keras's BackupAndRestore fails too when its
 * backup cannot be read (it never silently starts over), so capa refuses it with a message naming
 * the file and the weight, and checks every size the header claims before allocating anything.
 */
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callbacks, layers, Sequential, Tensor } from '../../src/index.js';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'capa-backup-bad-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function model(units = 512): Sequential {
  const m = new Sequential([new layers.Dense(units, { inputShape: [512], name: 'wide' }), new layers.Dense(1, { name: 'out' })]);
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  return m;
}

const x = new Tensor(new Float32Array(4 * 512).fill(0.5), [4, 512]);
const y = new Tensor(new Float32Array(4).fill(1), [4, 1]);

/** Runs one epoch that leaves its backup behind, and returns the backup's path. */
async function backup(dir: string): Promise<string> {
  await model().fit(x, y, {
    epochs: 1,
    verbose: 0,
    callbacks: [new callbacks.BackupAndRestore(dir, { deleteCheckpoint: false })],
  });
  return join(dir, 'latest.state');
}

async function resume(dir: string, units = 512): Promise<void> {
  await model(units).fit(x, y, { epochs: 2, verbose: 0, callbacks: [new callbacks.BackupAndRestore(dir)] });
}

describe('BackupAndRestore with a damaged backup (issue 18, defect 9)', () => {
  it('names the truncated file and the weight that does not fit', async () => {
    const dir = join(root, 'truncated');
    const file = await backup(dir);
    truncateSync(file, 600_000);
    await expect(resume(dir)).rejects.toThrow(
      `BackupAndRestore: ${file} is truncated or corrupt: model weight #0 of shape [512, 512] needs bytes`,
    );
  });

  it('refuses a header that claims a huge weight before allocating it', async () => {
    const dir = join(root, 'huge');
    const file = await backup(dir);
    // encodeState's layout: magic, header length, JSON header, padding to 4 bytes, then the values
    // (here 4 bytes, where the header claims 40 GB).
    const header = Buffer.from(
      JSON.stringify({ version: 1, epoch: 1, batch: 0, model: [{ shape: [100000, 100000], dtype: 'float32' }], optimizer: [] }),
    );
    const start = Buffer.alloc(12);
    start.write('CAPABKP1', 'latin1');
    start.writeUInt32LE(header.length, 8);
    const padding = Buffer.alloc((4 - ((12 + header.length) % 4)) % 4);
    writeFileSync(file, Buffer.concat([start, header, padding, Buffer.alloc(4)]));
    await expect(resume(dir)).rejects.toThrow(
      /model weight #0 of shape \[100000, 100000\] needs bytes \d+\.\.40000000\d+, but the file ends at/,
    );
  });

  it('names the weight when the backup was saved from another model', async () => {
    const dir = join(root, 'other');
    await backup(dir);
    await expect(resume(dir, 256)).rejects.toThrow(
      /was saved from a different model: weight wide\/kernel expects shape \[512, 256\], the backup has \[512, 512\]/,
    );
  });
});
