import type { Backend } from './backend.js';
import { JsBackend } from './js/index.js';
import { loadNativeBackend } from './native/load.js';

export type BackendName = 'native' | 'js';

let current: Backend | null = null;
let noticeShown = false;

/** The backend ops run on; chosen on first use (CAPA_BACKEND, else native when it loads, else js). */
export function backend(): Backend {
  return current ?? chooseDefault();
}

function chooseDefault(): Backend {
  const env = envVar('CAPA_BACKEND');
  if (env === 'js' || env === 'native') {
    setBackend(env);
    return current as Backend;
  }
  if (env !== undefined && env !== '') {
    throw new Error(`CAPA_BACKEND must be 'native' or 'js', received '${env}'.`);
  }
  const native = loadNativeBackend();
  if (native.backend) {
    current = native.backend;
  } else {
    current = new JsBackend();
    if (!noticeShown) {
      noticeShown = true;
      console.warn(`capa: native backend unavailable (${native.reason}); using the TypeScript backend.`);
    }
  }
  return current;
}

/** Selects a backend by name; 'native' throws with the reason when the addon cannot load. */
export function setBackend(name: BackendName): void {
  if (name === 'js') {
    current = new JsBackend();
    return;
  }
  if (name === 'native') {
    const native = loadNativeBackend();
    if (!native.backend) throw new Error(`setBackend('native'): the native addon is not available (${native.reason}).`);
    current = native.backend;
    return;
  }
  throw new Error(`setBackend: unknown backend '${String(name)}'; expected 'native' or 'js'.`);
}

/**
 * Runs ops on a backend written outside capa (a class extending BaseBackend); returns the backend
 * it replaces, so a caller can put it back with `useBackend(previous)`. docs/backends.md.
 */
export function useBackend(instance: Backend): Backend {
  const previous = backend();
  current = instance;
  return previous;
}

export function getBackend(): BackendName {
  return backend().name as BackendName;
}

/** Names of the backends that can run here (the native one only when its addon loads). */
export function availableBackends(): BackendName[] {
  return loadNativeBackend().backend ? ['native', 'js'] : ['js'];
}

function envVar(name: string): string | undefined {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return proc?.env?.[name];
}
