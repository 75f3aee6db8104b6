/**
 * File access for callbacks and datasets, loaded lazily so the training core imports nothing
 * Node-only. Every write goes to a temporary file in the same folder and is renamed into place,
 * so a crash never leaves a half-written file.
 */

type Fs = typeof import('node:fs/promises');
type Path = typeof import('node:path');

let modules: Promise<{ fs: Fs; path: Path }> | null = null;

export function nodeModules(): Promise<{ fs: Fs; path: Path }> {
  modules ??= Promise.all([import('node:fs/promises'), import('node:path')])
    .then(([fs, path]) => ({ fs, path }))
    .catch(() => {
      modules = null;
      throw new Error('capa: file access needs Node.js (node:fs); this runtime does not provide it.');
    });
  return modules;
}

let tempCounter = 0;

/** Writes data to a temporary name beside `file`, then renames it over `file`; creates the folder. */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const { fs, path } = await nodeModules();
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true });
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${tempCounter++}.tmp`);
  try {
    await fs.writeFile(temp, data);
    await fs.rename(temp, file);
  } catch (e) {
    await fs.rm(temp, { force: true });
    throw e;
  }
}

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
