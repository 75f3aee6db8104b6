/**
 * SwiftShader, the CPU Vulkan that Debian's chromium package ships: what gives WebGPU an adapter
 * on a machine without a GPU, to Dawn in Node (through its Vulkan ICD file) and to Chromium (its
 * own copy, chosen by flags). Where it is installed an adapter can exist, so the webgpu tests fail
 * rather than skip when none is found.
 */
import { existsSync } from 'node:fs';

export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** Points Vulkan (Dawn in Node) at SwiftShader when the environment names no ICD and it is installed. */
export function useSwiftShaderWhenNoIcd(): void {
  if (process.env.VK_ICD_FILENAMES === undefined && existsSync(SWIFTSHADER_ICD)) process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
}

/** Whether SwiftShader is installed, so that a WebGPU adapter can exist on this machine. */
export function swiftShaderInstalled(): boolean {
  return existsSync(SWIFTSHADER_ICD);
}
