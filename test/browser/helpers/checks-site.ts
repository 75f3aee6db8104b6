/**
 * The site the headless-Chromium checks run in: the bundled page (test/browser/page/checks.ts),
 * the PyTorch op fixtures it fetches, and, for the wasm backend, the package's wasm/dist/ files
 * next to the bundle (where the browser loader looks for them by default). The conformance
 * comparison against the fixtures is here too, so every backend's page is held to the same bar.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { loadFamilies } from '../../conformance/fixtures.js';
import { maxRelativeError } from '../../helpers/close.js';
import type { Checks } from '../page/checks.js';
import { bundleForBrowser } from './page-bundle.js';

const browserDir = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = join(browserDir, '..', '..');
export const WASM_DIST = join(repoRoot, 'wasm', 'dist');

/** Writes the checks page, its bundle and the fixtures of `families` to a new temporary folder. */
export async function buildChecksSite(families: readonly string[], options: { wasm?: boolean } = {}): Promise<string> {
  const site = mkdtempSync(join(tmpdir(), 'capa-browser-site-'));
  const bundle = await bundleForBrowser(join(browserDir, 'page', 'checks.ts'), join(site, 'checks.js'));
  console.log(`page bundle: ${(bundle.bytes / 1024).toFixed(0)} KiB in ${bundle.ms.toFixed(0)} ms`);
  writeFileSync(
    join(site, 'index.html'),
    '<!doctype html><meta charset="utf-8"><title>capa checks</title><script type="module" src="checks.js"></script>',
  );
  mkdirSync(join(site, 'fixtures', 'ops'), { recursive: true });
  for (const family of families)
    copyFileSync(join(repoRoot, 'test', 'fixtures', 'ops', `${family}.json`), join(site, 'fixtures', 'ops', `${family}.json`));
  if (options.wasm) {
    for (const file of readdirSync(WASM_DIST).filter((f) => f.startsWith('capa-')))
      copyFileSync(join(WASM_DIST, file), join(site, file));
  }
  return site;
}

type ConformanceResults = Awaited<ReturnType<Checks['conformance']>>;

/** Every case's outputs (shape and values) and input gradients match the fixture within `tolerance`. */
export function expectConformance(results: ConformanceResults, tolerance: number): void {
  const expected = new Map(loadFamilies().flatMap(({ family, cases }) => cases.map((c) => [`${family}/${c.name}`, c] as const)));
  expect(results.length).toBeGreaterThan(20);
  for (const r of results) {
    const c = expected.get(`${r.family}/${r.name}`);
    expect(c, `${r.family}/${r.name} has a fixture`).toBeDefined();
    if (!c) continue;
    r.outputs.forEach((values, i) => {
      expect(r.shapes[i], `${r.name} output ${i} shape`).toEqual(c.outputs[i]?.shape);
      expect(maxRelativeError(values, c.outputs[i]?.values ?? []), `${r.name} output ${i}`).toBeLessThanOrEqual(tolerance);
    });
    c.grads.forEach((g, k) => {
      if (!g) return;
      const got = r.grads[k];
      expect(got, `${r.name} grad ${k}`).not.toBeNull();
      expect(maxRelativeError(got ?? [], g.values), `${r.name} grad of input ${k}`).toBeLessThanOrEqual(tolerance);
    });
  }
}
