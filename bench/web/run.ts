/**
 * `npm run bench:web`: capa-wasm (threads and single-thread), capa-js, TensorFlow.js wasm (XNNPACK,
 * SIMD + threads) and TensorFlow.js cpu in headless Chromium (Debian's chromium, puppeteer-core),
 * each peer in its own tab, on a 3x3 convolution, an MNIST CNN training step and MobileNetV2 and
 * ResNet50 inference; medians, speed ratios, GFLOP/s against the wasm SIMD128 peak measured in the
 * same Chromium (bench/wasm-peak.c). Then the wasm backend in Node against native
 * (bench/wasm-node.ts, same thread count). Everything is served locally: no CDN.
 *
 *   npm run bench:web [-- --reps N] [--items conv-fwd,resnet50-fwd] [--peers capa-wasm-threads,tfjs-wasm] [--full] [--skip-node]
 *                     [--profile capa-wasm-single:resnet50-fwd]   (where that run's time goes, Chrome's profiler)
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'puppeteer-core';
import { startStaticServer } from '../../src/cli/static-server.js';
import { chromiumMissing, launchChromium } from '../../test/browser/helpers/chromium.js';
import { bundleForBrowser } from '../../test/browser/helpers/page-bundle.js';
import { median } from '../lib.js';
import { buildWasmPeak } from '../wasm-peak-build.js';
import type { WebBench } from './page.js';
import { isolatedPage, PEERS, type Peer, WEB_WORKLOADS, type WebWorkloadId } from './workloads.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const argv = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const reps = Number(opt('reps') ?? 5);
const items = (opt('items')?.split(',') ?? WEB_WORKLOADS.map((w) => w.id)) as WebWorkloadId[];
const full = argv.includes('--full');
/** `peer:workload` to sample a CPU profile of (Chrome's profiler) and print where its time goes. */
const profile = opt('profile');
const peers = (opt('peers')?.split(',') ?? [...PEERS]) as Peer[];
for (const p of peers) if (!PEERS.includes(p)) throw new Error(`bench:web: unknown peer '${p}'; known: ${PEERS.join(', ')}`);

const missing = chromiumMissing();
if (missing) {
  console.error(missing.replace('headless-Chromium tests skipped', 'bench:web cannot run'));
  process.exit(1);
}

/** The page bundle, capa's and TensorFlow.js's .wasm files and the peak loop, in one folder. */
async function buildSite(): Promise<{ site: string; peakBuilt: boolean }> {
  const site = mkdtempSync(join(tmpdir(), 'capa-bench-web-'));
  const bundle = await bundleForBrowser(join(here, 'page.ts'), join(site, 'bench.js'));
  console.log(`page bundle: ${(bundle.bytes / 1024 / 1024).toFixed(1)} MiB in ${(bundle.ms / 1000).toFixed(1)} s`);
  writeFileSync(
    join(site, 'index.html'),
    '<!doctype html><meta charset="utf-8"><title>capa bench:web</title><script type="module" src="bench.js"></script>',
  );
  const capaDist = join(root, 'wasm', 'dist');
  for (const f of readdirSync(capaDist).filter((f) => f.startsWith('capa-'))) copyFileSync(join(capaDist, f), join(site, f));
  const tfDist = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  for (const f of readdirSync(tfDist).filter((f) => f.endsWith('.wasm'))) copyFileSync(join(tfDist, f), join(site, f));
  const peak = buildWasmPeak();
  if (peak) writeFileSync(join(site, 'wasm-peak.wasm'), peak);
  return { site, peakBuilt: peak !== null };
}

/** Starts Chrome's sampling profiler in `page`; the returned function stops it and lists the top self times. */
async function startProfile(page: Page): Promise<() => Promise<string>> {
  const cdp = await page.createCDPSession();
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  return async () => {
    const { profile: p } = await cdp.send('Profiler.stop');
    const deltas = p.timeDeltas ?? [];
    const selfMs = new Map<number, number>();
    (p.samples ?? []).forEach((id, i) => {
      selfMs.set(id, (selfMs.get(id) ?? 0) + (deltas[i] ?? 0) / 1000);
    });
    const byName = new Map<string, number>();
    let total = 0;
    for (const node of p.nodes) {
      const ms = selfMs.get(node.id) ?? 0;
      const f = node.callFrame;
      const name = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\//, '')}`;
      byName.set(name, (byName.get(name) ?? 0) + ms);
      total += ms;
    }
    const top = [...byName].sort((a, b) => b[1] - a[1]).slice(0, 15);
    return [
      `  profile (self time, ${total.toFixed(0)} ms sampled):`,
      ...top.map(([n, ms]) => `    ${((100 * ms) / total).toFixed(1).padStart(5)}%  ${n}`),
    ].join('\n');
  };
}

type Run = { samplesMs: number[]; error: string | null };
const results = new Map<string, Run>(); // `${peer} ${workload}`
const starts = new Map<Peer, unknown>();

const { site, peakBuilt } = await buildSite();
const servers = { isolated: await startStaticServer(site), plain: await startStaticServer(site, { isolated: false }) };
const browser = await launchChromium();
const chromiumVersion = await browser.version();
let peakGflops: number | null = null;
let cores = 0;
const flops = new Map<WebWorkloadId, number>();
try {
  const open = async (isolated: boolean) => {
    const page = await browser.newPage();
    page.on('pageerror', (e) => console.error(`page error: ${String(e)}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) console.error(`page console: ${m.text()}`);
    });
    page.on('response', (r) => {
      if (r.url().endsWith('.wasm') || r.status() >= 400)
        console.log(`  fetched ${r.url().replace(/^.*\//, '')}: HTTP ${r.status()}`);
    });
    await page.goto(isolated ? servers.isolated.url : servers.plain.url, { waitUntil: 'load', timeout: 180_000 });
    await page.waitForFunction(() => 'webBench' in globalThis, { timeout: 120_000 });
    return page;
  };
  const call = <K extends keyof WebBench>(page: Awaited<ReturnType<typeof open>>, name: K, ...args: Parameters<WebBench[K]>) =>
    page.evaluate(
      (n, a) => (globalThis as unknown as { webBench: Record<string, (...x: unknown[]) => unknown> }).webBench[n]!(...a),
      name,
      args as unknown[],
    ) as Promise<Awaited<ReturnType<WebBench[K]>>>;

  {
    const page = await open(true);
    cores = await page.evaluate(() => navigator.hardwareConcurrency);
    if (peakBuilt) peakGflops = await call(page, 'peak');
    for (const id of ['mobilenetv2-fwd', 'resnet50-fwd'] as const)
      if (items.includes(id)) flops.set(id, await call(page, 'modelFlops', id));
    await page.close();
  }
  for (const w of WEB_WORKLOADS) if (w.flops) flops.set(w.id, w.flops);

  for (const peer of peers) {
    const page = await open(isolatedPage(peer));
    starts.set(peer, await call(page, 'start', peer));
    console.log(`${peer}: ${JSON.stringify(starts.get(peer))}`);
    for (const id of items) {
      if (!full && WEB_WORKLOADS.find((w) => w.id === id)?.slowOn?.includes(peer)) {
        console.log(`  ${id}: skipped (minutes per run; --full runs it)`);
        continue;
      }
      const profiling = profile === `${peer}:${id}` ? await startProfile(page) : null;
      const r = await call(page, 'run', id, reps);
      if (profiling) console.log(await profiling());
      results.set(`${peer} ${id}`, r);
      console.log(
        `  ${id}: ${r.error ? `cannot: ${r.error}` : `${median(r.samplesMs).toFixed(1)} ms median of ${r.samplesMs.length}`}`,
      );
    }
    await page.close();
  }
} finally {
  await browser.close();
  await servers.isolated.close();
  await servers.plain.close();
  rmSync(site, { recursive: true, force: true });
}

// ---- the table ----
const ms = (peer: Peer, id: WebWorkloadId): number | null => {
  const r = results.get(`${peer} ${id}`);
  return r && !r.error && r.samplesMs.length ? median(r.samplesMs) : null;
};
const cell = (peer: Peer, id: WebWorkloadId): string => {
  const r = results.get(`${peer} ${id}`);
  if (!r) return WEB_WORKLOADS.find((w) => w.id === id)?.slowOn?.includes(peer) ? 'skipped (--full)' : '-';
  if (r.error) return 'cannot run';
  const t = ms(peer, id) as number;
  const f = flops.get(id);
  const gf = f ? f / (t * 1e6) : null;
  return gf !== null ? `${t.toFixed(1)} ms (${gf.toFixed(gf < 1 ? 2 : 1)} GF/s)` : `${t.toFixed(1)} ms`;
};
const ratio = (a: Peer, b: Peer, id: WebWorkloadId): string => {
  const ta = ms(a, id);
  const tb = ms(b, id);
  return ta && tb ? `${(tb / ta).toFixed(2)}x` : '-';
};
console.log(
  `\n${chromiumVersion} headless, ${cores} hardware threads, median of ${reps}+ runs (shared machine: absolute numbers are low and noisy)`,
);
if (peakGflops !== null)
  console.log(
    `wasm SIMD128 peak (register-only f32x4 mul+add, bench/wasm-peak.c) in Chromium: ${peakGflops.toFixed(1)} GFLOP/s per thread, ${(peakGflops * cores).toFixed(1)} for ${cores} threads`,
  );
else console.log('wasm SIMD128 peak: emcc not found to compile bench/wasm-peak.c (apt-get install emscripten)');
console.log(`\n| workload | ${peers.join(' | ')} | capa-wasm-threads / tfjs-wasm speed | capa-wasm-threads share of peak |`);
console.log(`|---|${peers.map(() => '---').join('|')}|---|---|`);
for (const id of items) {
  const w = WEB_WORKLOADS.find((x) => x.id === id);
  const t = ms('capa-wasm-threads', id);
  const f = flops.get(id);
  const share = t && f && peakGflops ? `${((100 * f) / (t * 1e6) / (peakGflops * cores)).toFixed(0)}%` : '-';
  console.log(
    `| ${w?.title ?? id} | ${peers.map((p) => cell(p, id)).join(' | ')} | ${ratio('capa-wasm-threads', 'tfjs-wasm', id)} | ${share} |`,
  );
}
for (const [key, r] of results) if (r.error) console.log(`- ${key}: ${r.error}`);

if (!argv.includes('--skip-node')) {
  console.log(`\nThe wasm backend in Node against native (bench/wasm-node.ts --threads ${cores}):`);
  const node = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench', 'wasm-node.ts'), '--threads', String(cores)], {
    stdio: 'inherit',
    cwd: root,
  });
  if (node.status !== 0) process.exitCode = node.status ?? 1;
}
