/**
 * `import * as capa from 'capa'` bundled for the browser, from a consumer project as users do it
 * (node_modules/capa, the built dist/ and package.json's `imports` conditions), by esbuild and by
 * Vite: the bundle builds, and nothing Node-only is in it.
 */
import { rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build as esbuild } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, makeConsumer } from '../helpers/package-build.js';
import { esbuildModuleIds, isNodeBuiltin, mappedAwayForBrowsers, nodeOnlyModules } from './helpers/node-only.js';

const ENTRY = "import * as capa from 'capa';\nglobalThis.capa = capa;\n";

let consumer = '';
beforeAll(() => {
  ensureBuilt();
  consumer = makeConsumer('capa-browser-bundle-');
  writeFileSync(join(consumer, 'main.js'), ENTRY);
  writeFileSync(join(consumer, 'node-entry.js'), "import { readFileSync } from 'node:fs';\nglobalThis.read = readFileSync;\n");
});
afterAll(() => {
  if (consumer) rmSync(consumer, { recursive: true, force: true });
});

async function esbuildBrowser(entry: string) {
  const outfile = join(consumer, 'out', `${entry}.bundle.js`);
  const result = await esbuild({
    entryPoints: [join(consumer, entry)],
    absWorkingDir: consumer,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    minify: true,
    outfile,
    metafile: true,
    logLevel: 'silent',
    // The consumer's node_modules/capa links to this repository, whose tsconfig.json `paths` (for
    // tsx and tsc) esbuild would apply to dist/; the published package ships no tsconfig.json.
    tsconfigRaw: '{}',
  });
  return { outfile, moduleIds: esbuildModuleIds(result.metafile) };
}

describe('browser bundles of capa', () => {
  it('the Node-only check finds a node: import (so a clean result means something)', async () => {
    await expect(esbuildBrowser('node-entry.js')).rejects.toThrow(/node:fs/);
    expect(
      nodeOnlyModules(['node:fs', 'fs/promises', 'x/node_modules/sharp/lib/index.js', 'src/platform/node/sharp.ts']),
    ).toHaveLength(4);
  });

  it('esbuild (platform browser) bundles capa with nothing Node-only in it', async () => {
    const { outfile, moduleIds } = await esbuildBrowser('main.js');
    expect(nodeOnlyModules(moduleIds)).toEqual([]);
    expect(moduleIds.some((id) => /platform[\\/]browser[\\/]native-backend\.js$/.test(id))).toBe(true);
    const kib = statSync(outfile).size / 1024;
    console.log(`esbuild browser bundle (minified): ${kib.toFixed(0)} KiB from ${moduleIds.length} modules`);
  });

  it("Vite's production build bundles capa with nothing Node-only in it", async () => {
    const { build } = await import('vite');
    // Vite turns a builtin into an empty stub (with a warning) instead of failing: record who asks for one.
    const builtinImports: string[] = [];
    const output = await build({
      root: consumer,
      configFile: false,
      logLevel: 'silent',
      plugins: [
        {
          name: 'record-node-builtins',
          enforce: 'pre',
          resolveId(source: string, importer: string | undefined) {
            if (isNodeBuiltin(source) && !(importer && mappedAwayForBrowsers(source, importer)))
              builtinImports.push(`${source} from ${importer}`);
            return null;
          },
        },
      ],
      build: { outDir: join(consumer, 'vite-dist'), write: false, rollupOptions: { input: join(consumer, 'main.js') } },
    });
    const outputs = (Array.isArray(output) ? output : [output]) as { output: { type: string; moduleIds?: string[] }[] }[];
    const moduleIds = outputs.flatMap((o) =>
      o.output.flatMap((chunk) => (chunk.type === 'chunk' ? (chunk.moduleIds ?? []) : [])),
    );
    expect(moduleIds.length).toBeGreaterThan(100);
    expect(builtinImports).toEqual([]);
    expect(nodeOnlyModules(moduleIds.filter((id) => id !== '__vite-browser-external'))).toEqual([]);
  });
});
