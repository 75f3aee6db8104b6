/**
 * `node:fs/promises` and `node:path`, reached through a dynamic import so the portable core
 * (tensor, layers, models, training) never loads them; a clear error where there is no Node.
 */
type FsPromises = typeof import('node:fs/promises');
type PathModule = typeof import('node:path');

export interface NodeModules {
  fs: FsPromises;
  path: PathModule;
}

let modules: Promise<NodeModules> | null = null;

export function nodeModules(): Promise<NodeModules> {
  modules ??= (async () => {
    try {
      const [fs, path] = await Promise.all([import('node:fs/promises'), import('node:path')]);
      return { fs, path };
    } catch (error) {
      modules = null;
      throw new Error(
        `Reading and writing files by path needs Node.js (node:fs could not be loaded: ${errorMessage(error)}). ` +
          'Outside Node, use the byte-level functions (saveModelToBytes / loadModelFromBytes).',
      );
    }
  })();
  return modules;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The `code` of a Node system error (ENOENT, EEXIST, ...), or undefined. */
export function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}
