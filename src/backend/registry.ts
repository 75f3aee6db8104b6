/**
 * Which backend ops run on, and the backends that can be chosen. Registration is open: a backend
 * (WebGPU, wasm, a test backend) plugs in with `registerBackend(name, factory)` and is then chosen
 * like the built-in ones.
 */

import { loadNativeBackend } from '#platform/native-backend';
import type { Backend } from './backend.js';
import { JsBackend } from './js/index.js';
import { loadsAsynchronously, loadWasmBackend } from './wasm/load.js';
import { loadWasmBackendAsync } from './wasm/load-async.js';

/** A backend's name: the built-in 'native', 'wasm' and 'js', or any registered one. */
export type BackendName = 'native' | 'wasm' | 'js' | (string & {});

/** Makes the backend; throws, saying why, when it cannot run here. Called once, on first use. */
export type BackendFactory = () => Backend;
/**
 * Makes a backend that must wait to start (a GPU adapter and device are requested asynchronously);
 * rejects, saying why, when it cannot run here. Chosen with `await setBackend(name)`.
 */
export type AsyncBackendFactory = () => Promise<Backend>;

interface Registered {
  make: BackendFactory | AsyncBackendFactory;
  async: boolean;
  /**
   * For a backend that starts synchronously in Node but must load first elsewhere (wasm in a
   * browser): a promise that `setBackend` awaits before `make`, or null when none is needed here.
   */
  prepare?: () => Promise<unknown> | null;
}

function createNative(): Backend {
  const native = loadNativeBackend();
  if (!native.backend) throw new Error(`the native addon is not available (${native.reason})`);
  return native.backend;
}

function createWasm(): Backend {
  const wasm = loadWasmBackend();
  if (!wasm.backend) throw new Error(`the wasm backend is not available (${wasm.reason})`);
  return wasm.backend;
}

/** The WebGPU backend's code is loaded only when it is chosen (it imports Dawn in Node). */
async function createWebGpu(): Promise<Backend> {
  const { createWebGpuBackend } = await import('./webgpu/create.js');
  return createWebGpuBackend();
}

/**
 * Factories in order of preference for `availableBackends` and the default choice: native (the
 * fastest), then wasm (the same kernels compiled to WebAssembly, shipped prebuilt), then js; webgpu
 * is asynchronous and chosen only by name.
 */
const factories = new Map<string, Registered>([
  ['native', { make: createNative, async: false }],
  ['wasm', { make: createWasm, async: false, prepare: () => (loadsAsynchronously() ? loadWasmBackendAsync() : null) }],
  ['js', { make: () => new JsBackend(), async: false }],
  ['webgpu', { make: createWebGpu, async: true }],
]);
/** Backends made so far, one per name. */
const made = new Map<string, Backend>();
/** Asynchronous backends being made, so concurrent `setBackend` calls share one initialization. */
const starting = new Map<string, Promise<Backend>>();

let current: Backend | null = null;
let noticeShown = false;

/** The backend ops run on; chosen on first use (CAPA_BACKEND, else the first of native, wasm, js that loads). */
export function backend(): Backend {
  return current ?? chooseDefault();
}

function chooseDefault(): Backend {
  const env = envVar('CAPA_BACKEND');
  if (env !== undefined && env !== '') {
    if (!factories.has(env)) {
      throw new Error(`CAPA_BACKEND must name a registered backend (${quoted([...factories.keys()])}), received '${env}'.`);
    }
    current = backendNamed(env, 'CAPA_BACKEND');
    return current;
  }
  const native = loadNativeBackend();
  if (native.backend) {
    current = native.backend;
    return current;
  }
  const wasm = loadWasmBackend();
  current = wasm.backend ?? backendNamed('js');
  if (!noticeShown) {
    noticeShown = true;
    const fallback = wasm.backend
      ? 'using the wasm backend (the same kernels compiled to WebAssembly)'
      : `the wasm backend is unavailable too (${wasm.reason}); using the TypeScript backend`;
    console.warn(`capa: native backend unavailable (${native.reason}); ${fallback}.`);
  }
  return current;
}

/**
 * Adds a backend that `setBackend(name)` can select. The factory runs on first use; an existing
 * name is refused (the built-in backends cannot be replaced by accident). With `{ async: true }`
 * the factory returns a promise, and the backend becomes usable once `await setBackend(name)` has
 * returned.
 */
export function registerBackend(name: string, factory: BackendFactory, options?: { async?: false }): void;
export function registerBackend(name: string, factory: AsyncBackendFactory, options: { async: true }): void;
export function registerBackend(
  name: string,
  factory: BackendFactory | AsyncBackendFactory,
  options: { async?: boolean } = {},
): void {
  if (typeof name !== 'string' || name === '')
    throw new Error(`registerBackend: the name must be a non-empty string, received ${String(name)}.`);
  if (factories.has(name)) throw new Error(`registerBackend: a backend named '${name}' is already registered.`);
  factories.set(name, { make: factory, async: options.async === true });
}

/** The backend registered under `name`, made on first use; throws naming the backend and why it cannot run. */
export function backendNamed(name: string, caller = 'setBackend'): Backend {
  const existing = made.get(name);
  if (existing) return existing;
  const entry = registered(name, caller);
  if (entry.async) {
    throw new Error(
      `${caller}: the '${name}' backend starts asynchronously and has not been started; call \`await capa.setBackend('${name}')\` first.`,
    );
  }
  let created: Backend;
  try {
    created = (entry.make as BackendFactory)();
  } catch (err) {
    throw new Error(`${caller}('${name}'): ${reasonOf(err)}.`);
  }
  return adopt(name, created, caller);
}

function registered(name: string, caller: string): Registered {
  const entry = factories.get(name);
  if (!entry) {
    throw new Error(`${caller}: unknown backend '${String(name)}'; registered backends are ${quoted([...factories.keys()])}.`);
  }
  return entry;
}

function reasonOf(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).replace(/\.$/, '');
}

function adopt(name: string, created: Backend, caller: string): Backend {
  if (created.name !== name) {
    throw new Error(`${caller}: the factory registered as '${name}' made a backend named '${created.name}'.`);
  }
  made.set(name, created);
  return created;
}

/** Makes an asynchronous backend once; a failure is not remembered, so a later call tries again. */
function start(name: string, entry: Registered): Promise<Backend> {
  let pending = starting.get(name);
  if (!pending) {
    pending = (entry.make as AsyncBackendFactory)().then(
      (created) => adopt(name, created, 'setBackend'),
      (err: unknown) => {
        throw new Error(`setBackend('${name}'): ${reasonOf(err)}.`);
      },
    );
    pending.finally(() => starting.delete(name)).catch(() => {});
    starting.set(name, pending);
  }
  return pending;
}

/**
 * Selects the backend ops run on and resolves once it is active. A backend that starts
 * synchronously (native, js, wasm in Node) is active when this returns, and one that cannot run
 * here throws at once with the reason; an asynchronous one (webgpu, and wasm in a browser, which
 * fetches its module) is active when the promise resolves, and when it cannot run the promise
 * rejects with the reason while the current backend stays in place.
 */
export function setBackend(name: BackendName): Promise<void> {
  const entry = made.has(name) ? null : registered(name, 'setBackend');
  const preparing = entry?.prepare?.();
  if (preparing) {
    return preparing.then(
      () => {
        current = backendNamed(name);
      },
      (err: unknown) => {
        throw new Error(`setBackend('${name}'): ${reasonOf(err)}.`);
      },
    );
  }
  if (entry === null || !entry.async) {
    current = backendNamed(name);
    return Promise.resolve();
  }
  return start(name, entry).then((created) => {
    current = created;
  });
}

/**
 * Resolves once the default backend is active: the one CAPA_BACKEND names (started asynchronously
 * when it needs to be, as webgpu does), else native or js.
 */
export async function ready(): Promise<void> {
  const env = envVar('CAPA_BACKEND');
  if (current === null && env !== undefined && env !== '' && factories.get(env)?.async === true) await setBackend(env);
  backend();
}

export function getBackend(): BackendName {
  return backend().name;
}

/**
 * Names of the registered backends that can run here (the native one only when its addon loads).
 * An asynchronous backend (webgpu) is listed once `await setBackend(name)` has started it.
 */
export function availableBackends(): BackendName[] {
  return [...factories.keys()].filter((name) => {
    if (factories.get(name)?.async === true) return made.has(name);
    try {
      backendNamed(name);
      return true;
    } catch {
      return false;
    }
  });
}

function quoted(names: readonly string[]): string {
  return names.map((n) => `'${n}'`).join(', ');
}

function envVar(name: string): string | undefined {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return proc?.env?.[name];
}
