/**
 * File access for callbacks and datasets, loaded lazily so the training core imports nothing
 * Node-only. Every write goes through io/atomic-write.ts (a temporary file in the same folder,
 * renamed into place), so a crash never leaves a half-written file and the next write cleans
 * the temporary files of a killed one.
 */

import { nodeModules } from '../io/node.js';

export { writeFileAtomic } from '../io/atomic-write.js';
export { nodeModules };

export async function fileExists(file: string): Promise<boolean> {
  const { fs } = await nodeModules();
  try {
    await fs.stat(file);
    return true;
  } catch {
    return false;
  }
}

export async function readTextFile(file: string): Promise<string> {
  const { fs } = await nodeModules();
  return fs.readFile(file, 'utf8');
}

export async function readBinaryFile(file: string): Promise<Uint8Array> {
  const { fs } = await nodeModules();
  return new Uint8Array(await fs.readFile(file));
}

export async function removePath(target: string): Promise<void> {
  const { fs } = await nodeModules();
  await fs.rm(target, { recursive: true, force: true });
}

export async function joinPath(...parts: string[]): Promise<string> {
  const { path } = await nodeModules();
  return path.join(...parts);
}
