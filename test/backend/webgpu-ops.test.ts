/**
 * The backend contract's op workloads (test/helpers/backend-cases.ts, shared with the boxed
 * backend's test) on webgpu, each against the js backend within 1e-4 relative; then moving tensors
 * between webgpu and host storage, and the error an op gives tensors of both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as capa from '../../src/index.js';
import { backendCases, values } from '../helpers/backend-cases.js';
import { maxRelativeError } from '../helpers/close.js';
import { startWebGpu } from '../helpers/webgpu.js';

const { ops } = capa;
const unavailable = await startWebGpu();

async function runOn(backend: string, f: (t: (v: Float32Array, shape: number[]) => capa.Tensor) => capa.Tensor) {
  await capa.setBackend(backend);
  const out = f((v, shape) => capa.tensor(v, shape));
  expect(out.backend).toBe(backend);
  return { shape: out.shape, values: Array.from(await out.data()) };
}

describe.skipIf(unavailable !== null)('the backend contract workloads on webgpu', () => {
  let previous: capa.BackendName;
  beforeAll(() => {
    previous = capa.getBackend();
  });
  afterAll(() => capa.setBackend(previous));

  for (const [name, f] of backendCases) {
    it(`${name} agrees with the js backend`, async () => {
      const expected = await runOn('js', f);
      const actual = await runOn('webgpu', f);
      expect(actual.shape).toEqual(expected.shape);
      expect(maxRelativeError(actual.values, expected.values)).toBeLessThanOrEqual(1e-4);
    });
  }

  it('moves tensors to and from host storage, and names both backends when they meet in an op', async () => {
    await capa.setBackend('js');
    const host = capa.tensor(values(6, 40), [2, 3]);
    await capa.setBackend('webgpu');
    const onGpu = ops.toBackend(host, 'webgpu');
    expect(onGpu.backend).toBe('webgpu');
    expect(Array.from(await onGpu.data())).toEqual(Array.from(host.dataSync()));
    const back = await ops.toBackendAsync(ops.mul(onGpu, 2), 'js');
    expect(back.backend).toBe('js');
    expect(
      maxRelativeError(
        back.dataSync(),
        Array.from(host.dataSync(), (v) => v * 2),
      ),
    ).toBe(0);
    expect(() => ops.add(onGpu, host)).toThrow(/add.*webgpu.*js|add.*js.*webgpu/);
  });
});
