/**
 * Loads the wasm backend where there is no Node (a browser page or worker): the emscripten glue,
 * the `.wasm` and, for the threads build, the pthread worker script are fetched from one folder —
 * by default the folder of the script this code was bundled into, else the one `setWasmPaths`
 * names — and instantiated asynchronously. `await capa.setBackend('wasm')` runs it once.
 */
import { adoptWasmModule, memoryAmong, type WasmLoadResult, wasmVariant } from './load.js';
import type { WasmExports, WasmMemory } from './module.js';

interface WasmSettings {
  /** The folder holding capa-{threads,single}.{js,wasm} and capa-threads.worker.js. */
  prefix: string | null;
  /** Workers for the kernel pool (threads build only). */
  threads: number | null;
}

const settings: WasmSettings = { prefix: null, threads: null };

/**
 * Where the browser fetches the wasm backend's files from (`wasm/dist/` of the package, copied
 * next to the bundle by default), and how many threads the threads build starts. Call it before
 * `await capa.setBackend('wasm')`; a relative prefix is resolved against the page.
 */
export function setWasmPaths(prefix: string | URL, options: { threads?: number } = {}): void {
  if (!(typeof prefix === 'string' || prefix instanceof URL) || String(prefix) === '') {
    throw new Error(`setWasmPaths: the prefix must be a non-empty URL or string, received ${String(prefix)}.`);
  }
  const { threads } = options;
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) {
    throw new Error(`setWasmPaths: threads must be an integer >= 1, received ${String(threads)}.`);
  }
  if (pending) throw new Error('setWasmPaths: the wasm backend has already started loading; call it before setBackend.');
  const text = String(prefix);
  settings.prefix = text.endsWith('/') ? text : `${text}/`;
  settings.threads = threads ?? null;
}

interface BrowserGlobals {
  location?: { href: string };
  navigator?: { hardwareConcurrency?: number };
  crossOriginIsolated?: boolean;
  fetch(url: string, init?: { method?: string }): Promise<FetchResponse>;
  WebAssembly: {
    Memory: abstract new (...args: never[]) => WasmMemory;
    instantiate(bytes: ArrayBuffer, imports: unknown): Promise<Instantiated>;
    instantiateStreaming(response: FetchResponse, imports: unknown): Promise<Instantiated>;
  };
}
interface FetchResponse {
  ok: boolean;
  status: number;
  statusText: string;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
}
interface Instantiated {
  instance: { exports: Record<string, unknown> };
  module: unknown;
}
type Imports = Record<string, Record<string, unknown>>;

/** The emscripten factory's module argument (only what is used here). */
interface EmscriptenModuleArg {
  capaPoolSize: number;
  locateFile(path: string): string;
  mainScriptUrlOrBlob: string;
  instantiateWasm(imports: Imports, receive: (instance: unknown, module: unknown) => void): object;
  print(text: string): void;
  printErr(text: string): void;
}
type Factory = (arg: EmscriptenModuleArg) => Promise<EmscriptenModuleArg & { PThread?: PThreadPool }>;
interface PThreadPool {
  unusedWorkers: { loaded?: boolean }[];
}

let pending: Promise<WasmLoadResult> | null = null;

/** Loads the module once; a failure is not remembered, so a later call (after `setWasmPaths`) tries again. */
export function loadWasmBackendAsync(): Promise<WasmLoadResult> {
  pending ??= instantiate().catch((error: unknown) => {
    pending = null;
    throw error;
  });
  return pending;
}

/** The folder of the script capa was bundled into (import.meta.url), else the page's. */
function defaultPrefix(g: BrowserGlobals): string {
  // Through a variable: bundlers rewrite `new URL('literal', import.meta.url)` into asset imports.
  const here = import.meta.url;
  return new URL('./', here || g.location?.href).href;
}

async function fetchOk(g: BrowserGlobals, url: string, what: string): Promise<FetchResponse> {
  let response: FetchResponse;
  try {
    response = await g.fetch(url);
  } catch (error) {
    throw new Error(`${url}: could not be fetched (${(error as Error).message}); ${what}`);
  }
  if (!response.ok) throw new Error(`${url}: could not be fetched: HTTP ${response.status} ${response.statusText}; ${what}`);
  return response;
}

async function instantiate(): Promise<WasmLoadResult> {
  const g = globalThis as unknown as BrowserGlobals;
  if (typeof g.WebAssembly !== 'object') throw new Error('this JavaScript engine has no WebAssembly');
  const variant = wasmVariant();
  const base = new URL(settings.prefix ?? defaultPrefix(g), g.location?.href).href;
  const url = (file: string) => new URL(file, base).href;
  const hint = `serve capa's wasm/dist/ files there, or name their folder with capa.setWasmPaths(url) (docs/wasm-backend.md)`;
  const threads = variant === 'threads' ? (settings.threads ?? Math.max(1, g.navigator?.hardwareConcurrency ?? 1)) : 1;

  const glueUrl = url(`capa-${variant}.js`);
  const glue = await (await fetchOk(g, glueUrl, hint)).text();
  if (variant === 'threads') await fetchOk(g, url('capa-threads.worker.js'), hint);
  // The glue is a classic script (the pthread workers importScripts it too); run as a function
  // it sets `module.exports` to its factory, as under CommonJS.
  const shim: { exports: unknown } = { exports: {} };
  new Function('module', 'exports', glue)(shim, shim.exports);
  const factory = shim.exports as Factory;
  if (typeof factory !== 'function') throw new Error(`${glueUrl}: is not capa's wasm glue (it exports no factory)`);

  let memory: WasmMemory | null = null;
  let failed: (error: Error) => void = () => {};
  const failure = new Promise<never>((_, reject) => {
    failed = reject;
  });
  failure.catch(() => {}); // raced below; a failure after success has no one to tell
  const arg: EmscriptenModuleArg = {
    capaPoolSize: threads,
    locateFile: (file) => url(file),
    mainScriptUrlOrBlob: glueUrl,
    instantiateWasm(imports, receive) {
      const wasmUrl = url(`capa-${variant}.wasm`);
      fetchOk(g, wasmUrl, hint)
        .then((response) =>
          response.headers.get('Content-Type') === 'application/wasm'
            ? g.WebAssembly.instantiateStreaming(response, imports)
            : response.arrayBuffer().then((bytes) => g.WebAssembly.instantiate(bytes, imports)),
        )
        .then(({ instance, module }) => {
          memory = memoryAmong(imports, instance.exports, g.WebAssembly.Memory);
          receive(instance, module);
        })
        .catch((error: Error) => failed(error));
      return {}; // instantiated asynchronously: the glue waits for `receive`
    },
    print: (text) => console.log(text),
    printErr: (text) => console.warn(text),
  };
  const ready = await Promise.race([factory(arg), failure]);
  if (!memory) throw new Error('the wasm module did not instantiate');
  if (variant === 'threads') await workersLoaded(ready.PThread, failure);
  return adoptWasmModule({ exports: ready as unknown as WasmExports, memory, variant, poolSize: threads });
}

/**
 * Waits for the pthread workers to have loaded the module: a browser's main thread cannot start a
 * thread synchronously on a worker that has not, and the kernels' pool starts its threads at once.
 */
async function workersLoaded(pool: PThreadPool | undefined, failure: Promise<never>): Promise<void> {
  if (!pool) throw new Error('the threads build of the wasm module has no worker pool');
  const deadline = performance.now() + 60_000;
  while (!pool.unusedWorkers.every((w) => w.loaded === true)) {
    if (performance.now() > deadline)
      throw new Error(
        'the wasm thread workers did not load within 60 s (capa-threads.worker.js and capa-threads.js must be served)',
      );
    await Promise.race([new Promise((r) => setTimeout(r, 5)), failure]);
  }
}
