/**
 * Where a model goes or comes from when it is not a file path: TensorFlow.js's URL schemes
 * (`indexeddb://name`, `downloads://name`) and URLs read with `fetch` (http(s), blob: and data:
 * URLs everywhere; in a browser build also plain relative strings, see #platform/locations).
 */
import { plainPathsAreUrls } from '#platform/locations';

export type WebLocation =
  | { kind: 'indexeddb'; name: string }
  | { kind: 'downloads'; name: string }
  | { kind: 'url'; url: string };

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;
const FETCHED_SCHEMES = /^(https?:\/\/|blob:|data:)/i;

/** The web location `path` names, or null for a file path (Node). */
export function webLocation(path: string, caller: string): WebLocation | null {
  const scheme = SCHEME.exec(path)?.[1]?.toLowerCase();
  if (scheme === 'indexeddb' || scheme === 'downloads') {
    const name = path.slice(scheme.length + 3);
    if (name.length === 0) throw new Error(`${caller}: '${path}' names no model; write '${scheme}://my-model'.`);
    return { kind: scheme, name };
  }
  if (FETCHED_SCHEMES.test(path) || plainPathsAreUrls) return { kind: 'url', url: path };
  return null;
}
