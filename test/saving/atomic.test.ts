import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFileBytes, writeFileAtomic, writeFilesAtomic } from '../../src/saving/io/node-fs.js';

describe('atomic file writes', () => {
  it('writes through a temporary name and leaves only the target', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'capa-atomic-'));
    await writeFileAtomic(join(dir, 'model.keras'), Uint8Array.of(1, 2, 3));
    expect(await readdir(dir)).toEqual(['model.keras']);
    expect(Array.from(await readFileBytes(join(dir, 'model.keras')))).toEqual([1, 2, 3]);
  });

  it('replaces an existing file only when the new one is complete, and creates missing folders', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'capa-atomic-'));
    const target = join(dir, 'sub', 'deeper', 'w.h5');
    await writeFileAtomic(target, Uint8Array.of(1));
    await writeFileAtomic(target, Uint8Array.of(9, 9));
    expect(Array.from(await readFile(target))).toEqual([9, 9]);
    expect(await readdir(join(dir, 'sub', 'deeper'))).toEqual(['w.h5']);
  });

  it('on failure leaves the old files untouched and no temporary files behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'capa-atomic-'));
    await writeFile(join(dir, 'model.json'), 'old');
    await mkdir(join(dir, 'shard.bin')); // a folder where a file must go: the write must fail
    await expect(
      writeFilesAtomic([
        { path: join(dir, 'model.json'), bytes: new TextEncoder().encode('new') },
        { path: join(dir, 'shard.bin'), bytes: Uint8Array.of(1) },
      ]),
    ).rejects.toThrow(/shard\.bin: is a folder/);
    expect(await readFile(join(dir, 'model.json'), 'utf8')).toBe('old');
    expect((await readdir(dir)).sort()).toEqual(['model.json', 'shard.bin']);
  });

  it('names a missing file', async () => {
    await expect(readFileBytes('/nonexistent/capa/model.keras')).rejects.toThrow(
      /\/nonexistent\/capa\/model\.keras: no such file/,
    );
  });

  it('names the file that stands where a folder must be created', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'capa-atomic-'));
    await writeFile(join(dir, 'plain'), 'x');
    await expect(writeFileAtomic(join(dir, 'plain', 'sub', 'm.keras'), Uint8Array.of(1))).rejects.toThrow(
      /sub\/m\.keras: cannot create the folder '.*\/plain\/sub': '.*\/plain' is a file, not a folder/,
    );
  });
});
