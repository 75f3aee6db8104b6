/**
 * Headless Chromium for the browser tests: Debian's `chromium` driven by puppeteer-core. Tests
 * skip, saying why, when it is not installed (.ci/run installs it).
 */
import { existsSync } from 'node:fs';
import type { Browser } from 'puppeteer-core';

export const CHROMIUM = process.env.CAPA_CHROMIUM ?? '/usr/bin/chromium';

/** Why the browser tests cannot run here, or null when they can. */
export function chromiumMissing(): string | null {
  return existsSync(CHROMIUM)
    ? null
    : `headless-Chromium tests skipped: no browser at ${CHROMIUM} (apt-get install chromium, or set CAPA_CHROMIUM)`;
}

/**
 * WebGPU in headless Chromium. Without a GPU, 'swiftshader' gives navigator.gpu an adapter on
 * SwiftShader, the CPU Vulkan Chromium ships; 'gpu' leaves the adapter to Chromium (a real GPU).
 */
export type ChromiumWebGpu = 'swiftshader' | 'gpu';

const WEBGPU_FLAGS: Record<ChromiumWebGpu, readonly string[]> = {
  swiftshader: [
    '--enable-unsafe-webgpu',
    '--enable-features=Vulkan',
    '--use-vulkan=swiftshader',
    '--use-webgpu-adapter=swiftshader',
  ],
  gpu: ['--enable-unsafe-webgpu', '--enable-features=Vulkan'],
};

export async function launchChromium(options: { webgpu?: ChromiumWebGpu } = {}): Promise<Browser> {
  const { launch } = await import('puppeteer-core');
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  // --disable-gpu also takes WebGPU away; pages that use it get its flags instead
  const gpuFlags = options.webgpu === undefined ? ['--disable-gpu'] : WEBGPU_FLAGS[options.webgpu];
  return launch({
    executablePath: CHROMIUM,
    headless: true,
    // training a model in the page takes minutes; CDP calls (waitForFunction) may wait that long
    protocolTimeout: 900_000,
    // Chromium refuses its sandbox as root (CI containers); --no-sandbox only then.
    args: [...(root ? ['--no-sandbox'] : []), ...gpuFlags, '--disable-dev-shm-usage'],
  });
}
