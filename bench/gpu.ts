/**
 * `npm run bench:gpu`: capa's webgpu backend on whatever adapter is present (its name printed):
 * achieved GFLOP/s of a square matmul and a 3x3 convolution, MobileNetV2 and ResNet50 inference,
 * a ResNet50 training step, MNIST convnet training samples/s (gradients and Adam on the GPU, the
 * loss read once per step). Each figure is the median of --reps timed runs after a warm-up; a run
 * ends when its result is back on the host, so the time includes the GPU's work.
 *
 *   npm run bench:gpu [-- --matmul 2048] [--conv 8,56,56,64,64] [--mobilenet 224] [--mnist-batch 64]
 *                     [--resnet 224] [--reps 3] [--budget-s 60] [--skip resnet,resnet-train]
 *                     [--chromium swiftshader|gpu]
 *
 * In Node it runs on Dawn (the optional package `webgpu`); without an ICD in the environment,
 * SwiftShader's from Debian's chromium package is used when present, so a machine with a GPU
 * driver needs nothing set. With --chromium the same workloads run in a headless Chromium page
 * next to TensorFlow.js's webgpu backend (browser-only) on the same adapter, with the ratios:
 * 'swiftshader' forces Chromium's CPU Vulkan (what a machine without a GPU has), 'gpu' leaves
 * the adapter to Chromium. SwiftShader is slow: `--matmul 1024 --conv 1,56,56,32,32 --mobilenet 96
 * --resnet 64` keeps a run to minutes there.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { backendNamed } from '../src/backend/registry.js';
import type { WebGpuBackend } from '../src/backend/webgpu/backend.js';
import { startStaticServer } from '../src/cli/static-server.js';
import * as capa from '../src/index.js';
import { type ChromiumWebGpu, chromiumMissing, launchChromium } from '../test/browser/helpers/chromium.js';
import { bundleForBrowser } from '../test/browser/helpers/page-bundle.js';
import { useSwiftShaderWhenNoIcd } from '../test/helpers/swiftshader.js';
import { runCapaWorkloads } from './gpu/capa-workloads.js';
import { type GpuBenchOptions, type GpuBenchRow, type GpuWorkload, parseGpuBenchOptions } from './gpu/options.js';
import type { PageReport } from './gpu/page.js';

const formatRow = (peer: string, row: GpuBenchRow): string =>
  `${peer.padEnd(5)} ${row.label}: ${row.ms.toFixed(1)} ms${row.rate ? `, ${row.rate}` : ''}`;

async function inNode(o: GpuBenchOptions): Promise<void> {
  useSwiftShaderWhenNoIcd();
  await capa.setBackend('webgpu');
  const gpu = backendNamed('webgpu') as WebGpuBackend;
  console.log(`webgpu adapter (Node, Dawn): ${gpu.adapterName}`);
  await runCapaWorkloads(o, (r) => {
    console.log('error' in r ? `capa  ${r.workload}: failed: ${r.error}` : formatRow('capa', r));
  });
  console.log(`(${gpu.stats.dispatches} dispatches, ${gpu.stats.submits} submits, ${gpu.stats.maps} buffer maps)`);
}

/** capa and TF.js side by side: ms each and how many times faster capa is (TF.js ms / capa ms). */
function comparison(rows: Map<string, { capa?: GpuBenchRow; tfjs?: GpuBenchRow }>): string {
  const lines = ['| workload | capa webgpu | TF.js webgpu | capa speed-up |', '|---|---|---|---|'];
  for (const { capa: c, tfjs: t } of rows.values()) {
    if (!c || !t) continue;
    const cell = (r: GpuBenchRow) => `${r.ms.toFixed(1)} ms${r.rate ? ` (${r.rate})` : ''}`;
    lines.push(`| ${c.label} | ${cell(c)} | ${cell(t)} | ${(t.ms / c.ms).toFixed(2)}x |`);
  }
  return lines.join('\n');
}

async function inChromium(o: GpuBenchOptions, webgpu: ChromiumWebGpu): Promise<void> {
  const missing = chromiumMissing();
  if (missing) throw new Error(missing);
  const site = mkdtempSync(join(tmpdir(), 'capa-bench-gpu-'));
  const server = await (async () => {
    await bundleForBrowser(fileURLToPath(new URL('gpu/page.ts', import.meta.url)), join(site, 'bench.js'));
    writeFileSync(
      join(site, 'index.html'),
      '<!doctype html><meta charset="utf-8"><script type="module" src="bench.js"></script>',
    );
    return startStaticServer(site);
  })();
  const browser = await launchChromium({ webgpu });
  const rows = new Map<GpuWorkload, { capa?: GpuBenchRow; tfjs?: GpuBenchRow }>();
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => console.error(`page error: ${e}`));
    await page.exposeFunction('capaBenchReport', (r: PageReport) => {
      if (r.kind === 'adapter') console.log(`webgpu adapter (Chromium ${webgpu}): ${r.name}`);
      else if (r.kind === 'stats') console.log(`(${r.text})`);
      else if (r.kind === 'error') console.log(`${r.peer.padEnd(5)} ${r.workload}: failed: ${r.error}`);
      else {
        console.log(formatRow(r.peer, r.row));
        rows.set(r.row.workload, { ...rows.get(r.row.workload), [r.peer]: r.row });
      }
    });
    await page.goto(server.url, { waitUntil: 'load' });
    await page.waitForFunction(() => 'capaGpuBench' in globalThis, { timeout: 120_000 });
    await page.evaluate(
      (opts) => (globalThis as unknown as { capaGpuBench: (o: unknown) => Promise<void> }).capaGpuBench(opts),
      o,
    );
  } finally {
    await browser.close();
    await server.close();
    rmSync(site, { recursive: true, force: true });
  }
  console.log(`\n${comparison(rows)}`);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const at = argv.indexOf('--chromium');
  const where = at >= 0 ? argv[at + 1] : undefined;
  if (at >= 0 && where !== 'swiftshader' && where !== 'gpu')
    throw new Error(`bench:gpu: --chromium expects 'swiftshader' or 'gpu', got '${where ?? ''}'`);
  const options = parseGpuBenchOptions(argv, ['--chromium']);
  if (where === undefined) await inNode(options);
  else await inChromium(options, where as ChromiumWebGpu);
}

try {
  await main();
} catch (err) {
  console.error((err as Error).message);
  process.exitCode = 1;
}
