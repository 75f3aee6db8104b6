/**
 * Node's builtins for reading and writing files by path, loaded on first use so that merely
 * importing capa costs nothing. (Browser twin: ../browser/node-modules.ts.)
 */
type FsPromises = typeof import('node:fs/promises');
type PathModule = typeof import('node:path');
type OsModule = typeof import('node:os');
type CryptoModule = typeof import('node:crypto');
type ZlibModule = typeof import('node:zlib');
type CreateRequire = typeof import('node:module').createRequire;

export interface NodeModules {
  fs: FsPromises;
  path: PathModule;
  os: OsModule;
  crypto: CryptoModule;
  zlib: ZlibModule;
  module: { createRequire: CreateRequire };
}

let modules: Promise<NodeModules> | null = null;

export function nodeModules(): Promise<NodeModules> {
  modules ??= (async () => {
    try {
      const [fs, path, os, crypto, zlib, module] = await Promise.all([
        import('node:fs/promises'),
        import('node:path'),
        import('node:os'),
        import('node:crypto'),
        import('node:zlib'),
        import('node:module'),
      ]);
      return { fs, path, os, crypto, zlib, module: { createRequire: module.createRequire } };
    } catch (error) {
      modules = null;
      throw new Error(
        `Reading and writing files by path needs Node.js (node:fs could not be loaded: ${error instanceof Error ? error.message : String(error)}). ` +
          'Outside Node, use the byte-level functions (saveModelToBytes / loadModelFromBytes).',
      );
    }
  })();
  return modules;
}
