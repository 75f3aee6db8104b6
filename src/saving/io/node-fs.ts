/**
 * File access for Node. Everything here is reached through a dynamic import so the portable core
 * (tensor, layers, models) never loads `node:fs`; browsers use the byte-level APIs instead.
 * Reads refuse what is not a regular file (a device, a FIFO, a folder: `/dev/zero` behind a
 * symlink would never end) and read no more than the size they were told to expect.
 */
import { type FileToWrite, FileWriteError, writeFilesAtomic as writeFilesAtomicIo } from '../../io/atomic-write.js';
import { errorCode, nodeModules } from '../../io/node.js';
import { describeError, SavingError } from '../errors.js';

export type { FileToWrite };
export { nodeModules };

/** Opening without blocking: a FIFO swapped in after the size check must not hang the open. */
async function openForReading(file: string) {
  const { fs } = await nodeModules();
  const { constants } = fs;
  return fs.open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
}

function readError(file: string, error: unknown): SavingError {
  if (error instanceof SavingError) return error;
  const code = errorCode(error);
  if (code === 'ENOENT') return new SavingError(file, 'no such file.');
  if (code === 'EISDIR') return new SavingError(file, 'is a folder, not a file.');
  return new SavingError(file, `cannot be read: ${describeError(error)}`);
}

function kindOf(stat: import('node:fs').Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

export interface RegularFile {
  size: number;
  /** Device and inode: the same for two names (links) of one file. */
  identity: string;
}

/** Size and identity of a regular file (following symlinks); a SavingError naming the file for anything else. */
export async function regularFile(file: string): Promise<RegularFile> {
  const { fs } = await nodeModules();
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) throw new SavingError(file, `is ${kindOf(stat)}, not a regular file; refusing to read it.`);
    return { size: stat.size, identity: `${stat.dev}:${stat.ino}` };
  } catch (error) {
    throw readError(file, error);
  }
}

/** Reads exactly `into.length` bytes of a regular file into `into`; refuses a file whose size is not that. */
export async function readFileInto(file: string, into: Uint8Array): Promise<void> {
  try {
    const handle = await openForReading(file);
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) throw new SavingError(file, `is ${kindOf(stat)}, not a regular file; refusing to read it.`);
      if (stat.size !== into.length)
        throw new SavingError(file, `has ${stat.size} bytes, ${into.length} expected; it changed while being read.`);
      let at = 0;
      while (at < into.length) {
        const { bytesRead } = await handle.read(into, at, into.length - at, at);
        if (bytesRead === 0)
          throw new SavingError(file, `ended after ${at} of ${into.length} bytes; it changed while being read.`);
        at += bytesRead;
      }
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw readError(file, error);
  }
}

/**
 * The whole of a regular file, with an error naming the path when it is missing, unreadable, not
 * a regular file, or larger than `maxBytes`.
 */
export async function readFileBytes(file: string, maxBytes = Number.MAX_SAFE_INTEGER): Promise<Uint8Array> {
  const { size } = await regularFile(file);
  if (size > maxBytes) throw new SavingError(file, `has ${size} bytes, more than the ${maxBytes} such a file may have.`);
  const bytes = new Uint8Array(size);
  await readFileInto(file, bytes);
  return bytes;
}

export type PathKind = 'file' | 'directory' | 'missing';

export async function pathKind(file: string): Promise<PathKind> {
  const { fs } = await nodeModules();
  try {
    const stat = await fs.stat(file);
    return stat.isDirectory() ? 'directory' : 'file';
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    throw new SavingError(file, `cannot be inspected: ${describeError(error)}`);
  }
}

/** `writeFilesAtomic` of io/atomic-write.ts, failing with a SavingError naming the file. */
export async function writeFilesAtomic(files: readonly FileToWrite[]): Promise<void> {
  try {
    await writeFilesAtomicIo(files);
  } catch (error) {
    if (error instanceof FileWriteError) throw new SavingError(error.file, error.reason);
    throw error;
  }
}

/** `writeFilesAtomic` for one file. */
export function writeFileAtomic(file: string, bytes: Uint8Array): Promise<void> {
  return writeFilesAtomic([{ path: file, bytes }]);
}
