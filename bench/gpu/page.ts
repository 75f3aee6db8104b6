/// <reference lib="dom" />
/**
 * bench:gpu inside a Chromium page (bundled by bench/gpu.ts --chromium): capa's webgpu backend on
 * navigator.gpu and TensorFlow.js's webgpu backend on the same adapter, in the same run. Rows go
 * to the Node side as they finish (through an exposed function), so a slow workload shows progress.
 */
import { backendNamed } from '../../src/backend/registry.js';
import type { WebGpuBackend } from '../../src/backend/webgpu/backend.js';
import * as capa from '../../src/index.js';
import { runCapaWorkloads } from './capa-workloads.js';
import type { GpuBenchOptions, GpuBenchRow, GpuWorkload } from './options.js';
import { startTfjsWebGpu, tfjsConv, tfjsMatmul, tfjsMobilenet } from './tfjs-workloads.js';

export type PageReport =
  | { kind: 'adapter'; name: string }
  | { kind: 'row'; peer: 'capa' | 'tfjs'; row: GpuBenchRow }
  | { kind: 'error'; peer: 'capa' | 'tfjs'; workload: GpuWorkload | 'start'; error: string }
  | { kind: 'stats'; text: string };

declare global {
  // exposed by the Node side (page.exposeFunction)
  function capaBenchReport(report: PageReport): Promise<void>;
}

const TFJS: Partial<Record<GpuWorkload, (o: GpuBenchOptions) => Promise<GpuBenchRow>>> = {
  matmul: tfjsMatmul,
  conv: tfjsConv,
  mobilenet: tfjsMobilenet,
};

async function run(o: GpuBenchOptions): Promise<void> {
  await capa.setBackend('webgpu');
  const gpu = backendNamed('webgpu') as WebGpuBackend;
  await capaBenchReport({ kind: 'adapter', name: gpu.adapterName });
  let tfjsReady = true;
  try {
    await startTfjsWebGpu();
  } catch (err) {
    tfjsReady = false;
    await capaBenchReport({ kind: 'error', peer: 'tfjs', workload: 'start', error: (err as Error).message });
  }
  // each shared workload on TF.js right after capa's, so both see the machine in the same state
  await runCapaWorkloads(o, async (result) => {
    if ('error' in result) await capaBenchReport({ kind: 'error', peer: 'capa', ...result });
    else await capaBenchReport({ kind: 'row', peer: 'capa', row: result });
    const peer = TFJS[result.workload];
    if (!tfjsReady || peer === undefined) return;
    try {
      await capaBenchReport({ kind: 'row', peer: 'tfjs', row: await peer(o) });
    } catch (err) {
      await capaBenchReport({ kind: 'error', peer: 'tfjs', workload: result.workload, error: (err as Error).message });
    }
  });
  const { dispatches, submits, maps } = gpu.stats;
  await capaBenchReport({ kind: 'stats', text: `capa: ${dispatches} dispatches, ${submits} submits, ${maps} buffer maps` });
}

(globalThis as unknown as { capaGpuBench: typeof run }).capaGpuBench = run;
