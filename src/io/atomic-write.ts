/**
 * Writing files so that a crash never leaves a half-written one where a good one was: each goes
 * to a temporary name in its target's folder (same filesystem, so the rename is atomic), is
 * flushed, and only when every one is complete are they renamed into place, in the given order
 * (put the file that points at the others, e.g. `model.json`, last). Every save, of every
 * format and from every callback, writes through here, so one naming of temporary files lets
 * the next save clean the ones a killed save left behind.
 */
import { makeFolder } from './make-folder.js';
import { errorMessage, nodeModules } from './node.js';
import { release, removeStaleTemps, tempPathFor } from './temp-files.js';

/** A failed write: `file` is the path it was about, `reason` what went wrong. */
export class FileWriteError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'FileWriteError';
  }
}

export interface FileToWrite {
  path: string;
  bytes: Uint8Array | string;
}

/** Flushes a folder's entries (the renames into it) to disk where the platform allows it. */
async function syncFolder(dir: string): Promise<void> {
  const { fs } = await nodeModules();
  const handle = await fs.open(dir, 'r').catch(() => null);
  if (handle === null) return;
  await handle.sync().catch(() => undefined);
  await handle.close();
}

/** Writes the files all-or-nothing per file; on failure the temporaries are removed and the targets are unchanged. */
export async function writeFilesAtomic(files: readonly FileToWrite[]): Promise<void> {
  const { fs, path } = await nodeModules();
  const temps: string[] = [];
  let current = files[0]?.path ?? '<none>';
  try {
    const folders = [...new Set(files.map((file) => path.dirname(file.path)))];
    for (const folder of folders) {
      // Named after the last file there: the one that points at the others (model.json).
      const file = files.filter((f) => path.dirname(f.path) === folder).at(-1)!.path;
      await makeFolder(folder).catch((error: unknown) => {
        throw new FileWriteError(file, errorMessage(error));
      });
    }
    for (const folder of folders) {
      const targets = new Set(files.filter((f) => path.dirname(f.path) === folder).map((f) => path.basename(f.path)));
      await removeStaleTemps(folder, (name) => targets.has(name));
    }
    for (const file of files) {
      current = file.path;
      const stat = await fs.stat(file.path).catch(() => null);
      if (stat?.isDirectory()) throw new FileWriteError(file.path, 'is a folder; cannot write a file there.');
      const temp = tempPathFor(file.path, path);
      temps.push(temp);
      const handle = await fs.open(temp, 'wx');
      try {
        await handle.writeFile(file.bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    for (let i = 0; i < files.length; i++) {
      current = files[i]!.path;
      // The last file points at the others: they must be on disk before it is.
      if (i === files.length - 1 && i > 0) await Promise.all(folders.map(syncFolder));
      await fs.rename(temps[i]!, current);
    }
  } catch (error) {
    await Promise.all(temps.map((temp) => fs.rm(temp, { force: true }).catch(() => undefined)));
    if (error instanceof FileWriteError) throw error;
    throw new FileWriteError(current, `could not be written: ${errorMessage(error)}`);
  } finally {
    for (const temp of temps) release(temp);
  }
}

/** `writeFilesAtomic` for one file. */
export function writeFileAtomic(file: string, bytes: Uint8Array | string): Promise<void> {
  return writeFilesAtomic([{ path: file, bytes }]);
}
