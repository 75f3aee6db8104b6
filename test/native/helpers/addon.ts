import type { NativeAddon } from '../../../src/backend/native/addon.js';
import type { NativeBackend } from '../../../src/backend/native/native.js';

/** The addon under a native backend, for tests that make calls the backend's typed methods never make. */
export const addonOf = (native: NativeBackend): NativeAddon => (native as unknown as { addon: NativeAddon }).addon;
