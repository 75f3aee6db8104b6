/**
 * capa's webgpu backend in headless Chromium, on the browser's own WebGPU (navigator.gpu; on a
 * machine without a GPU, SwiftShader, which Chromium ships): op conformance against the PyTorch
 * fixtures and the js backend in the same page, a few `fit` steps that must follow js's, and the
 * errors of a browser without an adapter and of a lost device. Skipped, saying why, without
 * Chromium, or when Chromium offers no adapter and no SwiftShader is installed to give one.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StaticServer, startStaticServer } from '../../src/cli/static-server.js';
import { loadFamilies } from '../conformance/fixtures.js';
import { maxRelativeError } from '../helpers/close.js';
import { swiftShaderInstalled } from '../helpers/swiftshader.js';
import { type ChromiumWebGpu, chromiumMissing, launchChromium } from './helpers/chromium.js';
import { bundleForBrowser } from './helpers/page-bundle.js';
import type { WebGpuChecks } from './page/webgpu-checks.js';

const here = fileURLToPath(new URL('.', import.meta.url));
/**
 * Fixture families and the stride of the cases taken from each: every case of the quick families,
 * a third of the GEMM and convolution cases (SwiftShader is a CPU; it compiles each new kernel
 * variant for seconds). The Node suite (test/backend/webgpu-conformance) runs them all.
 */
const SAMPLED: Record<string, number> = { matmul: 3, conv: 3, pool: 1, softmax: 1, activations: 1 };
const FAMILIES = Object.keys(SAMPLED);
const TOLERANCE = 1e-4;
const skip = chromiumMissing();
if (skip) console.warn(skip);

type Result<K extends keyof WebGpuChecks> = Awaited<ReturnType<WebGpuChecks[K]>>;

/** A browser (with Chromium's WebGPU flags, or without any) showing the checks page at `url`. */
async function openPage(url: string, webgpu: ChromiumWebGpu | undefined) {
  const browser = await launchChromium(webgpu === undefined ? {} : { webgpu });
  const page: Page = await browser.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => 'capaWebGpuChecks' in globalThis, { timeout: 60_000 });
  return { browser, page, pageErrors };
}

async function call<K extends keyof WebGpuChecks>(page: Page, name: K, ...args: Parameters<WebGpuChecks[K]>): Promise<Result<K>> {
  return (await page.evaluate(
    (n, a) =>
      (globalThis as unknown as { capaWebGpuChecks: Record<string, (...x: unknown[]) => unknown> }).capaWebGpuChecks[n]!(...a),
    name,
    args as unknown[],
  )) as Result<K>;
}

describe.skipIf(skip !== null)('capa on WebGPU in headless Chromium', () => {
  let site = '';
  let server: StaticServer;
  let browser: Browser | undefined;
  let page: Page;
  let pageErrors: string[] = [];
  /** Why webgpu cannot start in this Chromium (no adapter), or null. */
  let unavailable: string | null = null;

  beforeAll(async () => {
    site = mkdtempSync(join(tmpdir(), 'capa-webgpu-site-'));
    await bundleForBrowser(join(here, 'page', 'webgpu-checks.ts'), join(site, 'checks.js'));
    writeFileSync(
      join(site, 'index.html'),
      '<!doctype html><meta charset="utf-8"><title>capa webgpu checks</title><script type="module" src="checks.js"></script>',
    );
    mkdirSync(join(site, 'fixtures', 'ops'), { recursive: true });
    for (const family of FAMILIES)
      copyFileSync(join(here, '..', 'fixtures', 'ops', `${family}.json`), join(site, 'fixtures', 'ops', `${family}.json`));
    server = await startStaticServer(site);
    ({ browser, page, pageErrors } = await openPage(server.url, 'swiftshader'));
    const started = await call(page, 'start');
    if ('error' in started) {
      // Chromium's own SwiftShader sits next to this ICD file: with it installed an adapter must exist
      if (swiftShaderInstalled()) throw new Error(`webgpu should start on Chromium's SwiftShader, but: ${started.error}`);
      unavailable = started.error;
      console.warn(`webgpu-in-Chromium tests skipped: ${unavailable}`);
    } else console.log(`webgpu in Chromium: adapter ${started.adapter}`);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (site) rmSync(site, { recursive: true, force: true });
  });

  it('starts on navigator.gpu and matches the PyTorch fixtures and the js backend (outputs and gradients)', {
    timeout: 300_000,
  }, async (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    const results = await call(page, 'conformance', SAMPLED);
    const expected = new Map(
      loadFamilies().flatMap(({ family, cases }) => cases.map((c) => [`${family}/${c.name}`, c] as const)),
    );
    expect(results.length).toBeGreaterThan(40);
    for (const { family, name, runs } of results) {
      const c = expected.get(`${family}/${name}`)!;
      const { webgpu, js } = runs;
      expect(
        webgpu.backends.every((b) => b === 'webgpu'),
        `${name} ran on ${webgpu.backends}`,
      ).toBe(true);
      webgpu.outputs.forEach((values, i) => {
        expect(webgpu.shapes[i], `${name} output ${i} shape`).toEqual(c.outputs[i]!.shape);
        expect(maxRelativeError(values, js.outputs[i]!), `${name} output ${i} vs js`).toBeLessThanOrEqual(TOLERANCE);
        expect(maxRelativeError(values, c.outputs[i]!.values), `${name} output ${i} vs torch`).toBeLessThanOrEqual(TOLERANCE);
      });
      c.grads.forEach((g, k) => {
        if (!g) return;
        expect(webgpu.grads[k], `${name} grad ${k}`).not.toBeNull();
        expect(maxRelativeError(webgpu.grads[k]!, js.grads[k]!), `${name} grad ${k} vs js`).toBeLessThanOrEqual(TOLERANCE);
        expect(maxRelativeError(webgpu.grads[k]!, g.values), `${name} grad ${k} vs torch`).toBeLessThanOrEqual(TOLERANCE);
      });
    }
    const ms = new Map<string, number>();
    for (const r of results) ms.set(r.family, (ms.get(r.family) ?? 0) + r.ms);
    console.log(
      `webgpu conformance in Chromium: ${results.length} cases; ms per family: ${JSON.stringify(Object.fromEntries(ms))}`,
    );
    expect(pageErrors).toEqual([]);
  });

  it('fit takes the same steps on webgpu as on js: losses, weights and predictions within 1e-4', async (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    const gpu = await call(page, 'fitSteps', 'webgpu');
    const js = await call(page, 'fitSteps', 'js');
    expect(gpu.backend).toBe('webgpu');
    expect(gpu.loss.at(-1)!).toBeLessThan(gpu.loss[0]!);
    expect(maxRelativeError(gpu.loss, js.loss)).toBeLessThanOrEqual(TOLERANCE);
    expect(maxRelativeError(gpu.weights, js.weights)).toBeLessThanOrEqual(TOLERANCE);
    expect(maxRelativeError(gpu.predictions, js.predictions)).toBeLessThanOrEqual(TOLERANCE);
  });

  it('the driver running out of memory fails the next read naming webgpu and what to do; the backend goes on', async (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    const r = await call(page, 'outOfMemory');
    expect(r.read).toMatch(
      /^webgpu: the GPU ran out of memory while computing this value \(Out of memory \(simulated\)\); use smaller batches/,
    );
    expect(r.afterwards).toEqual([3, 6]);
  });

  // last on this page: it destroys the page's device
  it('a lost device fails the next read and op naming the backend and what to do; the page goes on on js', async (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    const r = await call(page, 'lostDevice');
    expect(r.read).toMatch(/^webgpu: the GPU device was lost .*another backend/);
    expect(r.op).toMatch(/^webgpu: the GPU device was lost/);
    expect(r.afterwards).toEqual([2, 3]);
    expect(pageErrors).toEqual([]);
  });

  it('without a WebGPU adapter (Chromium with its GPU disabled) setBackend rejects saying why, and capa stays on js', async () => {
    const plain = await openPage(server.url, undefined);
    try {
      const started = await call(plain.page, 'start');
      expect(started).toEqual({
        error: expect.stringMatching(
          /^setBackend\('webgpu'\): (no WebGPU adapter was found; the browser found no usable GPU|this browser has no WebGPU)/,
        ),
        backend: 'js',
      });
      expect(plain.pageErrors).toEqual([]);
    } finally {
      await plain.browser.close();
    }
  });
});
