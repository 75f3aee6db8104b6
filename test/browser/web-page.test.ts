/// <reference lib="dom" />
/**
 * The example page (examples/web) built to static files, served by capa's server and opened in
 * headless Chromium: the notebook's cells print what Node prints, the MNIST convnet trains in a
 * Web Worker to at least 95% on the shipped test subset, a digit drawn with the mouse is
 * classified, and a screenshot goes to test/browser/output/web-page.png.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNotebook } from '../../examples/01-redes-profundas.js';
import { buildWebPage } from '../../examples/web/build.js';
import { type StaticServer, startStaticServer } from '../../src/cli/static-server.js';
import { chromiumMissing, launchChromium } from './helpers/chromium.js';

const OUTPUT = fileURLToPath(new URL('./output/', import.meta.url));
const skip = chromiumMissing();
if (skip) console.warn(skip);

interface PageState {
  notebook: string;
  trained: boolean;
  testAccuracy: number | null;
  trainMs: number | null;
  trainBackend: string | null;
  drawn: number | null;
  error: string | null;
}

describe.skipIf(skip !== null)('the example page in headless Chromium', () => {
  let server: StaticServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const state = () => page.evaluate(() => (globalThis as unknown as { capaPage: PageState }).capaPage);

  beforeAll(async () => {
    const built = await buildWebPage(join(OUTPUT, 'web-dist'));
    console.log(`page built in ${(built.ms / 1000).toFixed(1)} s: ${JSON.stringify(built.files)}`);
    server = await startStaticServer(built.outDir);
    browser = await launchChromium();
    page = await browser.newPage();
    await page.setViewport({ width: 1100, height: 1800 });
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.goto(`${server.url}?train`, { waitUntil: 'load' });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("prints the notebook's cells with the same text as Node", async () => {
    await page.waitForFunction(() => (globalThis as unknown as { capaPage?: PageState }).capaPage?.notebook !== '', {
      timeout: 180_000,
    });
    const lines: string[] = [];
    runNotebook((line) => lines.push(line));
    expect((await state()).notebook).toBe(`${lines.join('\n')}\n`);
  }, 300_000);

  it('trains the MNIST convnet in a worker, on the wasm threads build, to at least 95% test accuracy', async () => {
    await page.waitForFunction(
      () => {
        const s = (globalThis as unknown as { capaPage: PageState }).capaPage;
        return s.trained || s.error !== null;
      },
      { timeout: 540_000, polling: 1000 },
    );
    const s = await state();
    expect(s.error).toBeNull();
    console.log(
      `MNIST in Chromium: ${((s.trainMs as number) / 1000).toFixed(1)} s for 4 epochs of 6,000 images (batch 32) on ${s.trainBackend}; test accuracy ${s.testAccuracy}`,
    );
    // the page is served cross-origin isolated with capa's wasm files next to the worker's chunk
    expect(s.trainBackend).toMatch(/^wasm \(threads, \d+ threads?\)$/);
    expect(s.testAccuracy as number).toBeGreaterThanOrEqual(0.95);
  }, 600_000);

  it('classifies a 1 drawn with the mouse, and writes a screenshot', async () => {
    // the mouse acts inside the viewport only: bring the pad into it
    await page.evaluate(() => document.getElementById('pad')?.scrollIntoView({ block: 'center' }));
    const pad = await page.$('#pad');
    const box = (await pad!.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.18);
    await page.mouse.down();
    for (let i = 1; i <= 12; i++) {
      await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * (0.18 + (0.64 * i) / 12));
      await new Promise((r) => setTimeout(r, 30));
    }
    await page.mouse.up();
    await page.waitForFunction(() => (globalThis as unknown as { capaPage: PageState }).capaPage.drawn !== null, {
      timeout: 30_000,
    });
    mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: join(OUTPUT, 'web-page.png'), fullPage: true });
    expect((await state()).drawn).toBe(1);
    expect(pageErrors).toEqual([]);
  });
});
