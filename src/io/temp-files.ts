/**
 * Temporary files of atomic writes, named `.<target>.<pid>-<time>-<n>.tmp` beside their target.
 * The writer's process id in the name lets a later save tell a temp left by a killed save from
 * one another live save is writing now, so stale temps (up to a whole model each) are removed on
 * the next save to the same place instead of piling up.
 */
import { errorCode, nodeModules } from './node.js';

/** A temp whose writer may still be alive (a reused pid, another host) counts as stale after this long. */
export const STALE_AFTER_MS = 60 * 60 * 1000;

/**
 * Files this process is writing now (temps, and the shards of a save not yet committed). Kept on
 * globalThis so two copies of capa loaded in one process (a bundle and the package) share it.
 */
const inProgress: Set<string> = ((globalThis as Record<symbol, unknown>)[Symbol.for('capa.io.inProgress')] ??=
  new Set<string>()) as Set<string>;

/** Marks a file (an absolute path) as being written by this process, so no cleanup here removes it; returns `path`. */
export function claim(path: string): string {
  inProgress.add(path);
  return path;
}

export function release(path: string): void {
  inProgress.delete(path);
}

let counter = 0;

/** The temporary name beside `target` (a full path), claimed for this process. */
export function tempPathFor(target: string, path: typeof import('node:path')): string {
  const name = `.${path.basename(target)}.${process.pid}-${Date.now().toString(36)}-${(counter++).toString(36)}.tmp`;
  return claim(path.resolve(path.dirname(target), name));
}

/** `.<target>.<pid>-<time>-<n>.tmp`, and `.<target>.<pid>.<n>.tmp` written by earlier versions. */
const TEMP_NAME = /^\.(.+)\.(\d+)(?:-[0-9a-z]+-[0-9a-z]+|\.\d+)\.tmp$/;

/** The target name and writer pid of a temp file's name, or null when the name is not one of ours. */
export function parseTempName(name: string): { target: string; pid: number } | null {
  const match = TEMP_NAME.exec(name);
  return match ? { target: match[1]!, pid: Number(match[2]) } : null;
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
}

/**
 * Whether a file written by process `pid` (last modified at `mtimeMs`) is left over from a save
 * that will never finish: this process is not writing it, and its writer is gone or it is old.
 */
export function isStale(file: string, pid: number, mtimeMs: number): boolean {
  if (inProgress.has(file)) return false;
  if (pid === process.pid) return true;
  return !processIsAlive(pid) || Date.now() - mtimeMs > STALE_AFTER_MS;
}

/** Removes `file` when it is a regular file left over by a dead writer (best effort). */
export async function removeIfStale(file: string, pid: number): Promise<void> {
  const { fs } = await nodeModules();
  const stat = await fs.lstat(file).catch(() => null);
  if (stat?.isFile() && isStale(file, pid, stat.mtimeMs)) await fs.rm(file, { force: true }).catch(() => undefined);
}

/** Removes the stale temps in `dir` whose target name passes `isTarget` (best effort: errors are ignored). */
export async function removeStaleTemps(dir: string, isTarget: (name: string) => boolean): Promise<void> {
  const { fs, path } = await nodeModules();
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  await Promise.all(
    names.map((name) => {
      const temp = parseTempName(name);
      return temp && isTarget(temp.target) ? removeIfStale(path.resolve(dir, name), temp.pid) : undefined;
    }),
  );
}
