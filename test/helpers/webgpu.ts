/**
 * Starting the WebGPU backend in tests. Without a GPU driver, Dawn finds an adapter through
 * SwiftShader's Vulkan ICD (Debian's chromium package ships it); it is pointed at here when the
 * environment names no ICD. Returns why webgpu cannot run, or null once it is started, so a test
 * file can skip with that reason instead of failing.
 */
import { existsSync } from 'node:fs';
import { backendNamed } from '../../src/backend/registry.js';
import type { WebGpuBackend } from '../../src/backend/webgpu/backend.js';
import * as capa from '../../src/index.js';

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

export async function startWebGpu(): Promise<string | null> {
  if (process.env.VK_ICD_FILENAMES === undefined && existsSync(SWIFTSHADER_ICD)) process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  const before = capa.getBackend();
  try {
    await capa.setBackend('webgpu');
  } catch (err) {
    const reason = (err as Error).message;
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
