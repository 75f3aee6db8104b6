/**
 * Backends that start asynchronously (webgpu): `await setBackend(name)` resolves once the backend
 * is active, rejects with the factory's reason while the current backend stays, and tries again on
 * the next call; before it has started, sync paths name the call to make. Also webgpu's own
 * message when the environment has no adapter (a browser whose navigator.gpu finds none).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { requestGpuDevice } from '../../src/backend/webgpu/gpu.js';
import * as capa from '../../src/index.js';

let attempts = 0;
capa.registerBackend(
  'later',
  async () => {
    attempts++;
    if (attempts === 1) throw new Error('no device yet');
    const { JsBackend } = await import('../../src/backend/js/index.js');
    return Object.assign(new JsBackend(), { name: 'later' });
  },
  { async: true },
);

describe('asynchronous backends', () => {
  const before = capa.getBackend();
  afterEach(() => capa.setBackend(before));

  it('reject with the reason and keep the current backend, then start on a later call', async () => {
    expect(() => capa.ops.toBackend(capa.tensor([1]), 'later')).toThrow(
      /the 'later' backend starts asynchronously and has not been started; call `await capa.setBackend\('later'\)` first/,
    );
    expect(capa.availableBackends()).not.toContain('later');
    await expect(capa.setBackend('later')).rejects.toThrow("setBackend('later'): no device yet.");
    expect(capa.getBackend()).toBe(before);
    await capa.setBackend('later');
    expect(capa.getBackend()).toBe('later');
    expect(capa.availableBackends()).toContain('later');
    expect(Array.from(await capa.tensor([1, 2]).add(1).data())).toEqual([2, 3]);
    expect(attempts).toBe(2);
  });

  it('webgpu in a browser without an adapter says so and what to check', async () => {
    const g = globalThis as { navigator?: unknown };
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
    Object.defineProperty(globalThis, 'navigator', { value: { gpu: { requestAdapter: async () => null } }, configurable: true });
    try {
      await expect(requestGpuDevice()).rejects.toThrow(
        /no WebGPU adapter was found; the browser found no usable GPU \(check that WebGPU is enabled/,
      );
    } finally {
      if (saved) Object.defineProperty(globalThis, 'navigator', saved);
      else delete g.navigator;
    }
  });
});
