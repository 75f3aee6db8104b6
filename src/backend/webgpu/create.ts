/**
 * Starting the WebGPU backend: the registry imports this module only when `setBackend('webgpu')`
 * is awaited, so Dawn is loaded in Node only by programs that choose the GPU.
 */
import { WebGpuBackend } from './backend.js';
import { requestGpuDevice } from './gpu.js';

export async function createWebGpuBackend(): Promise<WebGpuBackend> {
  return new WebGpuBackend(await requestGpuDevice());
}
