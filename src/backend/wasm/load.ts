/**
 * Loads the wasm backend's module (wasm/dist/, shipped in the package) in Node, synchronously so
 * that `setBackend('wasm')` and the default choice (native > wasm > js) need no await. Reached only
 * through `process.getBuiltinModule`, so the core stays importable where there is no Node. A
 * browser instantiates the module asynchronously (./load-async.ts, `await setBackend('wasm')`),
 * which hands its result to `adoptWasmModule`.
 */
import type { WasmExports, WasmMemory, WasmModule } from './module.js';
import { WasmBackend } from './wasm-backend.js';

export interface WasmLoadResult {
  backend: WasmBackend | null;
  reason: string;
}

/** Where the module is, relative to the package root (scripts/build-wasm.mjs writes it). */
const DIST = ['wasm', 'dist'];

/**
 * Which build to load: threads need SharedArrayBuffer, which a browser grants only to pages that
 * are cross-origin isolated (COOP/COEP headers); Node always has it.
 */
export function wasmVariant(
  scope: { crossOriginIsolated?: boolean; SharedArrayBuffer?: unknown } = globalThis,
): 'threads' | 'single' {
  if (typeof scope.SharedArrayBuffer !== 'function') return 'single';
  const inBrowser = typeof (globalThis as { window?: unknown }).window !== 'undefined';
  return !inBrowser || scope.crossOriginIsolated === true ? 'threads' : 'single';
}

interface NodeBuiltins {
  env: Record<string, string | undefined>;
  getBuiltinModule(id: 'node:module'): { createRequire(path: string): (id: string) => unknown };
  getBuiltinModule(id: 'node:fs'): { existsSync(path: string): boolean; readFileSync(path: string): Uint8Array };
  getBuiltinModule(id: 'node:path'): { join(...parts: string[]): string; dirname(path: string): string };
  getBuiltinModule(id: 'node:url'): { fileURLToPath(url: string): string };
  getBuiltinModule(id: 'node:os'): { availableParallelism(): number };
}

/** The emscripten factory's module argument and result (only what is used here). */
interface EmscriptenModuleArg {
  capaPoolSize: number;
  wasmBinary: Uint8Array;
  instantiateWasm(
    imports: Record<string, Record<string, unknown>>,
    receive: (instance: unknown, module: unknown) => void,
  ): unknown;
  print(text: string): void;
  printErr(text: string): void;
}

let cached: WasmLoadResult | null = null;

/** The wasm backend, loaded once; `reason` says why not when it cannot load. */
export function loadWasmBackend(): WasmLoadResult {
  if (cached) return cached;
  // Not remembered: the asynchronous loader may still instantiate the module.
  if (loadsAsynchronously()) return { backend: null, reason: ASYNC_ONLY };
  cached = tryLoad();
  return cached;
}

const ASYNC_ONLY = "where there is no Node.js (a browser) it loads asynchronously: call `await capa.setBackend('wasm')` first";

/** The backend if the module has been loaded, without loading it. */
export function loadedWasmBackend(): WasmBackend | null {
  return cached?.backend ?? null;
}

/** True outside Node (a browser page or worker): the module is fetched and instantiated asynchronously. */
export function loadsAsynchronously(): boolean {
  const proc = (globalThis as { process?: { versions?: { node?: unknown } } }).process;
  return typeof proc?.versions?.node !== 'string';
}

/** Makes the backend over a module the asynchronous loader instantiated; later loads return it. */
export function adoptWasmModule(mod: WasmModule): WasmLoadResult {
  if (mod.poolSize > 1) mod.exports._capa_set_threads(mod.poolSize);
  cached = { backend: new WasmBackend(mod), reason: '' };
  return cached;
}

/**
 * The module's memory: the threads build imports its (shared) memory, the single build exports it;
 * the glue minifies both names, so the memory is found by its type.
 */
export function memoryAmong(
  imports: Record<string, Record<string, unknown>>,
  exports: Record<string, unknown>,
  Memory: abstract new (...args: never[]) => WasmMemory,
): WasmMemory | null {
  const candidates = [...Object.values(imports).flatMap((ns) => Object.values(ns)), ...Object.values(exports)];
  return (candidates.find((v) => v instanceof Memory) as WasmMemory | undefined) ?? null;
}

function tryLoad(): WasmLoadResult {
  const proc = (globalThis as { process?: Partial<NodeBuiltins> }).process;
  if (!proc || typeof proc.getBuiltinModule !== 'function') {
    return { backend: null, reason: 'loading it synchronously needs Node.js >= 20.16 (process.getBuiltinModule)' };
  }
  if (typeof (globalThis as { WebAssembly?: unknown }).WebAssembly !== 'object') {
    return { backend: null, reason: 'this JavaScript engine has no WebAssembly' };
  }
  const node = proc as NodeBuiltins;
  const fs = node.getBuiltinModule('node:fs');
  const path = node.getBuiltinModule('node:path');
  const here = node.getBuiltinModule('node:url').fileURLToPath(import.meta.url);
  let dir = path.dirname(here);
  let dist: string | null = null;
  for (let i = 0; i < 8 && !dist; i++) {
    if (fs.existsSync(path.join(dir, ...DIST, 'stamp.json'))) dist = path.join(dir, ...DIST);
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  if (!dist) return { backend: null, reason: 'wasm/dist was not found next to the package (run `npm run build:wasm`)' };
  const variant = wasmVariant();
  const requested = Number(node.env.CAPA_NUM_THREADS);
  const threads =
    variant === 'threads'
      ? requested >= 1
        ? Math.floor(requested)
        : node.getBuiltinModule('node:os').availableParallelism()
      : 1;
  try {
    const require = node.getBuiltinModule('node:module').createRequire(here);
    const factory = require(path.join(dist, `capa-${variant}.js`)) as (arg: EmscriptenModuleArg) => unknown;
    const wasmBinary = fs.readFileSync(path.join(dist, `capa-${variant}.wasm`));
    let memory: WasmMemory | null = null;
    const arg: EmscriptenModuleArg = {
      capaPoolSize: threads,
      wasmBinary,
      // Instantiated here, synchronously (Node allows it for any size), instead of the glue's
      // asynchronous path: the module is ready when the factory returns.
      instantiateWasm(imports, receive) {
        const W = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;
        const module = new W.Module(wasmBinary);
        const instance = new W.Instance(module, imports);
        memory = memoryAmong(imports, instance.exports, W.Memory);
        receive(instance, module);
        return instance.exports;
      },
      print: (text) => console.log(text),
      printErr: (text) => console.warn(text),
    };
    factory(arg);
    if (!memory) return { backend: null, reason: 'the wasm module did not instantiate' };
    const exports = arg as unknown as WasmExports;
    return adoptWasmModule({ exports, memory, variant, poolSize: threads });
  } catch (error) {
    return { backend: null, reason: `the wasm module failed to load: ${(error as Error).message}` };
  }
}

interface WebAssemblyApi {
  Memory: abstract new (...args: never[]) => WasmMemory;
  Module: new (bytes: Uint8Array) => unknown;
  Instance: new (module: unknown, imports: unknown) => { exports: Record<string, unknown> };
}
