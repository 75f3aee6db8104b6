/**
 * Node built-ins reached without a static import, so the modules that use them stay loadable by
 * bundlers and non-Node runtimes (DESIGN.md, portable core). Synchronous access goes through
 * `process.getBuiltinModule` (Node >= 20.16); asynchronous callers can use `import()`.
 */
import type * as FsModule from 'node:fs';
import type * as PathModule from 'node:path';
import type * as ZlibModule from 'node:zlib';
import { writeFileAtomic as writeFileAtomicIo } from '../io/atomic-write.js';

interface NodeProcessLike {
  getBuiltinModule?: (id: string) => unknown;
  versions?: { node?: string };
}

function builtin<T>(id: string, what: string): T {
  const proc = (globalThis as { process?: NodeProcessLike }).process;
  const mod = proc?.getBuiltinModule?.(id);
  if (mod === undefined) {
    const version = proc?.versions?.node;
    throw new Error(
      `${what} needs Node.js >= 20.16 (for process.getBuiltinModule('${id}'))` +
        (version ? `; this is Node ${version}.` : '; this runtime is not Node.js.'),
    );
  }
  return mod as T;
}

export function nodeFs(what: string): typeof FsModule {
  return builtin<typeof FsModule>('node:fs', what);
}

export function nodePath(what: string): typeof PathModule {
  return builtin<typeof PathModule>('node:path', what);
}

export function nodeZlib(what: string): typeof ZlibModule {
  return builtin<typeof ZlibModule>('node:zlib', what);
}

/** Writes a file through io/atomic-write.ts (a temporary name in the same folder, renamed into place). */
export async function writeFileAtomic(path: string, bytes: Uint8Array, what: string): Promise<void> {
  try {
    await writeFileAtomicIo(path, bytes);
  } catch (err) {
    throw new Error(`${what}: could not write '${path}': ${(err as Error).message}`);
  }
}
