/**
 * The wasm backend in headless Chromium: `await setBackend('wasm')` fetches the module served next
 * to the page bundle; a cross-origin-isolated page (COOP/COEP) runs the threads build on pthread
 * workers, a page without those headers the single-thread build. On both, the op conformance
 * cases match the PyTorch fixtures as in Node.
 */
import { readdirSync, rmSync } from 'node:fs';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StaticServer, startStaticServer } from '../../src/cli/static-server.js';
import { buildChecksSite, expectConformance, WASM_DIST } from './helpers/checks-site.js';
import { chromiumMissing, launchChromium } from './helpers/chromium.js';
import type { Checks } from './page/checks.js';

const FAMILIES = readdirSync(new URL('../fixtures/ops/', import.meta.url))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''));
const TOLERANCE = 1e-5;
const skip = chromiumMissing();

type Result<K extends keyof Checks> = Awaited<ReturnType<Checks[K]>>;

describe.skipIf(skip !== null)('the wasm backend in headless Chromium', () => {
  let site = '';
  let browser: Browser;
  const servers: StaticServer[] = [];

  async function openPage(isolated: boolean): Promise<{ page: Page; errors: string[] }> {
    const server = await startStaticServer(site, { isolated });
    servers.push(server);
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(server.url, { waitUntil: 'load' });
    await page.waitForFunction(() => 'capaChecks' in globalThis, { timeout: 60_000 });
    return { page, errors };
  }

  async function run<K extends keyof Checks>(page: Page, name: K, ...args: Parameters<Checks[K]>): Promise<Result<K>> {
    return (await page.evaluate(
      (n, a) => (globalThis as unknown as { capaChecks: Record<string, (...x: unknown[]) => unknown> }).capaChecks[n]!(...a),
      name,
      args as unknown[],
    )) as Result<K>;
  }

  beforeAll(async () => {
    site = await buildChecksSite(FAMILIES, { wasm: true });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    for (const server of servers) await server.close();
    if (site) rmSync(site, { recursive: true, force: true });
  });

  it('a cross-origin-isolated page runs the threads build on pthread workers; ops match the fixtures', async () => {
    const { page, errors } = await openPage(true);
    expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
    const started = await run(page, 'useBackend', 'wasm');
    expect(started.error).toBeNull();
    expect(started.backend).toBe('wasm');
    expect(started.wasm?.variant).toBe('threads');
    expect(started.wasm?.isa).toBe('wasm-simd');
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    expect(started.wasm?.threads).toBe(cores);
    const t0 = performance.now();
    expectConformance(await run(page, 'conformance', FAMILIES), TOLERANCE);
    console.log(
      `wasm threads (${cores} workers) in Chromium: ${FAMILIES.length} fixture families in ${(performance.now() - t0).toFixed(0)} ms`,
    );
    expect(errors).toEqual([]);
  });

  it('a page without COOP/COEP runs the single-thread build; a wrong folder is named with its HTTP status', async () => {
    const { page, errors } = await openPage(false);
    expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(false);
    await run(page, 'setWasmPaths', 'no-such-folder/');
    const missing = await run(page, 'useBackend', 'wasm');
    expect(missing.backend).toBe('js');
    expect(missing.error).toMatch(
      /^setBackend\('wasm'\): http:\/\/127\.0\.0\.1:\d+\/no-such-folder\/capa-single\.js: could not be fetched: HTTP 404 Not Found; serve capa's wasm\/dist\/ files there/,
    );
    await run(page, 'setWasmPaths', './');
    const started = await run(page, 'useBackend', 'wasm');
    expect(started.error).toBeNull();
    expect(started.wasm).toMatchObject({ variant: 'single', isa: 'wasm-simd', threads: 1 });
    const t0 = performance.now();
    expectConformance(await run(page, 'conformance', FAMILIES), TOLERANCE);
    console.log(`wasm single in Chromium: ${FAMILIES.length} fixture families in ${(performance.now() - t0).toFixed(0)} ms`);
    expect(errors).toEqual([]);
  });

  it('serves the files the loader fetches from the package (wasm/dist)', () => {
    expect(readdirSync(WASM_DIST)).toEqual(
      expect.arrayContaining([
        'capa-threads.js',
        'capa-threads.wasm',
        'capa-threads.worker.js',
        'capa-single.js',
        'capa-single.wasm',
      ]),
    );
  });
});
