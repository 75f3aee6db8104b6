/// <reference types="@webgpu/types" />
/**
 * Finding a GPU: `navigator.gpu` in a browser; in Node, Dawn through the optional npm package
 * `webgpu`, imported only here and only when the backend is chosen. Every way this can fail ends in
 * one sentence saying why and what to do, which `setBackend('webgpu')` reports.
 */

export interface GpuDevice {
  device: GPUDevice;
  /**
   * The entry point and adapter the device came from. Held for the device's lifetime: in Node,
   * Dawn's instance behind them is freed when they are collected, and its device with it (a crash,
   * not an error).
   */
  gpu: GPU;
  adapter: GPUAdapter;
  /** What the adapter calls itself (vendor, architecture, description), for benchmarks and errors. */
  adapterName: string;
}

const NODE_HINT =
  'run on a machine with a Vulkan, Metal or D3D12 GPU driver ' +
  '(without a GPU, SwiftShader works: VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json)';

const BROWSER_HINT = 'the browser found no usable GPU (check that WebGPU is enabled and the GPU is not blocklisted)';

/** The GPU entry point of this environment (the browser's, or Dawn's in Node) and what to advise when it has no adapter. */
async function findGpu(): Promise<{ gpu: GPU; hint: string }> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return { gpu: nav.gpu, hint: BROWSER_HINT };
  const isNode = typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';
  if (!isNode) throw new Error('this browser has no WebGPU (navigator.gpu is missing); use a browser with WebGPU enabled');
  // a variable specifier, so bundlers for the browser leave Dawn out
  const specifier = 'webgpu';
  let dawn: { create(flags: string[]): GPU; globals: object };
  try {
    dawn = (await import(specifier)) as typeof dawn;
  } catch (err) {
    throw new Error(
      `the npm package 'webgpu' (Dawn for Node) could not be loaded (${(err as Error).message}); install it (npm install webgpu) and ${NODE_HINT}`,
    );
  }
  // GPUBufferUsage and friends are globals in a browser; Dawn hands them over for Node
  for (const [key, value] of Object.entries(dawn.globals)) {
    if (!(key in globalThis)) (globalThis as Record<string, unknown>)[key] = value;
  }
  return { gpu: dawn.create([]), hint: NODE_HINT };
}

function describeAdapter(adapter: GPUAdapter): string {
  const info = (adapter as { info?: GPUAdapterInfo }).info;
  const parts = [info?.vendor, info?.architecture, info?.device, info?.description].filter((p) => p !== undefined && p !== '');
  return parts.length > 0 ? [...new Set(parts)].join(' ') : 'unnamed adapter';
}

/** An adapter and a device with the adapter's own limits (the defaults are far below a real GPU's). */
export async function requestGpuDevice(): Promise<GpuDevice> {
  const { gpu, hint } = await findGpu();
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error(`no WebGPU adapter was found; ${hint}`);
  const limits = adapter.limits;
  const device = await adapter.requestDevice({
    requiredLimits: {
      maxBufferSize: limits.maxBufferSize,
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
      maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
      maxStorageBuffersPerShaderStage: limits.maxStorageBuffersPerShaderStage,
    },
  });
  return { device, gpu, adapter, adapterName: describeAdapter(adapter) };
}
