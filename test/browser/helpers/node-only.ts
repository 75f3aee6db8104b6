/**
 * What must never reach a browser bundle of capa: Node's builtins, the packages and files that
 * only run in Node (sharp and its libvips loader, h5wasm's Node entry, the native addon's loader,
 * worker_threads pools, the CLI, the Node platform modules).
 */
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';

const NODE_ONLY_FILES: readonly RegExp[] = [
  /[\\/]node_modules[\\/](sharp|@img|detect-libc)[\\/]/,
  /[\\/]node_modules[\\/]h5wasm[\\/]dist[\\/]node[\\/]/,
  /[\\/]platform[\\/]node[\\/]/,
  // the addon's loader; native.ts (the kernels' TypeScript side) is shared with the wasm backend
  /[\\/]backend[\\/]native[\\/]load\.[jt]s$/,
  /[\\/]data[\\/]workers[\\/](pool|image-worker)\.[jt]s$/,
  /[\\/]cli[\\/]/,
];

const builtins = new Set(builtinModules);

/** True for `node:fs`, `fs`, `fs/promises`, ... */
export function isNodeBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || builtins.has(specifier) || builtins.has(specifier.split('/')[0] as string);
}

/** The module ids (bundled files or imports left external) that are Node-only, with why. */
export function nodeOnlyModules(moduleIds: Iterable<string>): string[] {
  const found: string[] = [];
  for (const id of moduleIds) {
    if (isNodeBuiltin(id)) found.push(`${id} (a Node builtin)`);
    else if (NODE_ONLY_FILES.some((re) => re.test(id))) found.push(`${id} (runs only in Node)`);
  }
  return found;
}

/** esbuild's metafile: every bundled input plus every import it left external. */
export function esbuildModuleIds(metafile: {
  inputs: Record<string, { imports: { path: string; external?: boolean }[] }>;
}): string[] {
  const ids = new Set(Object.keys(metafile.inputs));
  for (const input of Object.values(metafile.inputs)) for (const imp of input.imports) if (imp.external) ids.add(imp.path);
  return [...ids];
}

/**
 * Whether the package holding `importer` maps `specifier` to nothing in its package.json `browser`
 * field (protobufjs's `"fs": false`): its own guarded optional require, which bundlers replace by
 * an empty module, not Node-only code.
 */
export function mappedAwayForBrowsers(specifier: string, importer: string): boolean {
  for (let dir = dirname(importer); dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const browser = (JSON.parse(readFileSync(file, 'utf8')) as { browser?: unknown }).browser;
    return typeof browser === 'object' && browser !== null && (browser as Record<string, unknown>)[specifier] === false;
  }
  return false;
}
