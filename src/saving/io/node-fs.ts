/**
 * File access for Node. Everything here is reached through a dynamic import so the portable core
 * (tensor, layers, models) never loads `node:fs`; browsers use the byte-level APIs instead.
 */
import { describeError, SavingError } from '../errors.js';

type FsPromises = typeof import('node:fs/promises');
type PathModule = typeof import('node:path');

interface NodeModules {
  fs: FsPromises;
  path: PathModule;
}

let modules: Promise<NodeModules> | null = null;

/** `node:fs/promises` and `node:path`, loaded on first use; a clear error where there is no Node. */
export function nodeModules(): Promise<NodeModules> {
  modules ??= (async () => {
    try {
      const [fs, path] = await Promise.all([import('node:fs/promises'), import('node:path')]);
      return { fs, path };
    } catch (error) {
      modules = null;
      throw new Error(
        `Reading and writing files by path needs Node.js (node:fs could not be loaded: ${describeError(error)}). ` +
          'Outside Node, use the byte-level functions (saveModelToBytes / loadModelFromBytes).',
      );
    }
  })();
  return modules;
}

function isErrnoException(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && 'code' in error;
}

/** The whole file, with an error naming the path when it is missing or unreadable. */
export async function readFileBytes(file: string): Promise<Uint8Array> {
  const { fs } = await nodeModules();
  try {
    const buffer = await fs.readFile(file);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch (error) {
    if (isErrnoException(error) && error.code === 'ENOENT') throw new SavingError(file, 'no such file.');
    if (isErrnoException(error) && error.code === 'EISDIR') throw new SavingError(file, 'is a folder, not a file.');
    throw new SavingError(file, `cannot be read: ${describeError(error)}`);
  }
}

export type PathKind = 'file' | 'directory' | 'missing';

export async function pathKind(file: string): Promise<PathKind> {
  const { fs } = await nodeModules();
  try {
    const stat = await fs.stat(file);
    return stat.isDirectory() ? 'directory' : 'file';
  } catch (error) {
    if (isErrnoException(error) && (error.code === 'ENOENT' || error.code === 'ENOTDIR')) return 'missing';
    throw new SavingError(file, `cannot be inspected: ${describeError(error)}`);
  }
}

/** One file of a group written together by `writeFilesAtomic`. */
export interface FileToWrite {
  path: string;
  bytes: Uint8Array;
}

let tempCounter = 0;

function tempNameFor(path: PathModule, target: string): string {
  const unique = `${process.pid}-${Date.now().toString(36)}-${(tempCounter++).toString(36)}`;
  return path.join(path.dirname(target), `.${path.basename(target)}.${unique}.tmp`);
}

/**
 * Writes files so that a crash never leaves a half-written one where a good one was: each goes to
 * a temporary name in its own folder (same filesystem, so the rename is atomic), is flushed, and
 * only when every one is complete are they renamed into place, in the given order (put the file
 * that points at the others, e.g. `model.json`, last). On failure the temporary files are removed
 * and nothing at the target paths has changed.
 */
export async function writeFilesAtomic(files: readonly FileToWrite[]): Promise<void> {
  const { fs, path } = await nodeModules();
  const temps: string[] = [];
  let current = files[0]?.path ?? '<none>';
  try {
    for (const file of files) {
      current = file.path;
      const dir = path.dirname(file.path);
      await fs.mkdir(dir, { recursive: true });
      const kind = await pathKind(file.path);
      if (kind === 'directory') throw new SavingError(file.path, 'is a folder; cannot write a file there.');
      const temp = tempNameFor(path, file.path);
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
      await fs.rename(temps[i]!, current);
    }
  } catch (error) {
    await Promise.all(temps.map((temp) => fs.rm(temp, { force: true }).catch(() => undefined)));
    if (error instanceof SavingError) throw error;
    throw new SavingError(current, `could not be written: ${describeError(error)}`);
  }
}

/** `writeFilesAtomic` for one file. */
export function writeFileAtomic(file: string, bytes: Uint8Array): Promise<void> {
  return writeFilesAtomic([{ path: file, bytes }]);
}
