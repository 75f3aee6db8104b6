/**
 * Builds the page to static files: `npm run build:web` writes examples/web/dist/ (index.html,
 * main.js, train-worker.js, shared chunks, mnist-subset.bin.gz); serve it with
 * `npx capa serve examples/web/dist`.
 *
 * capa is bundled from this repository's sources for the browser (the `capa-source` condition
 * picks src/platform/browser/*); a project using the npm package bundles `capa` the same way
 * without the condition (see the README's browser section).
 */
import { copyFile, mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as capa from 'capa';
import { build } from 'esbuild';
import { SUBSET } from './src/mnist-subset.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const capaEntry = fileURLToPath(new URL('../../src/index.ts', import.meta.url));

/** The first SUBSET.train training and SUBSET.test test images of MNIST with their labels, gzipped. */
async function mnistSubset(): Promise<Uint8Array> {
  const [[xTrain, yTrain], [xTest, yTest]] = await capa.datasets.mnist.loadData();
  const bytes = (t: capa.Tensor, n: number, per: number) => Uint8Array.from(t.dataSync().subarray(0, n * per));
  const parts = [
    bytes(xTrain, SUBSET.train, 784),
    bytes(yTrain, SUBSET.train, 1),
    bytes(xTest, SUBSET.test, 784),
    bytes(yTest, SUBSET.test, 1),
  ];
  const all = new Uint8Array(parts.reduce((t, p) => t + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return gzipSync(all, { level: 9 });
}

export interface WebBuild {
  outDir: string;
  /** Bytes of each file written. */
  files: Record<string, number>;
  ms: number;
}

export async function buildWebPage(outDir = join(here, 'dist')): Promise<WebBuild> {
  const start = performance.now();
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const result = await build({
    entryPoints: { main: join(here, 'src', 'main.ts'), 'train-worker': join(here, 'src', 'train-worker.ts') },
    bundle: true,
    splitting: true,
    platform: 'browser',
    format: 'esm',
    minify: true,
    conditions: ['capa-source'],
    alias: { capa: capaEntry },
    // tsconfig.json's paths point #platform at the Node modules (for tsx); the condition decides here
    tsconfigRaw: '{}',
    outdir: outDir,
    metafile: true,
    logLevel: 'warning',
  });
  await copyFile(join(here, 'index.html'), join(outDir, 'index.html'));
  // the wasm backend's files, next to the chunks (where setBackend('wasm') looks for them)
  const wasmDist = fileURLToPath(new URL('../../wasm/dist/', import.meta.url));
  const wasmFiles = (await readdir(wasmDist)).filter((f) => f.startsWith('capa-'));
  for (const f of wasmFiles) await copyFile(join(wasmDist, f), join(outDir, f));
  const subset = await mnistSubset();
  await writeFile(join(outDir, 'mnist-subset.bin.gz'), subset);
  const files: Record<string, number> = { 'index.html': 0, 'mnist-subset.bin.gz': subset.length };
  for (const f of wasmFiles) files[f] = (await stat(join(outDir, f))).size;
  for (const [file, info] of Object.entries(result.metafile.outputs)) files[file.slice(file.lastIndexOf('/') + 1)] = info.bytes;
  return { outDir, files, ms: performance.now() - start };
}

const isMain = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'));
if (isMain) {
  const { outDir, files, ms } = await buildWebPage(process.argv[2]);
  for (const [file, bytes] of Object.entries(files))
    console.log(`${file.padEnd(28)} ${(bytes / 1024).toFixed(0).padStart(6)} KiB`);
  console.log(`Built ${outDir} in ${(ms / 1000).toFixed(1)} s. Serve it with: npx capa serve ${outDir}`);
}
