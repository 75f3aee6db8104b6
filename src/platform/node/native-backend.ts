/** The native addon's backend (Node only). (Browser twin: ../browser/native-backend.ts.) */
export { loadNativeBackend, type NativeLoadResult } from '../../backend/native/load.js';
