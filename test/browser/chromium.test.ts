/**
 * capa in headless Chromium: a page bundling capa (esbuild, browser platform) served by capa's
 * static server with the cross-origin-isolation headers, checked against Node and the PyTorch
 * fixtures: op conformance, the notebook's summaries, training, IndexedDB and fetch loading.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StaticServer, startStaticServer } from '../../src/cli/static-server.js';
import { maxRelativeError } from '../helpers/close.js';
import { buildChecksSite, expectConformance } from './helpers/checks-site.js';
import { chromiumMissing, launchChromium } from './helpers/chromium.js';
import type { Checks } from './page/checks.js';
import { notebookSummaries, probeInputs, smallClassifier } from './page/notebook-models.js';

const FAMILIES = ['conv', 'matmul', 'pool', 'activations'];
const TOLERANCE = 1e-5;
const skip = chromiumMissing();
if (skip) console.warn(skip);

type Result<K extends keyof Checks> = Awaited<ReturnType<Checks[K]>>;

describe.skipIf(skip !== null)('capa in headless Chromium', () => {
  let site = '';
  let server: StaticServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  async function run<K extends keyof Checks>(name: K, ...args: Parameters<Checks[K]>): Promise<Result<K>> {
    return (await page.evaluate(
      (n, a) => (globalThis as unknown as { capaChecks: Record<string, (...x: unknown[]) => unknown> }).capaChecks[n]!(...a),
      name,
      args as unknown[],
    )) as Result<K>;
  }

  beforeAll(async () => {
    site = await buildChecksSite(FAMILIES);
    mkdirSync(join(site, 'models'));
    const model = smallClassifier();
    await model.save(join(site, 'models', 'small.keras'));
    await model.save(join(site, 'models', 'small.h5'));
    await model.save(join(site, 'models', 'tfjs/'));
    server = await startStaticServer(site);
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.goto(server.url, { waitUntil: 'load' });
    await page.waitForFunction(() => 'capaChecks' in globalThis, { timeout: 60_000 });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (site) rmSync(site, { recursive: true, force: true });
  });

  it('loads cross-origin isolated, on the js backend, without page errors', async () => {
    expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
    expect(await run('backend')).toBe('js');
    expect(pageErrors).toEqual([]);
  });

  it('ops match the PyTorch fixtures (forward and gradients) as in Node', async () => {
    const results = await run('conformance', FAMILIES);
    expectConformance(results, TOLERANCE);
    console.log(`conformance in Chromium: ${results.length} cases of ${FAMILIES.join(', ')}`);
  });

  it("prints the notebook's Dense and VGG19 summaries with the same text as Node", async () => {
    const node = notebookSummaries();
    const browserText = await run('summaries');
    expect(browserText).toEqual(node);
    expect(node.vgg19).toContain('conv2d_4 (Conv2D)            (None, 112, 112, 128)     147584');
  });

  it('trains a small model to high accuracy while the page keeps turning its event loop', async () => {
    const r = await run('training');
    console.log(
      `training in Chromium: 8 epochs x 16 batches in ${r.ms.toFixed(0)} ms, accuracy ${r.accuracy.at(-1)}, ${r.ticks} timer ticks during fit`,
    );
    expect(r.loss.at(-1)!).toBeLessThan(r.loss[0]!);
    expect(r.accuracy.at(-1)!).toBeGreaterThanOrEqual(0.9);
    // without turns a timer cannot fire before fit returns (its awaits are microtasks only); fit
    // takes a turn every 50 ms, so a fast machine (~110 ms for this fit) sees only two
    expect(r.ticks).toBeGreaterThanOrEqual(1);
  });

  it('saves to IndexedDB and loads back identical predictions; a failed save leaves the saved model', async () => {
    const r = await run('indexedDb');
    expect(r.after).toEqual(r.before);
    expect(r.failedSave).toMatch(
      /^indexeddb:\/\/harness-model: could not be saved to IndexedDB \(.*quota.*\); the model saved before/,
    );
    expect(r.survivor).toEqual(r.before);
    expect(r.keys).toEqual(['harness-model']);
    expect(r.missing).toBe("indexeddb://no-such-model: no model is saved under this name (IndexedDB database 'capa-models').");
  });

  it('loads .keras, .h5 and TF.js model.json over fetch and from a File, with the predictions Node makes', async () => {
    const expected = Array.from(await (await smallClassifier().predict(probeInputs())).data());
    const r = await run('fetchModels');
    for (const [url, values] of Object.entries(r.fromUrl))
      expect(maxRelativeError(values, expected), url).toBeLessThanOrEqual(1e-6);
    expect(maxRelativeError(r.fromFile, expected)).toBeLessThanOrEqual(1e-6);
    expect(r.notFound).toBe('models/missing.keras: could not be fetched: HTTP 404 Not Found.');
    expect(r.notAModel).toMatch(/^notes\.txt: is not a model file capa recognizes/);
  });

  it('draws a tensor to a canvas and reads it back from the canvas and from a PNG Blob', async () => {
    const r = await run('images');
    expect(r.shape).toEqual([3, 4, 3]);
    expect(r.canvas).toEqual(r.values);
    expect(r.blob).toEqual(r.values);
  });
});
