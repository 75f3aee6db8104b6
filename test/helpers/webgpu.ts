/**
 * Starting the WebGPU backend in tests. Without a GPU driver, Dawn finds an adapter through
 * SwiftShader's Vulkan ICD (Debian's chromium package ships it); it is pointed at here when the
 * environment names no ICD, so `npm test` needs nothing set. Returns why webgpu cannot run, or null
 * once it is started, so a test file can skip with that reason; where SwiftShader is installed an
 * adapter can exist, and a failure to start is an error, not a skip.
 */
import { backendNamed } from '../../src/backend/registry.js';
import type { WebGpuBackend } from '../../src/backend/webgpu/backend.js';
import * as capa from '../../src/index.js';
import { swiftShaderInstalled, useSwiftShaderWhenNoIcd } from './swiftshader.js';

export async function startWebGpu(): Promise<string | null> {
  useSwiftShaderWhenNoIcd();
  const before = capa.getBackend();
  try {
    await capa.setBackend('webgpu');
  } catch (err) {
    const reason = (err as Error).message;
    if (swiftShaderInstalled()) throw new Error(`webgpu should start on SwiftShader here, but: ${reason}`);
    console.warn(`webgpu tests skipped: ${reason}`);
    return reason;
  } finally {
    await capa.setBackend(before);
  }
  return null;
}

/** The started webgpu backend (its stats and device). */
export function webgpu(): WebGpuBackend {
  return backendNamed('webgpu') as WebGpuBackend;
}
