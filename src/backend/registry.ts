/**
 * Which backend ops run on, and the backends that can be chosen. Registration is open: a backend
 * (WebGPU, wasm, a test backend) plugs in with `registerBackend(name, factory)` and is then chosen
 * like the built-in ones.
 */

import { loadNativeBackend } from '#platform/native-backend';
import type { Backend } from './backend.js';
import { JsBackend } from './js/index.js';

/** A backend's name: the built-in 'native' and 'js', or any registered one. */
export type BackendName = 'native' | 'js' | (string & {});

/** Makes the backend; throws, saying why, when it cannot run here. Called once, on first use. */
export type BackendFactory = () => Backend;

function createNative(): Backend {
  const native = loadNativeBackend();
  if (!native.backend) throw new Error(`the native addon is not available (${native.reason})`);
  return native.backend;
}

/** Factories in order of preference for `availableBackends` (native first: it is the fast one). */
const factories = new Map<string, BackendFactory>([
  ['native', createNative],
  ['js', () => new JsBackend()],
]);
/** Backends made so far, one per name. */
const made = new Map<string, Backend>();

let current: Backend | null = null;
let noticeShown = false;

/** The backend ops run on; chosen on first use (CAPA_BACKEND, else native when it loads, else js). */
export function backend(): Backend {
  return current ?? chooseDefault();
}

function chooseDefault(): Backend {
  const env = envVar('CAPA_BACKEND');
  if (env !== undefined && env !== '') {
    if (!factories.has(env)) {
      throw new Error(`CAPA_BACKEND must name a registered backend (${quoted([...factories.keys()])}), received '${env}'.`);
    }
    setBackend(env);
    return current as Backend;
  }
  const native = loadNativeBackend();
  if (native.backend) {
    current = native.backend;
  } else {
    current = backendNamed('js');
    if (!noticeShown) {
      noticeShown = true;
      console.warn(`capa: native backend unavailable (${native.reason}); using the TypeScript backend.`);
    }
  }
  return current;
}

/**
 * Adds a backend that `setBackend(name)` can select. The factory runs on first use; an existing
 * name is refused (the built-in backends cannot be replaced by accident).
 */
export function registerBackend(name: string, factory: BackendFactory): void {
  if (typeof name !== 'string' || name === '')
    throw new Error(`registerBackend: the name must be a non-empty string, received ${String(name)}.`);
  if (factories.has(name)) throw new Error(`registerBackend: a backend named '${name}' is already registered.`);
  factories.set(name, factory);
}

/** The backend registered under `name`, made on first use; throws naming the backend and why it cannot run. */
export function backendNamed(name: string, caller = 'setBackend'): Backend {
  const existing = made.get(name);
  if (existing) return existing;
  const factory = factories.get(name);
  if (!factory) {
    throw new Error(`${caller}: unknown backend '${String(name)}'; registered backends are ${quoted([...factories.keys()])}.`);
  }
  let created: Backend;
  try {
    created = factory();
  } catch (err) {
    const reason = (err as Error).message.replace(/\.$/, '');
    throw new Error(`${caller}('${name}'): ${reason}.`);
  }
  if (created.name !== name) {
    throw new Error(`${caller}: the factory registered as '${name}' made a backend named '${created.name}'.`);
  }
  made.set(name, created);
  return created;
}

/** Selects the backend ops run on; throws with the reason when it cannot run here (e.g. no native addon). */
export function setBackend(name: BackendName): void {
  current = backendNamed(name);
}

export function getBackend(): BackendName {
  return backend().name;
}

/** Names of the registered backends that can run here (the native one only when its addon loads). */
export function availableBackends(): BackendName[] {
  return [...factories.keys()].filter((name) => {
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
