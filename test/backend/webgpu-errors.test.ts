/**
 * The driver running out of memory on webgpu: WebGPU reports it asynchronously, as an
 * 'uncapturederror' event carrying a GPUOutOfMemoryError, after the ops that caused it were
 * recorded. The value being computed then cannot be trusted: the next read must reject naming the
 * backend and what to do, and the backend must keep working afterwards. The event is dispatched
 * here as the device would fire it (a real exhaustion would take the shared machine's memory).
 * The other GPU failures (no adapter, a lost device, a buffer over the adapter's limit) are in
 * async-backend.test.ts and webgpu-training.test.ts, and in Chromium in test/browser.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as capa from '../../src/index.js';
import { startWebGpu, webgpu } from '../helpers/webgpu.js';

const unavailable = await startWebGpu();

/** What the device fires when the driver cannot satisfy an allocation. */
function fireOutOfMemory(message: string): void {
  const g = globalThis as unknown as {
    GPUOutOfMemoryError: new (message: string) => GPUError;
    GPUUncapturedErrorEvent: new (type: string, init: { error: GPUError }) => Event;
  };
  webgpu().device.dispatchEvent(new g.GPUUncapturedErrorEvent('uncapturederror', { error: new g.GPUOutOfMemoryError(message) }));
}

describe.skipIf(unavailable !== null)('webgpu: the GPU running out of memory', () => {
  let previous: capa.BackendName;
  beforeAll(async () => {
    previous = capa.getBackend();
    await capa.setBackend('webgpu');
  });
  afterAll(() => capa.setBackend(previous));

  it('the next read rejects naming the backend and what to do; later ops and reads work', async () => {
    const t = capa.ops.add(capa.tensor([1, 2, 3]), 1);
    fireOutOfMemory('Out of memory allocating a 512 MiB buffer');
    await expect(t.data()).rejects.toThrow(
      /^webgpu: the GPU ran out of memory while computing this value \(Out of memory allocating a 512 MiB buffer\); use smaller batches or layers, or another backend/,
    );
    expect(Array.from(await capa.ops.mul(capa.tensor([1, 2]), 3).data())).toEqual([3, 6]);
    expect(capa.getBackend()).toBe('webgpu');
  });
});
