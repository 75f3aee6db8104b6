/** No N-API addon in a browser; the registry falls back to the next backend. (Node twin: ../node/native-backend.ts.) */
import type { NativeLoadResult } from '../../backend/native/load.js';

export type { NativeLoadResult };

const result: NativeLoadResult = { backend: null, reason: 'the native addon runs only in Node.js (this is a browser build)' };

export function loadNativeBackend(): NativeLoadResult {
  return result;
}
